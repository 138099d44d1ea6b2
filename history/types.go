// Package history is ahunt's local store: every query run with its
// outcome, the cached results of successful runs, named saved queries and
// the quota ledger, in one SQLite database.
package history

import "time"

// Outcome is how a run ended.
type Outcome string

// The outcomes of a run.
const (
	OK        Outcome = "ok"
	Failed    Outcome = "failed"
	Cancelled Outcome = "cancelled"
	Throttled Outcome = "throttled"
)

// Run is one query run as recorded.
type Run struct {
	ID      int64
	Query   string
	Backend string // "graph", "xdr", "mde" or "demo"
	Tenant  string
	Started time.Time
	// Duration is the wall time of the run; ServerTime the execution time
	// the service reported, zero when it reported none.
	Duration, ServerTime time.Duration
	Rows                 int
	Truncated            bool
	Outcome              Outcome
	Error                string
	// Cached is true when the result is kept and can be re-opened without
	// an API call.
	Cached bool
}

// RunFilter selects runs, newest first.
type RunFilter struct {
	// Search is full-text over the query text; empty matches all.
	Search string
	// Limit caps the runs returned; zero means 100. Offset skips.
	Limit, Offset int
}

// SavedQuery is a named query in the library.
type SavedQuery struct {
	Name        string
	Query       string
	Description string
	Tags        []string
	Created     time.Time
	Updated     time.Time
}
