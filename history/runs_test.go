package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/kql/table"
)

func testRun(query string) Run {
	return Run{
		Query:      query,
		Backend:    "xdr",
		Tenant:     "contoso",
		Started:    testNow,
		Duration:   1500 * time.Millisecond,
		ServerTime: 830 * time.Millisecond,
		Rows:       2,
		Outcome:    OK,
	}
}

// smallResult returns a two-row result with stats.
func smallResult() *api.Result {
	ts := table.NewColumn("Timestamp", table.DateTime, 2)
	ts.AppendTime(testNow)
	ts.AppendNull()
	name := table.NewColumn("DeviceName", table.String, 2)
	name.AppendString("ws-01")
	name.AppendString("ws-02")
	return &api.Result{
		Table:     table.New(ts, name),
		Stats:     &api.Stats{ExecutionTime: time.Second, RowsScanned: 7},
		Truncated: true,
		Elapsed:   2 * time.Second,
	}
}

func TestAddRunRoundTrip(t *testing.T) {
	s := openTest(t, Options{})
	ctx := context.Background()
	want := testRun("DeviceProcessEvents | take 10")
	want.Truncated = true
	want.Error = "partial"
	id, err := s.AddRun(ctx, want, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want.ID = id
	if !got.Started.Equal(want.Started) {
		t.Errorf("got Started %v, want %v", got.Started, want.Started)
	}
	got.Started = want.Started
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := s.Run(ctx, id+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing run: got %v, want ErrNotFound", err)
	}
}

func TestAddRunRejects(t *testing.T) {
	s := openTest(t, Options{})
	tests := []struct {
		name string
		edit func(*Run)
		want string
	}{
		{"no outcome", func(r *Run) { r.Outcome = "" }, `unknown outcome ""`},
		{"bad outcome", func(r *Run) { r.Outcome = "done" },
			`unknown outcome "done"`},
		{"negative rows", func(r *Run) { r.Rows = -1 }, "negative row count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRun("T")
			tt.edit(&r)
			_, err := s.AddRun(context.Background(), r, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestAddRunRedactsTokens(t *testing.T) {
	s := openTest(t, Options{})
	r := testRun("T")
	r.Outcome = Failed
	r.Error = "401: Authorization: Bearer abc.def-ghi rejected; " +
		"token eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl expired"
	id, err := s.AddRun(context.Background(), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Run(context.Background(), id)
	want := "401: Authorization: [redacted] rejected; token [redacted] expired"
	if err != nil || got.Error != want {
		t.Errorf("got %q, %v; want %q", got.Error, err, want)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no secret here", "no secret here"},
		{"Authorization: Bearer abc.def", "Authorization: [redacted]"},
		{"body client_secret=s3cr3t&scope=x",
			"body client_secret=[redacted]&scope=x"},
		{`{"access_token": "tok", "x": 1}`,
			`{"access_token": "[redacted]", "x": 1}`},
		{"Password: hunter2 rejected", "Password: [redacted] rejected"},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// addRuns records the queries in order and returns their IDs.
func addRuns(t testing.TB, s *Store, queries ...string) []int64 {
	t.Helper()
	var ids []int64
	for _, q := range queries {
		id, err := s.AddRun(context.Background(), testRun(q), nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func queries(runs []Run) []string {
	var out []string
	for _, r := range runs {
		out = append(out, r.Query)
	}
	return out
}

func TestRunsPaging(t *testing.T) {
	s := openTest(t, Options{})
	var qs []string
	for i := range 150 {
		qs = append(qs, fmt.Sprintf("q%d", i))
	}
	addRuns(t, s, qs...)
	tests := []struct {
		name   string
		f      RunFilter
		n      int
		first  string
		errHas string
	}{
		{"default limit", RunFilter{}, 100, "q149", ""},
		{"page", RunFilter{Limit: 10, Offset: 20}, 10, "q129", ""},
		{"last page", RunFilter{Limit: 100, Offset: 100}, 50, "q49", ""},
		{"past the end", RunFilter{Offset: 500}, 0, "", ""},
		// "q1" is a prefix of q1, q10-q19 and q100-q149: 61 runs.
		{"search page", RunFilter{Search: "q1", Limit: 10, Offset: 5},
			10, "q144", ""},
		{"search last page", RunFilter{Search: "Q1", Offset: 60},
			1, "q1", ""},
		{"negative", RunFilter{Limit: -1}, 0, "", "negative limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs, err := s.Runs(context.Background(), tt.f)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Errorf("got %v, want an error with %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != tt.n {
				t.Fatalf("got %d runs, want %d", len(runs), tt.n)
			}
			if tt.n > 0 && runs[0].Query != tt.first {
				t.Errorf("got first %q, want %q", runs[0].Query, tt.first)
			}
		})
	}
}

func TestRunsSearch(t *testing.T) {
	s := openTest(t, Options{})
	addRuns(t, s,
		"DeviceProcessEvents | where FileName =~ \"powershell.exe\"",
		"DeviceNetworkEvents | where RemotePort == 443",
		`DeviceProcessEvents | where ProcessCommandLine has_any ("-enc", "-e ")`,
		"EmailEvents | summarize count() by SenderFromAddress",
		"let t = ago(1d); IdentityLogonEvents | where Timestamp > t",
		"DéviceÉvents | take 1",
	)
	tests := []struct {
		search string
		want   []string // query prefixes, newest first
	}{
		{"DeviceProc", []string{"DeviceProcessEvents | where Process",
			"DeviceProcessEvents | where FileName"}},
		{"deviceprocessevents", []string{"DeviceProcessEvents | where Process",
			"DeviceProcessEvents | where FileName"}},
		{"Device where 443", []string{"DeviceNetworkEvents"}},
		{"has_any", []string{"DeviceProcessEvents | where Process"}},
		{`"-enc"`, []string{"DeviceProcessEvents | where Process"}},
		{`count()`, []string{"EmailEvents"}},
		{`FileName:"powershell`,
			[]string{"DeviceProcessEvents | where FileName"}},
		{`(ago*) -1d`, []string{"let t"}},
		{`NOT AND OR NEAR`, nil},
		{`Email OR`, nil},
		{"deviceevents", []string{"DéviceÉvents"}},
		{"|", []string{"DéviceÉvents", "let t", "EmailEvents",
			"DeviceProcessEvents | where Process", "DeviceNetworkEvents",
			"DeviceProcessEvents | where FileName"}},
		{`=~`, []string{"DeviceProcessEvents | where FileName"}},
		{"Nothing", nil},
		// Substrings, as analysts search.
		{"ProcessEvents", []string{"DeviceProcessEvents | where Process",
			"DeviceProcessEvents | where FileName"}},
		{"Network", []string{"DeviceNetworkEvents"}},
		{"network 443", []string{"DeviceNetworkEvents"}},
		{"Events ago", []string{"let t"}},
		{"shell.ex", []string{"DeviceProcessEvents | where FileName"}},
		{"FromAddr", []string{"EmailEvents"}},
		{"viceevents", []string{"DéviceÉvents"}},
		{"_any", []string{"DeviceProcessEvents | where Process"}},
		{"ProcessEvents Email", nil},
		// A word shorter than a trigram matches word starts only: "nt"
		// is inside DeviceNetworkEvents but starts no word.
		{"nt", nil},
		{"Network Re", []string{"DeviceNetworkEvents"}},
		{"Network Po", nil},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			runs, err := s.Runs(context.Background(),
				RunFilter{Search: tt.search})
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			got := queries(runs)
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %d runs starting %q",
					got, len(tt.want), tt.want)
			}
			for i, p := range tt.want {
				if !strings.HasPrefix(got[i], p) {
					t.Errorf("run %d: got %q, want it to start %q",
						i, got[i], p)
				}
			}
		})
	}
}

func TestResultCache(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	tests := []struct {
		name string
		res  *api.Result
	}{
		{"small with stats", smallResult()},
		{"30 columns with nulls", wideResult(5000)},
		{"no rows", &api.Result{Table: table.New(
			table.NewColumn("Timestamp", table.DateTime, 0))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.res
			id, err := s.AddRun(ctx, testRun("T"), want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Result(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if (got.Stats == nil) != (want.Stats == nil) ||
				got.Stats != nil && *got.Stats != *want.Stats ||
				got.Truncated != want.Truncated ||
				got.Elapsed != want.Elapsed {
				t.Errorf("got %+v %+v, want %+v %+v",
					got, got.Stats, want, want.Stats)
			}
			g, w := tableText(got.Table), tableText(want.Table)
			if g != w {
				t.Errorf("got table of %d bytes of text, want %d: %.200s",
					len(g), len(w), g)
			}
			run, err := s.Run(ctx, id)
			if err != nil || !run.Cached {
				t.Errorf("got Cached %v, %v; want true", run.Cached, err)
			}
		})
	}
}

// tableText renders t's schema and cells for comparison.
func tableText(t *table.Table) string {
	var b strings.Builder
	b.WriteString(t.String())
	for i := range t.Rows() {
		for _, c := range t.Columns {
			fmt.Fprintf(&b, " %+v", c.Value(i))
		}
	}
	return b.String()
}

func TestResultNotCached(t *testing.T) {
	ctx := context.Background()
	failed := testRun("T")
	failed.Outcome = Failed
	tests := []struct {
		name string
		opt  Options
		run  Run
		res  *api.Result
	}{
		{"failed run", Options{}, failed, smallResult()},
		{"no result", Options{}, testRun("T"), nil},
		{"caching off", Options{NoCache: true}, testRun("T"), smallResult()},
		{"over the cap", Options{MaxResultBytes: 10}, testRun("T"),
			smallResult()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, tt.opt)
			id, err := s.AddRun(ctx, tt.run, tt.res)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Result(ctx, id); !errors.Is(err, ErrNotCached) {
				t.Errorf("got %v, want ErrNotCached", err)
			}
			if r, _ := s.Run(ctx, id); r.Cached {
				t.Error("got Cached true, want false")
			}
		})
	}
}

func TestResultEviction(t *testing.T) {
	ctx := context.Background()
	res := smallResult()
	probe := openTest(t, Options{})
	blob, err := probe.compress(res.Table)
	if err != nil {
		t.Fatal(err)
	}
	// Room for three results, not four.
	s := openTest(t, Options{MaxCacheBytes: int64(3*len(blob) + 1)})
	var ids []int64
	for range 5 {
		id, err := s.AddRun(ctx, testRun("T"), res)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for i, id := range ids {
		_, err := s.Result(ctx, id)
		if cached := err == nil; cached != (i >= 2) {
			t.Errorf("run %d: got cached %v (%v), want %v",
				i, cached, err, i >= 2)
		}
	}
}

func TestEvictionGivesSpaceBack(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxCacheBytes: 1})
	var mode int
	if err := s.db.QueryRow("PRAGMA auto_vacuum").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Fatalf("got auto_vacuum %d, want 2 (incremental)", mode)
	}
	// Results of many pages each, every one evicted at once.
	res := wideResult(3000)
	for range 3 {
		if _, err := s.AddRun(ctx, testRun("T"), res); err != nil {
			t.Fatal(err)
		}
	}
	var free int
	if err := s.db.QueryRow("PRAGMA freelist_count").Scan(&free); err != nil {
		t.Fatal(err)
	}
	if free != 0 {
		t.Errorf("got %d free pages after evicting, want 0", free)
	}
}
