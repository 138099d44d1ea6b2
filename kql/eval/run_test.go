package eval

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, "range x from 1 to 100000 step 1 | count",
		fixture(t), Options{Now: testNow})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// countdownCtx is a context that reports cancellation after its Err has
// been asked n times: a cancel that lands mid-query, without timing.
type countdownCtx struct {
	context.Context
	n int
}

func (c *countdownCtx) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

func TestRunCancelledMidQuery(t *testing.T) {
	db := fixture(t)
	q := "range x from 1 to 100000 step 1 | extend y = x * 2 | count"
	for _, n := range []int{3, 5, 8} {
		ctx := &countdownCtx{Context: context.Background(), n: n}
		_, err := Run(ctx, q, db, Options{Now: testNow})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d checks: got %v, want "+
				"context.Canceled", n, err)
		}
	}
}

func TestRunErrorTypes(t *testing.T) {
	db := fixture(t)
	tests := []struct {
		name, query   string
		parse         bool
		pos, end      int
		wantMsgPrefix string
	}{
		{"syntax error", "Proc | where (", true, 0, 0, ""},
		{"unknown column", "Proc | where Nope", false, 13, 17,
			"unknown column"},
		{"unsupported operator",
			"Proc | scan with (step s: true;)", false, 7, 32,
			"not supported: operator scan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), tt.query, db,
				Options{Now: testNow})
			var pe *ParseError
			var ee *Error
			switch {
			case tt.parse:
				if !errors.As(err, &pe) || len(pe.Diagnostics) == 0 {
					t.Fatalf("got %v, want a *ParseError", err)
				}
			case !errors.As(err, &ee):
				t.Fatalf("got %v, want an *Error", err)
			default:
				if ee.Pos != tt.pos || ee.End != tt.end {
					t.Errorf("got span %d-%d, want %d-%d", ee.Pos,
						ee.End, tt.pos, tt.end)
				}
				if len(ee.Msg) < len(tt.wantMsgPrefix) ||
					ee.Msg[:len(tt.wantMsgPrefix)] != tt.wantMsgPrefix {
					t.Errorf("got %q, want it to start with %q", ee.Msg,
						tt.wantMsgPrefix)
				}
			}
		})
	}
}

// TestRunConcurrently runs queries at once over one DB, as ahunt serve
// does; the DB's tables are only read. Run it with -race.
func TestRunConcurrently(t *testing.T) {
	db := fixture(t)
	queries := []string{
		"Proc | where FileName has 'exe' | extend n = strlen(FileName)",
		"Proc | summarize arg_max(Timestamp, *) by DeviceName",
		"Proc | join kind=leftouter (Net) on DeviceName | project-away Extra",
		"union Proc, Net | where DeviceName == 'ws1' | sort by Timestamp",
		"Proc | mv-expand Extra.tags | parse ProcessCommandLine with * '-' f",
	}
	run := func(q string) string {
		res, err := Run(context.Background(), q, db, Options{Now: testNow})
		if err != nil {
			return "error: " + err.Error()
		}
		return render(res)
	}
	want := make([]string, len(queries))
	for i, q := range queries {
		want[i] = run(q)
	}
	var wg sync.WaitGroup
	got := make([]string, len(queries)*4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = run(queries[i%len(queries)])
		}()
	}
	wg.Wait()
	for i, g := range got {
		if w := want[i%len(queries)]; g != w {
			t.Errorf("query %d run concurrently: got\n%s\nwant\n%s", i%len(
				queries), g, w)
		}
	}
}
