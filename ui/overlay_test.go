package ui

import (
	"image/color"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
	"github.com/charmbracelet/x/ansi"
)

// historyEnv has three recorded runs, the newest a failure.
func historyEnv(t *testing.T) *testEnv {
	t.Helper()
	env := newTestModel(t, 100, 24)
	for _, q := range []string{"DeviceProcessEvents | take 3",
		"DeviceNetworkEvents | take 3"} {
		env.m.ed.setText(q)
		env.press(t, "f5")
	}
	env.backend.err = positionError
	env.m.ed.setText("DeviceLogonEvents | where Foo")
	env.press(t, "f5")
	env.backend.err = nil
	env.m.ed.setText("")
	return env
}

func TestHistoryBrowser(t *testing.T) {
	tests := []struct {
		name      string
		keys      []string
		wantText  string
		wantCalls int // backend calls after the three of the setup
		wantGrid  int // rows in the grid; -1 when unchanged
	}{
		{"load the newest", []string{"enter"},
			"DeviceLogonEvents | where Foo", 0, -1},
		{"search then load", []string{"t:Network", "enter"},
			"DeviceNetworkEvents | take 3", 0, -1},
		{"re-run", []string{"down", "f5"},
			"DeviceNetworkEvents | take 3", 1, 3},
		{"re-open cached result without a call",
			[]string{"down", "down", "ctrl+o"},
			"DeviceProcessEvents | take 3", 0, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := historyEnv(t)
			// The cache holds a different table than the backend now
			// answers, so a re-open cannot pass for a re-run.
			env.store.results[1] = &api.Result{Table: sampleTable(7)}
			env.press(t, "f8")
			if env.m.overlay != overlayHistory {
				t.Fatal("history did not open")
			}
			if got := len(env.m.hist.runs); got != 3 {
				t.Fatalf("runs listed: got %d, want 3", got)
			}
			for _, k := range tt.keys {
				if s, ok := strings.CutPrefix(k, "t:"); ok {
					env.typeText(t, s)
					continue
				}
				env.press(t, k)
			}
			if got := env.m.ed.Text(); got != tt.wantText {
				t.Errorf("editor: got %q, want %q", got, tt.wantText)
			}
			if got := env.backend.callCount() - 3; got != tt.wantCalls {
				t.Errorf("backend calls: got %d, want %d", got,
					tt.wantCalls)
			}
			if tt.wantGrid >= 0 && env.m.grid.tbl.Rows() != tt.wantGrid {
				t.Errorf("grid rows: got %d, want %d",
					env.m.grid.tbl.Rows(), tt.wantGrid)
			}
			if env.m.overlay != overlayNone {
				t.Errorf("history still open")
			}
		})
	}
}

func TestHistorySearchAsYouType(t *testing.T) {
	env := historyEnv(t)
	env.press(t, "f8")
	env.typeText(t, "Logon")
	if got := len(env.m.hist.runs); got != 1 {
		t.Errorf("runs matching: got %d, want 1", got)
	}
	env.press(t, "backspace", "backspace", "backspace", "backspace",
		"backspace")
	if got := len(env.m.hist.runs); got != 3 {
		t.Errorf("runs after clearing the search: got %d, want 3", got)
	}
}

func TestStaleHistorySearchIsDropped(t *testing.T) {
	env := historyEnv(t)
	env.press(t, "f8")
	env.m.Update(historyLoadedMsg{seq: env.m.hist.seq - 1})
	if got := len(env.m.hist.runs); got != 3 {
		t.Errorf("runs: got %d, want the 3 of the latest search", got)
	}
}

func TestReopenUncachedRunSaysSo(t *testing.T) {
	env := historyEnv(t)
	env.press(t, "f8", "ctrl+o")
	if !strings.Contains(env.m.note, "has no cached result") {
		t.Errorf("note: got %q, want it to say there is no cache",
			env.m.note)
	}
}

