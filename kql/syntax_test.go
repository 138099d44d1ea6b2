package kql

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// syntaxCase is one line of testdata/syntax.tsv.
type syntaxCase struct {
	line  int
	bad   bool // Microsoft's parser reports a syntax error
	query string
}

// loadSyntaxCases reads testdata/syntax.tsv: lines of "ok" or "error",
// a tab, and a one-line query; '#' starts a comment line.
func loadSyntaxCases(t *testing.T) []syntaxCase {
	t.Helper()
	f, err := os.Open("testdata/syntax.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []syntaxCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verdict, query, ok := strings.Cut(line, "\t")
		if !ok || verdict != "ok" && verdict != "error" {
			t.Fatalf("syntax.tsv:%d: want ok|error, a tab, a query", n)
		}
		cases = append(cases, syntaxCase{n, verdict == "error", query})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestSyntaxCases checks Parse against Microsoft's verdicts on queries
// written to cover the language, valid and not.
func TestSyntaxCases(t *testing.T) {
	for _, c := range loadSyntaxCases(t) {
		_, diags := Parse(c.query)
		got := len(errorsOf(diags)) > 0
		switch {
		case got && !c.bad:
			t.Errorf("syntax.tsv:%d: %s\ngot %v, want no error", c.line,
				c.query, diags[0])
		case !got && c.bad:
			t.Errorf("syntax.tsv:%d: %s\ngot no error, want one", c.line,
				c.query)
		}
	}
}

// TestSyntaxVerdicts checks the verdicts in syntax.tsv against the
// oracle, so the file cannot drift from Microsoft's parser.
func TestSyntaxVerdicts(t *testing.T) {
	cases := loadSyntaxCases(t)
	queries := make([]string, len(cases))
	for i, c := range cases {
		queries[i] = c.query
	}
	for i, r := range runOracle(t, queries) {
		if got := r.Errors > 0; got != cases[i].bad {
			t.Errorf("syntax.tsv:%d: oracle says error %v, file says %v",
				cases[i].line, got, cases[i].bad)
		}
	}
}
