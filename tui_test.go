package main

// The workbench driven end to end in a real terminal: the built binary in
// a detached tmux session, keys sent with send-keys, the screen read with
// capture-pane.

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// tmuxSession is one workbench running in tmux.
type tmuxSession struct {
	t    *testing.T
	name string
}

// startTUI starts the workbench in a detached tmux session of the given
// size. It skips when tmux is missing, unless AHUNT_REQUIRE_TMUX is set.
func startTUI(t *testing.T, c *cli, width, height int,
	args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("AHUNT_REQUIRE_TMUX") != "" {
			t.Fatal("tmux is required (AHUNT_REQUIRE_TMUX is set) but " +
				"not installed")
		}
		t.Skip("tmux is not installed; the workbench end-to-end test " +
			"needs it (apt-get install tmux)")
	}
	s := &tmuxSession{t: t,
		name: fmt.Sprintf("ahunt-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmdline := []string{"env", "-i"}
	cmdline = append(cmdline, c.env...)
	cmdline = append(cmdline, "TERM=xterm-256color", binary)
	cmdline = append(cmdline, args...)
	tmuxArgs := []string{"new-session", "-d", "-s", s.name,
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	tmuxArgs = append(tmuxArgs, shellJoin(cmdline))
	if out, err := exec.Command("tmux", tmuxArgs...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	exec.Command("tmux", "set-option", "-t", s.name, "remain-on-exit",
		"on").Run()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", s.screen())
		}
		exec.Command("tmux", "kill-session", "-t", s.name).Run()
	})
	return s
}

// shellJoin quotes args for the shell tmux runs the command in.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// keys sends tmux key names (such as "F5", "Enter", "C-q") or literal text
// with -l.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	args := append([]string{"send-keys", "-t", s.name}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("tmux send-keys %v: %v: %s", keys, err, out)
	}
}

// typeText types text literally.
func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	s.keys("-l", text)
}

// screen returns the visible pane as text.
func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "capture-pane", "-p", "-t",
		s.name).Output()
	if err != nil {
		return fmt.Sprintf("(capture-pane: %v)", err)
	}
	return string(out)
}

// waitFor polls the screen until it contains every one of want, or fails
// after a generous deadline (CI machines are slow; polling keeps the test
// fast where they are not).
func (s *tmuxSession) waitFor(what string, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		scr := s.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(scr, w) {
				ok = false
				break
			}
		}
		if ok {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: the screen never showed %q:\n%s", what, want, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// exited reports whether the program in the pane has ended.
func (s *tmuxSession) exited() bool {
	out, err := exec.Command("tmux", "display-message", "-p", "-t", s.name,
		"#{pane_dead}").Output()
	return err == nil && strings.TrimSpace(string(out)) == "1"
}

func TestWorkbenchInTmux(t *testing.T) {
	c := newCLI(t)
	s := startTUI(t, c, 120, 36)
	s.waitFor("first frame", "Query", "Results", "calls 0/15")

	// Type a two-line query as an analyst would, Enter between lines.
	s.typeText("DeviceNetworkEvents")
	s.keys("Enter")
	s.typeText("| where Timestamp > ago(7d) | take 500")
	s.keys("F5")
	s.waitFor("the result", "rows 1-", "of 500", "page 1 of")

	// Page the grid.
	s.keys("Tab", "PageDown")
	s.waitFor("the second page", "page 2 of")
	s.keys("End")
	s.waitFor("the last page", "of 500")

	// The detail view of the current cell, then back.
	s.keys("Enter")
	s.waitFor("the detail view", "row ")
	s.keys("Escape")
	s.waitFor("back to the grid", "Results")

	// History: the run is there; load it and run it again.
	s.keys("F8")
	scr := s.waitFor("the history browser", "History", "500 rows")
	if !strings.Contains(scr, "DeviceNetworkEvents") {
		t.Errorf("history does not show the query:\n%s", scr)
	}
	s.keys("Enter")
	s.waitFor("the query loaded", "Query")
	s.keys("F5")
	s.waitFor("the second run", "calls 2/15")

	// The meter counts a call when it is sent; the run is recorded when
	// its result is in. Wait for that through the command line, which
	// reads the same history, before quitting.
	deadline := time.Now().Add(90 * time.Second)
	for {
		r := c.run("", "history", "--format", "json")
		if strings.Count(r.stdout, `"outcome": "ok"`) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("want two ok runs in history, got:\n%s", r.stdout)
		}
		time.Sleep(200 * time.Millisecond)
	}

	s.keys("C-q")
	for !s.exited() {
		if time.Now().After(deadline) {
			t.Fatalf("ctrl+q did not quit:\n%s", s.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestWorkbenchTinyTerminal(t *testing.T) {
	c := newCLI(t)
	s := startTUI(t, c, 20, 8)
	s.typeText("DeviceInfo | take 3")
	s.keys("F5")
	time.Sleep(2 * time.Second)
	for _, k := range []string{"Tab", "Enter", "Escape", "F8", "Escape",
		"F1", "Escape"} {
		s.keys(k)
	}
	exec.Command("tmux", "resize-window", "-t", s.name, "-x", "80", "-y",
		"24").Run()
	s.waitFor("resized to 80x24", "calls")
	if s.exited() {
		t.Fatalf("the workbench ended at 20x8:\n%s", s.screen())
	}
	s.keys("C-q")
}