func TestSaveAndBrowseSavedQueries(t *testing.T) {
	env := newTestModel(t, 100, 24)
	env.m.ed.setText("DeviceProcessEvents | take 5")
	env.press(t, "ctrl+s")
	env.typeText(t, "rare")
	env.press(t, "tab")
	env.typeText(t, "Rare parents")
	env.press(t, "tab")
	env.typeText(t, "hunt, process")
	env.press(t, "enter")

	got, ok := env.store.saved["rare"]
	if !ok {
		t.Fatalf("nothing saved under %q: %v", "rare", env.store.saved)
	}
	want := history.SavedQuery{Name: "rare",
		Query: "DeviceProcessEvents | take 5", Description: "Rare parents",
		Tags: []string{"hunt", "process"}, Created: testNow,
		Updated: testNow}
	if got.Name != want.Name || got.Query != want.Query ||
		got.Description != want.Description ||
		!slices.Equal(got.Tags, want.Tags) || !got.Created.Equal(testNow) {
		t.Errorf("saved: got %+v, want %+v", got, want)
	}

	env.m.ed.setText("")
	env.press(t, "f2", "enter")
	if got := env.m.ed.Text(); got != want.Query {
		t.Errorf("loaded: got %q, want %q", got, want.Query)
	}

	env.press(t, "f2", "f2", "ctrl+u")
	env.typeText(t, "rare-parents")
	env.press(t, "enter")
	if _, ok := env.store.saved["rare-parents"]; !ok {
		t.Errorf("rename failed: %v (note %q)", env.store.saved,
			env.m.note)
	}

	env.press(t, "ctrl+d")
	if len(env.store.saved) != 1 {
		t.Fatalf("deleted on the first press, want a confirmation")
	}
	env.press(t, "ctrl+d")
	if len(env.store.saved) != 0 {
		t.Errorf("not deleted on the second press: %v", env.store.saved)
	}
	env.press(t, "f5")
	if env.backend.callCount() != 0 {
		t.Errorf("f5 on an empty list ran a query")
	}
}

func TestSaveKeepsCreatedWhenOverwriting(t *testing.T) {
	env := newTestModel(t, 100, 24)
	created := testNow.Add(-48 * time.Hour)
	env.store.saved["q"] = history.SavedQuery{Name: "q", Query: "A",
		Description: "old", Tags: []string{"x"}, Created: created}
	env.press(t, "f2", "enter", "ctrl+s")
	if got := env.m.save.inputs[1].Value(); got != "old" {
		t.Errorf("description prefilled: got %q, want %q", got, "old")
	}
	env.press(t, "enter")
	if got := env.store.saved["q"].Created; !got.Equal(created) {
		t.Errorf("created: got %v, want %v", got, created)
	}
}

func TestSaveNeedsName(t *testing.T) {
	env := newTestModel(t, 100, 24)
	env.press(t, "ctrl+s", "enter")
	if env.m.overlay != overlaySave || env.m.save.err == "" {
		t.Errorf("saved without a name")
	}
}

func TestNoStoreSaysSo(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.m.cfg.Store = nil
	tests := []struct{ key, note string }{
		{"f8", "history is off: no history store"},
		{"f2", "saved queries are off: no history store"},
		{"ctrl+s", "saving is off: no history store"},
	}
	for _, tt := range tests {
		env.press(t, tt.key)
		if env.m.note != tt.note || env.m.overlay != overlayNone {
			t.Errorf("%s: note %q, want %q", tt.key, env.m.note, tt.note)
		}
	}
}

