package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/kql/table"
	"github.com/charmbracelet/x/ansi"
)

const (
	maxColumnWidth = 40  // cap on a fitted column width
	minColumnWidth = 3   // narrowest a column is drawn
	widthSample    = 500 // rows looked at to fit widths
	// maxNaturalWidth caps how wide the last column grows into free
	// space, and so how much of a long cell is measured.
	maxNaturalWidth = 400
	nullMark        = "∅"
)

// grid is the result grid. It draws only the cells that are visible, so
// a frame costs the same at 100 rows and at 100,000. Rows are shown a
// page at a time: the page is the rows that fit, and the cursor's page is
// the one drawn.
type grid struct {
	base    *table.Table // as received
	tbl     *table.Table // as shown: base, or base sorted
	widths  []int        // per column: fitted, at most maxColumnWidth
	natural []int        // per column: as wide as the widest value seen
	fracs   []bool       // per datetime column: show 7 fraction digits
	fitTop  int          // first row of the page last fitted; -1 none
	hidden  []bool

	sortCol  int // -1 when unsorted
	sortDesc bool
	sorting  bool
	seq      int // tags sort and search commands; stale answers drop

	row, col int // cursor: a row of tbl, an index into visible()
	left     int // first scrolled column, an index into visible()
	w, h     int

	search    string
	searching bool
}

func newGrid() *grid { return &grid{sortCol: -1, fitTop: -1} }

// setTable shows t from its first cell, with widths fitted to a sample
// and to the first page.
func (g *grid) setTable(t *table.Table) {
	*g = grid{base: t, tbl: t, sortCol: -1, fitTop: -1, w: g.w, h: g.h,
		seq: g.seq + 1}
	if t == nil {
		return
	}
	g.hidden = make([]bool, len(t.Columns))
	g.fracs = fractionColumns(t)
	g.natural = make([]int, len(t.Columns))
	g.widths = make([]int, len(t.Columns))
	for i, c := range t.Columns {
		g.natural[i] = max(width(clean(c.Name)), len(c.Type.String()),
			minColumnWidth)
	}
	g.fitRows(sampleRows(t.Rows()))
	g.fitPage()
}

// sampleRows are the rows that widths are first fitted to: up to
// widthSample spread over the table, the last row included.
func sampleRows(n int) []int {
	step := max(n/widthSample, 1)
	rows := make([]int, 0, widthSample+2)
	for r := 0; r < n; r += step {
		rows = append(rows, r)
	}
	if n > 0 && rows[len(rows)-1] != n-1 {
		rows = append(rows, n-1)
	}
	return rows
}

// fitRows widens the columns to the values of rows. Widths only grow,
// so paging never makes the columns jump narrower.
func (g *grid) fitRows(rows []int) {
	for i := range g.tbl.Columns {
		w := g.natural[i]
		for _, r := range rows {
			if w >= maxNaturalWidth {
				break
			}
			w = max(w, width(g.cellText(i, r, maxNaturalWidth)))
		}
		g.natural[i] = min(w, maxNaturalWidth)
		g.widths[i] = min(g.natural[i], maxColumnWidth)
	}
}

// fitPage fits the widths to the cursor's page too, so a value wider
// than any in the sample is not cut short when its page shows.
func (g *grid) fitPage() {
	if g.empty() || g.top() == g.fitTop {
		return
	}
	g.fitTop = g.top()
	last := min(g.fitTop+g.pageSize(), g.tbl.Rows())
	rows := make([]int, 0, last-g.fitTop)
	for r := g.fitTop; r < last; r++ {
		rows = append(rows, r)
	}
	g.fitRows(rows)
}

// fractionColumns marks the datetime columns where a sampled value has
// a fraction of a second: they show seven digits throughout, so the
// values line up.
func fractionColumns(t *table.Table) []bool {
	out := make([]bool, len(t.Columns))
	rows := sampleRows(t.Rows())
	for i, c := range t.Columns {
		if c.Type != table.DateTime {
			continue
		}
		for _, r := range rows {
			if !c.IsNull(r) && c.Int(r)%table.TicksPerSecond != 0 {
				out[i] = true
				break
			}
		}
	}
	return out
}

