package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/kql/table"
)

// gridEnv is a model showing t with the grid focused.
func gridEnv(t *testing.T, tbl *table.Table, w, h int) *testEnv {
	t.Helper()
	env := newTestModel(t, w, h)
	env.m.Update(queryFinishedMsg{}) // no run: dropped
	env.m.grid.setTable(tbl)
	env.m.layout()
	env.m.focus = focusGrid
	return env
}

func TestGridPaging(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{"first", nil, "rows 1-50 of 100,000 · page 1 of 2,000"},
		{"next page", []string{"pgdown"},
			"rows 51-100 of 100,000 · page 2 of 2,000"},
		{"back", []string{"pgdown", "pgdown", "pgup"},
			"rows 51-100 of 100,000 · page 2 of 2,000"},
		{"last", []string{"end"},
			"rows 99,951-100,000 of 100,000 · page 2,000 of 2,000"},
		{"first again", []string{"G", "g"},
			"rows 1-50 of 100,000 · page 1 of 2,000"},
		{"down past the page", repeat("j", 50),
			"rows 51-100 of 100,000 · page 2 of 2,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 50 rows fit: 60 lines minus 3 for the editor and 7 for
			// the titles, header, status, meter and footer.
			env := gridEnv(t, wideTable(100_000, 3), 80, 60)
			env.m.edRows = 3
			env.m.layout()
			if ps := env.m.grid.pageSize(); ps != 50 {
				t.Fatalf("page size: got %d, want 50", ps)
			}
			env.press(t, tt.keys...)
			if got := env.m.grid.pager(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func repeat(k string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = k
	}
	return out
}

func TestSortByType(t *testing.T) {
	num := table.NewColumn("N", table.Long, 4)
	for _, v := range []int64{10, 9, 100} {
		num.AppendInt(v)
	}
	num.AppendNull()
	txt := table.NewColumn("S", table.String, 4)
	for _, v := range []string{"b", "a", "c", "d"} {
		txt.AppendString(v)
	}
	tbl := table.New(num, txt)
	tests := []struct {
		name  string
		keys  []string
		want  []string // column N from the top
		label string
	}{
		{"ascending numbers, null first", []string{"s"},
			[]string{"", "9", "10", "100"}, "by N ↑"},
		{"descending", []string{"s", "s"},
			[]string{"100", "10", "9", ""}, "by N ↓"},
		{"back to received order", []string{"s", "s", "s"},
			[]string{"10", "9", "100", ""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := gridEnv(t, tbl, 80, 24)
			env.press(t, tt.keys...)
			c := env.m.grid.tbl.Columns[0]
			for i, want := range tt.want {
				if got := c.Format(i); got != want {
					t.Errorf("row %d: got %q, want %q", i, got, want)
				}
			}
			if got := env.m.grid.pager(); !strings.HasSuffix(got,
				tt.label) {
				t.Errorf("pager: got %q, want it to end %q", got, tt.label)
			}
		})
	}
}

func TestStaleSortIsDropped(t *testing.T) {
	env := gridEnv(t, sampleTable(5), 80, 24)
	g := env.m.grid
	cmd := env.m.startSort()
	env.m.grid.setTable(sampleTable(2)) // a new result arrives
	drain(env.m, cmd)
	if g.tbl.Rows() != 2 || g.sortCol != -1 {
		t.Errorf("a sort of the old result was applied")
	}
}

func TestHideAndShowColumns(t *testing.T) {
	env := gridEnv(t, sampleTable(3), 120, 24)
	env.press(t, "l", "-")
	if strings.Contains(env.screen(), "DeviceName") {
		t.Errorf("hidden column still drawn:\n%s", env.screen())
	}
	if !strings.HasSuffix(env.m.grid.pager(), " · 1 hidden") {
		t.Errorf("pager: got %q, want it to count the hidden column",
			env.m.grid.pager())
	}
	if got := env.m.grid.tbl.Columns[env.m.grid.column()].Name; got !=
		"ProcessId" {
		t.Errorf("cursor column: got %s, want ProcessId", got)
	}
	env.press(t, "-", "-", "-", "-", "-")
	if got := len(env.m.grid.visible()); got != 1 {
		t.Errorf("visible columns: got %d, want 1 (the last stays)", got)
	}
	env.press(t, "+")
	if got := len(env.m.grid.visible()); got != 5 {
		t.Errorf("visible columns after show all: got %d, want 5", got)
	}
}

func TestFrozenFirstColumn(t *testing.T) {
	env := gridEnv(t, wideTable(3, 30), 60, 20)
	env.press(t, "$")
	screen := env.screen()
	for _, want := range []string{"Column00", "Column29"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %s:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "Column01") {
		t.Errorf("scrolled-away column still drawn:\n%s", screen)
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		row, col int
		note     string
	}{
		{"finds ignoring case", []string{"/", "t:VALUE 7/2", "enter"},
			7, 2, "match 1 of 1"},
		{"next wraps around", []string{"/", "t:value 1/1", "enter", "n",
			"n"}, 1, 1, "match 1 of 1"},
		{"previous", []string{"/", "t:value 3/0", "enter", "N"}, 3, 0,
			"match 1 of 1"},
		{"counts matches", []string{"/", "t:/2", "enter", "n"}, 1, 2,
			"match 2 of 10"},
		{"not found", []string{"/", "t:nothing", "enter"}, 0, 0,
			`"nothing" not found`},
		{"esc closes", []string{"/", "t:x", "esc"}, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := gridEnv(t, wideTable(10, 3), 80, 24)
			for _, k := range tt.keys {
				if s, ok := strings.CutPrefix(k, "t:"); ok {
					env.typeText(t, s)
					continue
				}
				env.press(t, k)
			}
			g := env.m.grid
			if g.row != tt.row || g.col != tt.col {
				t.Errorf("cursor: got %d:%d, want %d:%d", g.row, g.col,
					tt.row, tt.col)
			}
			if env.m.note != tt.note {
				t.Errorf("note: got %q, want %q", env.m.note, tt.note)
			}
			if env.m.prompt != nil {
				t.Errorf("prompt still open")
			}
		})
	}
}

func TestSearchStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, ok := searchTable(ctx, wideTable(10_000, 2), []int{0, 1},
		"absent", 0, 0, false)
	if ok {
		t.Errorf("got a match from a cancelled search")
	}
}

