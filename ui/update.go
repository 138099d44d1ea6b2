package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// handleKey routes a key press: an open overlay or prompt first, then
// the global keys, then the focused pane. In the editor, keys that type
// text always type it, so "?" or "q" bound globally still reach the query.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if !key.Matches(msg, m.keys.Global.Interrupt) {
		m.quitArmed = false
	}
	if m.overlay != overlayNone {
		return m.handleOverlayKey(msg)
	}
	if m.prompt != nil {
		return m.handlePromptKey(msg)
	}
	if m.focus == focusEditor && isText(msg) {
		m.note = ""
		m.ed.insert(msg.Text)
		return m.checkCmd()
	}
	if cmd, ok := m.handleGlobalKey(msg); ok {
		return cmd
	}
	m.note = ""
	if m.focus == focusGrid {
		return m.handleGridKey(msg)
	}
	return m.handleEditorKey(msg)
}

// handleGlobalKey handles the keys that work in both panes.
func (m *Model) handleGlobalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	g := m.keys.Global
	switch {
	case key.Matches(msg, g.RunQuery):
		return m.runQuery(m.ed.Text()), true
	case key.Matches(msg, g.Cancel):
		if m.run != nil {
			return m.cancelRun(), true
		}
		return nil, true
	case key.Matches(msg, g.Interrupt):
		return m.interrupt(), true
	case key.Matches(msg, g.Quit):
		if m.run != nil {
			m.run.cancel()
		}
		return tea.Quit, true
	case key.Matches(msg, g.FocusNext), key.Matches(msg, g.FocusPrev):
		m.focus = 1 - m.focus
		return nil, true
	case key.Matches(msg, g.History):
		return m.openHistory(), true
	case key.Matches(msg, g.SavedQueries):
		return m.openSaved(), true
	case key.Matches(msg, g.SaveQuery):
		return m.openSaveForm(), true
	case key.Matches(msg, g.Help):
		m.overlay, m.helpTop = overlayHelp, 0
		return nil, true
	}
	return nil, false
}

// interrupt is ctrl+c everywhere: it cancels a running query, or else
// quits. A query typed since the last run or save would be lost, so
// then it asks for a second press first; the quit key quits at once.
func (m *Model) interrupt() tea.Cmd {
	if m.run != nil {
		return m.cancelRun()
	}
	text := m.ed.Text()
	if m.quitArmed || strings.TrimSpace(text) == "" || text == m.kept {
		return tea.Quit
	}
	m.quitArmed = true
	m.setNote(fmt.Sprintf("the query is not run or saved: %s again "+
		"quits and loses it", m.keys.Global.Interrupt.Help().Key), true)
	return nil
}

func (m *Model) handleEditorKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys.Editor
	switch {
	case key.Matches(msg, k.ExternalEditor):
		return m.openExternalEditor()
	case key.Matches(msg, k.Grow):
		m.resizeEditor(1)
		return nil
	case key.Matches(msg, k.Shrink):
		m.resizeEditor(-1)
		return nil
	}
	v := m.ed.version
	m.ed.handleKey(msg, k)
	if m.ed.version != v {
		return m.checkCmd()
	}
	return nil
}

// resizeEditor changes the editor's height by delta lines.
func (m *Model) resizeEditor(delta int) {
	l := m.computeLayout()
	m.edRows = max(l.editor+delta, 1)
	m.layout()
	m.edRows = m.computeLayout().editor
}

func (m *Model) handleGridKey(msg tea.KeyPressMsg) tea.Cmd {
	act := m.grid.handleKey(msg, m.keys.Grid)
	g := m.grid
	switch act {
	case actSort:
		return m.startSort()
	case actSearch:
		m.openPrompt(promptSearch, "search: ", g.search)
	case actSearchNext, actSearchPrev:
		return m.startSearch(act == actSearchPrev)
	case actDetail:
		m.openDetail()
	case actCopyCell:
		return m.copyCell()
	case actCopyRow:
		return m.copyRow()
	case actExport:
		m.openPrompt(promptExport, "export to (.csv .json .jsonl): ", "")
	}
	return nil
}

