// Package ui is ahunt's workbench: a Bubble Tea program with a KQL
// editor, a results grid, a quota meter, a status line, and overlays for
// history, saved queries, cell details and help. It talks to the API, the
// history store and the checker only through commands and messages, so
// the screen never waits on them.
package ui

import (
	"context"
	"os"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
)

// Store is the part of the history store the workbench uses.
type Store interface {
	AddRun(ctx context.Context, r history.Run, res *api.Result) (int64, error)
	Runs(ctx context.Context, f history.RunFilter) ([]history.Run, error)
	Result(ctx context.Context, runID int64) (*api.Result, error)
	SaveQuery(ctx context.Context, q history.SavedQuery) error
	SavedQuery(ctx context.Context, name string) (history.SavedQuery, error)
	SavedQueries(ctx context.Context, search string) ([]history.SavedQuery,
		error)
	RenameSaved(ctx context.Context, from, to string) error
	DeleteSaved(ctx context.Context, name string) error
}

// Budget is the quota budget as the meter sees it.
type Budget interface {
	State() api.BudgetState
}

// Config is everything the workbench is given by main.
type Config struct {
	// Backend runs queries. Required.
	Backend api.Backend
	// Budget is polled once a second for the meter; nil shows the quota
	// as not tracked.
	Budget Budget
	// Store keeps history and saved queries; nil turns both off.
	Store Store
	// Check returns the findings for a query; nil checks nothing. It runs
	// in the background, shortly after typing stops.
	Check func(src string) []Diagnostic
	// KeyMap is every key binding.
	KeyMap KeyMap
	// Tenant names the tenant in the status line.
	Tenant string
	// InitialQuery is the editor's text at start.
	InitialQuery string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// NoColor draws without colour. The NO_COLOR environment variable
	// sets it too.
	NoColor bool
	// Editor is the command line of the external editor; empty means
	// $VISUAL, then $EDITOR, then vi.
	Editor string
	// NoMouse leaves the mouse to the terminal, so its own text
	// selection works; the wheel then no longer scrolls the grid.
	NoMouse bool
}

type focusArea uint8

const (
	focusEditor focusArea = iota
	focusGrid
)

type overlayKind uint8

const (
	overlayNone overlayKind = iota
	overlayHelp
	overlayDetail
	overlayHistory
	overlaySaved
	overlaySave
)

// Model is the root model of the workbench; run it with tea.NewProgram.
type Model struct {
	cfg    Config
	keys   KeyMap
	styles Styles
	isDark bool
	now    func() time.Time

	w, h    int
	edRows  int // editor lines the user asked for; 0 means a third
	focus   focusArea
	overlay overlayKind
	prompt  *prompt

	ed   *editor
	grid *grid
	spin spinner.Model
	help help.Model
	// helpTop is the first line of the help overlay shown.
	helpTop int
	detail  *detailView
	hist    *historyBrowser
	saved   *savedBrowser
	save    *saveForm

	runID int
	run   *activeRun
	force *forceSend // a refused query the run key now sends anyway
	// kept is the editor's text at start and at the last run or save;
	// ctrl+c quits without asking while the text is still that.
	kept      string
	quitArmed bool // a first ctrl+c asked to confirm quitting
	last      outcome
	note      string // a passing message: "copied 12 bytes"
	noteErr   bool
	budget    api.BudgetState
	loaded    string // the saved query last loaded, for saving back
}

// New returns the workbench with the editor focused and cfg.InitialQuery
// in it.
func New(cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if os.Getenv("NO_COLOR") != "" {
		cfg.NoColor = true
	}
	m := &Model{
		cfg:    cfg,
		keys:   cfg.KeyMap,
		now:    cfg.Now,
		isDark: true,
		ed:     newEditor(cfg.InitialQuery),
		grid:   newGrid(),
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		help:   help.New(),
	}
	m.kept = m.ed.Text()
	m.setStyles()
	if cfg.Budget != nil {
		m.budget = cfg.Budget.State()
	}
	return m
}

func (m *Model) setStyles() {
	m.styles = NewStyles(m.isDark, m.cfg.NoColor)
	if m.cfg.NoColor {
		m.help.Styles = help.Styles{}
	} else {
		m.help.Styles = help.DefaultStyles(m.isDark)
	}
}

