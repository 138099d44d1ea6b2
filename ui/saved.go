package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/history"
)

// savedBrowser lists the saved queries, searched as you type, and can
// rename or delete one.
type savedBrowser struct {
	input   lineInput
	list    []history.SavedQuery
	cursor  int
	seq     int
	err     error
	rename  *lineInput // open while renaming
	confirm string     // the name a second delete key removes
}

// savedLoadedMsg answers the search with tag seq.
type savedLoadedMsg struct {
	seq  int
	list []history.SavedQuery
	err  error
}

// savedChangedMsg reports a save, rename or delete.
type savedChangedMsg struct {
	what string // "saved 'x'", "renamed ...", ...
	err  error
}

func (m *Model) openSaved() tea.Cmd {
	if m.cfg.Store == nil {
		m.setNote("saved queries are off: no history store", true)
		return nil
	}
	m.saved = &savedBrowser{input: newInput("search: ", "")}
	m.overlay = overlaySaved
	m.sizeInputs()
	return m.saved.load(m.cfg.Store)
}

func (b *savedBrowser) load(s Store) tea.Cmd {
	b.seq++
	seq, search := b.seq, b.input.Value()
	return func() tea.Msg {
		list, err := s.SavedQueries(context.Background(), search)
		return savedLoadedMsg{seq: seq, list: list, err: err}
	}
}

func (b *savedBrowser) updateInput(m *Model, msg tea.Msg) tea.Cmd {
	if b.rename != nil {
		b.rename.Update(msg, m.keys.Editor)
		return nil
	}
	before := b.input.Value()
	b.input.Update(msg, m.keys.Editor)
	if b.input.Value() != before {
		return b.load(m.cfg.Store)
	}
	return nil
}

func (m *Model) handleSavedKey(msg tea.KeyPressMsg) tea.Cmd {
	b, l := m.saved, m.keys.List
	if b.rename != nil {
		return m.handleRenameKey(msg)
	}
	confirm := b.confirm
	b.confirm = ""
	switch {
	case key.Matches(msg, l.Up):
		b.cursor = max(b.cursor-1, 0)
	case key.Matches(msg, l.Down):
		b.cursor = min(b.cursor+1, max(len(b.list)-1, 0))
	case len(b.list) == 0:
		return b.updateInput(m, msg)
	case key.Matches(msg, l.Load):
		q := b.list[b.cursor]
		return m.loadQuery(q.Query, q.Name)
	case key.Matches(msg, m.keys.Global.RunQuery):
		q := b.list[b.cursor]
		check := m.loadQuery(q.Query, q.Name)
		return tea.Batch(check, m.runQuery(m.ed.Text()))
	case key.Matches(msg, l.Rename):
		in := newInput("new name: ", b.list[b.cursor].Name)
		b.rename = &in
		m.sizeInputs()
	case key.Matches(msg, l.Delete):
		return m.deleteSaved(confirm)
	default:
		return b.updateInput(m, msg)
	}
	return nil
}

// deleteSaved asks for a second press, then deletes the cursor's query.
func (m *Model) deleteSaved(confirm string) tea.Cmd {
	b := m.saved
	name := b.list[b.cursor].Name
	if confirm != name {
		b.confirm = name
		m.setNote(fmt.Sprintf("press %s again to delete %q",
			m.keys.List.Delete.Help().Key, name), true)
		return nil
	}
	m.note = ""
	return m.changeSaved("deleted "+quote(name), func(s Store) error {
		return s.DeleteSaved(context.Background(), name)
	})
}

func (m *Model) handleRenameKey(msg tea.KeyPressMsg) tea.Cmd {
	b, g := m.saved, m.keys.Global
	switch {
	case key.Matches(msg, g.Cancel):
		b.rename = nil
		return nil
	case key.Matches(msg, m.keys.Form.Submit):
		from := b.list[b.cursor].Name
		to := strings.TrimSpace(b.rename.Value())
		b.rename = nil
		if to == "" || to == from {
			return nil
		}
		return m.changeSaved(fmt.Sprintf("renamed %s to %s", quote(from),
			quote(to)), func(s Store) error {
			return s.RenameSaved(context.Background(), from, to)
		})
	}
	return b.updateInput(m, msg)
}

func quote(s string) string { return "'" + clean(s) + "'" }

// changeSaved runs a change to the saved queries in the background.
func (m *Model) changeSaved(what string, fn func(Store) error) tea.Cmd {
	store := m.cfg.Store
	return func() tea.Msg {
		return savedChangedMsg{what: what, err: fn(store)}
	}
}

func (b *savedBrowser) view(m *Model, w, height int) []string {
	head := b.input.View()
	if b.rename != nil {
		head = b.rename.View()
	}
	out := []string{head}
	switch {
	case b.err != nil:
		return append(out, m.styles.Error.Render("saved queries: "+
			b.err.Error()))
	case len(b.list) == 0:
		return append(out, m.styles.Muted.Render("no saved queries match"))
	}
	rows := max(height-1, 1)
	top := max(b.cursor-rows+1, 0)
	for i := top; i < len(b.list) && i < top+rows; i++ {
		line := savedLine(b.list[i])
		if i == b.cursor {
			line = m.styles.ListCursor.Render(fit(line, w))
		}
		out = append(out, line)
	}
	return out
}

// savedLine is one saved query: name, tags, and its description or
// first line.
func savedLine(q history.SavedQuery) string {
	about := q.Description
	if about == "" {
		about = q.Query
	}
	tags := ""
	if len(q.Tags) > 0 {
		tags = "[" + strings.Join(q.Tags, ", ") + "] "
	}
	return fmt.Sprintf("%-24s %s%s", clean(q.Name), clean(tags),
		firstLine(about))
}
