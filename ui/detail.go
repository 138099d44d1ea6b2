package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ahunt/ahunt/kql/table"
	"github.com/mattn/go-runewidth"
)

// detailView shows one cell, or a whole row, in full: JSON pretty-printed
// and long text wrapped. Wrapping is lazy: only the lines scrolled to are
// ever wrapped, so a megabyte cell opens as fast as a short one.
type detailView struct {
	name string
	src  []string // logical lines, before wrapping

	width   int
	wrapped []string
	next    int // the logical line wrapping continues with
	offset  int // byte offset within src[next]
	top     int

	tbl      *table.Table
	row, col int
	wholeRow bool
}

func (m *Model) openDetail() {
	g := m.grid
	if g.empty() || g.tbl.Rows() == 0 {
		return
	}
	m.detail = newDetail(g.tbl, g.row, g.column(), false)
	m.overlay = overlayDetail
}

func newDetail(t *table.Table, row, col int, wholeRow bool) *detailView {
	d := &detailView{tbl: t, row: row, col: col, wholeRow: wholeRow}
	if wholeRow {
		d.name = fmt.Sprintf("Row %s", thousands(row+1))
		d.src = rowLines(t, row)
	} else {
		c := t.Columns[col]
		d.name = fmt.Sprintf("%s (%s), row %s", clean(c.Name), c.Type,
			thousands(row+1))
		d.src = strings.Split(cellDetail(c, row), "\n")
	}
	return d
}

// toggle switches between the cell and its whole row.
func (d *detailView) toggle() *detailView {
	return newDetail(d.tbl, d.row, d.col, !d.wholeRow)
}

// cellDetail is value r of c in full: JSON indented, null said in words.
func cellDetail(c *table.Column, r int) string {
	if c.IsNull(r) {
		return nullMark + " null"
	}
	s := c.Format(r)
	if c.Type == table.Dynamic || strings.HasPrefix(s, "{") ||
		strings.HasPrefix(s, "[") {
		var b bytes.Buffer
		if json.Indent(&b, []byte(s), "", "  ") == nil {
			return b.String()
		}
	}
	if s == "" {
		return "(empty string)"
	}
	return s
}

// rowLines lists every column of row r as a name line and its value
// indented below.
func rowLines(t *table.Table, r int) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, fmt.Sprintf("%s (%s)", c.Name, c.Type))
		for _, l := range strings.Split(cellDetail(c, r), "\n") {
			out = append(out, "  "+l)
		}
	}
	return out
}

func (d *detailView) title() string { return d.name }

// ensure wraps logical lines until n display lines exist or the text
// ends.
func (d *detailView) ensure(n, width int) {
	width = max(width, 1)
	if width != d.width {
		d.width, d.wrapped, d.next, d.offset = width, nil, 0, 0
	}
	for len(d.wrapped) < n && d.next < len(d.src) {
		line := d.src[d.next]
		if d.offset >= len(line) {
			if d.offset == 0 {
				d.wrapped = append(d.wrapped, "")
			}
			d.next, d.offset = d.next+1, 0
			continue
		}
		end := cutWidth(line, d.offset, width)
		piece := line[d.offset:end]
		if end < len(line) {
			piece = strings.TrimRight(piece, " ") // the break
		}
		d.wrapped = append(d.wrapped, clean(piece))
		d.offset = end
	}
}

// cutWidth returns where the display line that starts at start in s
// ends: after the last space that fits in width columns, so words stay
// whole, or where the width runs out when no space does (at least one
// rune).
func cutWidth(s string, start, width int) int {
	w, i, space := 0, start, -1
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		rw := runewidth.RuneWidth(r)
		if r < 0x20 {
			rw = 1 // drawn as one symbol by clean
		}
		if w+rw > width && i > start {
			if r == ' ' {
				return i + size // the space ends the line unseen
			}
			if space > start {
				return space
			}
			return i
		}
		if r == ' ' {
			space = i + size
		}
		w += rw
		i += size
	}
	return i
}

func (d *detailView) done() bool { return d.next >= len(d.src) }

// scroll moves the view by n lines; it cannot pass the end.
func (d *detailView) scroll(n int) {
	d.top = max(d.top+n, 0)
}

// toEnd wraps the rest of the text and shows its last page.
func (d *detailView) toEnd(h int) {
	for !d.done() {
		d.ensure(len(d.wrapped)+4096, d.width)
	}
	d.top = max(len(d.wrapped)-h, 0)
}

// view returns the h lines from the top, wrapped to w.
func (d *detailView) view(w, h int) []string {
	d.ensure(d.top+h+1, w)
	if last := len(d.wrapped) - h; d.done() && d.top > last {
		d.top = max(last, 0)
	}
	end := min(d.top+h, len(d.wrapped))
	return d.wrapped[d.top:end]
}

// position is "lines 1-20 of 340", with a "+" while the text is not yet
// wrapped to its end.
func (d *detailView) position(h int) string {
	n := len(d.wrapped)
	last := min(d.top+h, n)
	more := ""
	if !d.done() {
		more = "+"
	}
	return fmt.Sprintf("lines %s-%s of %s%s", thousands(d.top+1),
		thousands(last), thousands(n), more)
}
