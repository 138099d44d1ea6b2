package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestEditorKeys(t *testing.T) {
	tests := []struct {
		name     string
		start    string
		keys     []string // Bubble Tea key names; "t:" types text
		want     string
		row, col int
	}{
		{"type", "", []string{"t:ab c"}, "ab c", 0, 4},
		{"newline splits", "abcd", []string{"left", "left", "enter"},
			"ab\ncd", 1, 0},
		{"newline keeps indent", "  | take 1", []string{"enter", "t:x"},
			"  | take 1\n  x", 1, 3},
		{"backspace joins", "ab\ncd", []string{"ctrl+home", "down",
			"backspace"}, "abcd", 0, 2},
		{"delete joins", "ab\ncd", []string{"ctrl+home", "end",
			"delete"}, "abcd", 0, 2},
		{"kill to end", "abcd", []string{"home", "right", "ctrl+k"},
			"a", 0, 1},
		{"kill to start", "abcd", []string{"left", "ctrl+u"}, "d", 0, 0},
		{"word left", "take 10", []string{"alt+left"}, "take 10", 0, 5},
		{"word right", "take 10", []string{"home", "alt+right"},
			"take 10", 0, 4},
		{"up keeps column in range", "abcdef\nab", []string{"up"},
			"abcdef\nab", 0, 2},
		{"undo a word", "x", []string{"t: abc", "ctrl+z"}, "x", 0, 1},
		{"undo then redo", "x", []string{"t:yz", "ctrl+z", "ctrl+y"},
			"xyz", 0, 3},
		{"undo a newline", "ab", []string{"enter", "ctrl+z"}, "ab", 0, 2},
		{"unicode", "é", []string{"t:ü", "left", "backspace"}, "ü", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEditor(tt.start)
			e.setSize(40, 5)
			k := testKeys().Editor
			for _, key := range tt.keys {
				if s, ok := strings.CutPrefix(key, "t:"); ok {
					for _, r := range s {
						e.handleKey(tea.KeyPressMsg{Code: r,
							Text: string(r)}, k)
					}
					continue
				}
				if !e.handleKey(keyMsg(key), k) {
					t.Fatalf("key %q not handled", key)
				}
			}
			if got := e.Text(); got != tt.want {
				t.Errorf("text: got %q, want %q", got, tt.want)
			}
			if e.row != tt.row || e.col != tt.col {
				t.Errorf("cursor: got %d:%d, want %d:%d", e.row, e.col,
					tt.row, tt.col)
			}
		})
	}
}

func TestPasteKeepsNewlines(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.m.Update(tea.PasteMsg{Content: "T\r\n| where x\r\n|\ttake 1"})
	want := "T\n| where x\n|    take 1"
	if got := env.m.ed.Text(); got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	env.press(t, "ctrl+z")
	if got := env.m.ed.Text(); got != "" {
		t.Errorf("after undo: got %q, want the paste undone in one step",
			got)
	}
}

func TestDiagnosticUnderCursorShows(t *testing.T) {
	env := newTestModel(t, 80, 12)
	env.m.cfg.Check = func(src string) []Diagnostic {
		i := strings.Index(src, "Foo")
		if i < 0 {
			return nil
		}
		return []Diagnostic{{Message: "unknown column 'Foo'", Pos: i,
			End: i + 3, Line: 2, Col: 9}}
	}
	env.m.ed.setText("T\n| where Foo > 1")
	// The check runs after a pause in typing; deliver the pause.
	env.m.Update(checkDueMsg{version: env.m.ed.version})
	drain(env.m, env.m.checkNow())

	screen := env.screen()
	if !strings.Contains(screen, "error at 2:9: unknown column 'Foo'") {
		t.Errorf("title lacks the diagnostic:\n%s", screen)
	}
	if !strings.Contains(screen, "2! | where Foo") {
		t.Errorf("gutter lacks the mark:\n%s", screen)
	}
	env.press(t, "up")
	if strings.Contains(env.screen(), "unknown column") {
		t.Errorf("diagnostic still shown on a clean line")
	}
}

func TestStaleCheckIsDropped(t *testing.T) {
	env := newTestModel(t, 80, 12)
	env.m.ed.setText("a")
	old := env.m.ed.version
	env.typeText(t, "b")
	env.m.Update(checkedMsg{version: old,
		diags: []Diagnostic{{Message: "stale"}}})
	if len(env.m.ed.diags) != 0 {
		t.Errorf("got %v, want the stale findings dropped", env.m.ed.diags)
	}
}

func TestEditorResize(t *testing.T) {
	env := newTestModel(t, 80, 30)
	before := env.m.computeLayout().editor
	env.press(t, "alt+down", "alt+down")
	if got := env.m.computeLayout().editor; got != before+2 {
		t.Errorf("editor height: got %d, want %d", got, before+2)
	}
	env.press(t, "alt+up")
	if got := env.m.computeLayout().editor; got != before+1 {
		t.Errorf("editor height: got %d, want %d", got, before+1)
	}
}

func TestSplitSpans(t *testing.T) {
	lines := []string{"ab", "cdef", ""}
	got := splitSpans(lines, []span{{tokString, 1, 4}, {tokNumber, 5, 2}})
	want := [][]span{
		{{tokString, 1, 1}},
		{{tokString, 0, 2}, {tokNumber, 2, 2}},
		nil,
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("line %d: got %v, want %v", i, got[i], want[i])
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("line %d span %d: got %v, want %v", i, j,
					got[i][j], want[i][j])
			}
		}
	}
}

func TestHighlight(t *testing.T) {
	src := "T | where Name == 'a' and n > 10 and t > ago(7d) // note"
	want := map[string]tokenKind{
		"where": tokKeyword, "'a'": tokString, "and": tokOperator,
		"10": tokNumber, "7d": tokTimespan, "// note": tokComment,
	}
	got := map[string]tokenKind{}
	for _, s := range highlight(src) {
		got[src[s.Pos:s.Pos+s.Len]] = s.Kind
	}
	for text, kind := range want {
		if got[text] != kind {
			t.Errorf("%q: got kind %d, want %d", text, got[text], kind)
		}
	}
	if _, ok := got["Name"]; ok {
		t.Errorf("a column name was coloured")
	}
}

func TestColouredLineKeepsText(t *testing.T) {
	st := NewStyles(true, false)
	e := newEditor("T | where x == 'a'")
	e.setSize(60, 3)
	line := e.renderLine(0, &st)
	if line == e.lines[0] {
		t.Fatalf("line not coloured")
	}
	if got := ansi.Strip(line); got != e.lines[0] {
		t.Errorf("text changed by colouring: got %q, want %q", got,
			e.lines[0])
	}
}

func TestDiagnosticAtLineEndIsMarked(t *testing.T) {
	e := newEditor("T\n| where x ==\n| take 1")
	e.setSize(40, 5)
	e.setDiagnostics([]Diagnostic{{Message: "expected an expression",
		Pos: len("T\n| where x =="), Line: 2, Col: 13}})
	st := NewStyles(true, true)
	lines := e.view(&st)
	if got := ansi.Strip(lines[1]); !strings.HasPrefix(got,
		"2! | where x == ") {
		t.Errorf("line 2: got %q, want the mark and a trailing underline",
			got)
	}
	if got := ansi.Strip(lines[2]); strings.Contains(got, "!") {
		t.Errorf("line 3 marked: %q", got)
	}
}
