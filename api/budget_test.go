package api

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// stubBackend answers every query at once with a one-row result, or with
// the errors in fail first, and records when each call ran.
type stubBackend struct {
	clock   *fakeClock
	exec    time.Duration
	mu      sync.Mutex
	fail    []error
	started []time.Time
}

func (s *stubBackend) Name() string { return "stub" }

func (s *stubBackend) Run(ctx context.Context, q Query) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started = append(s.started, s.clock.Now())
	if len(s.fail) > 0 {
		err := s.fail[0]
		s.fail = s.fail[1:]
		return nil, err
	}
	c := table.NewColumn("A", table.Long, 1)
	c.AppendInt(1)
	res := &Result{Table: table.New(c)}
	if s.exec > 0 {
		res.Stats = &Stats{ExecutionTime: s.exec}
	}
	return res, nil
}

func (s *stubBackend) calls() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.started)
}

func TestBudgetSixteenthCallWaitsForFirst(t *testing.T) {
	clock := newFakeClock()
	be := &stubBackend{clock: clock}
	var waits []Wait
	var mu sync.Mutex
	b := NewBudget(DefaultLimits(), nil, "t/stub", WithClock(clock),
		WithOnWait(func(w Wait) {
			mu.Lock()
			waits = append(waits, w)
			mu.Unlock()
		}))
	lb := Limit(be, b)
	var done atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			_, err := lb.Run(context.Background(), Query{Text: "T"})
			if err != nil {
				t.Errorf("Run: %v", err)
			}
			done.Add(1)
		})
	}
	eventually(t, "15 sent, 1 waiting", func() bool {
		return done.Load() == 15 && len(clock.Waiters()) == 1
	})
	if got, want := clock.Waiters()[0], t0.Add(time.Minute); !got.Equal(want) {
		t.Errorf("waiter until %v, want %v", got, want)
	}
	if st := b.State(); !st.Waiting || st.Calls != 15 ||
		!st.NextSlot.Equal(t0.Add(time.Minute)) {
		t.Errorf("state: got %+v, want waiting, 15 calls, next slot +1m", st)
	}
	clock.Advance(time.Minute - time.Nanosecond)
	if got := done.Load(); got != 15 {
		t.Fatalf("one tick early: got %d calls done, want 15", got)
	}
	clock.Advance(time.Nanosecond)
	wg.Wait()
	calls := be.calls()
	if got := calls[15]; !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("16th call at %v, want %v", got, t0.Add(time.Minute))
	}
	want := "waiting 1m0s for a call slot (15 calls in the last minute)"
	if len(waits) != 1 || waits[0].String() != want {
		t.Errorf("waits: got %v, want [%s]", waits, want)
	}
}

func TestBudgetHundredCallersKeepWindow(t *testing.T) {
	clock := newFakeClock()
	be := &stubBackend{clock: clock}
	b := NewBudget(DefaultLimits(), nil, "t/stub", WithClock(clock))
	lb := Limit(be, b)
	const n = 100
	var done atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := lb.Run(context.Background(), Query{}); err != nil {
				t.Errorf("Run: %v", err)
			}
			done.Add(1)
		})
	}
	for done.Load() < n {
		eventually(t, "every caller done or waiting", func() bool {
			return int(done.Load())+len(clock.Waiters()) == n
		})
		if ws := clock.Waiters(); len(ws) > 0 {
			clock.Advance(slices.MinFunc(ws, time.Time.Compare).Sub(clock.Now()))
		}
	}
	wg.Wait()
	calls := be.calls()
	slices.SortFunc(calls, time.Time.Compare)
	for i, at := range calls {
		in := 0
		for _, c := range calls[:i+1] {
			if c.After(at.Add(-time.Minute)) {
				in++
			}
		}
		if in > 15 {
			t.Fatalf("call %d at %v: %d calls in the minute up to it, "+
				"want at most 15", i, at, in)
		}
	}
	if got, want := calls[n-1], t0.Add(6*time.Minute); !got.Equal(want) {
		t.Errorf("last call at %v, want %v", got, want)
	}
}

func TestBudgetRuntimeWindows(t *testing.T) {
	tests := []struct {
		name      string
		limits    Limits
		exec      time.Duration
		gap       time.Duration // between the calls that spend it
		calls     int
		spent     string
		frees     time.Time
		wantError string
	}{{
		name: "hour",
		limits: Limits{CallsPerMinute: 15, RuntimePerHour: 15 * time.Minute,
			RuntimePerDay: 4 * time.Hour},
		exec: 10 * time.Minute, gap: time.Minute, calls: 2,
		spent: "hour", frees: t0.Add(time.Hour),
		wantError: "stub: quota spent: the 15m0s of running time allowed " +
			"per hour is spent; it frees at 11:00:00 UTC; retry in 58m0s",
	}, {
		name: "day",
		limits: Limits{CallsPerMinute: 15, RuntimePerHour: 2 * time.Hour,
			RuntimePerDay: 4 * time.Hour},
		exec: time.Hour, gap: time.Hour, calls: 4,
		spent: "day", frees: t0.Add(24 * time.Hour),
		wantError: "stub: quota spent: the 4h0m0s of running time allowed " +
			"per day is spent; it frees tomorrow at 10:00:00 UTC; retry in " +
			"20h0m0s",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			be := &stubBackend{clock: clock, exec: tt.exec}
			b := NewBudget(tt.limits, nil, "k", WithClock(clock))
			lb := Limit(be, b)
			for i := range tt.calls {
				if i > 0 {
					clock.Advance(tt.gap)
				}
				if _, err := lb.Run(context.Background(), Query{}); err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
			}
			clock.Advance(tt.gap)
			_, err := lb.Run(context.Background(), Query{})
			if !errors.Is(err, ErrQuotaSpent) || err.Error() != tt.wantError {
				t.Fatalf("got %v, want %q", err, tt.wantError)
			}
			st := b.State()
			if st.Spent != tt.spent || !st.FreesAt.Equal(tt.frees) {
				t.Errorf("state: got %q until %v, want %q until %v",
					st.Spent, st.FreesAt, tt.spent, tt.frees)
			}
			clock.Advance(tt.frees.Sub(clock.Now()) - time.Nanosecond)
			_, err = lb.Run(context.Background(), Query{})
			if !errors.Is(err, ErrQuotaSpent) {
				t.Errorf("one tick early: got %v, want quota spent", err)
			}
			clock.Advance(time.Nanosecond)
			if _, err := lb.Run(context.Background(), Query{}); err != nil {
				t.Errorf("at %v: got %v, want the call sent", tt.frees, err)
			}
		})
	}
}

