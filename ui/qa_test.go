package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
	"github.com/charmbracelet/x/ansi"
)

// whereChecker finds an error at every "wher " and a warning at every
// "take".
func whereChecker(src string) []Diagnostic {
	var out []Diagnostic
	for i := 0; ; {
		j := strings.Index(src[i:], "wher ")
		if j < 0 {
			break
		}
		pos := i + j
		out = append(out, Diagnostic{Severity: kql.Error,
			Message: "unknown operator 'wher'", Pos: pos, End: pos + 4,
			Line: strings.Count(src[:pos], "\n") + 1,
			Col:  pos - strings.LastIndex(src[:pos], "\n")})
		i = pos + 4
	}
	if k := strings.Index(src, "take"); k >= 0 {
		out = append(out, Diagnostic{Severity: kql.Warning,
			Message: "a warning", Pos: k, End: k + 4, Line: 1, Col: k + 1})
	}
	return out
}

func TestRunRefusesQueryWithCheckErrors(t *testing.T) {
	env := newTestModel(t, 120, 24)
	env.m.cfg.Check = whereChecker
	env.m.ed.setText("DeviceInfo\n| wher x")
	env.m.ed.move(0, 0)
	env.press(t, "f5")
	if n := env.backend.callCount(); n != 0 {
		t.Fatalf("backend calls: got %d, want 0", n)
	}
	if got := env.screen(); !strings.Contains(got,
		"nothing sent: error at 2:3: unknown operator 'wher'") {
		t.Errorf("status: got\n%s\nwant the first error with its place",
			got)
	}
	if r, c := env.m.ed.row, env.m.ed.col; r != 1 || c != 2 {
		t.Errorf("cursor: got %d:%d, want 1:2", r, c)
	}
	if len(env.store.runs) != 0 {
		t.Errorf("recorded runs: got %d, want 0", len(env.store.runs))
	}

	env.advance(2 * time.Second)
	env.press(t, "f5")
	if n := env.backend.callCount(); n != 1 {
		t.Errorf("second f5 within the window: got %d calls, want 1", n)
	}
}

func TestForceSendExpires(t *testing.T) {
	tests := []struct {
		name  string
		after func(env *testEnv)
	}{
		{"too late", func(env *testEnv) { env.advance(forceWindow) }},
		{"text changed", func(env *testEnv) { env.typeText(t, " ") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestModel(t, 120, 24)
			env.m.cfg.Check = whereChecker
			env.m.ed.setText("T | wher x")
			env.press(t, "f5")
			tt.after(env)
			env.press(t, "f5")
			if n := env.backend.callCount(); n != 0 {
				t.Errorf("backend calls: got %d, want 0", n)
			}
		})
	}
}

func TestWarningsDoNotBlockRun(t *testing.T) {
	env := newTestModel(t, 120, 24)
	env.m.cfg.Check = whereChecker
	env.m.ed.setText("T | take 3")
	env.press(t, "f5")
	if n := env.backend.callCount(); n != 1 {
		t.Errorf("backend calls: got %d, want 1", n)
	}
}

func TestCtrlCAsksBeforeLosingTheQuery(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(env *testEnv)
		wantQuit bool
	}{
		{"empty editor", func(*testEnv) {}, true},
		{"typed, not run", func(env *testEnv) {
			env.typeText(t, "T | take 1")
		}, false},
		{"typed and run", func(env *testEnv) {
			env.typeText(t, "T | take 1")
			env.press(t, "f5")
		}, true},
		{"changed after the run", func(env *testEnv) {
			env.typeText(t, "T | take 1")
			env.press(t, "f5")
			env.typeText(t, "0")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestModel(t, 120, 24)
			tt.setup(env)
			_, cmd := env.m.Update(keyMsg("ctrl+c"))
			if got := isQuit(cmd); got != tt.wantQuit {
				t.Fatalf("first ctrl+c quits: got %v, want %v", got,
					tt.wantQuit)
			}
			if tt.wantQuit {
				return
			}
			if !strings.Contains(env.screen(), "ctrl+c again quits") {
				t.Errorf("screen: got\n%s\nwant the question",
					env.screen())
			}
			_, cmd = env.m.Update(keyMsg("ctrl+c"))
			if !isQuit(cmd) {
				t.Errorf("second ctrl+c: got no quit, want tea.Quit")
			}
		})
	}
}

