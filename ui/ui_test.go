package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

func TestRunQueryShowsResultAndRecordsRun(t *testing.T) {
	env := newTestModel(t, 100, 24)
	env.typeText(t, "DeviceProcessEvents | take 3")
	env.press(t, "f5")

	if got := env.backend.callCount(); got != 1 {
		t.Fatalf("backend calls: got %d, want 1", got)
	}
	if got := env.m.grid.tbl.Rows(); got != 3 {
		t.Errorf("grid rows: got %d, want 3", got)
	}
	if env.m.run != nil {
		t.Errorf("run still active after its answer")
	}
	if !strings.Contains(env.screen(), "✓ 3 rows in 0s (server 800ms)") {
		t.Errorf("status line lacks the outcome:\n%s", env.screen())
	}
	runs := env.store.runs
	if len(runs) != 1 {
		t.Fatalf("recorded runs: got %d, want 1", len(runs))
	}
	want := history.Run{ID: 1, Query: "DeviceProcessEvents | take 3",
		Backend: "demo", Tenant: "contoso", Started: testNow, Rows: 3,
		ServerTime: runs[0].ServerTime, Outcome: history.OK, Cached: true}
	if runs[0] != want {
		t.Errorf("recorded run: got %+v, want %+v", runs[0], want)
	}
}

func TestRunIDsRiseAndStaleAnswersDrop(t *testing.T) {
	env := newTestModel(t, 80, 24)
	m := env.m
	m.ed.setText("T")
	m.runQuery("first")
	first := m.run.id
	m.runQuery("second")
	second := m.run.id
	if second <= first {
		t.Fatalf("run IDs: got %d then %d, want rising", first, second)
	}

	stale := &api.Result{Table: wideTable(7, 2)}
	m.Update(queryFinishedMsg{id: first, res: stale})
	if m.run == nil || m.grid.tbl != nil {
		t.Fatalf("the answer of run %d was not dropped", first)
	}
	fresh := &api.Result{Table: wideTable(2, 2)}
	m.Update(queryFinishedMsg{id: second, res: fresh})
	if got := m.grid.tbl.Rows(); got != 2 {
		t.Errorf("grid rows: got %d, want 2 (the second run's)", got)
	}
}

func TestCancelStopsTheRun(t *testing.T) {
	tests := []struct {
		name string
		key  string
	}{
		{"esc", "esc"},
		{"ctrl+c", "ctrl+c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestModel(t, 80, 24)
			env.backend.block = true
			env.m.ed.setText("DeviceEvents")
			_, cmd := env.m.Update(keyMsg("f5"))
			ctx := env.m.run

			_, cancelCmd := env.m.Update(keyMsg(tt.key))
			drain(env.m, cancelCmd)
			if env.m.run != nil {
				t.Fatal("run still active after cancel")
			}
			// The backend returns once its context is cancelled; the
			// answer is stale and changes nothing.
			drain(env.m, cmd)
			if ctx == nil || env.m.last.text != "cancelled" {
				t.Errorf("outcome: got %q, want %q", env.m.last.text,
					"cancelled")
			}
			if n := len(env.store.runs); n != 1 ||
				env.store.runs[0].Outcome != history.Cancelled {
				t.Errorf("recorded runs: got %+v, want one cancelled",
					env.store.runs)
			}
		})
	}
}

