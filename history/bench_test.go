package history

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/kql/corpus"
	"github.com/ahunt/ahunt/kql/table"
)

const benchRuns = 100_000

var big struct {
	once sync.Once
	dir  string
	err  error
}

// bigStore returns a store of 100,000 runs whose queries cycle through
// the hunting corpus, built once per test binary and shared read-only.
func bigStore(b *testing.B) *Store {
	big.once.Do(func() {
		big.dir, big.err = buildBig()
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	s, err := Open(filepath.Join(big.dir, "ahunt.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// removeBig removes the shared store; TestMain calls it.
func removeBig() {
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
}

func buildBig() (string, error) {
	dir, err := os.MkdirTemp("", "ahunt-history-bench-")
	if err != nil {
		return "", err
	}
	s, err := Open(filepath.Join(dir, "ahunt.db"), Options{})
	if err != nil {
		return "", err
	}
	defer s.Close()
	texts := benchQueries()
	ctx := context.Background()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i := range benchRuns {
			r := testRun(texts[i%len(texts)])
			r.Started = testNow.Add(time.Duration(i) * time.Second)
			if _, err := insertRun(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	return dir, err
}

// benchQueries returns the corpus queries, or a few made-up ones when the
// corpus is not beside the checkout.
func benchQueries() []string {
	qs, err := corpus.Load()
	var texts []string
	for _, q := range qs {
		texts = append(texts, q.Text)
	}
	if err != nil || len(texts) == 0 {
		for i := range 500 {
			texts = append(texts, fmt.Sprintf("DeviceProcessEvents\n"+
				"| where Timestamp > ago(%dd)\n| where FileName =~ "+
				"\"tool%d.exe\"\n| project DeviceName, AccountName", i%30, i))
		}
	}
	return texts
}

func BenchmarkAddRun(b *testing.B) {
	s := openTest(b, Options{})
	r := testRun("DeviceProcessEvents\n| where FileName =~ \"powershell.exe\"" +
		"\n| where ProcessCommandLine has_any (\"-enc\", \"-e \")")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AddRun(ctx, r, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRunsNewest100(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		runs, err := s.Runs(ctx, RunFilter{Limit: 100})
		if err != nil || len(runs) != 100 {
			b.Fatalf("got %d runs, %v", len(runs), err)
		}
	}
}

func BenchmarkRunsSearch(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	size, err := fileSize(s.Path())
	if err != nil {
		b.Fatal(err)
	}
	for _, search := range []string{
		"DeviceProcessEvents",  // common: in a third of the corpus
		"DeviceProc",           // prefix
		"De",                   // short prefix, matches nearly all
		"EmailUrlInfo Url",     // two words
		`"-enc" has_any`,       // KQL punctuation
		"nosuchwordanywhere",   // no match
		"DeviceEvents | where", // punctuation dropped
		"ProcessEvents",        // inside a name
		"Network",              // inside a name
		"ProcessEvents De",     // inside a name and a short prefix
	} {
		b.Run(search, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Runs(ctx, RunFilter{Search: search,
					Limit: 100}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size)/(1<<20), "db-MiB")
		})
	}
}

// wideResult returns a result of rows rows and 30 columns shaped like a
// DeviceProcessEvents answer, with the repetition real results have.
func wideResult(rows int) *api.Result {
	types := []table.Type{table.DateTime, table.String, table.String,
		table.Long, table.String, table.String, table.String, table.Long,
		table.String, table.GUID, table.String, table.String, table.Dynamic,
		table.Bool, table.Real}
	var cols []*table.Column
	for k := range 30 {
		typ := types[k%len(types)]
		cols = append(cols, table.NewColumn(fmt.Sprintf("Col%d", k), typ, rows))
	}
	for i := range rows {
		for k, c := range cols {
			appendWide(c, i, k)
		}
	}
	return &api.Result{Table: table.New(cols...), Elapsed: time.Second}
}

func appendWide(c *table.Column, i, k int) {
	switch c.Type {
	case table.DateTime:
		c.AppendTime(testNow.Add(time.Duration(i*37) * time.Millisecond))
	case table.Long:
		c.AppendInt(int64((i * 7919 * (k + 1)) % 65536))
	case table.Bool:
		c.AppendBool(i%3 == 0)
	case table.Real:
		c.AppendReal(float64(i%1000) / 7)
	case table.GUID:
		c.AppendString(fmt.Sprintf("%08x-1b2c-4d5e-8f90-%012x",
			i*2654435761%4294967296, i*40503))
	case table.Dynamic:
		c.AppendString(fmt.Sprintf(`{"Pid":%d,"Integrity":"%s"}`,
			i%5000, []string{"Low", "Medium", "High"}[i%3]))
	default:
		if i%11 == 0 {
			c.AppendNull()
			return
		}
		c.AppendString(fmt.Sprintf(`C:\Windows\System32\proc%d.exe -k %d`,
			(i*31+k)%613, i%97))
	}
}

func BenchmarkSaveResult100k(b *testing.B) {
	s := openTest(b, Options{})
	res := wideResult(100_000)
	r := testRun("DeviceProcessEvents | take 100000")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.AddRun(ctx, r, res); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportSizes(b, s, res)
}

// reportSizes reports the table's size in memory and cached.
func reportSizes(b *testing.B, s *Store, res *api.Result) {
	var size int64
	err := s.db.QueryRow("SELECT size FROM results LIMIT 1").Scan(&size)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(res.Table.Size())/1e6, "MB-table")
	b.ReportMetric(float64(size)/1e6, "MB-cached")
}

func BenchmarkLoadResult100k(b *testing.B) {
	s := openTest(b, Options{})
	res := wideResult(100_000)
	ctx := context.Background()
	id, err := s.AddRun(ctx, testRun("T"), res)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Result(ctx, id)
		if err != nil || got.Table.Rows() != 100_000 {
			b.Fatalf("got %v", err)
		}
	}
}

// fileSize is the size of the database at path with its -wal file.
func fileSize(path string) (int64, error) {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil && !os.IsNotExist(err) {
			return 0, err
		}
		if err == nil {
			n += fi.Size()
		}
	}
	return n, nil
}
