package ui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// editorClosedMsg brings back the text of the external editor.
type editorClosedMsg struct {
	text string
	err  error
}

// editorCommand is the external editor's command line.
func (m *Model) editorCommand() []string {
	for _, s := range []string{m.cfg.Editor, os.Getenv("VISUAL"),
		os.Getenv("EDITOR")} {
		if f := strings.Fields(s); len(f) > 0 {
			return f
		}
	}
	return []string{"vi"}
}

// openExternalEditor suspends the workbench and edits the query in the
// user's editor, through a temporary .kql file.
func (m *Model) openExternalEditor() tea.Cmd {
	path, err := writeTemp(m.ed.Text())
	if err != nil {
		m.setNote(fmt.Sprintf("external editor: %v", err), true)
		return nil
	}
	argv := append(m.editorCommand(), path)
	c := exec.Command(argv[0], argv[1:]...)
	return tea.ExecProcess(c, func(err error) tea.Msg {
		return readBack(path, err)
	})
}

// writeTemp writes text to a new temporary .kql file and returns its
// path. It ends with a newline, as editors expect: a line appended there
// then starts on its own line.
func writeTemp(text string) (string, error) {
	f, err := os.CreateTemp("", "ahunt-*.kql")
	if err != nil {
		return "", err
	}
	_, werr := f.WriteString(text + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(f.Name())
		return "", werr
	}
	return f.Name(), nil
}

// readBack reads the edited file and removes it.
func readBack(path string, runErr error) tea.Msg {
	defer os.Remove(path)
	b, err := os.ReadFile(path)
	if err := errors.Join(runErr, err); err != nil {
		return editorClosedMsg{err: fmt.Errorf("external editor: %w", err)}
	}
	return editorClosedMsg{text: strings.TrimRight(string(b), "\n")}
}

// finishExternalEdit replaces the query as one undoable edit.
func (m *Model) finishExternalEdit(msg editorClosedMsg) {
	if msg.err != nil {
		m.setNote(msg.err.Error(), true)
		return
	}
	if msg.text != m.ed.Text() {
		m.ed.setText(msg.text)
	}
}