// cellText is value r of column i as drawn in a cell of width w.
func (g *grid) cellText(i, r, w int) string {
	c := g.tbl.Columns[i]
	if c.IsNull(r) {
		return nullMark
	}
	if g.fracs[i] {
		return table.TicksToTime(c.Int(r)).UTC().
			Format("2006-01-02T15:04:05.0000000Z")
	}
	return cellText(c, r, w)
}

// cellText is value r of c as drawn in a cell of width w: cut early so a
// megabyte cell costs no more than a short one, then made safe to draw.
func cellText(c *table.Column, r, w int) string {
	s := c.Format(r)
	if limit := 4*w + 4; len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return clean(s)
}

func (g *grid) empty() bool { return g.tbl == nil || len(g.tbl.Columns) == 0 }

// visible returns the indexes of the columns not hidden, in order.
func (g *grid) visible() []int {
	if g.tbl == nil {
		return nil
	}
	out := make([]int, 0, len(g.tbl.Columns))
	for i := range g.tbl.Columns {
		if !g.hidden[i] {
			out = append(out, i)
		}
	}
	return out
}

// column returns the table index of the cursor's column.
func (g *grid) column() int { return g.visible()[g.col] }

func (g *grid) setSize(w, h int) {
	g.w, g.h = max(w, 1), max(h, 1)
	g.fitTop = -1 // the page changed size
	g.fitPage()
	g.clampColumns()
}

// headerLines is 2 (names and types) when there is room, else 1.
func (g *grid) headerLines() int {
	if g.h >= 6 {
		return 2
	}
	return 1
}

// pageSize is how many rows fit below the header.
func (g *grid) pageSize() int { return max(g.h-g.headerLines(), 1) }

func (g *grid) top() int { return g.row / g.pageSize() * g.pageSize() }

// pages returns the cursor's page and the number of pages, 1-based.
func (g *grid) pages() (page, of int) {
	ps := g.pageSize()
	n := g.tbl.Rows()
	return g.row/ps + 1, max((n+ps-1)/ps, 1)
}

// moveTo puts the cursor on row and visible column col, clamped.
func (g *grid) moveTo(row, col int) {
	if g.empty() {
		return
	}
	g.row = min(max(row, 0), max(g.tbl.Rows()-1, 0))
	g.col = min(max(col, 0), len(g.visible())-1)
	g.fitPage()
	g.clampColumns()
}

// clampColumns scrolls sideways so the cursor's column is drawn; the
// first visible column is frozen at the left.
func (g *grid) clampColumns() {
	if g.empty() {
		return
	}
	vis := g.visible()
	g.col = min(g.col, len(vis)-1)
	g.left = min(max(g.left, 1), max(len(vis)-1, 1))
	if g.col == 0 {
		return
	}
	if g.col < g.left {
		g.left = g.col
	}
	for g.left < g.col && !g.fits(vis, g.left, g.col) {
		g.left++
	}
}

// frozenWidth is the drawn width of the frozen first column: at most a
// third of the grid when other columns follow, so they still show.
func (g *grid) frozenWidth(vis []int) int {
	w := min(g.widths[vis[0]], g.w)
	if len(vis) > 1 {
		w = min(w, max(g.w/3, minColumnWidth))
	}
	return w
}

// fits reports whether the frozen column and columns from..to fit.
func (g *grid) fits(vis []int, from, to int) bool {
	used := g.frozenWidth(vis) + 3
	for i := from; i <= to; i++ {
		used += g.widths[vis[i]] + 1
	}
	return used <= g.w
}

