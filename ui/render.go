package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// render draws every line of the screen at exactly m.w by m.h, and
// returns where the terminal cursor goes (nil to hide it).
func (m *Model) render() (string, *tea.Cursor) {
	l := m.computeLayout()
	var lines []string
	var cursor *tea.Cursor
	if m.overlay != overlayNone {
		lines = m.overlayView(l.middle)
	} else {
		lines, cursor = m.panesView(l)
	}
	lines = append(lines, m.statusView())
	if m.cfg.Budget != nil {
		lines = append(lines, meterView(&m.styles, m.budget, m.now(), m.w))
	} else {
		lines = append(lines, m.styles.Muted.Render("quota: not tracked"))
	}
	if l.footer {
		lines = append(lines, m.footerView())
	}
	if len(lines) > m.h {
		lines = lines[len(lines)-m.h:]
		cursor = nil
	}
	return joinLines(lines, m.w, m.h), cursor
}

// panesView draws the editor and the grid under their title bars.
func (m *Model) panesView(l paneLayout) ([]string, *tea.Cursor) {
	lines := make([]string, 0, l.middle)
	lines = append(lines, m.title("Query", m.editorNote(),
		m.focus == focusEditor))
	lines = append(lines, padTo(m.ed.view(&m.styles), l.editor)...)
	lines = append(lines, m.title("Results", m.grid.pager(),
		m.focus == focusGrid))
	grid := m.grid.view(&m.styles, m.focus == focusGrid)
	switch {
	case m.grid.tbl != nil && m.grid.empty():
		grid = []string{m.styles.Muted.Render("the query returned no " +
			"columns")}
	case m.grid.empty():
		grid = []string{m.styles.Muted.Render("no result yet: " +
			m.keys.Global.RunQuery.Help().Key + " runs the query")}
	}
	lines = append(lines, padTo(grid, l.grid)...)

	var cursor *tea.Cursor
	if m.focus == focusEditor && m.prompt == nil {
		x, y := m.ed.cursor()
		if x >= 0 && x < m.w && y >= 0 && y < l.editor {
			cursor = tea.NewCursor(x, y+1)
		}
	}
	return lines, cursor
}

// padTo returns lines grown with blank ones to n, or cut to n.
func padTo(lines []string, n int) []string {
	if len(lines) >= n {
		return lines[:n]
	}
	return append(lines, make([]string, n-len(lines))...)
}

// title draws a pane's title bar; the focused pane's stands out.
func (m *Model) title(name, right string, focused bool) string {
	style := m.styles.Title
	if focused {
		style = m.styles.TitleFocused
		name = "▶ " + name
	}
	bar := titleBar(name, ansi.Strip(right), m.w)
	return style.Render(fit(bar, m.w))
}

// editorNote is the checker's message for the cursor's line, if any.
func (m *Model) editorNote() string {
	d, ok := m.ed.diagnosticAtCursor()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s at %d:%d: %s", d.Severity, d.Line, d.Col,
		clean(d.Message))
}

// statusView is the status line, or the prompt when one is open.
func (m *Model) statusView() string {
	if m.prompt != nil {
		return fit(m.prompt.view(), m.w)
	}
	left := "no backend"
	if m.cfg.Backend != nil {
		left = m.cfg.Backend.Name()
	}
	if m.cfg.Tenant != "" {
		left += " · " + clean(m.cfg.Tenant)
	}
	parts := []string{m.styles.Muted.Render(left)}
	if m.run != nil {
		parts = append(parts, m.spin.View()+" "+m.runState())
	}
	switch {
	case m.note != "" && m.noteErr:
		parts = append(parts, m.styles.Error.Render(m.note))
	case m.note != "":
		parts = append(parts, m.note)
	case m.last.text != "" && m.last.err:
		parts = append(parts, m.styles.Error.Render(m.last.text))
	case m.last.text != "":
		parts = append(parts, m.styles.OK.Render(m.last.text))
	}
	return fit(strings.Join(parts, "  "), m.w)
}

// footerView is the short help for what has focus now.
func (m *Model) footerView() string {
	return fit(m.help.ShortHelpView(m.shortHelp()), m.w)
}

// overlayView draws the open overlay in h lines.
func (m *Model) overlayView(h int) []string {
	var name, right string
	var body []string
	bh := max(h-1, 1)
	switch m.overlay {
	case overlayHelp:
		name = "Help"
		body = m.helpLines()
		top := min(m.helpTop, max(len(body)-bh, 0))
		if len(body) > bh {
			right = fmt.Sprintf("lines %d-%d of %d", top+1,
				min(top+bh, len(body)), len(body))
		}
		body = body[top:]
	case overlayDetail:
		body = m.detail.view(m.w, bh)
		name, right = m.detail.title(), m.detail.position(bh)
	case overlayHistory:
		name, right = "History", m.historyLegend()
		body = m.hist.view(m, m.w, bh)
	case overlaySaved:
		name = "Saved queries"
		body = m.saved.view(m, m.w, bh)
	case overlaySave:
		name = "Save query"
		body = m.save.view(&m.styles)
	}
	lines := []string{m.title(name, right, true)}
	return append(lines, padTo(body, bh)...)
}

// runState is "running 2s", or while the budget holds the call back,
// "waiting for a call slot 0:12" with the time left.
func (m *Model) runState() string {
	b := m.budget
	if b.Waiting && !b.WaitUntil.IsZero() {
		left := max(b.WaitUntil.Sub(m.now()), 0).Round(time.Second)
		return fmt.Sprintf("waiting for a call slot %d:%02d",
			int(left.Minutes()), int(left.Seconds())%60)
	}
	return "running " + shortDuration(m.now().Sub(m.run.started))
}
