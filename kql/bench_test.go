package kql

import (
	"fmt"
	"strings"
	"testing"
)

// corpusText returns the corpus queries and their total size in bytes.
func corpusText(b *testing.B) ([]string, int) {
	b.Helper()
	qs := loadCorpus(b)
	texts := make([]string, len(qs))
	n := 0
	for i, q := range qs {
		texts[i] = q.Text
		n += len(q.Text)
	}
	return texts, n
}

// reportPerByte reports the time per source byte of one iteration.
func reportPerByte(b *testing.B, bytes int) {
	b.SetBytes(int64(bytes))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/
		float64(b.N)/float64(bytes), "ns/byte")
}

// BenchmarkParseCorpus lexes and parses every corpus query.
func BenchmarkParseCorpus(b *testing.B) {
	texts, size := corpusText(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Parse(s)
		}
	}
	reportPerByte(b, size)
}

// BenchmarkLexCorpus lexes every corpus query into a reused buffer.
func BenchmarkLexCorpus(b *testing.B) {
	texts, size := corpusText(b)
	var buf []Token
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			buf = AppendTokens(buf[:0], s)
		}
	}
	reportPerByte(b, size)
}

// longQuery joins corpus queries into one text of at least lines lines.
func longQuery(b *testing.B, lines int) string {
	b.Helper()
	var sb strings.Builder
	n := 0
	for _, q := range loadCorpus(b) {
		if n >= lines {
			break
		}
		sb.WriteString(q.Text)
		n += strings.Count(q.Text, "\n")
	}
	return sb.String()
}

// BenchmarkRelex300Lines re-lexes a 300-line query as an editor does on
// every keystroke, into a reused token buffer.
func BenchmarkRelex300Lines(b *testing.B) {
	src := longQuery(b, 300)
	buf := Lex(src)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendTokens(buf[:0], src)
	}
	reportPerByte(b, len(src))
}

// BenchmarkParseSize parses inputs of growing size to show that parse
// time is linear in the input: ns/byte should stay flat.
func BenchmarkParseSize(b *testing.B) {
	unit := "let x%d = DeviceProcessEvents\n" +
		"| where Timestamp > ago(7d) and FileName in~ ('a.exe', 'b.exe')\n" +
		"| summarize n = count() by bin(Timestamp, 1h), DeviceId;\n"
	for _, size := range []int{64 << 10, 256 << 10, 1 << 20} {
		var sb strings.Builder
		for i := 0; sb.Len() < size; i++ {
			fmt.Fprintf(&sb, unit, i)
		}
		sb.WriteString("x0")
		src := sb.String()
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Parse(src)
			}
			reportPerByte(b, len(src))
		})
	}
}

// BenchmarkParseGarbage parses 1 MB of corpus text with every tenth
// token dropped (brackets kept, so nesting stays shallow), the worst
// case for error recovery.
func BenchmarkParseGarbage(b *testing.B) {
	var sb strings.Builder
	for _, q := range loadCorpus(b) {
		for i, t := range Lex(q.Text) {
			if i%10 != 9 || strings.ContainsAny(t.Text(q.Text), "()[]{}") {
				sb.WriteString(t.Text(q.Text))
				sb.WriteByte('\n') // ends a comment
			}
		}
		if sb.Len() >= 1<<20 {
			break
		}
	}
	src := sb.String()
	b.ReportAllocs()
	for b.Loop() {
		Parse(src)
	}
	reportPerByte(b, len(src))
}
