package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/history"
)

// saveForm asks for a name, a description and tags for the editor's
// query.
type saveForm struct {
	inputs  [3]lineInput // name, description, tags
	focused int
	created history.SavedQuery // the saved query being replaced, if any
	err     string
}

// savedQueryMsg brings the saved query the form was opened over.
type savedQueryMsg struct {
	q   history.SavedQuery
	err error
}

func (m *Model) openSaveForm() tea.Cmd {
	if m.cfg.Store == nil {
		m.setNote("saving is off: no history store", true)
		return nil
	}
	f := &saveForm{}
	f.inputs[0] = newInput("name:        ", m.loaded)
	f.inputs[1] = newInput("description: ", "")
	f.inputs[2] = newInput("tags:        ", "")
	f.inputs[1].Blur()
	f.inputs[2].Blur()
	m.save = f
	m.overlay = overlaySave
	m.sizeInputs()
	if m.loaded == "" {
		return nil
	}
	store, name := m.cfg.Store, m.loaded
	return func() tea.Msg {
		q, err := store.SavedQuery(context.Background(), name)
		return savedQueryMsg{q: q, err: err}
	}
}

// fill puts a saved query's description and tags in the form.
func (f *saveForm) fill(q history.SavedQuery) {
	f.created = q
	f.inputs[1].SetValue(q.Description)
	f.inputs[2].SetValue(strings.Join(q.Tags, ", "))
}

func (f *saveForm) update(msg tea.Msg, k EditorKeys) {
	f.inputs[f.focused].Update(msg, k)
}

func (f *saveForm) move(delta int) {
	f.inputs[f.focused].Blur()
	f.focused = (f.focused + delta + len(f.inputs)) % len(f.inputs)
	f.inputs[f.focused].Focus()
}

func (m *Model) handleSaveKey(msg tea.KeyPressMsg) tea.Cmd {
	f, k := m.save, m.keys.Form
	switch {
	case key.Matches(msg, k.Next):
		f.move(1)
	case key.Matches(msg, k.Prev):
		f.move(-1)
	case key.Matches(msg, k.Submit):
		return m.submitSave()
	default:
		f.update(msg, m.keys.Editor)
	}
	return nil
}

// submitSave stores the editor's query under the form's name.
func (m *Model) submitSave() tea.Cmd {
	f := m.save
	name := strings.TrimSpace(f.inputs[0].Value())
	if name == "" {
		f.err = "a saved query needs a name"
		return nil
	}
	now := m.now()
	q := history.SavedQuery{
		Name:        name,
		Query:       m.ed.Text(),
		Description: strings.TrimSpace(f.inputs[1].Value()),
		Tags:        splitTags(f.inputs[2].Value()),
		Created:     now,
		Updated:     now,
	}
	if f.created.Name == name && !f.created.Created.IsZero() {
		q.Created = f.created.Created
	}
	m.overlay, m.loaded, m.kept = overlayNone, name, q.Query
	return m.changeSaved("saved "+quote(name), func(s Store) error {
		return s.SaveQuery(context.Background(), q)
	})
}

// splitTags reads "a, b c" as the tags a, b and c.
func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' '
	})
}

// view draws the three fields and the last complaint, if any.
func (f *saveForm) view(st *Styles) []string {
	out := make([]string, 0, 5)
	for _, in := range f.inputs {
		out = append(out, in.View())
	}
	if f.err != "" {
		out = append(out, st.Error.Render(f.err))
	}
	return out
}

// handleOverlayKey sends a key to the open overlay; Cancel closes any.
func (m *Model) handleOverlayKey(msg tea.KeyPressMsg) tea.Cmd {
	renaming := m.overlay == overlaySaved && m.saved.rename != nil
	if key.Matches(msg, m.keys.Global.Cancel) && !renaming {
		m.overlay = overlayNone
		return nil
	}
	if key.Matches(msg, m.keys.Global.Interrupt) {
		return m.interrupt()
	}
	switch m.overlay {
	case overlayHelp:
		m.handleHelpKey(msg)
	case overlayDetail:
		return m.handleDetailKey(msg)
	case overlayHistory:
		return m.handleHistoryKey(msg)
	case overlaySaved:
		return m.handleSavedKey(msg)
	case overlaySave:
		return m.handleSaveKey(msg)
	}
	return nil
}

// handleHelpKey scrolls the help overlay, or closes it on the help key.
func (m *Model) handleHelpKey(msg tea.KeyPressMsg) {
	k := m.keys.Grid
	page := max(m.computeLayout().middle-1, 1) // the overlay's body
	switch {
	case key.Matches(msg, m.keys.Global.Help):
		m.overlay = overlayNone
	case key.Matches(msg, k.Up):
		m.helpTop = max(m.helpTop-1, 0)
	case key.Matches(msg, k.Down):
		m.helpTop++
	case key.Matches(msg, k.PageUp):
		m.helpTop = max(m.helpTop-page, 0)
	case key.Matches(msg, k.PageDown):
		m.helpTop += page
	}
	lines := len(m.helpLines())
	m.helpTop = min(m.helpTop, max(lines-page, 0))
}

func (m *Model) handleDetailKey(msg tea.KeyPressMsg) tea.Cmd {
	d, k := m.detail, m.keys.Grid
	page := max(m.computeLayout().middle-2, 1)
	switch {
	case key.Matches(msg, k.Up):
		d.scroll(-1)
	case key.Matches(msg, k.Down):
		d.scroll(1)
	case key.Matches(msg, k.PageUp):
		d.scroll(-page)
	case key.Matches(msg, k.PageDown):
		d.scroll(page)
	case key.Matches(msg, k.FirstPage):
		d.top = 0
	case key.Matches(msg, k.LastPage):
		d.toEnd(page + 1)
	case key.Matches(msg, k.Detail):
		m.detail = d.toggle()
	case key.Matches(msg, k.CopyCell):
		return m.copyCell()
	case key.Matches(msg, k.CopyRow):
		return m.copyRow()
	}
	return nil
}

// handleStoreResult takes the history store's answers.
func (m *Model) handleStoreResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case historyLoadedMsg:
		if h := m.hist; h != nil && msg.seq == h.seq {
			h.runs, h.err = msg.runs, msg.err
			h.cursor = min(h.cursor, max(len(h.runs)-1, 0))
		}
	case savedLoadedMsg:
		if b := m.saved; b != nil && msg.seq == b.seq {
			b.list, b.err = msg.list, msg.err
			b.cursor = min(b.cursor, max(len(b.list)-1, 0))
		}
	case cachedResultMsg:
		return m.finishCached(msg)
	case savedQueryMsg:
		if m.save != nil && msg.err == nil {
			m.save.fill(msg.q)
		}
	case savedChangedMsg:
		return m.finishSavedChange(msg)
	}
	return nil
}

func (m *Model) finishSavedChange(msg savedChangedMsg) tea.Cmd {
	if msg.err != nil {
		m.setNote(msg.what+" failed: "+msg.err.Error(), true)
	} else {
		m.setNote(msg.what, false)
	}
	if m.overlay == overlaySaved {
		return m.saved.load(m.cfg.Store)
	}
	return nil
}
