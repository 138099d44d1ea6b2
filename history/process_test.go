package history

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// The reliability tests run real processes: the test binary re-executed
// with helperEnv set runs a helper instead of the tests.
const (
	helperEnv = "AHUNT_HISTORY_HELPER" // "writer", "reserver", "starter"
	dbEnv     = "AHUNT_HISTORY_DB"
	countEnv  = "AHUNT_HISTORY_COUNT" // 0 means until killed
	tagEnv    = "AHUNT_HISTORY_TAG"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		if err := runHelper(mode); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	removeBig()
	if code == 0 {
		// Every store the tests open is closed, and closing must stop
		// every goroutine the store started.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "leaked goroutines:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func runHelper(mode string) error {
	if mode == "starter" {
		return runStarter(os.Getenv(dbEnv), os.Getenv(tagEnv))
	}
	n, err := strconv.Atoi(os.Getenv(countEnv))
	if err != nil {
		return err
	}
	s, err := Open(os.Getenv(dbEnv), Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	tag := os.Getenv(tagEnv)
	for i := 0; n == 0 || i < n; i++ {
		switch mode {
		case "writer":
			err = writeOne(s, tag, i)
		case "reserver":
			err = reserveOne(s)
		default:
			err = fmt.Errorf("unknown mode %q", mode)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// writeOne records a run, with a result every third time, and a ledger
// call, and reports each on stdout once it is committed.
func writeOne(s *Store, tag string, i int) error {
	ctx := context.Background()
	var res = smallResult()
	if i%3 != 0 {
		res = nil
	}
	id, err := s.AddRun(ctx, testRun(fmt.Sprintf("%s %d", tag, i)), res)
	if err != nil {
		return err
	}
	fmt.Printf("run %d %s %d\n", id, tag, i)
	call, ok, _, err := s.Ledger().Reserve(ctx, tag, time.Now(),
		time.Hour, 1<<30)
	if err != nil || !ok {
		return fmt.Errorf("reserve: %v, %w", ok, err)
	}
	fmt.Printf("call %d\n", call)
	return nil
}

// reserverLimit is the shared call limit the reservers race for.
const reserverLimit = 50

func reserveOne(s *Store) error {
	id, ok, _, err := s.Ledger().Reserve(context.Background(), "shared",
		testNow, time.Hour, reserverLimit)
	if err != nil {
		return err
	}
	if ok {
		fmt.Printf("call %d\n", id)
	}
	return nil
}

// helper is one running helper process.
type helper struct {
	cmd    *exec.Cmd
	lines  *bufio.Scanner
	stderr strings.Builder
}

func startHelper(t *testing.T, mode, db, tag string, n int) *helper {
	t.Helper()
	h := &helper{cmd: exec.Command(os.Args[0])}
	h.cmd.Env = append(os.Environ(), helperEnv+"="+mode, dbEnv+"="+db,
		countEnv+"="+strconv.Itoa(n), tagEnv+"="+tag)
	h.cmd.Stderr = &h.stderr
	out, err := h.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	h.lines = bufio.NewScanner(out)
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return h
}

// reported is what a helper said it committed.
type reported struct {
	runs  map[int64]string // run ID to query
	calls []int64
}

// read reads up to max lines (all when max is 0) into rep.
func (h *helper) read(rep *reported, max int) error {
	for i := 0; (max == 0 || i < max) && h.lines.Scan(); i++ {
		f := strings.Fields(h.lines.Text())
		if len(f) < 2 {
			return fmt.Errorf("helper said %q", h.lines.Text())
		}
		id, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return fmt.Errorf("helper said %q", h.lines.Text())
		}
		if f[0] == "run" {
			rep.runs[id] = strings.Join(f[2:], " ")
		} else {
			rep.calls = append(rep.calls, id)
		}
	}
	return h.lines.Err()
}

func newReported() *reported {
	return &reported{runs: map[int64]string{}}
}

// checkRuns opens the store at db and checks it holds every run in rep.
func checkRuns(t *testing.T, db string, rep *reported) *Store {
	t.Helper()
	s, err := Open(db, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	for id, q := range rep.runs {
		r, err := s.Run(context.Background(), id)
		if err != nil || r.Query != q {
			t.Fatalf("run %d: got %q, %v; want %q", id, r.Query, err, q)
		}
	}
	return s
}

func TestTwoProcessesLoseNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ahunt.db")
	const n = 150
	reps := []*reported{newReported(), newReported()}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, tag := range []string{"alpha", "beta"} {
		// Both start on a database that does not exist yet, so they
		// also race to create and migrate it.
		h := startHelper(t, "writer", db, tag, n)
		wg.Go(func() {
			if err := h.read(reps[i], 0); err != nil {
				errs[i] = err
			}
			if err := h.cmd.Wait(); err != nil {
				errs[i] = fmt.Errorf("%s: %w: %s", tag, err, h.stderr.String())
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s := checkRuns(t, db, reps[0])
	checkRuns(t, db, reps[1])
	runs, err := s.Runs(context.Background(), RunFilter{Limit: 3 * n})
	if err != nil || len(runs) != 2*n {
		t.Fatalf("got %d runs, %v; want %d", len(runs), err, 2*n)
	}
	for i, tag := range []string{"alpha", "beta"} {
		calls, err := s.Ledger().Calls(context.Background(), tag, time.Time{})
		if err != nil || len(calls) != n || len(reps[i].calls) != n {
			t.Errorf("%s: got %d calls (%d reported), %v; want %d",
				tag, len(calls), len(reps[i].calls), err, n)
		}
	}
}

func TestTwoProcessesShareTheCallLimit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ahunt.db")
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 2 {
		h := startHelper(t, "reserver", db, "", 2*reserverLimit/3)
		wg.Go(func() {
			rep := newReported()
			err := h.read(rep, 0)
			if werr := h.cmd.Wait(); werr != nil {
				err = fmt.Errorf("%w: %s", werr, h.stderr.String())
			}
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += len(rep.calls)
			mu.Unlock()
		})
	}
	wg.Wait()
	if total != reserverLimit {
		t.Errorf("got %d calls reserved by two processes, want the "+
			"limit of %d", total, reserverLimit)
	}
}

func TestKilledWriterLosesNoCommittedRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ahunt.db")
	rng := rand.New(rand.NewPCG(1, 2))
	all := newReported()
	rounds := 40
	if testing.Short() {
		rounds = 5
	}
	for round := range rounds {
		h := startHelper(t, "writer", db, fmt.Sprintf("r%d", round), 0)
		// Let it commit a few runs, then kill it at a moment that
		// falls inside a write more often than not.
		if err := h.read(all, 1+rng.IntN(60)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		if err := h.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		// What it reported before it died is still in the pipe.
		if err := h.read(all, 0); err != nil && err != io.EOF {
			t.Fatal(err)
		}
		h.cmd.Wait()
	}
	s := checkRuns(t, db, all)
	var check string
	err := s.db.QueryRow("PRAGMA integrity_check").Scan(&check)
	if err != nil || check != "ok" {
		t.Errorf("integrity_check: got %q, %v; want ok", check, err)
	}
	if len(all.runs) < rounds {
		t.Errorf("got %d runs reported, want at least one a round",
			len(all.runs))
	}
}

// TestKilledWhileCreatingStillOpens kills writers on new databases at
// random moments of their start: opening, creating the schema, the first
// runs. Each database must open afterwards with every run reported.
func TestKilledWhileCreatingStillOpens(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 12 {
		db := filepath.Join(t.TempDir(), "ahunt.db")
		rep := newReported()
		h := startHelper(t, "writer", db, "new", 0)
		time.Sleep(time.Duration(rng.IntN(40_000)) * time.Microsecond)
		if err := h.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		if err := h.read(rep, 0); err != nil {
			t.Fatal(err)
		}
		h.cmd.Wait()
		s := checkRuns(t, db, rep)
		if n := s.Notices(); len(n) != 0 {
			t.Errorf("round %d: got notices %q, want none", round, n)
		}
	}
}