// handleKey moves the cursor, hides and shows columns, and returns the
// actions that need the root model (sort, search, detail, copy, export);
// actNone for everything else.
func (g *grid) handleKey(msg tea.KeyPressMsg, k GridKeys) gridAction {
	if g.empty() {
		return actNone
	}
	ps := g.pageSize()
	switch {
	case key.Matches(msg, k.Up):
		g.moveTo(g.row-1, g.col)
	case key.Matches(msg, k.Down):
		g.moveTo(g.row+1, g.col)
	case key.Matches(msg, k.Left):
		g.moveTo(g.row, g.col-1)
	case key.Matches(msg, k.Right):
		g.moveTo(g.row, g.col+1)
	case key.Matches(msg, k.PageUp):
		g.moveTo(g.top()-ps, g.col)
	case key.Matches(msg, k.PageDown):
		g.moveTo(g.top()+ps, g.col)
	case key.Matches(msg, k.FirstPage):
		g.moveTo(0, g.col)
	case key.Matches(msg, k.LastPage):
		g.moveTo(g.tbl.Rows()-1, g.col)
	case key.Matches(msg, k.FirstColumn):
		g.moveTo(g.row, 0)
	case key.Matches(msg, k.LastColumn):
		g.moveTo(g.row, len(g.visible())-1)
	case key.Matches(msg, k.HideColumn):
		g.hideColumn()
	case key.Matches(msg, k.ShowColumns):
		clear(g.hidden)
		g.moveTo(g.row, g.col)
	case key.Matches(msg, k.Sort):
		return actSort
	case key.Matches(msg, k.Search):
		return actSearch
	case key.Matches(msg, k.SearchNext):
		return actSearchNext
	case key.Matches(msg, k.SearchPrev):
		return actSearchPrev
	case key.Matches(msg, k.Detail):
		return actDetail
	case key.Matches(msg, k.CopyCell):
		return actCopyCell
	case key.Matches(msg, k.CopyRow):
		return actCopyRow
	case key.Matches(msg, k.Export):
		return actExport
	}
	return actNone
}

// gridAction is a grid key that the root model carries out.
type gridAction uint8

const (
	actNone gridAction = iota
	actSort
	actSearch
	actSearchNext
	actSearchPrev
	actDetail
	actCopyCell
	actCopyRow
	actExport
)

// hideColumn hides the cursor's column, keeping at least one shown.
func (g *grid) hideColumn() {
	vis := g.visible()
	if len(vis) <= 1 {
		return
	}
	g.hidden[vis[g.col]] = true
	g.moveTo(g.row, g.col)
}

// click puts the cursor on the cell at x, y of the grid area; the header
// lines select only the column.
func (g *grid) click(x, y int) {
	if g.empty() {
		return
	}
	row := g.row
	if y >= g.headerLines() {
		row = g.top() + y - g.headerLines()
		if row >= g.tbl.Rows() {
			return
		}
	}
	col, left := g.col, 0
	cols := g.drawnColumns(g.visible())
	for i, dc := range cols {
		right := left + dc.width + width(separator(i, len(cols)))
		if x >= left && x < right {
			col = dc.vis
			break
		}
		left = right
	}
	g.moveTo(row, col)
}

// scrollRows moves the cursor by n rows, for the mouse wheel.
func (g *grid) scrollRows(n int) { g.moveTo(g.row+n, g.col) }

// pager describes the page, as in "rows 51-100 of 100,000 · page 2 of
// 2,000".
func (g *grid) pager() string {
	if g.empty() {
		return ""
	}
	n := g.tbl.Rows()
	if n == 0 {
		return "no rows"
	}
	top := g.top()
	last := min(top+g.pageSize(), n)
	page, of := g.pages()
	s := fmt.Sprintf("rows %s-%s of %s · page %s of %s",
		thousands(top+1), thousands(last), thousands(n),
		thousands(page), thousands(of))
	if g.sortCol >= 0 {
		s += " · by " + clean(g.tbl.Columns[g.sortCol].Name) + " " +
			g.arrow()
	}
	if n := len(g.tbl.Columns) - len(g.visible()); n > 0 {
		s += fmt.Sprintf(" · %d hidden", n)
	}
	if g.sorting {
		s += " · sorting…"
	}
	if g.searching {
		s += " · searching…"
	}
	return s
}

// arrow shows the sort direction.
func (g *grid) arrow() string {
	if g.sortDesc {
		return "↓"
	}
	return "↑"
}

