package api

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// This file loads demo tables into a database file of the sqlite3
// command-line shell and runs SQL there, so the demo engine's hunts can
// be checked and timed against SQLite over the same rows.
//
// The encoding, chosen so that SQL compares what KQL compares:
//   - datetime and timespan are INTEGER ticks of 100 ns (since the Unix
//     epoch for datetime), the engine's own representation, so time
//     filters are integer comparisons on both sides and no text format
//     with a varying number of fractional digits sorts wrongly;
//   - bool is INTEGER 0 or 1, int and long INTEGER, real and decimal REAL;
//   - string, guid and dynamic are TEXT, an empty string where KQL has
//     an empty string (KQL strings are never null);
//   - other nulls are SQL NULL.
//
// No index is created: the engine has none either, so both sides scan.

// sqliteDB is a database file that the sqlite3 shell opens per call.
type sqliteDB struct {
	path string
	// params are set with .parameter before every script, so SQL can
	// name the demo clock as @now.
	params map[string]int64
}

// needSQLite skips tb when the sqlite3 shell is not on PATH.
func needSQLite(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("sqlite3"); err != nil {
		tb.Skip("sqlite3 is not on PATH (Debian: apt-get install sqlite3)")
	}
}

// loadTimes is how long loading the tables into SQLite took.
type loadTimes struct {
	// export is the writing of the CSV files; load the shell's import
	// of them, with the NULL updates.
	export, load time.Duration
	// bytes is the size of the database file.
	bytes int64
}

// loadSQLite writes the named tables to CSV files in dir and imports
// them with the sqlite3 shell into a new database file there.
func loadSQLite(dir string, tables map[string]*table.Table,
	names []string) (*sqliteDB, loadTimes, error) {
	var lt loadTimes
	var script strings.Builder
	start := time.Now()
	for _, name := range names {
		t, ok := tables[name]
		if !ok {
			return nil, lt, fmt.Errorf("load sqlite: no table %s", name)
		}
		csvPath := filepath.Join(dir, name+".csv")
		if err := writeCSVFile(csvPath, t); err != nil {
			return nil, lt, fmt.Errorf("load sqlite: %s: %w", name, err)
		}
		script.WriteString(createTableSQL(name, t))
		fmt.Fprintf(&script, ".import --csv --skip 1 %s %s\n",
			csvPath, name)
		script.WriteString(nullsSQL(name, t))
	}
	lt.export = time.Since(start)
	db := &sqliteDB{path: filepath.Join(dir, "demo.db")}
	start = time.Now()
	if _, err := db.exec(script.String()); err != nil {
		return nil, lt, fmt.Errorf("load sqlite: %w", err)
	}
	lt.load = time.Since(start)
	fi, err := os.Stat(db.path)
	if err != nil {
		return nil, lt, fmt.Errorf("load sqlite: %w", err)
	}
	lt.bytes = fi.Size()
	return db, lt, nil
}

// createTableSQL is the CREATE TABLE statement for t, with the column
// types of the encoding above.
func createTableSQL(name string, t *table.Table) string {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = c.Name + " " + sqliteType(c.Type)
	}
	return fmt.Sprintf("CREATE TABLE %s (%s);\n", name,
		strings.Join(cols, ", "))
}

// sqliteType is the declared SQLite type that holds a KQL type.
func sqliteType(t table.Type) string {
	switch t {
	case table.Bool, table.Int, table.Long, table.DateTime,
		table.TimeSpan:
		return "INTEGER"
	case table.Real, table.Decimal:
		return "REAL"
	}
	return "TEXT"
}

// nullsSQL turns the empty fields of t's non-text columns, which the
// shell imports as empty strings, into NULL.
func nullsSQL(name string, t *table.Table) string {
	var b strings.Builder
	for _, c := range t.Columns {
		if c.HasNulls() && sqliteType(c.Type) != "TEXT" {
			fmt.Fprintf(&b, "UPDATE %s SET %s = NULL WHERE %s = '';\n",
				name, c.Name, c.Name)
		}
	}
	return b.String()
}

