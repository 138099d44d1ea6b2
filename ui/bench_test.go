package ui

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/kql/table"
)

// BenchmarkGridFrame draws one full screen with the grid focused on a
// 30-column result; the cost should not grow with the rows.
func BenchmarkGridFrame(b *testing.B) {
	for _, rows := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			env := newTestModel(b, 200, 60)
			env.m.grid.setTable(benchTable(rows, 30))
			env.m.layout()
			env.m.focus = focusGrid
			env.m.grid.moveTo(rows/2, 3)
			// Building the big table leaves garbage; collect it now so
			// the frames are not charged for it.
			runtime.GC()
			b.ReportAllocs()
			for b.Loop() {
				_ = env.m.View()
			}
		})
	}
}

// benchTable has rows rows of cols columns whose cells are all as wide,
// so frames at different row counts draw the same amount of text.
func benchTable(rows, cols int) *table.Table {
	out := make([]*table.Column, cols)
	for c := range cols {
		col := table.NewColumn(fmt.Sprintf("Column%02d", c), table.String,
			rows)
		for r := range rows {
			col.AppendString(fmt.Sprintf("v%07d-%02d", r, c))
		}
		out[c] = col
	}
	return table.New(out...)
}

// BenchmarkEditorKeystroke types one character into a 300-line query
// and draws the frame, as the program does on every key.
func BenchmarkEditorKeystroke(b *testing.B) {
	var q strings.Builder
	for i := range 300 {
		fmt.Fprintf(&q, "| where DeviceName has \"host-%03d\" and "+
			"Timestamp > ago(%dd) // line %d\n", i, i%30, i)
	}
	env := newTestModel(b, 120, 40)
	env.m.ed.setText(q.String())
	env.m.ed.move(150, 10)
	key := tea.KeyPressMsg{Code: 'x', Text: "x"}
	b.ReportAllocs()
	for b.Loop() {
		env.m.Update(key)
		_ = env.m.View()
	}
}

// BenchmarkFirstFrame is the time from New to the first drawn screen.
func BenchmarkFirstFrame(b *testing.B) {
	cfg := newTestModel(b, 80, 24).m.cfg
	cfg.InitialQuery = "DeviceProcessEvents\n| take 10"
	b.ReportAllocs()
	for b.Loop() {
		m := New(cfg)
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = m.View()
	}
}

// BenchmarkDetailMegabyte opens the detail view of a 1 MB cell and draws
// it.
func BenchmarkDetailMegabyte(b *testing.B) {
	big := table.NewColumn("Blob", table.Dynamic, 1)
	var s strings.Builder
	s.WriteByte('[')
	for i := 0; s.Len() < 1<<20; i++ {
		if i > 0 {
			s.WriteByte(',')
		}
		fmt.Fprintf(&s, `{"i":%d,"name":"process-%d.exe"}`, i, i)
	}
	s.WriteByte(']')
	big.AppendString(s.String())
	env := newTestModel(b, 120, 40)
	env.m.grid.setTable(table.New(big))
	env.m.layout()
	b.ReportAllocs()
	for b.Loop() {
		env.m.openDetail()
		_ = env.m.View()
	}
}

// BenchmarkSort100k sorts 100,000 rows of 30 columns by a long column.
func BenchmarkSort100k(b *testing.B) {
	t := wideTable(100_000, 29)
	n := table.NewColumn("N", table.Long, 100_000)
	for i := range 100_000 {
		n.AppendInt(int64((i * 7919) % 100_003))
	}
	t.Columns = append(t.Columns, n)
	b.ReportAllocs()
	for b.Loop() {
		sortTable(t, 29, false)
	}
}

// BenchmarkSearchCount100k counts the matches of a search over 100,000
// rows of 30 columns, the pass behind "match n of m"; it runs in the
// background, after the cursor has moved.
func BenchmarkSearchCount100k(b *testing.B) {
	t := wideTable(100_000, 30)
	cols := make([]int, 30)
	for i := range cols {
		cols[i] = i
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, of := countMatches(ctx, t, cols, "value 7/1", 7, 1); of == 0 {
			b.Fatal("no match counted")
		}
	}
}
