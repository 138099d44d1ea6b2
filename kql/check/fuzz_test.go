package check

import (
	"testing"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/schema"
)

// fuzzSeeds are queries that exercise every operator the checker
// follows; the fuzzer mutates them.
var fuzzSeeds = []string{
	"DeviceProcessEvents | where Timestamp > ago(1d) | project FileName",
	"let f = (T:(A:string)) { T | where A == '' }; DeviceInfo | invoke f()",
	"let v = view () { v }; v | take 1",
	"let f = () { f() | union f() }; f()",
	"union isfuzzy=true (X | where Y == 1), DeviceInfo | project Z",
	"DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId " +
		"| join kind=leftouter (DeviceNetworkInfo) on $left.DeviceId == " +
		"$right.DeviceId | mv-expand IPAddresses | evaluate bag_unpack(x)",
	"datatable(A:string)['x'] | parse A with B ':' C:long | make-series " +
		"n = count() on D step 1h by B | render timechart",
	"search in (DeviceInfo) 'x' | find where A == 1 project B",
	"DeviceInfo | mv-apply x = D on (top 1 by x) | scan with (step s: " +
		"true => y = s.x;)",
}

// FuzzCheck checks that Check never panics, whatever tree the parser
// recovers, and that every diagnostic lies inside the text.
func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	s := schema.Defender()
	f.Fuzz(func(t *testing.T, src string) {
		script, _ := kql.Parse(src)
		for _, d := range Check(script, src, s) {
			if d.Pos < 0 || d.End > len(src) || d.Pos > d.End {
				t.Errorf("diagnostic %v has span [%d, %d) outside a "+
					"text of %d bytes", d, d.Pos, d.End, len(src))
			}
		}
	})
}
