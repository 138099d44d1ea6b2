package check

import (
	"testing"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/corpus"
	"github.com/ahunt/ahunt/kql/schema"
)

// loadCorpus returns the hunting corpus, skipping when it is absent.
func loadCorpus(tb testing.TB) []corpus.Query {
	tb.Helper()
	qs, err := corpus.Load()
	if err != nil {
		tb.Skipf("no corpus: %v", err)
	}
	return qs
}

// BenchmarkCheckCorpus checks every corpus query once per iteration,
// from trees parsed beforehand; it reports the cost per byte of query.
func BenchmarkCheckCorpus(b *testing.B) {
	qs := loadCorpus(b)
	scripts := make([]*kql.Script, len(qs))
	size := 0
	for i, q := range qs {
		scripts[i], _ = kql.Parse(q.Text)
		size += len(q.Text)
	}
	s := schema.Defender()
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for i, q := range qs {
			Check(scripts[i], q.Text, s)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/
		float64(b.N)/float64(size), "ns/byte")
}

// BenchmarkParseAndCheckLargest parses and checks the corpus's largest
// query, as the editor does on a keystroke.
func BenchmarkParseAndCheckLargest(b *testing.B) {
	qs := loadCorpus(b)
	src := ""
	for _, q := range qs {
		if len(q.Text) > len(src) {
			src = q.Text
		}
	}
	s := schema.Defender()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		script, _ := kql.Parse(src)
		Check(script, src, s)
	}
}
