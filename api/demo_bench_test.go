package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/corpus"
	"github.com/ahunt/ahunt/kql/table"
)

// The demo engine's speed figures: every corpus query on the full demo
// tenant, and five typical hunts side by side with the sqlite3 shell
// over the same rows.
//
//	AHUNT_BENCH_CORPUS=1 go test -v -run DemoCorpusSpeed ./api
//	AHUNT_BENCH_CORPUS=TopLevelDomains go test -v -run DemoCorpusSpeed \
//		-cpuprofile cpu.out ./api
//	AHUNT_BENCH_SQLITE=1 go test -v -run DemoHuntSpeed ./api
//	go test -run '^$' -bench 'DemoCorpus|DemoHunts' ./api
//
// The two tests only log; they are skipped unless their variable is set,
// so they cost CI nothing. TestDemoHuntsMatchSQLite, which checks that
// each hunt means the same in KQL and SQL, runs by default on a small
// tenant when sqlite3 is installed.

// benchNow is the fixed clock of the speed figures.
var benchNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// benchDemo is the full demo tenant, generated once per test binary,
// and the time from NewDemo until it was ready.
var benchDemo = sync.OnceValues(func() (*demo, time.Duration) {
	start := time.Now()
	d := NewDemo(DemoOptions{Seed: 1, Now: benchNow}).(*demo)
	<-d.Ready()
	return d, time.Since(start)
})

// queryTimeout bounds one corpus query, so a pathological one is
// counted as slow rather than stalling the run.
const queryTimeout = time.Minute

// queryTiming is one corpus query's run on the demo tenant.
type queryTiming struct {
	name string
	// cold is the first run; warm the second, which the figures use.
	cold, warm time.Duration
	err        error // the first run's error; nil when the query ran
}

// timeCorpus runs each query twice, the first as its warm-up, and times
// both. A query that fails the first time is not run again.
func timeCorpus(be Backend, qs []corpus.Query) []queryTiming {
	ts := make([]queryTiming, 0, len(qs))
	for _, q := range qs {
		qt := queryTiming{name: q.Name}
		qt.cold, qt.err = timeQuery(be, q.Text)
		if qt.err == nil {
			qt.warm, qt.err = timeQuery(be, q.Text)
		}
		ts = append(ts, qt)
	}
	return ts
}

// timeQuery runs text once and returns its wall time, as a caller of
// Backend.Run sees it.
func timeQuery(be Backend, text string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(),
		queryTimeout)
	defer cancel()
	start := time.Now()
	_, err := be.Run(ctx, Query{Text: text})
	return time.Since(start), err
}

// validCorpus returns the corpus queries that Microsoft's parser
// accepts, or skips tb when the corpus is not there.
func validCorpus(tb testing.TB) []corpus.Query {
	tb.Helper()
	qs, err := corpus.Valid()
	if err != nil {
		tb.Skipf("no corpus: %v", err)
	}
	return qs
}

// distribution summarises a set of durations.
type distribution struct {
	n int
	// best and worst are the shortest and the longest.
	best, median, p95, worst time.Duration
}

// summarise sorts ds in place and returns their distribution; the
// percentiles are nearest-rank.
func summarise(ds []time.Duration) distribution {
	if len(ds) == 0 {
		return distribution{}
	}
	slices.Sort(ds)
	return distribution{n: len(ds), best: ds[0],
		median: percentile(ds, 50), p95: percentile(ds, 95),
		worst: ds[len(ds)-1]}
}

// percentile is the nearest-rank p-th percentile of the sorted ds.
func percentile(ds []time.Duration, p int) time.Duration {
	rank := (p*len(ds) + 99) / 100 // ceil(p/100 * n)
	return ds[max(rank, 1)-1]
}

// String renders d in milliseconds.
func (d distribution) String() string {
	return fmt.Sprintf("n=%d median %s p95 %s max %s", d.n, ms(d.median),
		ms(d.p95), ms(d.worst))
}

// ms renders d in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// corpusReport is the speed figures of one corpus run.
type corpusReport struct {
	ran, failed []queryTiming
	cold, warm  distribution
}

