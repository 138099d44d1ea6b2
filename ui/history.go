package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
)

// historyLimit is how many runs the browser lists per search.
const historyLimit = 500

// historyBrowser lists past runs, newest first, filtered as you type.
type historyBrowser struct {
	input  lineInput
	runs   []history.Run
	cursor int
	seq    int
	err    error
}

// historyLoadedMsg answers the search with tag seq.
type historyLoadedMsg struct {
	seq  int
	runs []history.Run
	err  error
}

// cachedResultMsg carries a result re-opened from the store.
type cachedResultMsg struct {
	run history.Run
	res *api.Result
	err error
}

func (m *Model) openHistory() tea.Cmd {
	if m.cfg.Store == nil {
		m.setNote("history is off: no history store", true)
		return nil
	}
	m.hist = &historyBrowser{input: newInput("search: ", "")}
	m.overlay = overlayHistory
	m.sizeInputs()
	return m.hist.load(m.cfg.Store)
}

// load asks the store for the runs matching the search text.
func (h *historyBrowser) load(s Store) tea.Cmd {
	h.seq++
	seq, search := h.seq, h.input.Value()
	return func() tea.Msg {
		runs, err := s.Runs(context.Background(),
			history.RunFilter{Search: search, Limit: historyLimit})
		return historyLoadedMsg{seq: seq, runs: runs, err: err}
	}
}

// updateInput passes msg to the search box and searches again when its
// text changed.
func (h *historyBrowser) updateInput(m *Model, msg tea.Msg) tea.Cmd {
	before := h.input.Value()
	h.input.Update(msg, m.keys.Editor)
	if h.input.Value() != before {
		return h.load(m.cfg.Store)
	}
	return nil
}

func (m *Model) handleHistoryKey(msg tea.KeyPressMsg) tea.Cmd {
	h, l := m.hist, m.keys.List
	switch {
	case key.Matches(msg, l.Up):
		h.cursor = max(h.cursor-1, 0)
	case key.Matches(msg, l.Down):
		h.cursor = min(h.cursor+1, max(len(h.runs)-1, 0))
	case len(h.runs) == 0:
		return h.updateInput(m, msg)
	case key.Matches(msg, l.Load):
		return m.loadQuery(h.runs[h.cursor].Query, "")
	case key.Matches(msg, m.keys.Global.RunQuery):
		check := m.loadQuery(h.runs[h.cursor].Query, "")
		return tea.Batch(check, m.runQuery(m.ed.Text()))
	case key.Matches(msg, l.OpenResult):
		return m.openCached(h.runs[h.cursor])
	default:
		return h.updateInput(m, msg)
	}
	return nil
}

// loadQuery puts text in the editor as one undoable edit, closes the
// overlay and checks the new text; saved names the saved query it came
// from.
func (m *Model) loadQuery(text, saved string) tea.Cmd {
	m.ed.setText(text)
	m.loaded = saved
	m.overlay = overlayNone
	m.focus = focusEditor
	return m.checkCmd()
}

// openCached re-opens a run's kept result without an API call.
func (m *Model) openCached(r history.Run) tea.Cmd {
	if !r.Cached {
		m.setNote(fmt.Sprintf("run #%d has no cached result; "+
			"re-run it instead", r.ID), true)
		return nil
	}
	store := m.cfg.Store
	return func() tea.Msg {
		res, err := store.Result(context.Background(), r.ID)
		return cachedResultMsg{run: r, res: res, err: err}
	}
}

func (m *Model) finishCached(msg cachedResultMsg) tea.Cmd {
	if msg.err != nil {
		m.setNote(fmt.Sprintf("open run #%d: %v", msg.run.ID, msg.err),
			true)
		return nil
	}
	m.note = ""
	m.ed.setText(msg.run.Query)
	m.grid.setTable(msg.res.Table)
	m.layout()
	m.overlay, m.focus = overlayNone, focusGrid
	m.last = outcome{text: fmt.Sprintf("✓ cached result of run #%d "+
		"(%s rows, no API call)", msg.run.ID,
		thousands(msg.res.Table.Rows()))}
	return m.checkCmd()
}

// view lists the runs under the search box, the cursor's kept in view.
func (h *historyBrowser) view(m *Model, w, height int) []string {
	out := []string{h.input.View()}
	switch {
	case h.err != nil:
		return append(out, m.styles.Error.Render("history: "+
			h.err.Error()))
	case len(h.runs) == 0:
		return append(out, m.styles.Muted.Render("no runs match"))
	}
	rows := max(height-1, 1)
	top := max(h.cursor-rows+1, 0)
	for i := top; i < len(h.runs) && i < top+rows; i++ {
		line := runLine(h.runs[i], m.now())
		if i == h.cursor {
			line = m.styles.ListCursor.Render(fit(line, w))
		}
		out = append(out, line)
	}
	return out
}

// cachedMark follows the outcome of a run whose result is kept.
const cachedMark = "*"

// historyLegend explains the list's marks, in its title bar.
func (m *Model) historyLegend() string {
	return cachedMark + " result kept: " +
		m.keys.List.OpenResult.Help().Key + " reopens it"
}

// runLine is one run: when, outcome, rows, duration and the query's
// first line; a run that failed shows its error first.
func runLine(r history.Run, now time.Time) string {
	when := r.Started.In(now.Location()).Format("2006-01-02 15:04:05")
	status := string(r.Outcome)
	if r.Cached {
		status += cachedMark
	}
	about := firstLine(r.Query)
	if r.Error != "" {
		about = "✗ " + firstLine(r.Error) + " · " + about
	}
	return fmt.Sprintf("%s  %-10s %9s rows %8s  %s", when, status,
		thousands(r.Rows), shortDuration(r.Duration.Round(time.Millisecond)),
		about)
}

// firstLine is the query on one line, for lists.
func firstLine(q string) string {
	return clean(strings.Join(strings.Fields(q), " "))
}
