package corpus

import "testing"

func TestLoad(t *testing.T) {
	qs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1728 {
		t.Errorf("got %d queries, want 1728", len(qs))
	}
	bad, err := Invalid()
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 17 {
		t.Errorf("got %d invalid queries, want 17", len(bad))
	}
	names := make(map[string]bool, len(qs))
	for _, q := range qs {
		names[q.Name] = true
	}
	for name := range bad {
		if !names[name] {
			t.Errorf("SYNTAX-CHECK.tsv names %s, which is not in the corpus", name)
		}
	}
	valid, err := Valid()
	if err != nil {
		t.Fatal(err)
	}
	if len(valid) != 1711 {
		t.Errorf("got %d valid queries, want 1711", len(valid))
	}
	for _, q := range valid {
		if bad[q.Name] {
			t.Errorf("Valid returned %s, which SYNTAX-CHECK.tsv lists", q.Name)
		}
	}
}
