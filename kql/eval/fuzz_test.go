package eval

import (
	"context"
	"strings"
	"testing"
)

// FuzzRun runs arbitrary text over the fixture tables: a query may fail,
// but not with an internal error (a recovered panic) and not by
// crashing. The seeds are the queries of the table-driven tests.
func FuzzRun(f *testing.F) {
	for _, q := range fuzzSeeds() {
		f.Add(q)
	}
	db := fixture(f)
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > 2000 {
			return
		}
		_, err := Run(context.Background(), q, db, Options{Now: testNow})
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Errorf("query %q: %v", q, err)
		}
	})
}

// fuzzSeeds are a sample of the test queries.
func fuzzSeeds() []string {
	return []string{
		`Proc | where ProcessCommandLine has "exe" | project FileName`,
		`Proc | summarize arg_max(Timestamp, *) by DeviceName`,
		`Proc | mv-expand tag = Extra.tags | project FileName, tag`,
		`print s = "user=alice id=42" | parse s with "user=" u " id=" i:long`,
		`let f = (x:long) { x * 2 }; Proc | project v = f(Size)`,
		joinData + `L | join kind=fullouter R on k`,
		`union withsource=S Proc, Net | where RemotePort == 443`,
		`Proc | make-series n = count() on Timestamp step 1d by DeviceName`,
		`Proc | evaluate pivot(AccountName, sum(Size), DeviceName)`,
		`range x from 1 to 10 step 2 | extend y = bin(x, 3)`,
		`Proc | top-nested 2 of DeviceName by count()`,
		`Net | summarize make_set(RemoteIP), dcount(DeviceName) by bin(Timestamp, 1h)`,
	}
}
