package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
	"github.com/ahunt/ahunt/kql/table"
	"github.com/charmbracelet/x/ansi"
)

// testNow is the injected clock of every test.
var testNow = time.Date(2026, 11, 5, 10, 20, 30, 0, time.UTC)

func b(desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], desc))
}

// testKeys is a fixed key map, so a change of the program's defaults in
// keymap.go does not break these tests.
func testKeys() KeyMap {
	return KeyMap{
		Global: GlobalKeys{
			RunQuery:     b("run query", "f5", "ctrl+r"),
			Cancel:       b("cancel", "esc"),
			Interrupt:    b("interrupt", "ctrl+c"),
			Quit:         b("quit", "ctrl+q"),
			FocusNext:    b("focus next", "tab"),
			FocusPrev:    b("focus prev", "shift+tab"),
			History:      b("history", "f8"),
			SavedQueries: b("saved queries", "f2"),
			SaveQuery:    b("save query", "ctrl+s"),
			Help:         b("help", "f1", "?"),
		},
		Editor: EditorKeys{
			Up:                b("up", "up"),
			Down:              b("down", "down"),
			Left:              b("left", "left"),
			Right:             b("right", "right"),
			WordLeft:          b("word left", "alt+left"),
			WordRight:         b("word right", "alt+right"),
			LineStart:         b("line start", "home"),
			LineEnd:           b("line end", "end"),
			PageUp:            b("page up", "pgup"),
			PageDown:          b("page down", "pgdown"),
			Top:               b("top", "ctrl+home"),
			Bottom:            b("bottom", "ctrl+end"),
			Newline:           b("newline", "enter"),
			DeleteBack:        b("delete back", "backspace"),
			DeleteNext:        b("delete next", "delete"),
			DeleteToLineStart: b("delete to line start", "ctrl+u"),
			DeleteToLineEnd:   b("delete to line end", "ctrl+k"),
			Undo:              b("undo", "ctrl+z"),
			Redo:              b("redo", "ctrl+y"),
			ExternalEditor:    b("external editor", "alt+e"),
			Grow:              b("grow", "alt+down"),
			Shrink:            b("shrink", "alt+up"),
		},
		Grid: GridKeys{
			Up:          b("up", "up", "k"),
			Down:        b("down", "down", "j"),
			Left:        b("left", "left", "h"),
			Right:       b("right", "right", "l"),
			PageUp:      b("page up", "pgup"),
			PageDown:    b("page down", "pgdown"),
			FirstPage:   b("first page", "home", "g"),
			LastPage:    b("last page", "end", "G"),
			FirstColumn: b("first column", "0"),
			LastColumn:  b("last column", "$"),
			Search:      b("search", "/"),
			SearchNext:  b("search next", "n"),
			SearchPrev:  b("search prev", "N"),
			Sort:        b("sort", "s"),
			HideColumn:  b("hide column", "-"),
			ShowColumns: b("show columns", "+"),
			Detail:      b("detail", "enter"),
			CopyCell:    b("copy cell", "y"),
			CopyRow:     b("copy row", "Y"),
			Export:      b("export", "e"),
		},
		List: ListKeys{
			Up:         b("up", "up"),
			Down:       b("down", "down"),
			Load:       b("load", "enter"),
			OpenResult: b("open result", "ctrl+o"),
			Rename:     b("rename", "f2"),
			Delete:     b("delete", "ctrl+d"),
		},
		Form: FormKeys{
			Next:   b("next", "tab"),
			Prev:   b("prev", "shift+tab"),
			Submit: b("submit", "enter"),
		},
	}
}

// fakeBackend answers every query with its table, or waits for the
// context when block is set.
type fakeBackend struct {
	mu    sync.Mutex
	tbl   *table.Table
	err   error
	block bool
	calls []string
}

func (f *fakeBackend) Name() string { return "demo" }

func (f *fakeBackend) Run(ctx context.Context, q api.Query) (*api.Result,
	error) {
	f.mu.Lock()
	f.calls = append(f.calls, q.Text)
	f.mu.Unlock()
	if f.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, f.err
	}
	return &api.Result{Table: f.tbl,
		Stats: &api.Stats{ExecutionTime: 800 * time.Millisecond}}, nil
}

func (f *fakeBackend) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// fakeStore keeps runs and saved queries in memory.
type fakeStore struct {
	mu      sync.Mutex
	runs    []history.Run
	results map[int64]*api.Result
	saved   map[string]history.SavedQuery
}

func newFakeStore() *fakeStore {
	return &fakeStore{results: map[int64]*api.Result{},
		saved: map[string]history.SavedQuery{}}
}

func (s *fakeStore) AddRun(_ context.Context, r history.Run,
	res *api.Result) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.ID = int64(len(s.runs) + 1)
	s.runs = append(s.runs, r)
	if res != nil {
		s.results[r.ID] = res
	}
	return r.ID, nil
}

func (s *fakeStore) Runs(_ context.Context, f history.RunFilter) (
	[]history.Run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []history.Run
	for i := len(s.runs) - 1; i >= 0; i-- {
		if strings.Contains(s.runs[i].Query, f.Search) {
			out = append(out, s.runs[i])
		}
	}
	return out, nil
}

func (s *fakeStore) Result(_ context.Context, id int64) (*api.Result,
	error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.results[id]
	if !ok {
		return nil, fmt.Errorf("run %d: no cached result", id)
	}
	return res, nil
}

func (s *fakeStore) SaveQuery(_ context.Context, q history.SavedQuery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saved[q.Name] = q
	return nil
}

func (s *fakeStore) SavedQuery(_ context.Context, name string) (
	history.SavedQuery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.saved[name]
	if !ok {
		return q, fmt.Errorf("saved query %q not found", name)
	}
	return q, nil
}