func TestCopy(t *testing.T) {
	tests := []struct {
		name, key, note string
	}{
		{"cell", "y", "copied cell (20 bytes)"},
		{"row", "Y", "copied row (147 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := gridEnv(t, sampleTable(3), 80, 24)
			_, cmd := env.m.Update(keyMsg(tt.key))
			if cmd == nil {
				t.Fatal("got no command, want a clipboard write")
			}
			if env.m.note != tt.note {
				t.Errorf("note: got %q, want %q", env.m.note, tt.note)
			}
		})
	}
}

func TestCopyRowIsJSON(t *testing.T) {
	env := gridEnv(t, sampleTable(3), 80, 24)
	env.press(t, "j")
	g := env.m.grid
	got := rowJSON(g.tbl, g.visible(), g.row)
	want := `{"Timestamp":"2026-11-05T10:19:30.0000000Z",` +
		`"DeviceName":"host-01.contoso.com","ProcessId":7919,` +
		`"Score":0.25,"AdditionalFields":{"n":1,"tags":["a","b"]}}`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestExport(t *testing.T) {
	tbl := sampleTable(4)
	tests := []struct {
		file string
		want string
	}{
		{"out.csv", "Timestamp,DeviceName,ProcessId,Score," +
			"AdditionalFields\r\n" +
			"2026-11-05T10:20:30Z,host-00.contoso.com,0,0," +
			"\"{\"\"n\"\":0,\"\"tags\"\":[\"\"a\"\",\"\"b\"\"]}\"\r\n"},
		{"out.jsonl", `{"Timestamp":"2026-11-05T10:20:30.0000000Z",` +
			`"DeviceName":"host-00.contoso.com","ProcessId":0,"Score":0,` +
			`"AdditionalFields":{"n":0,"tags":["a","b"]}}` + "\n"},
		{"out.json", "[\n{\"Timestamp\":\"2026-11-05T10:20:30.0000000Z\""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			env := gridEnv(t, tbl, 80, 24)
			env.press(t, "e")
			env.typeText(t, path)
			env.press(t, "enter")
			if want := "exported 4 rows to " + path; env.m.note != want {
				t.Fatalf("note: got %q, want %q", env.m.note, want)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(b), tt.want) {
				t.Errorf("file starts:\n%s\nwant:\n%s",
					string(b)[:min(len(b), 300)], tt.want)
			}
			fi, _ := os.Stat(path)
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("mode: got %v, want 0600", fi.Mode().Perm())
			}
		})
	}
}

func TestExportUnknownFormat(t *testing.T) {
	env := gridEnv(t, sampleTable(2), 80, 24)
	env.press(t, "e")
	env.typeText(t, "/tmp/out.txt")
	env.press(t, "enter")
	want := `export: unknown format ".txt" in "/tmp/out.txt" ` +
		`(want .csv, .json or .jsonl)`
	if env.m.note != want || !env.m.noteErr {
		t.Errorf("note: got %q, want the error %q", env.m.note, want)
	}
}

func TestDetailOfMegabyteCell(t *testing.T) {
	big := table.NewColumn("Blob", table.String, 1)
	big.AppendString(strings.Repeat("abcdefghij", 100_000))
	env := gridEnv(t, table.New(big), 80, 24)
	env.press(t, "enter")
	d := env.m.detail
	if d == nil || env.m.overlay != overlayDetail {
		t.Fatal("detail view did not open")
	}
	screen := env.screen()
	if !strings.Contains(screen, "lines 1-") || !strings.Contains(screen,
		"+ ─") {
		t.Errorf("title should show a partial line count:\n%s", screen)
	}
	// Only what was drawn is wrapped, not the whole megabyte.
	if n := len(d.wrapped); n > 100 {
		t.Errorf("wrapped %d lines for one screen, want a screen's worth", n)
	}
	env.press(t, "end")
	if got, want := len(d.wrapped), 1_000_000/80; got != want {
		t.Errorf("wrapped lines at the end: got %d, want %d", got, want)
	}
	env.press(t, "esc")
	if env.m.overlay != overlayNone {
		t.Errorf("esc did not close the detail view")
	}
}

