package history

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLedgerReserve(t *testing.T) {
	ctx := context.Background()
	l := openTest(t, Options{}).Ledger()
	const key = "contoso/xdr"
	at := func(sec int) time.Time {
		return testNow.Add(time.Duration(sec) * time.Second)
	}
	tests := []struct {
		name    string
		key     string
		now     int // seconds after testNow
		limit   int
		ok      bool
		retryAt int
	}{
		{"first", key, 0, 3, true, 0},
		{"second", key, 10, 3, true, 0},
		{"third", key, 20, 3, true, 0},
		{"full", key, 30, 3, false, 60},
		{"other key", "contoso/graph", 30, 3, true, 0},
		{"lowered limit waits for the second", key, 40, 2, false, 70},
		{"edge of the window is out", key, 60, 3, true, 0},
		{"full again", key, 61, 3, false, 70},
		{"calls after an earlier clock count", key, 50, 3, false, 70},
	}
	for _, tt := range tests {
		id, ok, retryAt, err := l.Reserve(ctx, tt.key, at(tt.now),
			time.Minute, tt.limit)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if ok != tt.ok || (ok && id == 0) {
			t.Errorf("%s: got ok %v, id %d; want ok %v", tt.name, ok, id, tt.ok)
		}
		if want := at(tt.retryAt); !tt.ok && !retryAt.Equal(want) {
			t.Errorf("%s: got retryAt %v, want %v", tt.name, retryAt, want)
		}
	}
}

func TestLedgerSettleAndCalls(t *testing.T) {
	ctx := context.Background()
	l := openTest(t, Options{}).Ledger()
	const key = "t/xdr"
	var ids []int64
	for i := range 3 {
		now := testNow.Add(time.Duration(i) * time.Minute)
		id, ok, _, err := l.Reserve(ctx, key, now, time.Minute, 15)
		if err != nil || !ok {
			t.Fatalf("Reserve: %v, %v", ok, err)
		}
		ids = append(ids, id)
	}
	if err := l.Settle(ctx, key, ids[1], 42*time.Second); err != nil {
		t.Fatal(err)
	}
	err := l.Settle(ctx, "other", ids[1], time.Second)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("settle another key's call: got %v, want ErrNotFound", err)
	}
	calls, err := l.Calls(ctx, key, testNow.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0].ID != ids[1] || calls[1].ID != ids[2] {
		t.Fatalf("got %+v, want calls %d and %d", calls, ids[1], ids[2])
	}
	if c := calls[0]; c.Runtime != 42*time.Second ||
		!c.At.Equal(testNow.Add(time.Minute)) {
		t.Errorf("got %+v, want 42s at %v", c, testNow.Add(time.Minute))
	}
}

func TestLedgerPrunesAfterADay(t *testing.T) {
	ctx := context.Background()
	l := openTest(t, Options{}).Ledger()
	for _, now := range []time.Time{testNow, testNow.Add(time.Hour),
		testNow.Add(26 * time.Hour)} {
		_, _, _, err := l.Reserve(ctx, "k", now, time.Minute, 15)
		if err != nil {
			t.Fatal(err)
		}
	}
	calls, err := l.Calls(ctx, "k", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || !calls[0].At.Equal(testNow.Add(time.Hour)) {
		t.Errorf("got %+v, want the calls of the last 25 hours only", calls)
	}
}

func TestLedgerRejects(t *testing.T) {
	l := openTest(t, Options{}).Ledger()
	tests := []struct {
		name   string
		window time.Duration
		limit  int
	}{
		{"zero limit", time.Minute, 0},
		{"zero window", 0, 15},
	}
	for _, tt := range tests {
		_, ok, _, err := l.Reserve(context.Background(), "k", testNow,
			tt.window, tt.limit)
		if err == nil || ok {
			t.Errorf("%s: got ok %v, %v; want an error", tt.name, ok, err)
		}
	}
}

func TestLedgerRelease(t *testing.T) {
	ctx := context.Background()
	l := openTest(t, Options{}).Ledger().(ledger)
	var ids []int64
	for i := range 2 {
		id, ok, _, err := l.Reserve(ctx, "k",
			testNow.Add(time.Duration(i)*time.Second), time.Minute, 2)
		if err != nil || !ok {
			t.Fatalf("Reserve: %v, %v", ok, err)
		}
		ids = append(ids, id)
	}
	tests := []struct {
		name string
		key  string
		id   int64
		want int // calls of k left
	}{
		{"another key's call stays", "other", ids[0], 2},
		{"released", "k", ids[0], 1},
		{"released twice", "k", ids[0], 1},
	}
	for _, tt := range tests {
		if err := l.Release(ctx, tt.key, tt.id); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		calls, err := l.Calls(ctx, "k", time.Time{})
		if err != nil || len(calls) != tt.want {
			t.Errorf("%s: got %d calls, %v; want %d", tt.name, len(calls),
				err, tt.want)
		}
	}
	_, ok, _, err := l.Reserve(ctx, "k", testNow.Add(2*time.Second),
		time.Minute, 2)
	if err != nil || !ok {
		t.Errorf("after release: got %v, %v; want the slot free", ok, err)
	}
}
