package sample

import (
	"runtime"
	"testing"
)

// BenchmarkGenerate builds the full tenant. Besides time and allocations
// it reports the rows built, the bytes the tables hold and the heap in
// use after a collection with the tenant still alive.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	var tn *Tenant
	for b.Loop() {
		tn = Generate(Options{Seed: 7, Now: testNow})
	}
	size := 0
	for _, t := range tn.Tables {
		size += t.Size()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(tn.Rows()), "rows")
	b.ReportMetric(float64(size)/(1<<20), "table-MB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	runtime.KeepAlive(tn)
}