func (s *fakeStore) SavedQueries(_ context.Context, search string) (
	[]history.SavedQuery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []history.SavedQuery
	for _, q := range s.saved {
		if strings.Contains(q.Name+q.Query+q.Description, search) {
			out = append(out, q)
		}
	}
	slices.SortFunc(out, func(a, b history.SavedQuery) int {
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

func (s *fakeStore) RenameSaved(_ context.Context, from, to string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.saved[from]
	if !ok {
		return fmt.Errorf("saved query %q not found", from)
	}
	delete(s.saved, from)
	q.Name = to
	s.saved[to] = q
	return nil
}

func (s *fakeStore) DeleteSaved(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.saved[name]; !ok {
		return fmt.Errorf("saved query %q not found", name)
	}
	delete(s.saved, name)
	return nil
}

type fakeBudget struct{ state api.BudgetState }

func (f *fakeBudget) State() api.BudgetState { return f.state }

// sampleTable is a small result with every kind of cell: datetimes,
// text, numbers, JSON, an empty string and nulls.
func sampleTable(rows int) *table.Table {
	ts := table.NewColumn("Timestamp", table.DateTime, rows)
	dev := table.NewColumn("DeviceName", table.String, rows)
	pid := table.NewColumn("ProcessId", table.Long, rows)
	score := table.NewColumn("Score", table.Real, rows)
	extra := table.NewColumn("AdditionalFields", table.Dynamic, rows)
	for i := range rows {
		ts.AppendTime(testNow.Add(-time.Duration(i) * time.Minute))
		switch i % 4 {
		case 3:
			dev.AppendNull()
		case 2:
			dev.AppendString("")
		default:
			dev.AppendString(fmt.Sprintf("host-%02d.contoso.com", i%7))
		}
		pid.AppendInt(int64((i * 7919) % 10007))
		if i%5 == 4 {
			score.AppendNull()
		} else {
			score.AppendReal(float64(i%13) / 4)
		}
		extra.AppendString(fmt.Sprintf(`{"n":%d,"tags":["a","b"]}`, i))
	}
	return table.New(ts, dev, pid, score, extra)
}

// wideTable has cols string columns and rows rows.
func wideTable(rows, cols int) *table.Table {
	out := make([]*table.Column, cols)
	for c := range cols {
		col := table.NewColumn(fmt.Sprintf("Column%02d", c), table.String,
			rows)
		for r := range rows {
			col.AppendString(fmt.Sprintf("value %d/%d", r, c))
		}
		out[c] = col
	}
	return table.New(out...)
}

type testEnv struct {
	m       *Model
	now     time.Time // the model's clock; advance moves it
	backend *fakeBackend
	store   *fakeStore
	budget  *fakeBudget
}

// newTestModel returns a model sized w by h on fakes.
func newTestModel(t testing.TB, w, h int) *testEnv {
	t.Helper()
	env := &testEnv{
		now:     testNow,
		backend: &fakeBackend{tbl: sampleTable(3)},
		store:   newFakeStore(),
		budget: &fakeBudget{state: api.BudgetState{
			Limits: api.DefaultLimits(), Calls: 3,
			RuntimeHour: 80 * time.Second, RuntimeDay: 20 * time.Minute}},
	}
	env.m = New(Config{
		Backend: env.backend,
		Budget:  env.budget,
		Store:   env.store,
		KeyMap:  testKeys(),
		Tenant:  "contoso",
		Now:     func() time.Time { return env.now },
		NoColor: true,
	})
	env.m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return env
}

// advance moves the model's clock on by d.
func (e *testEnv) advance(d time.Duration) { e.now = e.now.Add(d) }

// press sends key presses written as Bubble Tea names them, or text.
func (e *testEnv) press(t testing.TB, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := e.m.Update(keyMsg(k))
		drain(e.m, cmd)
	}
}

// typeText types s one character at a time.
func (e *testEnv) typeText(t testing.TB, s string) {
	t.Helper()
	for _, r := range s {
		_, cmd := e.m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		drain(e.m, cmd)
	}
}

// keyMsg builds the key press whose String() is k.
func keyMsg(k string) tea.KeyPressMsg {
	names := map[string]rune{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft,
		"right": tea.KeyRight, "home": tea.KeyHome, "end": tea.KeyEnd,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "f1": tea.KeyF1,
		"f2": tea.KeyF2, "f5": tea.KeyF5, "f8": tea.KeyF8,
		"space": tea.KeySpace,
	}
	if k == "+" {
		return tea.KeyPressMsg{Code: '+', Text: "+"}
	}
	var mod tea.KeyMod
	parts := strings.Split(k, "+")
	for _, p := range parts[:len(parts)-1] {
		switch p {
		case "ctrl":
			mod |= tea.ModCtrl
		case "alt":
			mod |= tea.ModAlt
		case "shift":
			mod |= tea.ModShift
		}
	}
	base := parts[len(parts)-1]
	if code, ok := names[base]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r := []rune(base)[0]
	if mod == 0 {
		return tea.KeyPressMsg{Code: r, Text: base}
	}
	return tea.KeyPressMsg{Code: r, Mod: mod}
}

// drain runs commands and feeds their messages back until none are
// left. Timers are not waited for: spinner ticks are dropped, which is
// all the workbench schedules when no checker or budget tick is asked.
func drain(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, spinner.TickMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// screen is the model's view without styles.
func (e *testEnv) screen() string {
	return ansi.Strip(e.m.View().Content)
}

// The history store is what main passes as the Store.
var _ Store = (*history.Store)(nil)