func TestCtrlCConfirmationResetsOnOtherKey(t *testing.T) {
	env := newTestModel(t, 120, 24)
	env.typeText(t, "T")
	env.m.Update(keyMsg("ctrl+c"))
	env.press(t, "left")
	if _, cmd := env.m.Update(keyMsg("ctrl+c")); isQuit(cmd) {
		t.Errorf("ctrl+c after another key: got quit, want a question")
	}
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestPromptsReplaceTheirPrefilledValue(t *testing.T) {
	t.Run("save name", func(t *testing.T) {
		env := newTestModel(t, 100, 24)
		env.m.ed.setText("T | take 1")
		env.press(t, "ctrl+s")
		env.typeText(t, "net-all")
		env.press(t, "enter", "ctrl+s")
		env.typeText(t, "net-all")
		env.press(t, "enter")
		if _, ok := env.store.saved["net-all"]; !ok ||
			len(env.store.saved) != 1 {
			t.Errorf("saved: got %v, want only net-all", keys(env))
		}
	})
	t.Run("search", func(t *testing.T) {
		env := newTestModel(t, 100, 24)
		env.m.ed.setText("T")
		env.press(t, "f5", "tab", "/")
		env.typeText(t, "certutil")
		env.press(t, "enter", "/")
		env.typeText(t, "zzz")
		env.press(t, "enter")
		if got := env.m.grid.search; got != "zzz" {
			t.Errorf("search: got %q, want %q", got, "zzz")
		}
	})
	t.Run("rename", func(t *testing.T) {
		env := newTestModel(t, 100, 24)
		env.store.saved["old"] = history.SavedQuery{Name: "old",
			Query: "T"}
		env.press(t, "f2", "f2")
		env.typeText(t, "new")
		env.press(t, "enter")
		if _, ok := env.store.saved["new"]; !ok {
			t.Errorf("saved: got %v, want new", keys(env))
		}
	})
	t.Run("moving keeps the value", func(t *testing.T) {
		in := newInput("> ", "abc")
		in.Update(keyMsg("left"), testKeys().Editor)
		in.Update(keyMsg("x"), testKeys().Editor)
		if got := in.Value(); got != "abxc" {
			t.Errorf("got %q, want %q", got, "abxc")
		}
	})
	t.Run("backspace clears", func(t *testing.T) {
		in := newInput("> ", "abc")
		in.Update(keyMsg("backspace"), testKeys().Editor)
		if got := in.Value(); got != "" {
			t.Errorf("got %q, want empty", got)
		}
	})
}

func keys(env *testEnv) []string {
	var out []string
	for k := range env.store.saved {
		out = append(out, k)
	}
	return out
}

func TestLoadingAQueryDropsOldFindingsAndScroll(t *testing.T) {
	env := newTestModel(t, 120, 30)
	env.m.cfg.Check = whereChecker
	env.m.ed.setText("DeviceProcessEvents\n| where x\n| wher y")
	env.m.ed.setDiagnostics(whereChecker(env.m.ed.Text()))
	env.store.runs = append(env.store.runs, history.Run{ID: 1,
		Query: "DeviceNetworkEvents | take 100000"})
	env.m.ed.move(2, 3)
	if !strings.Contains(env.screen(), "unknown operator") {
		t.Fatalf("setup: the finding is not shown:\n%s", env.screen())
	}
	env.m.ed.left = 25 // scrolled sideways before
	env.press(t, "f8", "enter")
	got := env.screen()
	if strings.Contains(got, "unknown operator") {
		t.Errorf("screen after load: got\n%s\nwant no old finding", got)
	}
	if !strings.Contains(got, " DeviceNetworkEvents | take 100000") {
		t.Errorf("screen after load: got\n%s\nwant the line from its "+
			"start", got)
	}
}

func TestResizeBackShowsTheWholeQuery(t *testing.T) {
	env := newTestModel(t, 120, 36)
	env.m.ed.setText("DeviceNetworkEvents\n| where ActionType == " +
		"\"ConnectionSuccess\"\n| summarize n=count() by " +
		"RemoteIP\n| take 10")
	env.m.Update(tea.WindowSizeMsg{Width: 20, Height: 8})
	env.m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	got := env.screen()
	for _, want := range []string{"1  DeviceNetworkEvents",
		"4  | take 10"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen: got\n%s\nwant %q", got, want)
		}
	}
}

