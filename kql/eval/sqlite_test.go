package eval

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ahunt/ahunt/kql/table"
)

// hunt is one typical hunt written in KQL and in SQL over the same
// tables. The SQL spells out what the KQL operators mean; string
// predicates use LIKE, which ignores ASCII case as has and =~ do.
type hunt struct {
	name, kql, sql string
}

// hunts are five hunts of the kinds the corpus is made of. The clock is
// testNow, written into the SQL as a literal.
var hunts = []hunt{
	{
		name: "encoded-powershell",
		kql: `DeviceProcessEvents
			| where Timestamp > ago(7d)
			| where FileName in~ ("powershell.exe", "pwsh.exe")
			| where ProcessCommandLine contains "-enc"
			| summarize n = count() by DeviceName`,
		sql: `SELECT DeviceName, count(*) FROM DeviceProcessEvents
			WHERE Timestamp > '2026-11-13T12:00:00Z'
			AND lower(FileName) IN ('powershell.exe', 'pwsh.exe')
			AND ProcessCommandLine LIKE '%-enc%'
			GROUP BY DeviceName;`,
	},
	{
		name: "rare-processes",
		kql: `DeviceProcessEvents
			| summarize devices = dcount(DeviceName) by FileName
			| where devices < 3`,
		sql: `SELECT FileName, count(DISTINCT DeviceName) AS devices
			FROM DeviceProcessEvents GROUP BY FileName
			HAVING devices < 3;`,
	},
	{
		name: "top-talkers",
		kql: `DeviceNetworkEvents
			| where RemotePort == 443
			| summarize n = count() by DeviceName, RemoteIP
			| top 10 by n`,
		sql: `SELECT DeviceName, RemoteIP, count(*) AS n
			FROM DeviceNetworkEvents WHERE RemotePort = 443
			GROUP BY DeviceName, RemoteIP ORDER BY n DESC LIMIT 10;`,
	},
	{
		name: "logon-failures",
		kql: `DeviceLogonEvents
			| where ActionType == "LogonFailed"
			| summarize n = count() by AccountName, bin(Timestamp, 1h)
			| where n > 2`,
		sql: `SELECT AccountName, substr(Timestamp, 1, 13) AS hour,
			count(*) AS n FROM DeviceLogonEvents
			WHERE ActionType = 'LogonFailed'
			GROUP BY AccountName, hour HAVING n > 2;`,
	},
	{
		name: "process-with-network",
		kql: `DeviceProcessEvents
			| where FileName =~ "powershell.exe"
			| project DeviceId, ProcessId, FileName
			| join kind=inner (DeviceNetworkEvents
				| project DeviceId, InitiatingProcessId, RemoteIP)
				on $left.DeviceId == $right.DeviceId,
				$left.ProcessId == $right.InitiatingProcessId
			| count`,
		sql: `SELECT count(*) FROM DeviceProcessEvents p
			JOIN DeviceNetworkEvents n ON p.DeviceId = n.DeviceId
			AND p.ProcessId = n.InitiatingProcessId
			WHERE p.FileName LIKE 'powershell.exe';`,
	},
}

// sqliteTables are the tables the hunts read.
var sqliteTables = []string{"DeviceProcessEvents", "DeviceNetworkEvents",
	"DeviceLogonEvents"}

