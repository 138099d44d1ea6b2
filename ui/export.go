package ui

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/kql/table"
)

// exportedMsg reports a finished export.
type exportedMsg struct {
	path string
	rows int
	err  error
}

// exportCmd writes the shown columns of t, in the shown order, to path
// in the background. The format follows the extension: .csv, .json (one
// array of objects) or .jsonl (an object per line).
func exportCmd(path string, t *table.Table, cols []int) tea.Cmd {
	return func() tea.Msg {
		err := exportFile(path, shown(t, cols))
		return exportedMsg{path: path, rows: t.Rows(), err: err}
	}
}

// shown is t cut to the columns cols, sharing their values.
func shown(t *table.Table, cols []int) *table.Table {
	out := make([]*table.Column, len(cols))
	for i, c := range cols {
		out[i] = t.Columns[c]
	}
	return table.New(out...)
}

// exportFile writes t to path, readable by the user alone: results
// may hold sensitive data.
func exportFile(path string, t *table.Table) (err error) {
	write, err := exporter(path)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(expandHome(path),
		os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export: %w", cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	if err := write(w, t); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// exporter picks the writer for path's extension.
func exporter(path string) (func(io.Writer, *table.Table) error, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		return table.WriteCSV, nil
	case ".json":
		return table.WriteJSON, nil
	case ".jsonl", ".ndjson":
		return table.WriteJSONL, nil
	default:
		return nil, fmt.Errorf("export: unknown format %q in %q "+
			"(want .csv, .json or .jsonl)", ext, path)
	}
}

func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// rowJSON is row r of the columns cols as one JSON object, values
// encoded as the hunting APIs encode them.
func rowJSON(t *table.Table, cols []int, r int) string {
	var b bytes.Buffer
	// Writing to memory cannot fail.
	_ = table.WriteJSONL(&b, shown(t, cols).Gather([]int{r}))
	return strings.TrimSuffix(b.String(), "\n")
}
