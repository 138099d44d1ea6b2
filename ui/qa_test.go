package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/history"
	"github.com/ahunt/ahunt/kql"
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
		"not sent: error at 2:3: unknown operator 'wher'") {
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