func TestMeter(t *testing.T) {
	limits := api.DefaultLimits()
	tests := []struct {
		name  string
		state api.BudgetState
		w     int
		want  string
	}{
		{"quiet", api.BudgetState{Limits: limits}, 80,
			"calls 0/15 ░░░░░  hour 0s/15m ░░░░░  day 0s/4h ░░░░░"},
		{"busy", api.BudgetState{Limits: limits, Calls: 14,
			RuntimeHour: 12 * time.Minute, RuntimeDay: time.Hour}, 80,
			"calls 14/15 █████  hour 12m/15m ████░  day 1h/4h █░░░░"},
		{"narrow drops bars", api.BudgetState{Limits: limits, Calls: 2},
			40, "calls 2/15  hour 0s/15m  day 0s/4h"},
		{"narrower drops labels", api.BudgetState{Limits: limits},
			20, "0/15  0s/15m  0s/4h"},
		{"waiting", api.BudgetState{Limits: limits, Calls: 15,
			Waiting: true, WaitUntil: testNow.Add(12 * time.Second)}, 120,
			"calls 15/15 █████  hour 0s/15m ░░░░░  day 0s/4h ░░░░░  " +
				"waiting for a call slot at 10:20:42 (in 12s)"},
		{"throttled", api.BudgetState{Limits: limits, Throttled: true,
			ThrottledUntil: testNow.Add(8 * time.Second),
			ThrottleReason: "too many requests"}, 40,
			"throttled at 10:20:38 (in 8s): too many…"},
		{"spent", api.BudgetState{Limits: limits, Spent: "hour",
			FreesAt: testNow.Add(14 * time.Minute)}, 60,
			"hour budget spent, frees at 10:34:30 (in 14m)"},
		{"unlimited", api.BudgetState{Limits: api.Limits{Unlimited: true}},
			40, "quota: unlimited (demo tenant)"},
	}
	st := NewStyles(true, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.TrimRight(ansi.Strip(meterView(&st, tt.state, testNow,
				tt.w)), " ")
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestMeterColoursByUse(t *testing.T) {
	st := NewStyles(true, false)
	tests := []struct {
		frac float64
		want string
	}{
		{0.1, st.MeterLow.Render("x")},
		{0.7, st.MeterMid.Render("x")},
		{0.9, st.MeterHigh.Render("x")},
	}
	for _, tt := range tests {
		if got := fracStyle(&st, tt.frac).Render("x"); got != tt.want {
			t.Errorf("%.1f: got %q, want %q", tt.frac, got, tt.want)
		}
	}
}

func TestNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	env := newTestModel(t, 100, 24)
	env.m.cfg.NoColor = false
	env.m = New(env.m.cfg)
	env.m.Update(queryFinishedMsg{})
	env.m.grid.setTable(sampleTable(5))
	env.m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	out := env.m.View().Content
	if m := colourSGR.FindString(out); m != "" {
		t.Errorf("colour sequence %q in a NO_COLOR screen", m)
	}
	if !strings.Contains(out, "\x1b[1m") {
		t.Errorf("no bold at all: focus would not show")
	}
}

// colourSGR matches an SGR sequence that sets a foreground, background
// or underline colour.
var colourSGR = regexp.MustCompile(
	`\x1b\[(?:[0-9:]*;)*(?:3[0-9]|4[0-9]|5[89]|9[0-7]|10[0-7])[;:m]`)

func TestDarkAndLightStylesDiffer(t *testing.T) {
	dark, light := NewStyles(true, false), NewStyles(false, false)
	if dark.TitleFocused.Render("x") == light.TitleFocused.Render("x") {
		t.Errorf("focused title looks the same on light and dark")
	}
}

func TestBackgroundColourPicksStyles(t *testing.T) {
	env := newTestModel(t, 80, 24)
	env.m.cfg.NoColor = false
	tests := []struct {
		name string
		bg   tea.BackgroundColorMsg
		dark bool
	}{
		{"light", tea.BackgroundColorMsg{Color: color.White}, false},
		{"dark", tea.BackgroundColorMsg{Color: color.Black}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.m.Update(tt.bg)
			want := NewStyles(tt.dark, false).TitleFocused.Render("x")
			if got := env.m.styles.TitleFocused.Render("x"); got != want {
				t.Errorf("got %q, want the %s style %q", got, tt.name, want)
			}
		})
	}
}

func TestHelpScrolls(t *testing.T) {
	env := newTestModel(t, 60, 16)
	env.press(t, "f1")
	if !strings.Contains(env.screen(), "lines 1-") {
		t.Fatalf("a help taller than the screen does not say so:\n%s",
			env.screen())
	}
	env.press(t, "pgdown", "pgdown", "pgdown", "pgdown")
	screen := env.screen()
	if !strings.Contains(screen, "always quits at once") {
		t.Errorf("the end of the help is out of reach:\n%s", screen)
	}
	env.press(t, "f1")
	if env.m.overlay != overlayNone {
		t.Errorf("f1 did not close the help")
	}
}

func TestNoBudget(t *testing.T) {
	env := newTestModel(t, 80, 12)
	env.m.cfg.Budget = nil
	if !strings.Contains(env.screen(), "quota: not tracked") {
		t.Errorf("meter without a budget:\n%s", env.screen())
	}
}

func TestLongInputKeepsCursorInSight(t *testing.T) {
	env := newTestModel(t, 30, 10)
	env.press(t, "f8")
	env.typeText(t, strings.Repeat("x", 60)+"END")
	line := strings.Split(env.screen(), "\n")[1]
	if !strings.Contains(line, "END") {
		t.Errorf("the end of a long search is out of sight: %q", line)
	}
}
