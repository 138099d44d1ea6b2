package history

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// FuzzFileRoundTrip checks that every saved query SaveQuery accepts comes
// back from its exported file as it went in.
func FuzzFileRoundTrip(f *testing.F) {
	for _, q := range exportCases {
		f.Add(q.Name, q.Description, strings.Join(q.Tags, ","), q.Query)
	}
	f.Add("n", "d", "", "// tags: x\n")
	f.Fuzz(func(t *testing.T, name, desc, tags, query string) {
		q := SavedQuery{Name: name, Description: desc, Query: query}
		if tags != "" {
			q.Tags = strings.Split(tags, ";")
		}
		q, err := normalize(q)
		if err != nil {
			return
		}
		got, named := parseFile(string(formatFile(q)))
		if !named || got.Name != q.Name || got.Description != q.Description ||
			!slices.Equal(got.Tags, q.Tags) || got.Query != q.Query {
			t.Fatalf("got %+v, want %+v", got, q)
		}
	})
}

// FuzzRunsSearch checks that no search, however much FTS5 or KQL syntax
// it holds, is an error.
func FuzzRunsSearch(f *testing.F) {
	s := openTest(f, Options{})
	addRuns(f, s, `DeviceProcessEvents | where FileName =~ "a.exe"`,
		`T | where x has_any ("-enc", "*") | project-away y`)
	for _, seed := range []string{`"`, `a"b`, `*`, `-x`, `NEAR(a b)`,
		`col:val`, `^a`, `(`, `a OR`, `'`, `\`, "\x00", `{a b}`, `+`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, search string) {
		_, err := s.Runs(context.Background(), RunFilter{Search: search})
		if err != nil {
			t.Fatalf("search %q: %v", search, err)
		}
	})
}
