package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
	"github.com/ahunt/ahunt/kql"
)

// activeRun is the query running now.
type activeRun struct {
	id      int
	query   string
	started time.Time
	cancel  context.CancelFunc
}

// outcome is the last run's result line.
type outcome struct {
	text string
	err  bool
}

// queryFinishedMsg is the answer to run id.
type queryFinishedMsg struct {
	id      int
	res     *api.Result
	err     error
	elapsed time.Duration
}

// runRecordedMsg says whether the history store took a run.
type runRecordedMsg struct{ err error }

// runQuery starts text in the background under a new, higher run ID. A
// run still going is cancelled: its answer would be stale anyway.
func (m *Model) runQuery(text string) tea.Cmd {
	if strings.TrimSpace(text) == "" {
		m.setNote("nothing to run: the editor is empty", true)
		return nil
	}
	if m.cfg.Backend == nil {
		m.setNote("cannot run: no backend is configured", true)
		return nil
	}
	if !m.checkBeforeRun(text) {
		return nil
	}
	var cmds []tea.Cmd
	if m.run != nil {
		cmds = append(cmds, m.cancelRun())
	}
	m.runID++
	m.kept = m.ed.Text()
	ctx, cancel := context.WithCancel(context.Background())
	m.run = &activeRun{id: m.runID, query: text, started: m.now(),
		cancel: cancel}
	m.note = ""
	cmds = append(cmds, runCmd(ctx, m.cfg.Backend, m.runID, text, m.now),
		m.spin.Tick)
	return tea.Batch(cmds...)
}

// forceWindow is how long a second run key sends a query that failed
// the local check anyway, as the CLI's --no-check does.
const forceWindow = 5 * time.Second

// forceSend is a query the local check refused, which the run key sends
// anyway until the deadline.
type forceSend struct {
	text     string
	deadline time.Time
}

// checkBeforeRun checks text locally, so that a query the service would
// refuse spends no quota. On an error it shows the first one, moves the
// cursor there and returns false; the run key pressed again within
// forceWindow sends the same text anyway. Warnings never block.
func (m *Model) checkBeforeRun(text string) bool {
	if m.cfg.Check == nil {
		return true
	}
	f := m.force
	m.force = nil
	if f != nil && f.text == text && m.now().Before(f.deadline) {
		return true
	}
	diags := m.cfg.Check(text)
	d, ok := firstError(diags)
	if !ok {
		return true
	}
	if text == m.ed.Text() {
		m.ed.setDiagnostics(diags)
		m.ed.moveToOffset(d.Pos)
	}
	m.force = &forceSend{text: text, deadline: m.now().Add(forceWindow)}
	m.setNote(fmt.Sprintf("nothing sent: error at %d:%d: %s · %s again "+
		"within %s sends it anyway", d.Line, d.Col, clean(d.Message),
		m.keys.Global.RunQuery.Help().Key, shortDuration(forceWindow)),
		true)
	return false
}

// firstError is the first finding of severity error, by position.
func firstError(diags []Diagnostic) (Diagnostic, bool) {
	var first Diagnostic
	found := false
	for _, d := range diags {
		if d.Severity == kql.Error && (!found || d.Pos < first.Pos) {
			first, found = d, true
		}
	}
	return first, found
}

// refreshBudget reads the budget for the meter.
func (m *Model) refreshBudget() {
	if m.cfg.Budget != nil {
		m.budget = m.cfg.Budget.State()
	}
}

// runCmd calls the backend; a panic in it comes back as an error rather
// than taking the terminal down.
func runCmd(ctx context.Context, b api.Backend, id int, text string,
	now func() time.Time) tea.Cmd {
	return func() (msg tea.Msg) {
		start := now()
		defer func() {
			if p := recover(); p != nil {
				msg = queryFinishedMsg{id: id,
					err: fmt.Errorf("backend failed: %v", p)}
			}
		}()
		res, err := b.Run(ctx, api.Query{Text: text})
		return queryFinishedMsg{id: id, res: res, err: err,
			elapsed: now().Sub(start)}
	}
}

// cancelRun stops the running query and records it as cancelled; its
// answer, if it still comes, is dropped as stale.
func (m *Model) cancelRun() tea.Cmd {
	r := m.run
	r.cancel()
	m.run = nil
	m.last = outcome{text: "cancelled", err: true}
	return m.recordRun(history.Run{
		Query:    r.query,
		Started:  r.started,
		Duration: m.now().Sub(r.started),
		Outcome:  history.Cancelled,
	}, nil)
}