// writeCSVFile writes t to path as CSV in the encoding above.
func writeCSVFile(path string, t *table.Table) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := writeSQLiteCSV(bw, t); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeSQLiteCSV writes t as CSV with a header row. Line ends are LF,
// since csv.Writer rewrites line breaks inside fields when told to use
// CRLF, and the shell reads both.
func writeSQLiteCSV(w *bufio.Writer, t *table.Table) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for r := range t.Rows() {
		if err := cw.Write(sqliteRecord(rec, t, r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sqliteRecord fills rec with row r of t as SQLite text: the encoding
// above, and what the shell prints for it.
func sqliteRecord(rec []string, t *table.Table, r int) []string {
	for i, c := range t.Columns {
		switch {
		case c.IsNull(r):
			rec[i] = ""
		case c.Type == table.Bool:
			rec[i] = strconv.Itoa(int(c.Int(r)))
		case c.Type == table.DateTime, c.Type == table.TimeSpan:
			rec[i] = strconv.FormatInt(c.Int(r), 10)
		case c.Type == table.Real, c.Type == table.Decimal:
			rec[i] = sqliteReal(c.Real(r))
		default:
			rec[i] = c.Format(r)
		}
	}
	return rec
}

// sqliteReal renders f as the shell prints a REAL: 15 significant
// digits and always a decimal point ("2.0", "1.0e+20").
//
// TODO: NaN and the infinities are not rendered as SQLite does; no hunt
// returns them.
func sqliteReal(f float64) string {
	s := strconv.FormatFloat(f, 'g', 15, 64)
	if strings.ContainsAny(s, ".NI") {
		return s
	}
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s + ".0"
	}
	return mant + ".0e" + exp
}

// sqliteRecords is every row of t as sqliteRecord renders it.
func sqliteRecords(t *table.Table) [][]string {
	recs := make([][]string, t.Rows())
	for r := range recs {
		recs[r] = sqliteRecord(make([]string, len(t.Columns)), t, r)
	}
	return recs
}

// exec runs script in the sqlite3 shell and returns what it printed. A
// failing statement fails the whole script.
func (db *sqliteDB) exec(script string) ([]byte, error) {
	cmd := exec.Command("sqlite3", "-batch", "-bail", db.path)
	cmd.Stdin = strings.NewReader(db.prelude() + script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("sqlite3: %w: %s", err,
			bytes.TrimSpace(stderr.Bytes()))
	}
	if stderr.Len() > 0 {
		return nil, fmt.Errorf("sqlite3: %s", bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// prelude sets db.params, in a stable order.
func (db *sqliteDB) prelude() string {
	var b strings.Builder
	names := make([]string, 0, len(db.params))
	for name := range db.params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(&b, ".parameter set %s %d\n", name, db.params[name])
	}
	return b.String()
}

// The separators of query's output: ASCII's unit and record separators,
// which no demo value holds, so fields need no quoting and keep their
// line breaks exactly (a CSV reader turns CRLF inside a field into LF).
const (
	unitSep   = "\x1f"
	recordSep = "\x1e"
)

// query runs one SELECT and returns its rows as the shell prints them,
// nulls as empty fields.
func (db *sqliteDB) query(sql string) ([][]string, error) {
	out, err := db.exec(".mode list\n.separator \"\\037\" \"\\036\"\n" +
		sql + "\n")
	if err != nil {
		return nil, err
	}
	text, ok := strings.CutSuffix(string(out), recordSep)
	if !ok {
		if text != "" {
			return nil, fmt.Errorf("sqlite3 output ends without a "+
				"record separator: %q", text[max(0, len(text)-40):])
		}
		return nil, nil
	}
	lines := strings.Split(text, recordSep)
	recs := make([][]string, len(lines))
	for i, line := range lines {
		recs[i] = strings.Split(line, unitSep)
	}
	return recs, nil
}

// runTime matches the line the shell's .timer prints after a statement.
var runTime = regexp.MustCompile(`(?m)^Run Time: real ([0-9.]+)`)

// timeQuery runs sql once to warm up and then n times, in one shell with
// its output discarded, and returns the shell's own "real" time for each
// of the n runs. The shell reports whole milliseconds.
//
// The engine holds every row in memory, so the shell gets a page cache
// of up to 1 GiB, which holds the whole database file after the warm-up
// run; at its default of 2 MB it would read the file from the kernel's
// cache on every run.
func (db *sqliteDB) timeQuery(sql string, n int) ([]time.Duration, error) {
	script := "PRAGMA cache_size = -1048576;\n.output /dev/null\n" +
		".timer on\n" + strings.Repeat(sql+"\n", n+1)
	out, err := db.exec(script)
	if err != nil {
		return nil, err
	}
	var runs []time.Duration
	for _, m := range runTime.FindAllSubmatch(out, -1) {
		s, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			return nil, fmt.Errorf("sqlite3 timer %q: %w", m[1], err)
		}
		runs = append(runs, time.Duration(s*float64(time.Second)))
	}
	if len(runs) != n+1 {
		return nil, fmt.Errorf("sqlite3 timer: got %d timings, want %d",
			len(runs), n+1)
	}
	return runs[1:], nil
}

func TestSQLiteRoundTrip(t *testing.T) {
	needSQLite(t)
	at := time.Date(2026, 11, 20, 8, 30, 15, 123_456_700, time.UTC)
	cols := []*table.Column{
		table.NewColumn("Name", table.String, 4),
		table.NewColumn("Ok", table.Bool, 4),
		table.NewColumn("Size", table.Long, 4),
		table.NewColumn("Score", table.Real, 4),
		table.NewColumn("At", table.DateTime, 4),
	}
	rows := []struct {
		name  string
		ok    bool
		size  int64 // -1 for null
		score float64
	}{
		{"plain", true, 10, 0.5},
		{"comma, \"quote\"", false, -1, 2},
		{"line\nbreak and\r\ncarriage return", true, 0, -1.25},
		{"", false, 1 << 40, 1e20},
		{"ünïcode ✓", true, 5, 1.0 / 3},
	}
	for i, r := range rows {
		cols[0].AppendString(r.name)
		cols[1].AppendBool(r.ok)
		if r.size < 0 {
			cols[2].AppendNull()
		} else {
			cols[2].AppendInt(r.size)
		}
		cols[3].AppendReal(r.score)
		cols[4].AppendTime(at.Add(time.Duration(i) * time.Hour))
	}
	tab := table.New(cols...)
	db, _, err := loadSQLite(t.TempDir(),
		map[string]*table.Table{"T": tab}, []string{"T"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.query("SELECT Name, Ok, Size, Score, At, " +
		"typeof(Size) FROM T ORDER BY rowid;")
	if err != nil {
		t.Fatal(err)
	}
	want := sqliteRecords(tab)
	types := []string{"integer", "null", "integer", "integer", "integer"}
	for i := range want {
		want[i] = append(want[i], types[i])
	}
	if diff := diffRows(got, want, true); diff != "" {
		t.Error(diff)
	}
}