// newCorpusReport splits ts into the queries that ran and those that
// failed, and summarises the times of those that ran.
func newCorpusReport(ts []queryTiming) corpusReport {
	var r corpusReport
	var cold, warm []time.Duration
	for _, t := range ts {
		if t.err != nil {
			r.failed = append(r.failed, t)
			continue
		}
		r.ran = append(r.ran, t)
		cold = append(cold, t.cold)
		warm = append(warm, t.warm)
	}
	r.cold, r.warm = summarise(cold), summarise(warm)
	return r
}

// slowest returns the n queries that ran with the longest warm times,
// slowest first.
func (r corpusReport) slowest(n int) []queryTiming {
	s := slices.Clone(r.ran)
	slices.SortFunc(s, func(a, b queryTiming) int {
		return cmp.Compare(b.warm, a.warm)
	})
	return s[:min(n, len(s))]
}

// over counts the queries that ran whose warm time is over d.
func (r corpusReport) over(d time.Duration) int {
	n := 0
	for _, t := range r.ran {
		if t.warm > d {
			n++
		}
	}
	return n
}

// timedOut counts the failed queries that ran past queryTimeout.
func (r corpusReport) timedOut() int {
	n := 0
	for _, t := range r.failed {
		if errors.Is(t.err, ErrTimeout) {
			n++
		}
	}
	return n
}

// String renders the report for the test log.
func (r corpusReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d valid queries: %d ran, %d failed (not timed; "+
		"%d of them after the %s time limit)\n",
		len(r.ran)+len(r.failed), len(r.ran), len(r.failed),
		r.timedOut(), queryTimeout)
	fmt.Fprintf(&b, "warm (second run): %v\n", r.warm)
	fmt.Fprintf(&b, "cold (first run):  %v\n", r.cold)
	fmt.Fprintf(&b, "over 50 ms: %d; over 1 s: %d (warm)\n",
		r.over(50*time.Millisecond), r.over(time.Second))
	b.WriteString("slowest 10 (warm):\n")
	for _, t := range r.slowest(10) {
		fmt.Fprintf(&b, "  %10s  %s\n", ms(t.warm), t.name)
	}
	return b.String()
}

// TestDemoCorpusSpeed logs the corpus speed figures on the full demo
// tenant when AHUNT_BENCH_CORPUS=1. Any other value keeps only the
// queries whose names contain it, to profile a few slow ones.
func TestDemoCorpusSpeed(t *testing.T) {
	only := os.Getenv("AHUNT_BENCH_CORPUS")
	if only == "" {
		t.Skip("set AHUNT_BENCH_CORPUS=1 to time the corpus")
	}
	qs := validCorpus(t)
	if only != "1" {
		qs = slices.DeleteFunc(qs, func(q corpus.Query) bool {
			return !strings.Contains(q.Name, only)
		})
	}
	d, took := benchDemo()
	t.Logf("tenant: %d rows generated in %s; clock %s", d.rows(),
		ms(took), benchNow.Format(time.RFC3339))
	t.Log(newCorpusReport(timeCorpus(d, qs)))
}

// BenchmarkDemoCorpus runs every valid corpus query twice on the full
// demo tenant per iteration, and reports the median, 95th percentile and
// maximum per query of the second runs of the last iteration. One
// iteration takes minutes.
func BenchmarkDemoCorpus(b *testing.B) {
	qs := validCorpus(b)
	d, _ := benchDemo()
	var r corpusReport
	for b.Loop() {
		r = newCorpusReport(timeCorpus(d, qs))
	}
	b.ReportMetric(msOf(r.warm.median), "median-ms")
	b.ReportMetric(msOf(r.warm.p95), "p95-ms")
	b.ReportMetric(msOf(r.warm.worst), "max-ms")
	b.ReportMetric(float64(len(r.failed)), "failed")
}

