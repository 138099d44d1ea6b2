package sample

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkGenerate builds the full tenant. Besides time and allocations
// it reports the rows built, the bytes the tables hold and the heap in
// use after a collection with the tenant still alive.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	var tn *Tenant
	cpu := cpuTime()
	for b.Loop() {
		tn = Generate(Options{Seed: 7, Now: testNow})
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	size := 0
	for name, t := range tn.Tables {
		if !isLegacy(name) { // they share the current tables' columns
			size += t.Size()
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(tn.Rows()), "rows")
	b.ReportMetric(float64(size)/(1<<20), "table-MB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	debug.FreeOSMemory()
	if rss := residentMB(); rss > 0 {
		b.ReportMetric(rss, "rss-MB")
	}
	runtime.KeepAlive(tn)
}

// cpuTime returns the CPU time the process has used, user and system:
// on a shared machine, wall time says more about the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// residentMB returns the process's resident set size in MB, or 0 where
// /proc is not available.
func residentMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v),
				" kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}