// startSort cycles the cursor's column through ascending, descending and
// the order received.
func (m *Model) startSort() tea.Cmd {
	g := m.grid
	col := g.column()
	desc := false
	switch {
	case g.sortCol == col && !g.sortDesc:
		desc = true
	case g.sortCol == col:
		g.seq++
		g.tbl, g.sortCol, g.sorting = g.base, -1, false
		g.fitTop = -1
		g.fitPage()
		return nil
	}
	g.seq++
	g.sorting = true
	return sortCmd(g.seq, g.base, col, desc)
}

func (m *Model) finishSort(msg sortedMsg) {
	g := m.grid
	if msg.seq != g.seq {
		return
	}
	g.tbl, g.sortCol, g.sortDesc, g.sorting = msg.tbl, msg.col, msg.desc,
		false
	g.fitTop = -1 // the first page holds other rows now
	g.moveTo(0, g.col)
}

// startSearch looks for the last search text from the cursor on.
func (m *Model) startSearch(back bool) tea.Cmd {
	g := m.grid
	if g.search == "" || g.empty() {
		return nil
	}
	g.seq++
	g.searching = true
	return searchCmd(context.Background(), g.seq, g.tbl, g.visible(),
		g.search, g.row, g.col, back)
}

func (m *Model) finishSearch(msg searchedMsg) {
	g := m.grid
	if msg.seq != g.seq {
		return
	}
	g.searching = false
	if !msg.found {
		m.setNote(fmt.Sprintf("%q not found", g.search), true)
		return
	}
	g.moveTo(msg.row, msg.col)
	if msg.of > 0 {
		m.setNote(fmt.Sprintf("match %s of %s", thousands(msg.nth),
			thousands(msg.of)), false)
	}
}

func (m *Model) finishExport(msg exportedMsg) {
	if msg.err != nil {
		m.setNote(msg.err.Error(), true)
		return
	}
	m.setNote(fmt.Sprintf("exported %s rows to %s", thousands(msg.rows),
		msg.path), false)
}

// handlePaste puts pasted text, newlines kept, where the keys go.
func (m *Model) handlePaste(s string) tea.Cmd {
	switch {
	case m.overlay != overlayNone || m.prompt != nil:
		return m.pasteIntoInput(s)
	case m.focus == focusEditor:
		m.ed.insert(s)
		return m.checkCmd()
	}
	return nil
}

// handleClick focuses the pane clicked and puts its cursor under the
// mouse: a character of the query or a cell of the grid.
func (m *Model) handleClick(ms tea.Mouse) {
	if ms.Button != tea.MouseLeft || m.overlay != overlayNone ||
		m.prompt != nil {
		return
	}
	l := m.computeLayout()
	switch y := ms.Y; {
	case y >= 1 && y <= l.editor:
		m.focus = focusEditor
		m.ed.click(ms.X, y-1)
	case y >= l.editor+2 && y < l.editor+2+l.grid:
		m.focus = focusGrid
		m.grid.click(ms.X, y-l.editor-2)
	}
}

// handleWheel scrolls what is under the mouse.
func (m *Model) handleWheel(ms tea.Mouse) {
	step := 0
	switch ms.Button {
	case tea.MouseWheelUp:
		step = -3
	case tea.MouseWheelDown:
		step = 3
	default:
		return
	}
	switch {
	case m.overlay == overlayDetail:
		m.detail.scroll(step)
	case m.overlay == overlayHistory:
		h := m.hist
		h.cursor = min(max(h.cursor+step, 0), max(len(h.runs)-1, 0))
	case m.overlay == overlaySaved:
		s := m.saved
		s.cursor = min(max(s.cursor+step, 0), max(len(s.list)-1, 0))
	case m.overlay != overlayNone:
		return
	case ms.Y > m.computeLayout().editor+1:
		m.grid.scrollRows(step)
	default:
		m.ed.move(m.ed.row+step, m.ed.col)
	}
}
