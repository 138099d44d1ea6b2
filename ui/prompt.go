package ui

import (
	"fmt"
	"os"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// maxClipboard caps what one copy sends through OSC 52; terminals drop
// or truncate larger payloads.
const maxClipboard = 1 << 20

type promptKind uint8

const (
	promptSearch promptKind = iota
	promptExport
	promptOverwrite // y or n: replace the file at path?
)

// prompt is a one-line question in the status line: a search text, an
// export path, or whether to replace a file.
type prompt struct {
	kind  promptKind
	input lineInput
	path  string // the file a promptOverwrite asks about
}

func (m *Model) openPrompt(kind promptKind, label, value string) {
	m.prompt = &prompt{kind: kind, input: newInput(label, value)}
	m.sizeInputs()
}

func (p *prompt) view() string { return p.input.View() }

func (m *Model) handlePromptKey(msg tea.KeyPressMsg) tea.Cmd {
	f, g := m.keys.Form, m.keys.Global
	switch {
	case key.Matches(msg, g.Interrupt):
		return m.interrupt()
	case key.Matches(msg, g.Cancel):
		m.prompt = nil
		return nil
	case m.prompt.kind == promptOverwrite:
		return m.answerOverwrite(msg)
	case key.Matches(msg, f.Submit):
		p := m.prompt
		m.prompt = nil
		return m.submitPrompt(p.kind, strings.TrimSpace(p.input.Value()))
	}
	m.prompt.input.Update(msg, m.keys.Editor)
	return nil
}

func (m *Model) submitPrompt(kind promptKind, value string) tea.Cmd {
	if value == "" {
		return nil
	}
	switch kind {
	case promptSearch:
		m.grid.search = value
		return m.startSearch(false)
	case promptExport:
		g := m.grid
		if g.empty() {
			m.setNote("nothing to export: no result", true)
			return nil
		}
		if _, err := exporter(value); err != nil {
			m.setNote(err.Error(), true)
			return nil
		}
		if _, err := os.Stat(expandHome(value)); err == nil {
			m.openPrompt(promptOverwrite, "file exists; replace it? "+
				"(y/n) "+clean(value)+" ", "")
			m.prompt.path = value
			return nil
		}
		return exportCmd(value, g.tbl, g.visible())
	}
	return nil
}

// answerOverwrite exports over the file on "y"; any other key keeps it.
func (m *Model) answerOverwrite(msg tea.KeyPressMsg) tea.Cmd {
	path := m.prompt.path
	m.prompt = nil
	if msg.Text != "y" && msg.Text != "Y" {
		m.setNote("not exported: "+clean(path)+" kept", false)
		return nil
	}
	g := m.grid
	return exportCmd(path, g.tbl, g.visible())
}

// pasteIntoInput sends a paste to the open prompt or overlay input, on
// one line.
func (m *Model) pasteIntoInput(s string) tea.Cmd {
	s = strings.ReplaceAll(normalize(s), "\n", " ")
	paste := tea.PasteMsg{Content: s}
	var cmd tea.Cmd
	switch {
	case m.prompt != nil:
		m.prompt.input.Update(paste, m.keys.Editor)
	case m.overlay == overlayHistory:
		cmd = m.hist.updateInput(m, paste)
	case m.overlay == overlaySaved:
		cmd = m.saved.updateInput(m, paste)
	case m.overlay == overlaySave:
		m.save.update(paste, m.keys.Editor)
	}
	return cmd
}

// copyCell puts the cursor's cell on the clipboard through OSC 52, which
// works over SSH too.
func (m *Model) copyCell() tea.Cmd {
	g := m.grid
	c := g.tbl.Columns[g.column()]
	if g.tbl.Rows() == 0 {
		return nil
	}
	return m.copy(c.Format(g.row), "cell")
}

// copyRow puts the cursor's row on the clipboard as one JSON object of
// the shown columns.
func (m *Model) copyRow() tea.Cmd {
	g := m.grid
	if g.empty() || g.tbl.Rows() == 0 {
		return nil
	}
	return m.copy(rowJSON(g.tbl, g.visible(), g.row), "row")
}

func (m *Model) copy(s, what string) tea.Cmd {
	if len(s) > maxClipboard {
		m.setNote(fmt.Sprintf("%s too large to copy (%s bytes, limit %s)",
			what, thousands(len(s)), thousands(maxClipboard)), true)
		return nil
	}
	m.setNote(fmt.Sprintf("copied %s (%s bytes)", what,
		thousands(len(s))), false)
	return tea.SetClipboard(s)
}
