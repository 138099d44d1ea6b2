package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// lineInput is a one-line text box for prompts, searches and the save
// form. bubbles' textinput would do, but it imports a system clipboard
// module this build cannot fetch, and the workbench needs only typing,
// deleting and moving along one line.
type lineInput struct {
	Prompt  string
	value   []rune
	pos     int
	focused bool
	width   int // of the text, prompt excluded; 0 means no limit
	// selected marks a value given rather than typed, such as the last
	// search: typing replaces it, deleting clears it, moving keeps it.
	selected bool
}

// newInput returns a focused input holding value, selected, the cursor
// at its end.
func newInput(prompt, value string) lineInput {
	in := lineInput{Prompt: prompt, focused: true}
	in.SetValue(value)
	return in
}

// Value returns the text.
func (in *lineInput) Value() string { return string(in.value) }

// SetValue replaces the text, selected so that typing replaces it, and
// puts the cursor at its end.
func (in *lineInput) SetValue(s string) {
	in.value = []rune(strings.ReplaceAll(normalize(s), "\n", " "))
	in.pos = len(in.value)
	in.selected = len(in.value) > 0
}

func (in *lineInput) Focus()         { in.focused = true }
func (in *lineInput) Blur()          { in.focused = false }
func (in *lineInput) SetWidth(w int) { in.width = w }

// Update edits the text for a key press or a paste. It moves and
// deletes with the editor's keys, so one binding serves both.
func (in *lineInput) Update(msg tea.Msg, k EditorKeys) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.insert(strings.ReplaceAll(normalize(msg.Content), "\n", " "))
	case tea.KeyPressMsg:
		in.handleKey(msg, k)
	}
}

func (in *lineInput) handleKey(msg tea.KeyPressMsg, k EditorKeys) {
	if in.selected && (key.Matches(msg, k.DeleteBack) ||
		key.Matches(msg, k.DeleteNext)) {
		in.value, in.pos, in.selected = nil, 0, false
		return
	}
	switch {
	case key.Matches(msg, k.Left):
		in.pos = max(in.pos-1, 0)
	case key.Matches(msg, k.Right):
		in.pos = min(in.pos+1, len(in.value))
	case key.Matches(msg, k.LineStart):
		in.pos = 0
	case key.Matches(msg, k.LineEnd):
		in.pos = len(in.value)
	case key.Matches(msg, k.DeleteBack):
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case key.Matches(msg, k.DeleteNext):
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case key.Matches(msg, k.DeleteToLineStart):
		in.value, in.pos = in.value[in.pos:], 0
	case key.Matches(msg, k.DeleteToLineEnd):
		in.value = in.value[:in.pos]
	case isText(msg):
		in.insert(normalize(msg.Text))
	}
	in.selected = false
}

func (in *lineInput) insert(s string) {
	if in.selected {
		in.value, in.pos, in.selected = nil, 0, false
	}
	r := []rune(s)
	in.value = append(in.value[:in.pos],
		append(r, in.value[in.pos:]...)...)
	in.pos += len(r)
}

// View draws the prompt and the text, with the cursor as a reversed cell
// when focused, scrolled so the cursor shows.
func (in *lineInput) View() string {
	text := string(in.value)
	if in.selected && in.focused {
		// Shown selected, as a text field does, so that typing over
		// it is no surprise.
		text = lipgloss.NewStyle().Reverse(true).Render(text) + " "
	} else if in.focused {
		cur := " "
		if in.pos < len(in.value) {
			cur = string(in.value[in.pos])
		}
		text = string(in.value[:in.pos]) +
			lipgloss.NewStyle().Reverse(true).Render(cur)
		if in.pos < len(in.value) {
			text += string(in.value[in.pos+1:])
		}
	}
	if in.width > 0 {
		x := ansi.StringWidth(string(in.value[:in.pos]))
		if x >= in.width {
			text = ansi.Cut(text, x-in.width+1, x+1)
		}
	}
	return in.Prompt + text
}
