package kql

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/ahunt/ahunt/kql/corpus"
)

// loadCorpus loads the hunting corpus, skipping the test without it.
func loadCorpus(t testing.TB) []corpus.Query {
	t.Helper()
	qs, err := corpus.Load()
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	return qs
}

// knownDisagreements reads testdata/known-disagreements.txt: one corpus
// file name per line, then a tab and the reason.
func knownDisagreements(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("testdata/known-disagreements.txt")
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	defer f.Close()
	known := make(map[string]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, "\t")
		known[name] = reason
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return known
}

// TestCorpusAgreement checks that Parse accepts exactly the corpus
// queries Microsoft's parser accepts (SYNTAX-CHECK.tsv lists the others).
func TestCorpusAgreement(t *testing.T) {
	qs := loadCorpus(t)
	invalid, err := corpus.Invalid()
	if err != nil {
		t.Fatal(err)
	}
	known := knownDisagreements(t)
	agree := 0
	for _, q := range qs {
		_, diags := Parse(q.Text)
		got, want := len(errorsOf(diags)) == 0, !invalid[q.Name]
		if got == want {
			agree++
			if _, ok := known[q.Name]; ok {
				t.Errorf("%s: listed in known-disagreements.txt but "+
					"now agrees; remove it", q.Name)
			}
			continue
		}
		if _, ok := known[q.Name]; ok {
			continue
		}
		if want {
			t.Errorf("%s: got %v, want no errors", q.Name, diags[0])
		} else {
			t.Errorf("%s: got no errors, want a syntax error", q.Name)
		}
	}
	t.Logf("agree with Microsoft's parser on %d of %d queries (%d known "+
		"disagreements)", agree, len(qs), len(known))
}

// errorsOf returns the diagnostics of Error severity.
func errorsOf(ds []Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}
