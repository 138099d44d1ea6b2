package table

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// WriteCSV writes t as RFC 4180 CSV with a header row: fields quoted when
// they hold a comma, quote or line break, CRLF line ends, the way
// spreadsheet tools read it. Nulls are empty fields; datetimes are ISO
// 8601; dynamic values are their JSON text.
func WriteCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for r := 0; r < t.Rows(); r++ {
		for i, c := range t.Columns {
			rec[i] = c.Format(r)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes t as one JSON array of row objects keyed by column
// name, in column order, with values encoded as AppendJSON does.
func WriteJSON(w io.Writer, t *Table) error {
	return writeRows(w, t, "[\n", ",\n", "\n]\n", "[]\n")
}

// WriteJSONL writes t as one JSON object per line (JSON Lines).
func WriteJSONL(w io.Writer, t *Table) error {
	return writeRows(w, t, "", "\n", "\n", "")
}

func writeRows(w io.Writer, t *Table, open, sep, close, empty string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if t.Rows() == 0 {
		bw.WriteString(empty)
		return bw.Flush()
	}
	keys := make([][]byte, len(t.Columns))
	for i, c := range t.Columns {
		keys[i], _ = jsontext.AppendQuote(nil, c.Name)
	}
	bw.WriteString(open)
	var buf []byte
	for r := 0; r < t.Rows(); r++ {
		if r > 0 {
			bw.WriteString(sep)
		}
		buf = append(buf[:0], '{')
		for i, c := range t.Columns {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, keys[i]...)
			buf = append(buf, ':')
			buf = c.AppendJSON(buf, r)
		}
		buf = append(buf, '}')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	bw.WriteString(close)
	return bw.Flush()
}

// WriteText writes t as an aligned text table for a terminal: a header,
// a rule, and one line per row. Cells wider than maxWidth characters are
// cut with "…"; line breaks and tabs in cells are shown as spaces. Numbers
// are right-aligned; nulls are blank.
func WriteText(w io.Writer, t *Table, maxWidth int) error {
	if maxWidth < 1 {
		maxWidth = 1
	}
	cells := make([][]string, len(t.Columns))
	widths := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		cells[i] = make([]string, t.Rows())
		widths[i] = utf8.RuneCountInString(c.Name)
		for r := range cells[i] {
			s := fitCell(c.Format(r), maxWidth)
			cells[i][r] = s
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
		widths[i] = min(widths[i], max(maxWidth, 1))
	}
	bw := bufio.NewWriter(w)
	var line strings.Builder
	emit := func(col int, s string, right bool) {
		if col > 0 {
			line.WriteString("  ")
		}
		pad := strings.Repeat(" ", widths[col]-utf8.RuneCountInString(s))
		if right {
			line.WriteString(pad)
			line.WriteString(s)
		} else {
			line.WriteString(s)
			if col < len(t.Columns)-1 {
				line.WriteString(pad)
			}
		}
	}
	flush := func() {
		bw.WriteString(strings.TrimRight(line.String(), " "))
		bw.WriteByte('\n')
		line.Reset()
	}
	for i, c := range t.Columns {
		emit(i, fitCell(c.Name, maxWidth), c.Type.Numeric())
	}
	flush()
	for i := range t.Columns {
		emit(i, strings.Repeat("-", widths[i]), false)
	}
	flush()
	for r := 0; r < t.Rows(); r++ {
		for i, c := range t.Columns {
			emit(i, cells[i][r], c.Type.Numeric())
		}
		flush()
	}
	return bw.Flush()
}

// fitCell makes s one line of at most width characters that is safe to
// print on a terminal: line breaks and tabs become spaces, and every
// other control character becomes U+FFFD, so that data (an attacker's
// command line, say) cannot send escape sequences to the terminal.
func fitCell(s string, width int) string {
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ",
			"\t", " ").Replace(s)
	}
	s = Printable(s)
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	rs := []rune(s)
	return string(rs[:width-1]) + "…"
}

// Printable returns s with every control character (C0, DEL and C1,
// including ESC and BEL) replaced by U+FFFD, for text shown on a
// terminal. Invalid UTF-8 is replaced too.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