func TestMouseWheelScrollsGrid(t *testing.T) {
	env := gridEnv(t, wideTable(100, 2), 80, 30)
	env.m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown, Y: 20})
	if got := env.m.grid.row; got != 3 {
		t.Errorf("row after wheel down: got %d, want 3", got)
	}
	env.m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp, Y: 20})
	if got := env.m.grid.row; got != 0 {
		t.Errorf("row after wheel up: got %d, want 0", got)
	}
}

func TestCellTextIsSafe(t *testing.T) {
	c := table.NewColumn("S", table.String, 2)
	c.AppendString("a\x1b[31mred\ttab\nline")
	c.AppendString(strings.Repeat("é", 1000))
	if got, want := cellText(c, 0, 40), "a�[31mred tab↵line"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := len([]rune(cellText(c, 1, 10))); got > 50 {
		t.Errorf("a long cell was not cut early: %d runes", got)
	}
}

func TestResultSummary(t *testing.T) {
	res := &api.Result{Table: sampleTable(1), Truncated: true}
	want := "✓ 1 row in 2s · probably truncated at the row cap"
	if got := resultSummary(res, 2e9); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExportShownColumnsInShownOrder(t *testing.T) {
	env := gridEnv(t, sampleTable(3), 120, 24)
	env.press(t, "l", "-", "s", "s") // hide DeviceName; sort ProcessId ↓
	path := filepath.Join(t.TempDir(), "out.csv")
	env.press(t, "e")
	env.typeText(t, path)
	env.press(t, "enter")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\r\n")
	if want := "Timestamp,ProcessId,Score,AdditionalFields"; lines[0] != want {
		t.Errorf("header: got %q, want %q", lines[0], want)
	}
	if want := "2026-11-05T10:19:30Z,7919,0.25,"; !strings.HasPrefix(
		lines[1], want) {
		t.Errorf("first row: got %q, want it to start %q", lines[1], want)
	}
}

func TestDetailKeys(t *testing.T) {
	env := gridEnv(t, sampleTable(3), 80, 24)
	env.press(t, "enter")
	if env.m.detail.wholeRow {
		t.Fatal("detail opened on the row, want the cell")
	}
	env.press(t, "enter")
	if !env.m.detail.wholeRow {
		t.Errorf("enter did not switch to the row")
	}
	_, cmd := env.m.Update(keyMsg("y"))
	if cmd == nil || env.m.note != "copied cell (20 bytes)" {
		t.Errorf("y in the detail view: note %q, want the cell copied",
			env.m.note)
	}
}

func TestCutWidth(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		width int
		want  []string
	}{
		{"words stay whole", "the quick brown fox", 10,
			[]string{"the quick ", "brown fox"}},
		{"a space at the edge", "abcd efgh", 4, []string{"abcd ", "efgh"}},
		{"no space: cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"wide runes", "日本語の文", 4, []string{"日本", "語の", "文"}},
		{"narrower than a rune", "日本", 1, []string{"日", "本"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for start := 0; start < len(tt.s); {
				end := cutWidth(tt.s, start, tt.width)
				got = append(got, tt.s[start:end])
				start = end
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDetailWrapsWords(t *testing.T) {
	c := table.NewColumn("Text", table.String, 1)
	c.AppendString("alpha beta gamma delta")
	d := newDetail(table.New(c), 0, 0, false)
	got := d.view(11, 5)
	want := []string{"alpha beta", "gamma delta"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestMouseClick(t *testing.T) {
	env := gridEnv(t, sampleTable(10), 100, 30)
	env.m.focus = focusEditor
	env.m.ed.setText("DeviceEvents\n| take 10")
	l := env.m.computeLayout()
	gridTop := l.editor + 2 // editor title, editor, results title
	tests := []struct {
		name     string
		x, y     int
		focus    focusArea
		row, col int // grid cursor, or editor cursor when focus is editor
	}{
		{"a cell", 30, gridTop + 2 + 3, focusGrid, 3, 1},
		{"the frozen column", 2, gridTop + 2 + 1, focusGrid, 1, 0},
		{"a header selects the column", 48, gridTop, focusGrid, 1, 2},
		{"the editor", 3 + 5, 2, focusEditor, 1, 5},
		{"past the line's end", 60, 1, focusEditor, 0, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, X: tt.x,
				Y: tt.y})
			if env.m.focus != tt.focus {
				t.Fatalf("focus: got %d, want %d", env.m.focus, tt.focus)
			}
			row, col := env.m.grid.row, env.m.grid.col
			if tt.focus == focusEditor {
				row, col = env.m.ed.row, env.m.ed.col
			}
			if row != tt.row || col != tt.col {
				t.Errorf("cursor: got %d:%d, want %d:%d", row, col, tt.row,
					tt.col)
			}
		})
	}
}