// finishRun shows the answer of the current run and drops any other.
func (m *Model) finishRun(msg queryFinishedMsg) tea.Cmd {
	if m.run == nil || msg.id != m.run.id {
		return nil
	}
	r := m.run
	m.run = nil
	r.cancel()
	m.note = ""
	m.refreshBudget() // the run's cost shows now, not at the next tick
	rec := history.Run{Query: r.query, Started: r.started,
		Duration: msg.elapsed}
	if msg.err != nil {
		m.last = outcome{text: m.errorText(msg.err), err: true}
		rec.Outcome, rec.Error = runOutcome(msg.err), msg.err.Error()
		return m.recordRun(rec, nil)
	}
	if msg.res == nil || msg.res.Table == nil {
		err := errors.New("the backend returned no result")
		m.last = outcome{text: "✗ " + err.Error(), err: true}
		rec.Outcome, rec.Error = history.Failed, err.Error()
		return m.recordRun(rec, nil)
	}
	m.grid.setTable(msg.res.Table)
	m.layout()
	m.last = outcome{text: resultSummary(msg.res, msg.elapsed)}
	rec.Outcome = history.OK
	rec.Rows = msg.res.Table.Rows()
	rec.Truncated = msg.res.Truncated
	if msg.res.Stats != nil {
		rec.ServerTime = msg.res.Stats.ExecutionTime
	}
	return m.recordRun(rec, msg.res)
}

// runOutcome classifies a failed run for the history.
func runOutcome(err error) history.Outcome {
	switch {
	case errors.Is(err, context.Canceled):
		return history.Cancelled
	case errors.Is(err, api.ErrThrottled), errors.Is(err, api.ErrQuotaSpent):
		return history.Throttled
	}
	return history.Failed
}

// resultSummary is "1,234 rows in 1.2s (server 0.8s)".
func resultSummary(res *api.Result, elapsed time.Duration) string {
	n := res.Table.Rows()
	s := thousands(n) + " rows"
	if n == 1 {
		s = "1 row"
	}
	s += " in " + shortDuration(elapsed)
	if res.Stats != nil && res.Stats.ExecutionTime > 0 {
		s += " (server " + shortDuration(res.Stats.ExecutionTime) + ")"
	}
	if res.Truncated {
		s += " · probably truncated at the row cap"
	}
	return "✓ " + s
}

// errorText puts an error in words; when the service placed it in the
// query, the words say where and the editor's cursor moves there.
func (m *Model) errorText(err error) string {
	msg := "✗ " + clean(err.Error())
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Line <= 0 {
		return msg
	}
	m.ed.move(ae.Line-1, max(ae.Col-1, 0))
	if !strings.Contains(msg, "line") {
		msg += fmt.Sprintf(" (line %d, col %d)", ae.Line, ae.Col)
	}
	return msg
}

// recordRun saves a run in the history store in the background.
func (m *Model) recordRun(r history.Run, res *api.Result) tea.Cmd {
	store := m.cfg.Store
	if store == nil {
		return nil
	}
	r.Backend = m.cfg.Backend.Name()
	r.Tenant = m.cfg.Tenant
	r.Cached = res != nil
	return func() tea.Msg {
		_, err := store.AddRun(context.Background(), r, res)
		return runRecordedMsg{err: err}
	}
}

// checkDebounce is how long typing must pause before the checker runs.
const checkDebounce = 150 * time.Millisecond

// checkDueMsg says the pause after edit version has passed.
type checkDueMsg struct{ version int }

// checkedMsg carries the checker's findings for an edit version.
type checkedMsg struct {
	version int
	diags   []Diagnostic
}

// checkCmd waits for typing to pause, then checks the text.
func (m *Model) checkCmd() tea.Cmd {
	if m.cfg.Check == nil {
		return nil
	}
	v := m.ed.version
	return tea.Tick(checkDebounce, func(time.Time) tea.Msg {
		return checkDueMsg{version: v}
	})
}

// checkNow runs the checker on the current text in the background.
func (m *Model) checkNow() tea.Cmd {
	check, v, text := m.cfg.Check, m.ed.version, m.ed.Text()
	return func() tea.Msg {
		return checkedMsg{version: v, diags: check(text)}
	}
}
