package history

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ahunt/ahunt/api"
)

// starterLimit is the calls per minute the starters share.
const starterLimit = 3

// runStarter is one ahunt process of a burst started at once on a new
// database: its budget reads the clock (testNow plus the tag in
// milliseconds), it waits for "go" on stdin, then it opens the store and
// makes one call through the budget. It prints "sent", or "refused" and
// the error, and each notice of Open.
func runStarter(db, tag string) error {
	ms, err := strconv.Atoi(tag)
	if err != nil {
		return err
	}
	now := testNow.Add(time.Duration(ms) * time.Millisecond)
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return fmt.Errorf("wait for go: %w", err)
	}
	s, err := Open(db, Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	for _, n := range s.Notices() {
		fmt.Printf("notice %s\n", n)
	}
	limits := api.DefaultLimits()
	limits.CallsPerMinute = starterLimit
	b := api.NewBudget(limits, s.Ledger(), "contoso/demo",
		api.WithClock(stillClock{now}), api.WithMaxWait(time.Second))
	_, err = api.Limit(echoBackend{}, b).Run(context.Background(),
		api.Query{Text: "print 1"})
	var e *api.Error
	switch {
	case err == nil:
		fmt.Println("sent")
	case errors.As(err, &e) && e.Code == api.CodeCallLimit:
		fmt.Printf("refused %v\n", err)
	default:
		return err
	}
	return nil
}

// starter is one running starter process.
type starter struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout strings.Builder
	stderr strings.Builder
}

func startStarter(t *testing.T, db string, ms int) *starter {
	t.Helper()
	s := &starter{cmd: exec.Command(os.Args[0])}
	s.cmd.Env = append(os.Environ(), helperEnv+"=starter", dbEnv+"="+db,
		tagEnv+"="+strconv.Itoa(ms))
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestProcessesStartingAtOnceShareTheCallLimit starts eight processes at
// once on a database that does not exist yet, as eight scripted
// `ahunt query` runs would, each over a budget of three calls a minute.
// Each read its clock before it waited for the others to create the
// store and take their calls, so their clocks are out of step with the
// order in which they reach the ledger. Exactly three calls must be
// sent, nothing may be moved aside, and the ledger must hold three calls.
func TestProcessesStartingAtOnceShareTheCallLimit(t *testing.T) {
	const procs = 8
	for round := range 3 {
		db := filepath.Join(t.TempDir(), "ahunt.db")
		var all []*starter
		for i := range procs {
			// Clocks 0, 10, ... 70 ms after testNow, within a minute.
			all = append(all, startStarter(t, db, 10*i))
		}
		for i := range all {
			// The last clock first, so the order of arrival differs
			// from the order of the clocks more often than not.
			all[len(all)-1-i].stdin.Write([]byte("go\n"))
		}
		sent := 0
		for i, s := range all {
			if err := s.cmd.Wait(); err != nil {
				t.Fatalf("round %d, process %d: %v: %s", round, i, err,
					s.stderr.String())
			}
			for line := range strings.Lines(s.stdout.String()) {
				switch f, _, _ := strings.Cut(line, " "); f {
				case "sent\n":
					sent++
				case "notice":
					t.Errorf("round %d, process %d: got %s, want no "+
						"notice", round, i, strings.TrimSpace(line))
				}
			}
		}
		if sent != starterLimit {
			t.Errorf("round %d: got %d calls sent by %d processes, want "+
				"the limit of %d", round, sent, procs, starterLimit)
		}
		st, err := Open(db, Options{})
		if err != nil {
			t.Fatal(err)
		}
		calls, err := st.Ledger().Calls(context.Background(),
			"contoso/demo", time.Time{})
		st.Close()
		if err != nil || len(calls) != starterLimit {
			t.Errorf("round %d: got %d calls in the ledger, %v; want %d",
				round, len(calls), err, starterLimit)
		}
	}
}