func TestCtrlCQuitsWhenIdle(t *testing.T) {
	env := newTestModel(t, 80, 24)
	_, cmd := env.m.Update(keyMsg("ctrl+c"))
	if cmd == nil {
		t.Fatal("got no command, want tea.Quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Errorf("got %T, want tea.QuitMsg", cmd())
	}
}

// positionError is an API query error placed at line 2, col 3.
var positionError = &api.Error{Kind: api.ErrQueryInvalid, Backend: "demo",
	Status: 400, Message: "Failed to resolve column 'Foo'", Line: 2, Col: 3}

func TestErrorShowsPositionAndMovesCursor(t *testing.T) {
	env := newTestModel(t, 120, 24)
	env.backend.err = positionError
	env.m.ed.setText("T\n| where Foo > 1")
	env.press(t, "f5")

	if !env.m.last.err || !strings.Contains(env.m.last.text, "line 2") {
		t.Errorf("outcome: got %q, want an error at line 2",
			env.m.last.text)
	}
	if r, c := env.m.ed.row, env.m.ed.col; r != 1 || c != 2 {
		t.Errorf("cursor: got %d:%d, want 1:2", r, c)
	}
	if got := env.store.runs[0].Outcome; got != history.Failed {
		t.Errorf("outcome recorded: got %q, want %q", got, history.Failed)
	}
}

func TestThrottledRunIsRecordedSo(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.backend.err = &api.Error{Kind: api.ErrThrottled, Status: 429}
	env.m.ed.setText("T")
	env.press(t, "f5")
	if got := env.store.runs[0].Outcome; got != history.Throttled {
		t.Errorf("outcome recorded: got %q, want %q", got,
			history.Throttled)
	}
	if !errors.Is(env.backend.err, api.ErrThrottled) {
		t.Fatal("test error is not a throttle")
	}
}

func TestTypingQuestionMarkInEditorTypes(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.typeText(t, "a?")
	if got := env.m.ed.Text(); got != "a?" {
		t.Errorf("editor: got %q, want %q", got, "a?")
	}
	if env.m.overlay != overlayNone {
		t.Errorf("an overlay opened while typing")
	}
	env.press(t, "tab", "?")
	if env.m.overlay != overlayHelp {
		t.Errorf("? in the grid: overlay %d, want help", env.m.overlay)
	}
}

// TestEverySizeDrawsExactly resizes through every size from 20x8 to
// 120x40 and checks that each frame has exactly the window's lines, each
// exactly as wide, in every view.
func TestEverySizeDrawsExactly(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.m.ed.setText(strings.Repeat("DeviceProcessEvents | where x\n", 30))
	env.m.ed.setText("T")
	env.press(t, "f5", "f5")
	env.store.saved["q"] = history.SavedQuery{Name: "q", Query: "T",
		Tags: []string{"a"}}
	env.m.Update(queryFinishedMsg{})
	env.m.grid.setTable(sampleTable(120))
	views := []struct {
		name string
		open func(m *Model)
	}{
		{"panes", func(m *Model) { m.overlay = overlayNone }},
		{"grid focused", func(m *Model) { m.focus = focusGrid }},
		{"detail", func(m *Model) { m.openDetail() }},
		{"help", func(m *Model) { m.overlay = overlayHelp }},
		{"history", func(m *Model) { drain(m, m.openHistory()) }},
		{"saved", func(m *Model) { drain(m, m.openSaved()) }},
		{"save form", func(m *Model) { drain(m, m.openSaveForm()) }},
		{"search prompt", func(m *Model) {
			m.overlay = overlayNone
			m.openPrompt(promptSearch, "search: ", "host")
		}},
	}
	for _, v := range views {
		v.open(env.m)
		for w := 20; w <= 120; w++ {
			for h := 8; h <= 40; h++ {
				env.m.Update(tea.WindowSizeMsg{Width: w, Height: h})
				checkFrame(t, v.name, env.m, w, h)
			}
		}
	}
}

func checkFrame(t *testing.T, name string, m *Model, w, h int) {
	t.Helper()
	lines := strings.Split(m.View().Content, "\n")
	if len(lines) != h {
		t.Fatalf("%s at %dx%d: got %d lines, want %d", name, w, h,
			len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%s at %dx%d: line %d is %d wide, want %d:\n%q",
				name, w, h, i, got, w, ansi.Strip(l))
		}
	}
}