func TestExportAsksBeforeReplacingAFile(t *testing.T) {
	tests := []struct {
		answer   string
		replaced bool
	}{
		{"y", true},
		{"n", false},
		{"esc", false},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.csv")
			if err := os.WriteFile(path, []byte("keep"), 0o600); err != nil {
				t.Fatal(err)
			}
			env := gridEnv(t, sampleTable(2), 80, 24)
			env.press(t, "e")
			env.typeText(t, path)
			env.press(t, "enter")
			const question = "file exists; replace it? (y/n)"
			if !strings.Contains(env.screen(), question) {
				t.Fatalf("screen: got\n%s\nwant the question",
					env.screen())
			}
			env.press(t, tt.answer)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b) != "keep"; got != tt.replaced {
				t.Errorf("replaced: got %v, want %v (note %q)", got,
					tt.replaced, env.m.note)
			}
		})
	}
}

func TestMeterSaysWhichDayBudgetFrees(t *testing.T) {
	limits := api.DefaultLimits()
	tests := []struct {
		name  string
		frees time.Time
		want  string
	}{
		{"today", testNow.Add(14 * time.Minute),
			"frees at 10:34:30 (in 14m)"},
		{"tomorrow", testNow.Add(23*time.Hour + 46*time.Minute),
			"frees tomorrow at 10:06:30 (in 23h46m)"},
		{"later", testNow.Add(50 * time.Hour),
			"frees on 2026-11-07 at 12:20:30 (in 50h)"},
	}
	st := NewStyles(true, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := api.BudgetState{Limits: limits, Spent: "day",
				FreesAt: tt.frees}
			got := ansi.Strip(meterView(&st, s, testNow, 120))
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to hold %q", got, tt.want)
			}
		})
	}
}

func TestBarNeedsABlocksShare(t *testing.T) {
	tests := []struct {
		frac float64
		want string
	}{
		{0, "░░░░░"},
		{3e-6, "░░░░░"},
		{0.19, "░░░░░"},
		{0.2, "█░░░░"},
		{0.5, "███░░"},
		{0.69, "███░░"},
		{0.7, "████░"},
		{1, "█████"},
	}
	for _, tt := range tests {
		if got := bar(tt.frac); got != tt.want {
			t.Errorf("bar(%v): got %q, want %q", tt.frac, got, tt.want)
		}
	}
}

func TestStatusSaysWaitingForACallSlot(t *testing.T) {
	env := newTestModel(t, 120, 24)
	env.backend.block = true
	env.m.ed.setText("T")
	_, cmd := env.m.Update(keyMsg("f5"))
	_ = cmd // the blocked call is never run
	env.budget.state.Waiting = true
	env.budget.state.WaitUntil = testNow.Add(12 * time.Second)
	env.m.Update(budgetTickMsg{})
	if got := env.screen(); !strings.Contains(got,
		"waiting for a call slot 0:12") || strings.Contains(got,
		"running") {
		t.Errorf("screen: got\n%s\nwant waiting with its countdown", got)
	}
}

