package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A saved query file is its header of "// key: value" lines, a blank
// line and the query text exactly as saved:
//
//	// name: Encoded PowerShell
//	// description: Hosts running base64 commands
//	// tags: execution, powershell
//
//	DeviceProcessEvents
//	| where ProcessCommandLine has "-enc"
//
// A description of several lines takes one description line each.
// Import accepts the keys in any order and letter case; a file without a
// name line takes its name from the file name.

const (
	fileExt = ".kql"
	// maxFileBytes bounds one imported file.
	maxFileBytes = 1 << 20
	// maxBaseLen bounds a file name made from a query name, in bytes.
	maxBaseLen = 80
)

// ExportSaved writes every saved query to dir, one .kql file each, and
// returns how many it wrote. File names are made from the query names
// with anything but letters, digits, "_" and "." replaced by "-", so a
// name cannot reach outside dir; existing files of the same name are
// replaced, and a symbolic link is replaced, not written through.
func (s *Store) ExportSaved(ctx context.Context, dir string) (int, error) {
	qs, err := s.SavedQueries(ctx, "")
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	used := map[string]bool{}
	for i, q := range qs {
		name := uniqueBase(fileBase(q.Name), used) + fileExt
		if err := writeFile(dir, name, formatFile(q)); err != nil {
			return i, fmt.Errorf("export %q: %w", q.Name, err)
		}
	}
	return len(qs), nil
}

// writeFile writes data to a new file in dir and renames it to name, so
// that a reader never sees half a file and a symbolic link called name is
// replaced rather than followed.
func writeFile(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, ".export-*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func formatFile(q SavedQuery) []byte {
	var b strings.Builder
	b.WriteString("// name: " + q.Name + "\n")
	if q.Description != "" {
		for line := range strings.SplitSeq(q.Description, "\n") {
			b.WriteString("// description: " + line + "\n")
		}
	}
	if len(q.Tags) > 0 {
		b.WriteString("// tags: " + strings.Join(q.Tags, ", ") + "\n")
	}
	b.WriteString("\n")
	b.WriteString(q.Query)
	return []byte(b.String())
}

// fileBase makes a file name without extension from a query name:
// letters, digits, "_" and "." kept, runs of anything else turned into
// one "-", no leading dot.
func fileBase(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' ||
			r == '.' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	base := strings.Trim(b.String(), "-.")
	for len(base) > maxBaseLen {
		_, size := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-size]
	}
	if base == "" || reservedOnWindows(base) {
		base = "query-" + base
	}
	return base
}

// reservedOnWindows reports names Windows will not create, so that an
// exported folder can be checked out there too.
func reservedOnWindows(base string) bool {
	stem, _, _ := strings.Cut(strings.ToUpper(base), ".")
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(stem) == 4 && (strings.HasPrefix(stem, "COM") ||
		strings.HasPrefix(stem, "LPT")) && stem[3] >= '1' && stem[3] <= '9'
}

// uniqueBase returns base, or base with a number added, unused so far
// in any letter case (macOS and Windows ignore it).
func uniqueBase(base string, used map[string]bool) string {
	name := base
	for i := 2; used[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	used[strings.ToLower(name)] = true
	return name
}

// ImportSaved saves every .kql file in dir (not its subfolders) as a
// saved query, replacing those of the same name, and returns how many it
// imported. Files it could not read or parse are named in the error,
// after the others are imported.
func (s *Store) ImportSaved(ctx context.Context, dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	n := 0
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), fileExt) {
			continue
		}
		err := s.importFile(ctx, filepath.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.Name(), err))
			continue
		}
		n++
	}
	if len(errs) > 0 {
		return n, fmt.Errorf("import %s: %d of %d files failed: %w",
			dir, len(errs), n+len(errs), errors.Join(errs...))
	}
	return n, nil
}

func (s *Store) importFile(ctx context.Context, path string) error {
	q, err := readFile(path)
	if err != nil {
		return err
	}
	return s.SaveQuery(ctx, q)
}

func readFile(path string) (SavedQuery, error) {
	info, err := os.Stat(path)
	if err != nil {
		return SavedQuery{}, err
	}
	if info.Size() > maxFileBytes {
		return SavedQuery{}, fmt.Errorf("%d bytes, over the limit of %d",
			info.Size(), maxFileBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return SavedQuery{}, err
	}
	if !utf8.Valid(data) {
		return SavedQuery{}, errors.New("not UTF-8 text")
	}
	q, ok := parseFile(string(data))
	if !ok {
		q.Name = strings.TrimSuffix(filepath.Base(path),
			filepath.Ext(path))
	}
	return q, nil
}

// parseFile reads a saved query file; named is false when it has no
// name line.
func parseFile(text string) (q SavedQuery, named bool) {
	var desc []string
	header := false
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		key, val, ok := headerLine(strings.TrimSuffix(line, "\r"))
		if !ok {
			break
		}
		switch key {
		case "name":
			q.Name, named = val, true
		case "description":
			desc = append(desc, val)
		case "tags":
			q.Tags = splitTags(val)
		}
		header, text = true, rest
	}
	if header {
		text = strings.TrimPrefix(strings.TrimPrefix(text, "\r\n"), "\n")
	}
	q.Description = strings.Join(desc, "\n")
	q.Query = text
	return q, named
}

// headerLine splits "// key: value" for the keys a file header has,
// removing the one space after the colon.
func headerLine(line string) (key, val string, ok bool) {
	rest, ok := strings.CutPrefix(line, "//")
	if !ok {
		return "", "", false
	}
	key, val, ok = strings.Cut(strings.TrimLeft(rest, " \t"), ":")
	key = strings.ToLower(key)
	if !ok || (key != "name" && key != "description" && key != "tags") {
		return "", "", false
	}
	return key, strings.TrimPrefix(val, " "), true
}

func splitTags(s string) []string {
	var tags []string
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}
