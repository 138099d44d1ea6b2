package history

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/kql/table"
)

// stillClock is a clock that never moves; waits end at once.
type stillClock struct{ now time.Time }

func (c stillClock) Now() time.Time { return c.now }

func (c stillClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- c.now.Add(d)
	return ch
}

// echoBackend answers every query with an empty table and two seconds of
// server time.
type echoBackend struct{}

func (echoBackend) Name() string { return "demo" }

func (echoBackend) Run(context.Context, api.Query) (*api.Result, error) {
	return &api.Result{Table: table.New(),
		Stats: &api.Stats{ExecutionTime: 2 * time.Second}}, nil
}

// TestBudgetSharedThroughStore runs two budgets, as two ahunt processes
// would, over two handles on one database: the second sees the calls and
// running time of the first and refuses the call over the limit.
func TestBudgetSharedThroughStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ahunt.db")
	var stores []*Store
	for range 2 {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	limits := api.DefaultLimits()
	limits.CallsPerMinute = 2
	budget := func(s *Store) (*api.Budget, api.Backend) {
		b := api.NewBudget(limits, s.Ledger(), "contoso/demo",
			api.WithClock(stillClock{testNow}),
			api.WithMaxWait(time.Second))
		return b, api.Limit(echoBackend{}, b)
	}
	_, first := budget(stores[0])
	for range 2 {
		if _, err := first.Run(ctx, api.Query{Text: "T"}); err != nil {
			t.Fatal(err)
		}
	}
	b, second := budget(stores[1])
	st := b.State()
	if st.Calls != 2 || st.RuntimeHour != 4*time.Second {
		t.Errorf("second budget: got %d calls, %v; want 2 calls, 4s",
			st.Calls, st.RuntimeHour)
	}
	_, err := second.Run(ctx, api.Query{Text: "T"})
	var e *api.Error
	if !errors.As(err, &e) || e.RetryAfter != time.Minute {
		t.Errorf("third call: got %v, want a refusal to retry in 1m0s", err)
	}
}

// TestLedgerMatchesMemoryLedger plays one random sequence of calls on the
// store's ledger and the api package's in-memory one and expects the same
// answers.
func TestLedgerMatchesMemoryLedger(t *testing.T) {
	ctx := context.Background()
	stored, mem := openTest(t, Options{}).Ledger(), api.NewMemoryLedger()
	rng := rand.New(rand.NewPCG(3, 4))
	now := testNow
	ids := map[int64]int64{} // stored ID to memory ID
	for step := range 400 {
		now = now.Add(time.Duration(rng.IntN(20)) * time.Second)
		key := []string{"a", "b"}[rng.IntN(2)]
		limit := 1 + rng.IntN(5)
		sid, sok, sretry, err := stored.Reserve(ctx, key, now, time.Minute,
			limit)
		if err != nil {
			t.Fatal(err)
		}
		mid, mok, mretry, _ := mem.Reserve(ctx, key, now, time.Minute, limit)
		if sok != mok || !sretry.Equal(mretry) {
			t.Fatalf("step %d: got %v, %v; memory ledger says %v, %v",
				step, sok, sretry, mok, mretry)
		}
		if sok {
			ids[sid] = mid
			rt := time.Duration(rng.IntN(600)) * time.Second
			stored.Settle(ctx, key, sid, rt)
			mem.Settle(ctx, key, mid, rt)
		}
	}
	for _, key := range []string{"a", "b"} {
		since := now.Add(-time.Hour)
		got, err := stored.Calls(ctx, key, since)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := mem.Calls(ctx, key, since)
		if len(got) != len(want) {
			t.Fatalf("%s: got %d calls, want %d", key, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if ids[g.ID] != w.ID || !g.At.Equal(w.At) ||
				g.Runtime != w.Runtime {
				t.Errorf("%s call %d: got %+v, want %+v", key, i, g, w)
			}
		}
	}
}