// Init asks for the terminal's background colour, starts the meter's
// clock and checks the initial query.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.checkCmd()}
	if m.cfg.Budget != nil {
		cmds = append(cmds, budgetTick())
	}
	return tea.Batch(cmds...)
}

// budgetTickMsg asks for a fresh budget state.
type budgetTickMsg struct{}

func budgetTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg {
		return budgetTickMsg{}
	})
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.setStyles()
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		return m, m.handlePaste(msg.Content)
	case tea.MouseWheelMsg:
		m.handleWheel(msg.Mouse())
		return m, nil
	case tea.MouseClickMsg:
		m.handleClick(msg.Mouse())
		return m, nil
	case budgetTickMsg:
		m.refreshBudget()
		return m, budgetTick()
	case spinner.TickMsg:
		if m.run == nil {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	return m, m.handleResult(msg)
}

// handleResult takes the answers of commands: runs, checks, the store.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case queryFinishedMsg:
		return m.finishRun(msg)
	case checkDueMsg:
		if msg.version == m.ed.version {
			return m.checkNow()
		}
	case checkedMsg:
		if msg.version == m.ed.version {
			m.ed.setDiagnostics(msg.diags)
		}
	case runRecordedMsg:
		if msg.err != nil {
			m.setNote("history: "+msg.err.Error(), true)
		}
	case sortedMsg:
		m.finishSort(msg)
	case searchedMsg:
		m.finishSearch(msg)
	case exportedMsg:
		m.finishExport(msg)
	case editorClosedMsg:
		m.finishExternalEdit(msg)
		return m.checkCmd()
	default:
		return m.handleStoreResult(msg)
	}
	return nil
}

// setNote shows a passing message in the status line until the next one.
func (m *Model) setNote(s string, isErr bool) {
	m.note, m.noteErr = s, isErr
}

// layout sizes the panes for the window.
func (m *Model) layout() {
	l := m.computeLayout()
	m.ed.setSize(m.w, l.editor)
	m.grid.setSize(m.w, l.grid)
	m.help.SetWidth(m.w)
	m.sizeInputs()
}

// sizeInputs fits the open text boxes to the window, so the cursor
// stays in sight in a long text.
func (m *Model) sizeInputs() {
	fitInput := func(in *lineInput) {
		in.SetWidth(max(m.w-width(in.Prompt)-1, 1))
	}
	if m.prompt != nil {
		fitInput(&m.prompt.input)
	}
	if m.hist != nil {
		fitInput(&m.hist.input)
	}
	if m.saved != nil {
		fitInput(&m.saved.input)
		if m.saved.rename != nil {
			fitInput(m.saved.rename)
		}
	}
	if m.save != nil {
		for i := range m.save.inputs {
			fitInput(&m.save.inputs[i])
		}
	}
}

// paneLayout is how many lines each part of the screen gets.
type paneLayout struct {
	editor, grid int // pane bodies, without their title bars
	middle       int // editor and grid with titles, or an overlay
	footer       bool
}

// computeLayout splits the height: status, meter and (when there is
// room) the footer at the bottom; the rest to the editor and the grid,
// each under a title bar.
func (m *Model) computeLayout() paneLayout {
	l := paneLayout{footer: m.h >= 10}
	bottom := 2
	if l.footer {
		bottom++
	}
	l.middle = max(m.h-bottom, 2)
	body := max(l.middle-2, 2)
	want := m.edRows
	if want == 0 {
		want = max(body/3, 3)
	}
	l.editor = min(max(want, 1), max(body-2, 1))
	l.grid = max(body-l.editor, 1)
	return l
}

// View draws the whole screen.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	if !m.cfg.NoMouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "ahunt"
	if m.w <= 0 || m.h <= 0 {
		return v
	}
	content, cursor := m.render()
	v.SetContent(content)
	v.Cursor = cursor
	if m.run != nil {
		// Terminals that draw a native progress bar show that a query
		// runs even when the window is in the background.
		v.ProgressBar = tea.NewProgressBar(tea.ProgressBarIndeterminate, 0)
	}
	return v
}
