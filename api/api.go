// Package api is ahunt's only way to a hunting API: the Microsoft Graph,
// Defender XDR and Defender for Endpoint clients, OAuth2, the quota budget
// that every call passes, typed errors, result decoding, and the adapter
// for the local demo tenant.
package api

import (
	"context"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// Backend runs KQL against one hunting API. Run blocks until the result is
// in, the context is done, or the call fails; it is safe to call from
// several goroutines.
type Backend interface {
	// Name is the backend's setting name: "graph", "xdr", "mde" or "demo".
	Name() string
	// Run sends one query and returns its result or an *Error.
	Run(ctx context.Context, q Query) (*Result, error)
}

// Query is one request to a hunting API.
type Query struct {
	// Text is the KQL, sent as written.
	Text string
	// Timespan is the optional ISO 8601 range or duration that Graph
	// accepts ("P7D", "2024-02-01T08:00:00Z/P30D"); other backends ignore
	// it. Empty means the service default of 30 days.
	Timespan string
}

// Result is the answer to one query: a table held column by column, with
// what the service said about running it.
type Result struct {
	// Table holds the columns in schema order and their rows.
	Table *table.Table
	// Stats is what the service reported about the run, nil when it
	// reported nothing (Graph never does).
	Stats *Stats
	// Truncated is true when the row count is exactly the row cap: the
	// service does not say it cut the result, so this is a likely guess.
	Truncated bool
	// Elapsed is the wall time from sending the request to the last byte.
	Elapsed time.Duration
}

// Stats is the optional execution report of the XDR and MDE APIs.
type Stats struct {
	// ExecutionTime is the server's running time; zero when absent.
	ExecutionTime time.Duration
	// CPUTime is the total CPU the query used; zero when absent.
	CPUTime time.Duration
	// RowsScanned and BytesScanned sum the dataset statistics.
	RowsScanned, BytesScanned int64
	// PeakMemory is the peak memory per node in bytes; zero when absent.
	PeakMemory int64
}

// Ledger keeps the calls and running time spent against a budget, keyed
// by tenant and backend, so that a restart or a second ahunt process on
// the same tenant sees the same budget. The history store implements it
// over SQLite; MemoryLedger serves tests and --db-less runs.
type Ledger interface {
	// Reserve records a call at now when fewer than limit calls are
	// recorded for key after now-window. Calls stamped after now count:
	// callers read the clock before they wait for the ledger, so one that
	// read it later may have recorded its call first. Otherwise ok is
	// false and retryAt is when the oldest call in the window ages out.
	// Check and record are one atomic step, across processes too.
	Reserve(ctx context.Context, key string, now time.Time,
		window time.Duration, limit int) (id int64, ok bool,
		retryAt time.Time, err error)
	// Settle records the running time call id used.
	Settle(ctx context.Context, key string, id int64,
		runtime time.Duration) error
	// Calls returns the calls recorded for key at or after since, oldest
	// first.
	Calls(ctx context.Context, key string, since time.Time) ([]Call, error)
}

// Releaser is a Ledger that can take back a reserved call that was
// never sent, such as one whose sign-in failed after its slot was taken.
// A Budget over a Ledger without it charges such a call with no running
// time.
type Releaser interface {
	// Release forgets call id of key.
	Release(ctx context.Context, key string, id int64) error
}

// Call is one recorded call in a Ledger.
type Call struct {
	ID int64
	// At is when the call was sent.
	At time.Time
	// Runtime is the running time charged for it: the server's execution
	// time where reported, else the wall time; zero until settled.
	Runtime time.Duration
}

// Limits are the budget's settings. The defaults are those of the
// original API description; current Microsoft pages list other numbers
// (45 calls a minute, 10 minutes an hour, 3 hours a day), which a user
// sets in the config file.
type Limits struct {
	// CallsPerMinute is how many calls may start in any 60 seconds.
	CallsPerMinute int
	// RuntimePerHour and RuntimePerDay cap the running time charged in a
	// rolling hour and a rolling day.
	RuntimePerHour, RuntimePerDay time.Duration
	// RequestTimeout bounds one request from send to last byte.
	RequestTimeout time.Duration
	// MaxRows is the service's row cap; a result of exactly this many rows
	// is flagged as probably truncated.
	MaxRows int
	// Unlimited lifts every limit but RequestTimeout; the demo tenant only.
	Unlimited bool
}

// DefaultLimits returns 15 calls per minute, 15 minutes per hour, 4 hours
// per day, 10 minutes per request and 100,000 rows.
func DefaultLimits() Limits {
	return Limits{
		CallsPerMinute: 15,
		RuntimePerHour: 15 * time.Minute,
		RuntimePerDay:  4 * time.Hour,
		RequestTimeout: 10 * time.Minute,
		MaxRows:        100_000,
	}
}

// BudgetState is a snapshot of a budget for the quota meter and
// `ahunt quota`.
type BudgetState struct {
	Limits Limits
	// Calls is how many calls started in the last 60 seconds.
	Calls int
	// NextSlot is when the next call may start; zero when one may start
	// now.
	NextSlot time.Time
	// RuntimeHour and RuntimeDay are the running time charged in the
	// rolling hour and day.
	RuntimeHour, RuntimeDay time.Duration
	// Waiting is true while a call waits for a slot, until WaitUntil.
	Waiting   bool
	WaitUntil time.Time
	// Throttled is true after the service answered 429, until
	// ThrottledUntil; ThrottleReason is the service's words.
	Throttled      bool
	ThrottledUntil time.Time
	ThrottleReason string
	// Spent is non-empty when a runtime budget is used up: which one, and
	// FreesAt is when enough of it frees for a call to start. The daily
	// budget frees up to a day later: show it with When, which names
	// the date when it is not today.
	Spent   string
	FreesAt time.Time
}