func TestGoldenScreens(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		setup func(env *testEnv)
	}{
		{"editor_only", 80, 16, func(env *testEnv) {}},
		{"result", 100, 20, func(env *testEnv) {
			env.backend.tbl = sampleTable(8)
			env.press(t, "f5")
		}},
		{"result_grid_focused", 100, 20, func(env *testEnv) {
			env.press(t, "f5", "tab", "j", "l")
		}},
		{"tiny", 20, 8, func(env *testEnv) {
			env.press(t, "f5")
		}},
		{"detail_json", 60, 16, func(env *testEnv) {
			env.press(t, "f5", "tab", "$", "enter")
		}},
		{"detail_row", 60, 24, func(env *testEnv) {
			env.press(t, "f5", "tab", "enter", "enter")
		}},
		{"help", 100, 24, func(env *testEnv) { env.press(t, "f1") }},
		{"running_while_throttled", 100, 12, func(env *testEnv) {
			env.backend.block = true
			env.m.Update(keyMsg("f5")) // the run's command never runs
			env.advance(2 * time.Second)
			env.budget.state.Throttled = true
			env.budget.state.ThrottledUntil = env.now.Add(8 * time.Second)
			env.budget.state.ThrottleReason = "call rate limit reached"
			env.m.Update(budgetTickMsg{})
		}},
		{"history", 90, 14, func(env *testEnv) {
			env.press(t, "f5")
			env.m.ed.setText("DeviceNetworkEvents | count")
			env.backend.err = positionError
			env.press(t, "f5", "f8")
		}},
		{"saved", 90, 14, func(env *testEnv) {
			env.store.saved["rare-parents"] = history.SavedQuery{
				Name: "rare-parents", Query: "DeviceProcessEvents",
				Description: "Rare parent processes",
				Tags:        []string{"hunt", "process"}}
			env.press(t, "f2")
		}},
		{"save_form", 90, 14, func(env *testEnv) {
			env.press(t, "ctrl+s")
			env.typeText(t, "rare")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestModel(t, tt.w, tt.h)
			env.m.ed.setText("DeviceProcessEvents\n| where Timestamp > " +
				"ago(1d)\n| take 3")
			tt.setup(env)
			golden.RequireEqual(t, env.screen())
		})
	}
}

func TestCtrlCInOverlayQuitsWhenIdle(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.press(t, "f1")
	_, cmd := env.m.Update(keyMsg("ctrl+c"))
	if cmd == nil {
		t.Fatal("got no command, want tea.Quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Errorf("got %T, want tea.QuitMsg", cmd())
	}
}

func TestExternalEditorReadBack(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.m.ed.setText("old")
	path := filepath.Join(t.TempDir(), "q.kql")
	if err := os.WriteFile(path, []byte("new\n| take 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env.m.Update(readBack(path, nil))
	if got := env.m.ed.Text(); got != "new\n| take 1" {
		t.Errorf("editor: got %q, want the file's text", got)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
	env.press(t, "ctrl+z")
	if got := env.m.ed.Text(); got != "old" {
		t.Errorf("after undo: got %q, want %q", got, "old")
	}
}

func TestExternalEditorFailure(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.m.ed.setText("keep")
	env.m.Update(readBack(filepath.Join(t.TempDir(), "gone.kql"),
		errors.New("exit status 1")))
	if env.m.ed.Text() != "keep" || !env.m.noteErr ||
		!strings.HasPrefix(env.m.note, "external editor: exit status 1") {
		t.Errorf("got text %q, note %q; want the text kept and the error",
			env.m.ed.Text(), env.m.note)
	}
}

func TestEmptyAnswerIsAnError(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.m.ed.setText("T")
	env.m.runQuery("T")
	env.m.Update(queryFinishedMsg{id: env.m.run.id})
	if want := "✗ the backend returned no result"; env.m.last.text != want {
		t.Errorf("outcome: got %q, want %q", env.m.last.text, want)
	}
}

func TestViewFields(t *testing.T) {
	tests := []struct {
		name    string
		noMouse bool
		want    tea.MouseMode
	}{
		{"mouse", false, tea.MouseModeCellMotion},
		{"no mouse", true, tea.MouseModeNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestModel(t, 80, 24)
			env.m.cfg.NoMouse = tt.noMouse
			v := env.m.View()
			if !v.AltScreen || v.MouseMode != tt.want {
				t.Errorf("got alt screen %v, mouse %v; want true, %v",
					v.AltScreen, v.MouseMode, tt.want)
			}
			if v.Cursor == nil || v.Cursor.Y != 1 {
				t.Errorf("cursor: got %+v, want it in the editor", v.Cursor)
			}
			if v.ProgressBar != nil {
				t.Errorf("progress bar shown with no run")
			}
		})
	}
}
