package api

import (
	"context"
	"testing"
	"time"
)

// TestMemoryLedgerCountsLaterCalls reserves with clocks out of step with
// the order of arrival, as processes that read the clock before waiting
// for a shared ledger do: a call stamped after now still takes a slot.
func TestMemoryLedgerCountsLaterCalls(t *testing.T) {
	l := NewMemoryLedger()
	ms := func(n int) time.Time {
		return t0.Add(time.Duration(n) * time.Millisecond)
	}
	tests := []struct {
		name    string
		now     int // milliseconds after t0
		ok      bool
		retryAt time.Time
	}{
		{"latest clock first", 70, true, time.Time{}},
		{"earlier clock", 40, true, time.Time{}},
		{"earliest clock takes the last slot", 0, true, time.Time{}},
		{"full though every call is later", -10, false,
			ms(0).Add(time.Minute)},
		{"full in between", 50, false, ms(0).Add(time.Minute)},
		{"free once the oldest ages out", 60_000, true, time.Time{}},
	}
	for _, tt := range tests {
		_, ok, retryAt, err := l.Reserve(context.Background(), "k",
			ms(tt.now), time.Minute, 3)
		if err != nil {
			t.Fatal(err)
		}
		if ok != tt.ok || !retryAt.Equal(tt.retryAt) {
			t.Errorf("%s: got %v, %v; want %v, %v", tt.name, ok, retryAt,
				tt.ok, tt.retryAt)
		}
	}
}