func TestBudgetSurvivesRestart(t *testing.T) {
	clock := newFakeClock()
	ledger := NewMemoryLedger()
	be := &stubBackend{clock: clock, exec: time.Second}
	first := Limit(be, NewBudget(DefaultLimits(), ledger, "k",
		WithClock(clock)))
	for range 15 {
		if _, err := first.Run(context.Background(), Query{}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(10 * time.Second)
	b := NewBudget(DefaultLimits(), ledger, "k", WithClock(clock),
		WithMaxWait(30*time.Second))
	st := b.State()
	if st.Calls != 15 || st.RuntimeHour != 15*time.Second ||
		!st.NextSlot.Equal(t0.Add(time.Minute)) {
		t.Errorf("after restart: got %+v, want 15 calls, 15s, slot +1m", st)
	}
	_, err := Limit(be, b).Run(context.Background(), Query{})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrThrottled) ||
		e.RetryAfter != 50*time.Second || e.Code != CodeCallLimit {
		t.Errorf("got %v, want throttled with a 50s retry", err)
	}
	// The same ledger under another key is another budget.
	other := NewBudget(DefaultLimits(), ledger, "other", WithClock(clock))
	if got := other.State().Calls; got != 0 {
		t.Errorf("other key: got %d calls, want 0", got)
	}
}

func TestBudgetThrottle(t *testing.T) {
	tests := []struct {
		name     string
		err      *Error
		min, max time.Duration
	}{
		{"retry after", &Error{Kind: ErrThrottled, Status: 429,
			RetryAfter: 8 * time.Second, Message: "quota exceeded"},
			8 * time.Second, 8 * time.Second},
		{"no hint backs off", &Error{Kind: ErrThrottled, Status: 429},
			time.Minute, 75 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			be := &stubBackend{clock: clock, fail: []error{tt.err}}
			b := NewBudget(DefaultLimits(), nil, "k", WithClock(clock))
			errc := make(chan error, 1)
			go func() {
				_, err := Limit(be, b).Run(context.Background(), Query{})
				errc <- err
			}()
			eventually(t, "a throttle wait", func() bool {
				return len(clock.Waiters()) == 1
			})
			d := clock.Waiters()[0].Sub(t0)
			if d < tt.min || d > tt.max {
				t.Errorf("waits %v, want %v to %v", d, tt.min, tt.max)
			}
			if st := b.State(); !st.Throttled ||
				st.ThrottleReason != tt.err.Message {
				t.Errorf("state: got %+v, want throttled", st)
			}
			clock.Advance(d)
			if err := <-errc; err != nil {
				t.Errorf("got %v, want success after the wait", err)
			}
			if got := len(be.calls()); got != 2 {
				t.Errorf("got %d calls, want 2", got)
			}
		})
	}
}

func TestBudgetMaxWaitKeepsKind(t *testing.T) {
	tests := []struct {
		name string
		kind error
	}{
		{"call rate", ErrThrottled},
		{"cpu quota", ErrQuotaSpent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			be := &stubBackend{clock: clock, fail: []error{&Error{
				Kind: tt.kind, Status: 429, RetryAfter: time.Hour,
				Message: "come back later"}}}
			b := NewBudget(DefaultLimits(), nil, "k", WithClock(clock),
				WithMaxWait(time.Minute))
			_, err := Limit(be, b).Run(context.Background(), Query{})
			want := "stub: " + tt.kind.Error() + ": come back later; the " +
				"wait is over the 1m0s maximum; retry in 1h0m0s"
			if !errors.Is(err, tt.kind) || err.Error() != want {
				t.Errorf("got %v, want %q", err, want)
			}
		})
	}
}

func TestBudgetWaitCancels(t *testing.T) {
	clock := newFakeClock()
	b := NewBudget(Limits{CallsPerMinute: 1}, nil, "k", WithClock(clock))
	lb := Limit(&stubBackend{clock: clock}, b)
	if _, err := lb.Run(context.Background(), Query{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := lb.Run(ctx, Query{})
		errc <- err
	}()
	eventually(t, "a slot wait", func() bool { return b.State().Waiting })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if b.State().Waiting {
		t.Error("still waiting after cancel")
	}
}
