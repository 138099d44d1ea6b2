package ui

import (
	"cmp"
	"context"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/kql/table"
)

// sortedMsg carries a sorted copy of the grid's table.
type sortedMsg struct {
	seq  int
	tbl  *table.Table
	col  int
	desc bool
}

// sortCmd sorts t by column col in the background: 100,000 rows take
// long enough that the UI must not wait for them.
func sortCmd(seq int, t *table.Table, col int, desc bool) tea.Cmd {
	return func() tea.Msg {
		return sortedMsg{seq: seq, tbl: sortTable(t, col, desc),
			col: col, desc: desc}
	}
}

// sortTable returns t ordered by column col, comparing values by their
// type (numbers as numbers, datetimes as instants), nulls first when
// ascending. The sort is stable.
func sortTable(t *table.Table, col int, desc bool) *table.Table {
	c := t.Columns[col]
	rows := make([]int, t.Rows())
	for i := range rows {
		rows[i] = i
	}
	less := compareRows(c)
	slices.SortStableFunc(rows, func(a, b int) int {
		if desc {
			return less(b, a)
		}
		return less(a, b)
	})
	return t.Gather(rows)
}

// compareRows orders two rows of c by value, nulls before everything.
func compareRows(c *table.Column) func(a, b int) int {
	var byValue func(a, b int) int
	switch {
	case c.Type == table.Real || c.Type == table.Decimal:
		byValue = func(a, b int) int {
			return cmp.Compare(c.Real(a), c.Real(b))
		}
	case c.Type == table.String || c.Type == table.GUID ||
		c.Type == table.Dynamic || c.Type == table.Invalid:
		byValue = func(a, b int) int {
			return strings.Compare(c.Str(a), c.Str(b))
		}
	default:
		byValue = func(a, b int) int { return cmp.Compare(c.Int(a), c.Int(b)) }
	}
	return func(a, b int) int {
		na, nb := c.IsNull(a), c.IsNull(b)
		switch {
		case na && nb:
			return 0
		case na:
			return -1
		case nb:
			return 1
		}
		return byValue(a, b)
	}
}

// searchedMsg is where a search found its text; found is false when no
// cell holds it.
type searchedMsg struct {
	seq      int
	row, col int
	found    bool
	nth, of  int // the match's place among all matches, 1-based
}

// searchCmd looks for needle, ignoring case, in the shown cells of t,
// starting after (row, col) and wrapping around; back searches upwards.
// cols are the table indexes of the visible columns, in order.
func searchCmd(ctx context.Context, seq int, t *table.Table, cols []int,
	needle string, row, col int, back bool) tea.Cmd {
	return func() tea.Msg {
		needle := strings.ToLower(needle)
		r, c, ok := searchTable(ctx, t, cols, needle, row, col, back)
		msg := searchedMsg{seq: seq, row: r, col: c, found: ok}
		if ok {
			msg.nth, msg.of = countMatches(ctx, t, cols, needle, r, c)
		}
		return msg
	}
}

// countMatches counts the cells of t holding needle (lower case), in
// row order, and returns the place of the one at (row, col) among them.
func countMatches(ctx context.Context, t *table.Table, cols []int,
	needle string, row, col int) (nth, of int) {
	for r := range t.Rows() {
		if r%4096 == 0 && ctx.Err() != nil {
			return 0, 0
		}
		for c, ci := range cols {
			column := t.Columns[ci]
			if column.IsNull(r) || !containsFold(column.Format(r),
				needle) {
				continue
			}
			of++
			if r == row && c == col {
				nth = of
			}
		}
	}
	return nth, of
}

func searchTable(ctx context.Context, t *table.Table, cols []int,
	needle string, row, col int, back bool) (int, int, bool) {
	n, nc := t.Rows(), len(cols)
	total := n * nc
	if total == 0 || needle == "" {
		return 0, 0, false
	}
	step := 1
	if back {
		step = -1
	}
	pos := row*nc + col
	for i := 1; i <= total; i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return 0, 0, false
		}
		p := ((pos+i*step)%total + total) % total
		r, c := p/nc, p%nc
		column := t.Columns[cols[c]]
		if column.IsNull(r) {
			continue
		}
		if containsFold(column.Format(r), needle) {
			return r, c, true
		}
	}
	return 0, 0, false
}

// containsFold reports whether s holds needle (already lower case),
// ignoring case.
func containsFold(s, needle string) bool {
	if len(s) < len(needle) {
		return false
	}
	return strings.Contains(strings.ToLower(s), needle)
}
