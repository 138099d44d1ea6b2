package history

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSaveQuery(t *testing.T) {
	ctx := context.Background()
	now := testNow
	s := openTest(t, Options{Now: func() time.Time { return now }})
	q := SavedQuery{
		Name:        "Encoded PowerShell",
		Query:       "DeviceProcessEvents\n| where ProcessCommandLine has \"-enc\"",
		Description: "Base64 commands",
		Tags:        []string{" execution", "powershell "},
	}
	if err := s.SaveQuery(ctx, q); err != nil {
		t.Fatal(err)
	}
	got, err := s.SavedQuery(ctx, q.Name)
	if err != nil {
		t.Fatal(err)
	}
	wantTags := []string{"execution", "powershell"}
	if got.Query != q.Query || got.Description != q.Description ||
		!slices.Equal(got.Tags, wantTags) || !got.Created.Equal(now) ||
		!got.Updated.Equal(now) {
		t.Errorf("got %+v, want %+v with tags %q at %v", got, q, wantTags, now)
	}

	// Saving again by name updates it and keeps the created time.
	now = now.Add(time.Hour)
	q.Query, q.Tags = "DeviceEvents", nil
	if err := s.SaveQuery(ctx, q); err != nil {
		t.Fatal(err)
	}
	got, err = s.SavedQuery(ctx, q.Name)
	if err != nil {
		t.Fatal(err)
	}
	if got.Query != "DeviceEvents" || len(got.Tags) != 0 ||
		!got.Created.Equal(testNow) || !got.Updated.Equal(now) {
		t.Errorf("after update: got %+v", got)
	}
}

func TestSaveQueryRejects(t *testing.T) {
	s := openTest(t, Options{})
	tests := []struct {
		name string
		q    SavedQuery
		want string
	}{
		{"empty name", SavedQuery{Name: " "}, "empty name"},
		{"newline in name", SavedQuery{Name: "a\nb"}, "control character"},
		{"long name", SavedQuery{Name: strings.Repeat("n", 201)}, "over 200"},
		{"comma in tag", SavedQuery{Name: "n", Tags: []string{"a,b"}},
			`tag "a,b" of "n" has a comma`},
		{"carriage return", SavedQuery{Name: "n", Description: "a\r\nb"},
			"carriage return"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SaveQuery(context.Background(), tt.q)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func names(qs []SavedQuery) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Name)
	}
	return out
}

func saveAll(t *testing.T, s *Store, qs ...SavedQuery) {
	t.Helper()
	for _, q := range qs {
		if err := s.SaveQuery(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSavedQueriesSearch(t *testing.T) {
	s := openTest(t, Options{})
	saveAll(t, s,
		SavedQuery{Name: "beta logons", Query: "IdentityLogonEvents",
			Tags: []string{"identity"}},
		SavedQuery{Name: "Alpha", Query: "DeviceProcessEvents | take 5",
			Description: "100% of processes"},
		SavedQuery{Name: "gamma_net", Query: "DeviceNetworkEvents",
			Tags: []string{"network", "c2"}},
	)
	tests := []struct {
		search string
		want   []string
	}{
		{"", []string{"Alpha", "beta logons", "gamma_net"}},
		{"device", []string{"Alpha", "gamma_net"}},
		{"DEVICE c2", []string{"gamma_net"}},
		{"identity", []string{"beta logons"}},
		{"100%", []string{"Alpha"}},
		{"_", []string{"gamma_net"}},
		{"| take", []string{"Alpha"}},
		{"nothing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			qs, err := s.SavedQueries(context.Background(), tt.search)
			if got := names(qs); err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestRenameAndDeleteSaved(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	saveAll(t, s, SavedQuery{Name: "a", Query: "A"},
		SavedQuery{Name: "b", Query: "B"})
	tests := []struct {
		name    string
		do      func() error
		wantErr error
		want    []string
	}{
		{"rename", func() error { return s.RenameSaved(ctx, "a", "c") },
			nil, []string{"b", "c"}},
		{"rename onto another", func() error {
			return s.RenameSaved(ctx, "b", "c")
		}, ErrExists, []string{"b", "c"}},
		{"rename missing", func() error {
			return s.RenameSaved(ctx, "x", "y")
		}, ErrNotFound, []string{"b", "c"}},
		{"rename to itself", func() error {
			return s.RenameSaved(ctx, "b", "b")
		}, nil, []string{"b", "c"}},
		{"delete", func() error { return s.DeleteSaved(ctx, "b") },
			nil, []string{"c"}},
		{"delete missing", func() error { return s.DeleteSaved(ctx, "b") },
			ErrNotFound, []string{"c"}},
	}
	for _, tt := range tests {
		err := tt.do()
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: got error %v, want %v", tt.name, err, tt.wantErr)
		}
		qs, err := s.SavedQueries(ctx, "")
		if got := names(qs); err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if q, err := s.SavedQuery(ctx, "c"); err != nil || q.Query != "A" {
		t.Errorf("renamed query: got %+v, %v; want the text of a", q, err)
	}
	if _, err := s.SavedQuery(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old name: got %v, want ErrNotFound", err)
	}
}