// msOf is d in fractional milliseconds.
func msOf(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

// rows counts the tenant's rows over all tables.
func (d *demo) rows() int {
	n := 0
	for _, t := range d.db.Tables {
		n += t.Rows()
	}
	return n
}

// hunt is one typical hunt written in KQL and in SQL that means the same
// over the tables as sqlitebench_test.go loads them. The SQL's columns
// come in the KQL result's order; @now is the demo clock in ticks.
type hunt struct {
	name, kql, sql string
	// ordered says the rows come in a defined order (sort); other
	// results are compared as sets of rows.
	ordered bool
}

// huntTables are the tables the hunts read.
var huntTables = []string{"DeviceProcessEvents", "DeviceNetworkEvents",
	"DeviceLogonEvents"}

// demoHunts are five typical hunts. Their SQL counts time in ticks of
// 100 ns: a minute is 600000000, an hour 36000000000 and a day
// 864000000000. KQL's in~ and contains ignore case; lower() and LIKE do
// the same for the ASCII names and needles used here.
var demoHunts = []hunt{{
	name: "encoded-powershell",
	kql: `DeviceProcessEvents
| where Timestamp > ago(7d)
| where FileName in~ ("powershell.exe", "pwsh.exe")
| where ProcessCommandLine contains "-enc"
| summarize Runs = count(), First = min(Timestamp),
    Last = max(Timestamp) by DeviceName, AccountName`,
	sql: `SELECT DeviceName, AccountName, count(*), min(Timestamp),
  max(Timestamp)
FROM DeviceProcessEvents
WHERE Timestamp > @now - 7 * 864000000000
  AND lower(FileName) IN ('powershell.exe', 'pwsh.exe')
  AND ProcessCommandLine LIKE '%-enc%'
GROUP BY DeviceName, AccountName;`,
}, {
	name: "password-spray",
	kql: `DeviceLogonEvents
| where ActionType == "LogonFailed"
| summarize Failures = count(), LastFailure = max(Timestamp)
    by AccountName, RemoteIP`,
	sql: `SELECT AccountName, RemoteIP, count(*), max(Timestamp)
FROM DeviceLogonEvents
WHERE ActionType = 'LogonFailed'
GROUP BY AccountName, RemoteIP;`,
}, {
	name: "lolbin-download",
	kql: `let downloads = DeviceProcessEvents
    | where FileName in~ ("certutil.exe", "bitsadmin.exe", "mshta.exe",
        "regsvr32.exe")
    | where ProcessCommandLine contains "http"
    | project DeviceId, ProcTime = Timestamp, FileName;
downloads
| join kind=inner (DeviceNetworkEvents
    | project DeviceId, NetTime = Timestamp, RemoteIP) on DeviceId
| where NetTime between (ProcTime .. ProcTime + 5m)
| summarize Connections = count() by DeviceId, FileName, ProcTime`,
	sql: `SELECT p.DeviceId, p.FileName, p.Timestamp, count(*)
FROM DeviceProcessEvents p
JOIN DeviceNetworkEvents n ON n.DeviceId = p.DeviceId
  AND n.Timestamp BETWEEN p.Timestamp AND p.Timestamp + 5 * 600000000
WHERE lower(p.FileName) IN ('certutil.exe', 'bitsadmin.exe', 'mshta.exe',
    'regsvr32.exe')
  AND p.ProcessCommandLine LIKE '%http%'
GROUP BY p.DeviceId, p.FileName, p.Timestamp;`,
}, {
	name: "rare-urls",
	kql: `DeviceNetworkEvents
| where isnotempty(RemoteUrl)
| summarize Devices = dcount(DeviceId), Connections = count()
    by RemoteUrl
| sort by Devices asc, Connections asc, RemoteUrl asc
| take 10`,
	sql: `SELECT RemoteUrl, count(DISTINCT DeviceId) AS Devices,
  count(*) AS Connections
FROM DeviceNetworkEvents
WHERE RemoteUrl <> ''
GROUP BY RemoteUrl
ORDER BY Devices, Connections, RemoteUrl
LIMIT 10;`,
	ordered: true,
}, {
	name: "office-spawns-shell",
	kql: `DeviceProcessEvents
| where InitiatingProcessFileName in~ ("winword.exe", "excel.exe",
    "powerpnt.exe", "outlook.exe")
| where FileName in~ ("cmd.exe", "powershell.exe", "pwsh.exe",
    "wscript.exe", "cscript.exe", "mshta.exe", "rundll32.exe")
| summarize Processes = count(), Shells = dcount(FileName)
    by DeviceName, Hour = bin(Timestamp, 1h)`,
	sql: `SELECT DeviceName, Timestamp / 36000000000 * 36000000000 AS Hour,
  count(*), count(DISTINCT FileName)
FROM DeviceProcessEvents
WHERE lower(InitiatingProcessFileName) IN ('winword.exe', 'excel.exe',
    'powerpnt.exe', 'outlook.exe')
  AND lower(FileName) IN ('cmd.exe', 'powershell.exe', 'pwsh.exe',
    'wscript.exe', 'cscript.exe', 'mshta.exe', 'rundll32.exe')
GROUP BY DeviceName, Hour;`,
}}

// huntSQLite loads d's hunt tables into a new database under tb's temp
// folder.
func huntSQLite(tb testing.TB, d *demo) (*sqliteDB, loadTimes) {
	tb.Helper()
	db, lt, err := loadSQLite(tb.TempDir(), d.db.Tables, huntTables)
	if err != nil {
		tb.Fatal(err)
	}
	db.params = map[string]int64{"@now": table.TimeToTicks(d.now)}
	return db, lt
}

// runHunt runs h's KQL on d and returns its rows as SQLite would
// print them.
func runHunt(d *demo, h hunt) ([][]string, error) {
	res, err := d.Run(context.Background(), Query{Text: h.kql})
	if err != nil {
		return nil, err
	}
	return sqliteRecords(res.Table), nil
}

// TestDemoHuntsMatchSQLite checks that each hunt returns the same rows,
// value for value, from the demo engine and from SQLite over a small
// tenant, and that each finds something.
func TestDemoHuntsMatchSQLite(t *testing.T) {
	needSQLite(t)
	d := NewDemo(DemoOptions{Seed: 1, Now: benchNow, Scale: 0.05}).(*demo)
	<-d.Ready()
	db, _ := huntSQLite(t, d)
	for _, h := range demoHunts {
		t.Run(h.name, func(t *testing.T) {
			got, err := runHunt(d, h)
			if err != nil {
				t.Fatalf("KQL: %v", err)
			}
			want, err := db.query(h.sql)
			if err != nil {
				t.Fatalf("SQL: %v", err)
			}
			if len(want) == 0 {
				t.Fatal("got no rows from SQLite, want the planted activity")
			}
			t.Logf("%d rows, first %q", len(want), want[0])
			if diff := diffRows(got, want, h.ordered); diff != "" {
				t.Errorf("KQL and SQLite differ:\n%s", diff)
			}
		})
	}
}

// diffRows describes how got and want differ, or returns "" when they
// hold the same rows (in the same order when ordered).
func diffRows(got, want [][]string, ordered bool) string {
	if !ordered {
		got, want = sortedRows(got), sortedRows(want)
	}
	if len(got) != len(want) {
		return fmt.Sprintf("got %d rows, want %d (first rows: got %q, "+
			"want %q)", len(got), len(want), head(got), head(want))
	}
	for i := range got {
		if !slices.Equal(got[i], want[i]) {
			return fmt.Sprintf("row %d: got %q, want %q", i, got[i],
				want[i])
		}
	}
	return ""
}

// sortedRows returns a sorted copy of rows.
func sortedRows(rows [][]string) [][]string {
	s := slices.Clone(rows)
	slices.SortFunc(s, slices.Compare)
	return s
}

// head is the first three of rows.
func head(rows [][]string) [][]string { return rows[:min(3, len(rows))] }

// huntRuns is how often each side runs each hunt for the speed figures.
const huntRuns = 7

// huntSpeed is one hunt's times on both sides over huntRuns runs.
type huntSpeed struct {
	name        string
	rows        int
	kql, sqlite distribution
}

// String renders s as a row of the speed table: best and median of
// each side, and the ratio of our time to SQLite's for each.
func (s huntSpeed) String() string {
	kqlBest, sqlBest := s.kql.best, s.sqlite.best
	return fmt.Sprintf("%-20s %5d  %9s %9s  %9s %9s  %6s %6s", s.name,
		s.rows, ms(kqlBest), ms(s.kql.median), ms(sqlBest),
		ms(s.sqlite.median), ratio(kqlBest, sqlBest),
		ratio(s.kql.median, s.sqlite.median))
}

// ratio renders a/b, or "-" when b is below the shell's resolution.
func ratio(a, b time.Duration) string {
	if b < time.Millisecond {
		return "-"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}

// timeHunt checks that both sides return the same rows for h, then runs
// h huntRuns times on each side; the check is the KQL's warm-up run.
func timeHunt(d *demo, db *sqliteDB, h hunt) (huntSpeed, error) {
	rows, err := runHunt(d, h)
	if err != nil {
		return huntSpeed{}, fmt.Errorf("%s: %w", h.name, err)
	}
	want, err := db.query(h.sql)
	if err != nil {
		return huntSpeed{}, fmt.Errorf("%s: %w", h.name, err)
	}
	if diff := diffRows(rows, want, h.ordered); diff != "" {
		return huntSpeed{}, fmt.Errorf("%s: KQL and SQLite differ: %s",
			h.name, diff)
	}
	kql := make([]time.Duration, huntRuns)
	for i := range kql {
		if kql[i], err = timeQuery(d, h.kql); err != nil {
			return huntSpeed{}, fmt.Errorf("%s: %w", h.name, err)
		}
	}
	sql, err := db.timeQuery(h.sql, huntRuns)
	if err != nil {
		return huntSpeed{}, fmt.Errorf("%s: %w", h.name, err)
	}
	return huntSpeed{name: h.name, rows: len(rows), kql: summarise(kql),
		sqlite: summarise(sql)}, nil
}

// TestDemoHuntSpeed logs the five hunts' times on the full demo tenant,
// ours and the sqlite3 shell's, when AHUNT_BENCH_SQLITE=1.
func TestDemoHuntSpeed(t *testing.T) {
	if os.Getenv("AHUNT_BENCH_SQLITE") == "" {
		t.Skip("set AHUNT_BENCH_SQLITE=1 to time the hunts against SQLite")
	}
	needSQLite(t)
	d, _ := benchDemo()
	db, lt := huntSQLite(t, d)
	var b strings.Builder
	for _, name := range huntTables {
		fmt.Fprintf(&b, "%s: %d rows\n", name, d.db.Tables[name].Rows())
	}
	fmt.Fprintf(&b, "CSV export %s, sqlite3 import %s, database %d MB\n",
		ms(lt.export), ms(lt.load), lt.bytes>>20)
	fmt.Fprintf(&b, "%-20s %5s  %9s %9s  %9s %9s  %6s %6s\n", "hunt",
		"rows", "kql best", "median", "sql best", "median", "best",
		"median")
	for _, h := range demoHunts {
		s, err := timeHunt(d, db, h)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, s)
	}
	t.Log("\n" + b.String())
}

// BenchmarkDemoHunts times each hunt's KQL on the full demo tenant and
// reports, beside it, the best of huntRuns runs of its SQL in the
// sqlite3 shell (sqlite-ms) and our time over that (x-sqlite).
func BenchmarkDemoHunts(b *testing.B) {
	needSQLite(b)
	d, _ := benchDemo()
	db, _ := huntSQLite(b, d)
	for _, h := range demoHunts {
		b.Run(h.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := timeQuery(d, h.kql); err != nil {
					b.Fatal(err)
				}
			}
			sql, err := db.timeQuery(h.sql, huntRuns)
			if err != nil {
				b.Fatal(err)
			}
			best := summarise(sql).best
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(msOf(best), "sqlite-ms")
			if best >= time.Millisecond { // the shell's resolution
				b.ReportMetric(msOf(perOp)/msOf(best), "x-sqlite")
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	const m = time.Millisecond
	tests := []struct {
		name string
		in   []time.Duration
		want distribution
	}{
		{"empty", nil, distribution{}},
		{"one", []time.Duration{7 * m}, distribution{1, 7 * m, 7 * m,
			7 * m, 7 * m}},
		{"odd, unsorted", []time.Duration{5 * m, 1 * m, 3 * m},
			distribution{3, 1 * m, 3 * m, 5 * m, 5 * m}},
		{"even: the lower middle", []time.Duration{4 * m, 1 * m, 3 * m,
			2 * m}, distribution{4, 1 * m, 2 * m, 4 * m, 4 * m}},
		{"p95 of 20 is the 19th", countDown(20, m),
			distribution{20, 1 * m, 10 * m, 19 * m, 20 * m}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summarise(tt.in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// countDown returns n units, n-1 units, ... down to one unit.
func countDown(n int, unit time.Duration) []time.Duration {
	ds := make([]time.Duration, n)
	for i := range ds {
		ds[i] = time.Duration(n-i) * unit
	}
	return ds
}
