// Package corpus finds the public hunting-query corpus that tests run
// over. The corpus is not part of the repository: it lives in the shared
// folder beside the checkout (../shared/corpus/hunting), or wherever
// AHUNT_SHARED points.
package corpus

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Query is one corpus file.
type Query struct {
	// Name is the path under the corpus folder, such as
	// "bertjanp/Defender__Foo.kql".
	Name string
	// Text is the file's content, unchanged.
	Text string
}

// SharedDir returns the shared folder: $AHUNT_SHARED, else ../shared
// beside the module root found by walking up from the working folder.
func SharedDir() (string, error) {
	if d := os.Getenv("AHUNT_SHARED"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(shared); err != nil {
				return "", fmt.Errorf("corpus: no shared folder at %s "+
					"(set AHUNT_SHARED): %w", shared, err)
			}
			return shared, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("corpus: no go.mod above the " +
				"working folder; set AHUNT_SHARED")
		}
		dir = parent
	}
}

// Dir returns the hunting corpus folder.
func Dir() (string, error) {
	shared, err := SharedDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(shared, "corpus", "hunting"), nil
}

// Load reads every .kql file of the corpus, sorted by name.
func Load() ([]Query, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*.kql"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("corpus: no .kql files under %s", dir)
	}
	sort.Strings(paths)
	qs := make([]Query, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name, _ := filepath.Rel(dir, p)
		qs = append(qs, Query{Name: filepath.ToSlash(name), Text: string(b)})
	}
	return qs, nil
}

// Invalid returns the names of the corpus files that Microsoft's parser
// rejects, from SYNTAX-CHECK.tsv.
func Invalid() (map[string]bool, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, "SYNTAX-CHECK.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bad := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		if first {
			continue // header
		}
		name, _, _ := strings.Cut(sc.Text(), "\t")
		if name != "" {
			bad[name] = true
		}
	}
	return bad, sc.Err()
}

// Valid returns the corpus queries that Microsoft's parser accepts:
// Load without the files SYNTAX-CHECK.tsv lists.
func Valid() ([]Query, error) {
	qs, err := Load()
	if err != nil {
		return nil, err
	}
	bad, err := Invalid()
	if err != nil {
		return nil, err
	}
	valid := qs[:0]
	for _, q := range qs {
		if !bad[q.Name] {
			valid = append(valid, q)
		}
	}
	return valid, nil
}