func TestMeterRefreshesWhenARunEnds(t *testing.T) {
	env := newTestModel(t, 120, 24)
	env.m.ed.setText("T")
	env.budget.state.Calls = 7
	env.press(t, "f5")
	if got := env.screen(); !strings.Contains(got, "calls 7/15") {
		t.Errorf("screen: got\n%s\nwant calls 7/15", got)
	}
}

// rangeTable is "range x from 1 to n step 1 | extend y=x*1000".
func rangeTable(n int) *table.Table {
	x := table.NewColumn("x", table.Long, n)
	y := table.NewColumn("y", table.Long, n)
	for i := 1; i <= n; i++ {
		x.AppendInt(int64(i))
		y.AppendInt(int64(i) * 1000)
	}
	return table.New(x, y)
}

func TestGridWidthsFitTheShownPage(t *testing.T) {
	env := gridEnv(t, rangeTable(100000), 80, 24)
	env.press(t, "G")
	got := env.screen()
	if !strings.Contains(got, "100000 │ 100000000") {
		t.Errorf("last page: got\n%s\nwant 100000 │ 100000000 uncut", got)
	}
}

func TestGridMeasuresWideCharacters(t *testing.T) {
	s := table.NewColumn("s", table.String, 1)
	s.AppendString("日本語テキスト")
	env := gridEnv(t, table.New(s), 80, 24)
	if got := env.screen(); !strings.Contains(got, "日本語テキスト") {
		t.Errorf("screen: got\n%s\nwant the whole text", got)
	}
}

func TestGridDateTimeFractionsLineUp(t *testing.T) {
	ts := table.NewColumn("Timestamp", table.DateTime, 3)
	base := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	for _, ns := range []int{683992000, 160046600, 0} {
		ts.AppendTime(base.Add(time.Duration(ns)))
	}
	env := gridEnv(t, table.New(ts), 80, 24)
	got := env.screen()
	for _, want := range []string{"2026-11-05T10:00:00.6839920Z",
		"2026-11-05T10:00:00.1600466Z", "2026-11-05T10:00:00.0000000Z"} {
		if !strings.Contains(got, want) {
			t.Errorf("screen: got\n%s\nwant %s", got, want)
		}
	}
}

func TestLastColumnWidensIntoFreeSpace(t *testing.T) {
	id := table.NewColumn("Id", table.Long, 1)
	cmd := table.NewColumn("ProcessCommandLine", table.String, 1)
	id.AppendInt(1)
	long := "powershell.exe -NoProfile -ExecutionPolicy Bypass " +
		"-File C:\\Temp\\run.ps1"
	cmd.AppendString(long)
	env := gridEnv(t, table.New(id, cmd), 100, 24)
	if got := env.screen(); !strings.Contains(got, long) {
		t.Errorf("screen: got\n%s\nwant the whole command line", got)
	}
	env = gridEnv(t, table.New(id, cmd), 50, 24)
	if got := env.screen(); strings.Contains(got, long) {
		t.Errorf("at 50 columns: got the whole line, want it cut")
	}
}

func TestGridWidthsGrowWhenAPageHoldsWiderValues(t *testing.T) {
	n := 100000
	c := table.NewColumn("n", table.Long, n)
	for i := range n {
		v := int64(i % 10)
		if i == 12345 { // in no sample: step 200, not the last row
			v = 123456789012
		}
		c.AppendInt(v)
	}
	env := gridEnv(t, table.New(c, rangeTable(n).Columns[0]), 80, 24)
	env.m.grid.moveTo(12345, 0)
	if got := env.screen(); !strings.Contains(got, "123456789012") {
		t.Errorf("screen: got\n%s\nwant 123456789012 uncut", got)
	}
}

func TestExternalEditorFileEndsWithNewline(t *testing.T) {
	path, err := writeTemp("T\n| where x")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "T\n| where x\n"; got != want {
		t.Errorf("file: got %q, want %q", got, want)
	}
}