// view draws the header and the cursor's page: only the visible columns
// of the visible rows are formatted.
func (g *grid) view(st *Styles, focused bool) []string {
	if g.empty() {
		return nil
	}
	vis := g.visible()
	cols := g.drawnColumns(vis)
	out := make([]string, 0, g.h)
	out = append(out, g.headerRow(st, cols, true))
	if g.headerLines() == 2 {
		out = append(out, g.headerRow(st, cols, false))
	}
	needle := strings.ToLower(g.search)
	top := g.top()
	for r := top; r < top+g.pageSize() && r < g.tbl.Rows(); r++ {
		out = append(out, g.dataRow(st, cols, r, focused, needle))
	}
	return out
}

// drawnColumn is a column on screen: its visible index and width.
type drawnColumn struct {
	vis, idx, width int
}

// drawnColumns lists the frozen column and the scrolled ones that fit;
// the last is cut to the space left.
func (g *grid) drawnColumns(vis []int) []drawnColumn {
	w0 := g.frozenWidth(vis)
	cols := []drawnColumn{{0, vis[0], w0}}
	used := w0 + 3
	for i := g.left; i < len(vis) && used < g.w; i++ {
		w := min(g.widths[vis[i]], g.w-used)
		cols = append(cols, drawnColumn{i, vis[i], w})
		used += w + 1
	}
	// The last column grows into the space no column is left to use,
	// up to its widest value seen.
	last := &cols[len(cols)-1]
	free := g.w - used + 1
	if len(cols) == 1 {
		free = g.w - w0
	}
	if free > 0 {
		last.width = min(g.natural[last.idx], last.width+free)
	}
	return cols
}

// headerRow draws the column names, or with names false their types.
func (g *grid) headerRow(st *Styles, cols []drawnColumn, names bool) string {
	style := st.HeaderType
	if names {
		style = st.Header
	}
	var b strings.Builder
	for i, dc := range cols {
		c := g.tbl.Columns[dc.idx]
		cell := c.Type.String()
		if names {
			cell = clean(c.Name)
			if dc.idx == g.sortCol {
				cell = ansi.Truncate(cell, dc.width-1, "…") + g.arrow()
			}
		}
		if c.Type.Numeric() {
			cell = fitRight(cell, dc.width)
		} else {
			cell = fit(cell, dc.width)
		}
		b.WriteString(style.Render(cell))
		b.WriteString(separator(i, len(cols)))
	}
	return b.String()
}

// separator follows drawn column i of n: a rule after the frozen
// column, a space between others, nothing after the last.
func separator(i, n int) string {
	switch {
	case i == n-1:
		return ""
	case i == 0:
		return " │ "
	}
	return " "
}

// dataRow draws row r; cells whose shown text holds needle (lower case,
// empty for none) are marked.
func (g *grid) dataRow(st *Styles, cols []drawnColumn, r int,
	focused bool, needle string) string {
	var b strings.Builder
	for i, dc := range cols {
		cell := g.cell(st, dc.idx, r, dc.width, needle)
		if r == g.row {
			if dc.vis == g.col && focused {
				cell = st.CellCursor.Render(ansi.Strip(cell))
			} else {
				cell = st.RowCursor.Render(cell)
			}
		}
		b.WriteString(cell)
		b.WriteString(separator(i, len(cols)))
	}
	return b.String()
}

// cell draws value r of c in width columns: nulls marked, numbers to the
// right, search matches styled.
func (g *grid) cell(st *Styles, i, r, width int, needle string) string {
	c := g.tbl.Columns[i]
	if c.IsNull(r) {
		if c.Type.Numeric() {
			return st.Null.Render(fitRight(nullMark, width))
		}
		return st.Null.Render(fit(nullMark, width))
	}
	text := g.cellText(i, r, width)
	cell := fit(text, width)
	if c.Type.Numeric() {
		cell = fitRight(text, width)
	}
	if needle != "" && containsFold(text, needle) {
		cell = st.Match.Render(cell)
	}
	return cell
}

// page is the cursor's page, 1-based.
func (g *grid) page() int {
	p, _ := g.pages()
	return p
}
