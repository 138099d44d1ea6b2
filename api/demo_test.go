package api

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

var demoNow = time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)

// testDemo is one small demo tenant shared by the demo tests.
var testDemo = sync.OnceValue(func() Backend {
	be := NewDemo(DemoOptions{Seed: 1, Now: demoNow, Scale: 0.05})
	<-be.(*demo).Ready()
	return be
})

func newTestDemo(t *testing.T) Backend {
	t.Helper()
	return testDemo()
}

func TestDemo(t *testing.T) {
	be := newTestDemo(t)
	tests := []struct {
		name, query string
		rows        int
		is          error
		line, col   int
	}{
		{"count", "DeviceInfo | take 3 | count", 1, nil, 0, 0},
		{"rows", "DeviceProcessEvents | take 5", 5, nil, 0, 0},
		{"syntax error", "DeviceInfo\n| where (", 0, ErrQueryInvalid, 2, 0},
		{"unknown table", "NoSuchTable | take 1", 0, ErrQueryInvalid, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := be.Run(context.Background(), Query{Text: tt.query})
			if tt.is != nil {
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, tt.is) {
					t.Fatalf("got %v, want %v", err, tt.is)
				}
				if e.Line != tt.line || (tt.col > 0 && e.Col != tt.col) {
					t.Errorf("got line %d col %d, want %d %d", e.Line,
						e.Col, tt.line, tt.col)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := res.Table.Rows(); got != tt.rows {
				t.Errorf("got %d rows, want %d", got, tt.rows)
			}
			if res.Stats == nil || res.Stats.ExecutionTime <= 0 {
				t.Errorf("got stats %+v, want the evaluation time", res.Stats)
			}
		})
	}
}

func TestDemoWaitCancels(t *testing.T) {
	be := NewDemo(DemoOptions{Seed: 1, Now: demoNow, Scale: 0.05})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := be.Run(ctx, Query{Text: "DeviceInfo | take 1"})
	<-be.(*demo).Ready() // let the generator finish before leak checks
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want nil or context.Canceled", err)
	}
}

func TestDemoBehindServer(t *testing.T) {
	be := newTestDemo(t)
	_, cfg := serve(t, be, ServerOptions{}, "graph")
	r, err := NewRemote(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(),
		Query{Text: "DeviceProcessEvents\n| take 7"})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := be.(*demo).db.Tables["DeviceProcessEvents"].Columns
	if got := res.Table.Rows(); got != 7 || len(res.Table.Columns) != len(want) {
		t.Errorf("got %d rows of %d columns, want 7 of %d", got,
			len(res.Table.Columns), len(want))
	}
}

func TestDemoRowCap(t *testing.T) {
	be := NewDemo(DemoOptions{Seed: 1, Now: demoNow, Scale: 0.05,
		MaxRows: 10})
	tests := []struct {
		query     string
		rows      int
		truncated bool
	}{
		{"DeviceProcessEvents | take 50", 10, true},
		{"DeviceProcessEvents | take 10", 10, true},
		{"DeviceProcessEvents | take 9", 9, false},
	}
	for _, tt := range tests {
		res, err := be.Run(context.Background(), Query{Text: tt.query})
		if err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if res.Table.Rows() != tt.rows || res.Truncated != tt.truncated {
			t.Errorf("%s: got %d rows, truncated %v; want %d, %v", tt.query,
				res.Table.Rows(), res.Truncated, tt.rows, tt.truncated)
		}
	}
}
