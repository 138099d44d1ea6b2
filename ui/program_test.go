package ui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestProgram runs the workbench as a real Bubble Tea program: type a
// query, run it, page the grid, open and close the detail view, quit.
func TestProgram(t *testing.T) {
	env := newTestModel(t, 100, 30)
	env.backend.tbl = sampleTable(200)
	tm := teatest.NewTestModel(t, env.m, teatest.WithInitialTermSize(100, 30))

	waitFor := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return bytes.Contains(b, []byte(what))
		}, teatest.WithDuration(20*time.Second),
			teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("Query")
	tm.Type("DeviceProcessEvents")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyF5})
	waitFor("200 rows")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	waitFor("page 2 of")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("lines 1-")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Send(tea.KeyPressMsg{Code: 'q', Mod: tea.ModCtrl})

	final := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second))
	m, ok := final.(*Model)
	if !ok {
		t.Fatalf("final model: got %T, want *Model", final)
	}
	if got := m.ed.Text(); got != "DeviceProcessEvents" {
		t.Errorf("editor: got %q, want %q", got, "DeviceProcessEvents")
	}
	if m.grid.page() != 2 || m.overlay != overlayNone {
		t.Errorf("got page %d, overlay %d; want page 2, no overlay",
			m.grid.page(), m.overlay)
	}
	if got := env.backend.callCount(); got != 1 {
		t.Errorf("backend calls: got %d, want 1", got)
	}
}
