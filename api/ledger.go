package api

import (
	"context"
	"slices"
	"sync"
	"time"
)

// MemoryLedger is a Ledger held in memory, for tests and for runs without
// a history database. It is safe for concurrent use; it forgets calls
// older than a day and a little.
type MemoryLedger struct {
	mu    sync.Mutex
	next  int64
	calls map[string][]Call // by key, oldest first
}

// NewMemoryLedger returns an empty ledger.
func NewMemoryLedger() *MemoryLedger {
	return &MemoryLedger{calls: make(map[string][]Call)}
}

// ledgerKeep is how long a MemoryLedger keeps a call: the longest budget
// window and a margin.
const ledgerKeep = 25 * time.Hour

// Reserve records a call at now if fewer than limit calls fall after
// now-window (calls stamped after now included); otherwise it says when
// enough of them age out.
func (m *MemoryLedger) Reserve(_ context.Context, key string, now time.Time,
	window time.Duration, limit int) (int64, bool, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	calls := m.prune(key, now)
	var in []Call
	for _, c := range calls {
		if c.At.After(now.Add(-window)) {
			in = append(in, c)
		}
	}
	if len(in) >= limit {
		// The call that must age out for the count to drop below limit.
		return 0, false, in[len(in)-limit].At.Add(window), nil
	}
	m.next++
	c := Call{ID: m.next, At: now}
	i, _ := slices.BinarySearchFunc(calls, now, func(c Call, t time.Time) int {
		return c.At.Compare(t)
	})
	for i < len(calls) && !calls[i].At.After(now) {
		i++ // after calls at the same instant, so IDs stay in order
	}
	m.calls[key] = slices.Insert(calls, i, c)
	return c.ID, true, time.Time{}, nil
}

// prune drops the calls of key older than ledgerKeep and returns the rest.
func (m *MemoryLedger) prune(key string, now time.Time) []Call {
	calls := m.calls[key]
	cut := 0
	for cut < len(calls) && calls[cut].At.Before(now.Add(-ledgerKeep)) {
		cut++
	}
	calls = calls[cut:]
	m.calls[key] = calls
	return calls
}

// Settle records the running time of call id.
func (m *MemoryLedger) Settle(_ context.Context, key string, id int64,
	runtime time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.calls[key] {
		if m.calls[key][i].ID == id {
			m.calls[key][i].Runtime = runtime
			return nil
		}
	}
	return nil // already pruned: too old to count anyway
}

// Calls returns the calls of key at or after since, oldest first.
func (m *MemoryLedger) Calls(_ context.Context, key string,
	since time.Time) ([]Call, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Call
	for _, c := range m.calls[key] {
		if !c.At.Before(since) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Release forgets call id of key.
func (m *MemoryLedger) Release(_ context.Context, key string, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls[key] = slices.DeleteFunc(m.calls[key], func(c Call) bool {
		return c.ID == id
	})
	return nil
}
