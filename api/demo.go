package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/eval"
	"github.com/ahunt/ahunt/sample"
)

// DemoOptions configure NewDemo.
type DemoOptions struct {
	// Seed selects the generated tenant; the same Seed and Now give the
	// same rows.
	Seed int64
	// Now is the demo tenant's clock: its data covers the 30 days before
	// Now, and ago() counts back from it. The zero value means the time
	// NewDemo is called.
	Now time.Time
	// Scale sizes the tenant; 0 means the full tenant (see sample.Options).
	Scale float64
	// MaxRows is the row cap the service applies: a longer result keeps
	// its first MaxRows rows and is flagged as probably truncated. Zero
	// means DefaultLimits().MaxRows.
	MaxRows int
}

// demo is the Backend over the local KQL engine and the generated tenant.
type demo struct {
	now     time.Time
	maxRows int
	ready   chan struct{}
	db      *eval.DB // set before ready is closed
}

// NewDemo returns the demo backend: ahunt's own KQL engine over the
// generated tenant of package sample. The tenant is generated in the
// background from this call on, so a caller's first frame is not held
// up; the first Run waits for it.
func NewDemo(opt DemoOptions) Backend {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.MaxRows <= 0 {
		opt.MaxRows = DefaultLimits().MaxRows
	}
	d := &demo{now: opt.Now, maxRows: opt.MaxRows,
		ready: make(chan struct{})}
	go func() {
		t := sample.Generate(sample.Options{Seed: opt.Seed, Now: opt.Now,
			Scale: opt.Scale})
		d.db = &eval.DB{Tables: t.Tables}
		close(d.ready)
	}()
	return d
}

// Name returns "demo".
func (d *demo) Name() string { return "demo" }

// Ready is closed once the tenant is generated.
func (d *demo) Ready() <-chan struct{} { return d.ready }

// Run evaluates q over the tenant. Its Stats.ExecutionTime is the
// measured evaluation time.
//
// TODO: Query.Timespan is ignored; Graph limits the data to it, so a demo
// run may return rows outside the range the analyst asked for.
func (d *demo) Run(ctx context.Context, q Query) (*Result, error) {
	select {
	case <-d.ready:
	case <-ctx.Done():
		return nil, fmt.Errorf("demo: waiting for the tenant: %w",
			ctx.Err())
	}
	start := time.Now()
	tab, err := eval.Run(ctx, q.Text, d.db, eval.Options{Now: d.now})
	elapsed := time.Since(start)
	if err != nil {
		return nil, demoError(ctx, q.Text, err)
	}
	if tab.Rows() > d.maxRows {
		tab = tab.Gather(firstRows(d.maxRows))
	}
	return &Result{Table: tab, Elapsed: elapsed,
		Truncated: tab.Rows() == d.maxRows,
		Stats:     &Stats{ExecutionTime: elapsed, CPUTime: elapsed}}, nil
}

// firstRows returns the row numbers 0 to n-1.
func firstRows(n int) []int {
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// demoError maps the engine's errors to the API's kinds, placing query
// errors at their line and column.
func demoError(ctx context.Context, src string, err error) error {
	var pe *eval.ParseError
	var ee *eval.Error
	switch {
	case errors.As(err, &pe) && len(pe.Diagnostics) > 0:
		first := pe.Diagnostics[0]
		msg := first.Message
		if n := len(pe.Diagnostics) - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more)", n)
		}
		return &Error{Kind: ErrQueryInvalid, Backend: "demo",
			Code: first.Code, Message: msg, Line: first.Line,
			Col: first.Col}
	case errors.As(err, &ee):
		line, col := kql.LineCol(src, ee.Pos)
		return &Error{Kind: ErrQueryInvalid, Backend: "demo",
			Message: ee.Msg, Line: line, Col: col}
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("demo: %w", err)
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Kind: ErrTimeout, Backend: "demo", Err: err}
	case ctx.Err() != nil:
		return fmt.Errorf("demo: %w", ctx.Err())
	}
	return &Error{Kind: ErrServer, Backend: "demo", Err: err}
}