// loadSQLite writes the tables to CSV and imports them with the sqlite3
// shell into a database file, with column types from the schema.
func loadSQLite(b *testing.B, db *DB) string {
	b.Helper()
	dir := b.TempDir()
	path := filepath.Join(dir, "demo.db")
	var script strings.Builder
	for _, name := range sqliteTables {
		t := db.Tables[name]
		csvPath := filepath.Join(dir, name+".csv")
		f, err := os.Create(csvPath)
		if err != nil {
			b.Fatal(err)
		}
		if err := table.WriteCSV(f, t); err != nil {
			b.Fatalf("write %s: %v", name, err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		script.WriteString(createTable(name, t))
		fmt.Fprintf(&script, ".import --csv --skip 1 %s %s\n", csvPath,
			name)
	}
	cmd := exec.Command("sqlite3", path)
	cmd.Stdin = strings.NewReader(script.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("sqlite3 import: %v: %s", err, out)
	}
	return path
}

// createTable is the CREATE TABLE statement for t: numbers as INTEGER
// or REAL, everything else (dates as ISO 8601) as TEXT.
func createTable(name string, t *table.Table) string {
	var cols []string
	for _, c := range t.Columns {
		typ := "TEXT"
		switch c.Type {
		case table.Bool, table.Int, table.Long:
			typ = "INTEGER"
		case table.Real, table.Decimal:
			typ = "REAL"
		}
		cols = append(cols, c.Name+" "+typ)
	}
	return fmt.Sprintf("CREATE TABLE %s (%s);\n", name,
		strings.Join(cols, ", "))
}

// resultSize is the rows of a result, or its value for a count.
func resultSize(t *table.Table) int {
	if len(t.Columns) == 1 && t.Columns[0].Name == "Count" {
		return int(t.Columns[0].Int(0))
	}
	return t.Rows()
}

// sqliteSize runs sql once and returns its rows, or its value when it
// is one count.
func sqliteSize(b *testing.B, path, sql string) int {
	b.Helper()
	cmd := exec.Command("sqlite3", path)
	cmd.Stdin = strings.NewReader(sql)
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("sqlite3: %v", err)
	}
	lines := strings.Fields(string(out))
	if strings.Contains(sql, "SELECT count(*) FROM") && len(lines) == 1 {
		n, _ := strconv.Atoi(lines[0])
		return n
	}
	if len(lines) == 0 {
		return 0
	}
	return len(strings.Split(strings.TrimSpace(string(out)), "\n"))
}

var runTime = regexp.MustCompile(`Run Time: real ([0-9.]+)`)

// sqliteSeconds runs sql n times in the sqlite3 shell and returns the
// fastest run, as the shell's own timer reports it.
func sqliteSeconds(b *testing.B, path, sql string, n int) float64 {
	b.Helper()
	script := ".timer on\n" + strings.Repeat(sql+"\n", n)
	cmd := exec.Command("sqlite3", path)
	cmd.Stdin = strings.NewReader(script)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		b.Fatalf("sqlite3: %v: %s", err, out.String())
	}
	best := -1.0
	for _, m := range runTime.FindAllStringSubmatch(out.String(), -1) {
		s, _ := strconv.ParseFloat(m[1], 64)
		if best < 0 || s < best {
			best = s
		}
	}
	if best < 0 {
		b.Fatalf("no timing in sqlite3 output: %s", out.String())
	}
	return best
}

// BenchmarkHuntsVsSQLite times five typical hunts on the full demo
// tenant in our engine and, from the same data, in the sqlite3 shell.
// Each sub-benchmark reports its KQL time per run and SQLite's best of
// five runs.
func BenchmarkHuntsVsSQLite(b *testing.B) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		b.Skip("sqlite3 is not installed")
	}
	db := demoDB(1)
	path := loadSQLite(b, db)
	for _, h := range hunts {
		b.Run(h.name, func(b *testing.B) {
			var res *table.Table
			for b.Loop() {
				var err error
				res, err = Run(context.Background(), h.kql, db,
					Options{Now: testNow})
				if err != nil {
					b.Fatal(Describe(h.kql, err))
				}
			}
			if got, want := resultSize(res), sqliteSize(b, path,
				h.sql); got != want {
				b.Errorf("got %d rows (or count), SQLite has %d", got, want)
			}
			kqlMs := float64(b.Elapsed().Microseconds()) / 1000 /
				float64(b.N)
			sqlMs := sqliteSeconds(b, path, h.sql, 5) * 1000
			b.ReportMetric(sqlMs, "sqlite-ms")
			b.ReportMetric(kqlMs/max(sqlMs, 0.001), "x-sqlite")
		})
	}
}
