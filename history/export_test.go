package history

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var exportCases = []SavedQuery{
	{Name: "Encoded PowerShell", Description: "Base64 commands",
		Tags:  []string{"execution", "powershell"},
		Query: "DeviceProcessEvents\n| where ProcessCommandLine has \"-enc\"\n"},
	{Name: "../../etc/passwd", Query: "DeviceEvents"},
	{Name: "  spaced  name ", Description: " lead\n\ntrail  \n",
		Query: "\n\nleading blank lines, no final newline"},
	{Name: "comment first", Query: "// name: not this\n// tags: x\n\nT"},
	{Name: "encoded powershell", Query: "differs only in case"},
	{Name: ".hidden", Query: "T"},
	{Name: "CON", Query: "T"},
	{Name: "日本語 クエリ", Query: "T", Tags: []string{"ユニコード"}},
	{Name: "crlf", Query: "T\r\n| take 1\r\n"},
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openTest(t, Options{})
	saveAll(t, src, exportCases...)
	dir := filepath.Join(t.TempDir(), "hunts")
	n, err := src.ExportSaved(ctx, dir)
	if err != nil || n != len(exportCases) {
		t.Fatalf("ExportSaved: got %d, %v; want %d", n, err, len(exportCases))
	}

	dst := openTest(t, Options{})
	n, err = dst.ImportSaved(ctx, dir)
	if err != nil || n != len(exportCases) {
		t.Fatalf("ImportSaved: got %d, %v; want %d", n, err, len(exportCases))
	}
	for _, want := range exportCases {
		got, err := dst.SavedQuery(ctx, want.Name)
		if err != nil {
			t.Errorf("%q: %v", want.Name, err)
			continue
		}
		if got.Query != want.Query || got.Description != want.Description ||
			!slices.Equal(got.Tags, want.Tags) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}

func TestExportFileNames(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	saveAll(t, s, exportCases...)
	dir := t.TempDir()
	if _, err := s.ExportSaved(ctx, dir); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{
		"Encoded-PowerShell.kql", "encoded-powershell-2.kql",
		"etc-passwd.kql", "hidden.kql", "query-CON.kql", "comment-first.kql",
		"crlf.kql", "spaced-name.kql", "日本語-クエリ.kql",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got files %q, want %q", got, want)
	}
	data, err := os.ReadFile(filepath.Join(dir, "Encoded-PowerShell.kql"))
	wantText := "// name: Encoded PowerShell\n" +
		"// description: Base64 commands\n" +
		"// tags: execution, powershell\n\n" +
		"DeviceProcessEvents\n| where ProcessCommandLine has \"-enc\"\n"
	if err != nil || string(data) != wantText {
		t.Errorf("got file %q, %v; want %q", data, err, wantText)
	}
}

func TestExportReplacesLinks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	saveAll(t, s, SavedQuery{Name: "hunt", Query: "T"})
	dir, outside := t.TempDir(), filepath.Join(t.TempDir(), "bashrc")
	if err := os.WriteFile(outside, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "hunt.kql")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, err := s.ExportSaved(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(outside); string(got) != "keep" {
		t.Errorf("the link's target now holds %q, want it untouched", got)
	}
	info, err := os.Lstat(filepath.Join(dir, "hunt.kql"))
	if err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o644 {
		t.Errorf("got %v, %v; want a regular file of mode 0644", info, err)
	}
}

func TestFileBase(t *testing.T) {
	tests := []struct{ name, want string }{
		{"plain", "plain"},
		{"a/b\\c", "a-b-c"},
		{"..", "query-"},
		{"...x", "x"},
		{"a  --  b", "a-b"},
		{"nul.txt", "query-nul.txt"},
		{"COM1", "query-COM1"},
		{"COMA", "COMA"},
		{strings.Repeat("é", 50), strings.Repeat("é", 40)},
	}
	for _, tt := range tests {
		if got := fileBase(tt.name); got != tt.want {
			t.Errorf("fileBase(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestImportReportsBadFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	files := map[string]string{
		"no-header.kql":  "DeviceEvents | take 1",
		"crlf.KQL":       "// Name: Windows\r\n// tags: a,b\r\n\r\nT\r\n",
		"binary.kql":     "\xff\xfe",
		"empty-name.kql": "// name:\n\nT",
		"notes.txt":      "not a query",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.kql"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := openTest(t, Options{})
	n, err := s.ImportSaved(ctx, dir)
	if n != 2 {
		t.Errorf("got %d imported, want 2", n)
	}
	for _, want := range []string{"2 of 4 files failed",
		"binary.kql: not UTF-8", "empty-name.kql: save query: empty name"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got error %v, want it to say %q", err, want)
		}
	}
	tests := []struct {
		name, query string
		tags        []string
	}{
		{"no-header", "DeviceEvents | take 1", nil},
		{"Windows", "T\r\n", []string{"a", "b"}},
	}
	for _, tt := range tests {
		q, err := s.SavedQuery(ctx, tt.name)
		if err != nil || q.Query != tt.query || !slices.Equal(q.Tags, tt.tags) {
			t.Errorf("%s: got %+v, %v; want %q with tags %q",
				tt.name, q, err, tt.query, tt.tags)
		}
	}
}
