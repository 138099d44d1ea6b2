package ui

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
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
		err := exportFile(path, t, cols)
		return exportedMsg{path: path, rows: t.Rows(), err: err}
	}
}

// exportFile writes t to path; see exportCmd.
func exportFile(path string, t *table.Table, cols []int) (err error) {
	path = expandHome(path)
	write, err := exporter(path)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export: %w", cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	if err := write(w, t, cols); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

type writeFunc func(*bufio.Writer, *table.Table, []int) error

func exporter(path string) (writeFunc, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		return writeCSV, nil
	case ".json":
		return writeJSON, nil
	case ".jsonl", ".ndjson":
		return writeJSONL, nil
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

func writeCSV(w *bufio.Writer, t *table.Table, cols []int) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = t.Columns[c].Name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for r := range t.Rows() {
		for i, c := range cols {
			rec[i] = t.Columns[c].Format(r)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w *bufio.Writer, t *table.Table, cols []int) error {
	keys := jsonKeys(t, cols)
	w.WriteByte('[')
	buf := make([]byte, 0, 1024)
	for r := range t.Rows() {
		if r > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n  ")
		buf = appendRowJSON(buf[:0], t, cols, keys, r)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	_, err := w.WriteString("\n]\n")
	return err
}

func writeJSONL(w *bufio.Writer, t *table.Table, cols []int) error {
	keys := jsonKeys(t, cols)
	buf := make([]byte, 0, 1024)
	for r := range t.Rows() {
		buf = appendRowJSON(buf[:0], t, cols, keys, r)
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// jsonKeys quotes each column name once for every row.
func jsonKeys(t *table.Table, cols []int) [][]byte {
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		keys[i], _ = json.Marshal(t.Columns[c].Name)
	}
	return keys
}

// appendRowJSON appends row r as one JSON object of the given columns,
// with values encoded as the hunting APIs encode them.
func appendRowJSON(dst []byte, t *table.Table, cols []int, keys [][]byte,
	r int) []byte {
	dst = append(dst, '{')
	for i, c := range cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, keys[i]...)
		dst = append(dst, ':')
		dst = t.Columns[c].AppendJSON(dst, r)
	}
	return append(dst, '}')
}
