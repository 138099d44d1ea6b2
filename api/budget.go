package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// Clock is the budget's time source; tests inject a fake one.
type Clock interface {
	Now() time.Time
	// After sends the time on the returned channel once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) After(d time.Duration) <-chan time.Time {
	return time.After(d)
}

// The reasons a call waits, as in Wait.Reason.
const (
	WaitSlot     = "call slot"
	WaitThrottle = "throttle"
)

// The codes of the budget's own refusals, in Error.Code. They tell the
// server which of Microsoft's wordings to answer with.
const (
	CodeCallLimit   = "CallsPerMinute"
	CodeThrottled   = "Throttled"
	CodeRuntimeHour = "RuntimePerHour"
	CodeRuntimeDay  = "RuntimePerDay"
)

// Wait describes a wait as it starts, for OnWait.
type Wait struct {
	// Reason is WaitSlot or WaitThrottle.
	Reason string
	// Duration is how long the wait is; Until when it ends.
	Duration time.Duration
	Until    time.Time
	// Calls is how many calls started in the last minute (slot waits).
	Calls int
	// Message is the service's words (throttle waits).
	Message string

	kind error // of the 429 behind a throttle wait
}

// String reads as in "waiting 12s for a call slot (15 calls in the last
// minute)".
func (w Wait) String() string {
	d := w.Duration.Round(time.Second)
	if w.Reason == WaitSlot {
		return fmt.Sprintf("waiting %s for a call slot (%d calls in the "+
			"last minute)", d, w.Calls)
	}
	if w.Message == "" {
		return fmt.Sprintf("waiting %s: the service is throttling", d)
	}
	return fmt.Sprintf("waiting %s: the service is throttling (%s)", d,
		oneLine(w.Message))
}

// Budget keeps the calls and running time of one tenant's API within its
// Limits. Put it in front of a backend with Limit; several budgets over
// one Ledger and key share the limits, across processes too.
type Budget struct {
	limits  Limits
	ledger  Ledger
	key     string
	clock   Clock
	maxWait time.Duration
	onWait  func(Wait)

	mu             sync.Mutex
	waiting        int
	waitUntil      time.Time
	throttledUntil time.Time
	throttleReason string
	// throttleKind is ErrThrottled, or ErrQuotaSpent when the service
	// said its CPU quota ran out.
	throttleKind error
}

// Option sets an optional Budget setting.
type Option func(*Budget)

// WithClock sets the clock; the default is the system clock.
func WithClock(c Clock) Option { return func(b *Budget) { b.clock = c } }

// WithMaxWait caps a wait: a call that would wait longer for a slot or a
// throttle fails at once with an *Error whose RetryAfter says how long it
// would have been. Zero, the default, waits as long as it takes.
func WithMaxWait(d time.Duration) Option {
	return func(b *Budget) { b.maxWait = d }
}

// WithOnWait has f called, on the waiting goroutine, as each wait starts.
func WithOnWait(f func(Wait)) Option { return func(b *Budget) { b.onWait = f } }

// NewBudget returns a budget of limits l kept in ledger under key (a
// tenant and backend, as in "contoso/graph"). A nil ledger is a fresh
// MemoryLedger.
func NewBudget(l Limits, ledger Ledger, key string, opts ...Option) *Budget {
	if ledger == nil {
		ledger = NewMemoryLedger()
	}
	b := &Budget{limits: l, ledger: ledger, key: key, clock: realClock{}}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Limits returns the budget's limits.
func (b *Budget) Limits() Limits { return b.limits }

// ticket is one admitted call, to be settled.
type ticket struct {
	id    int64
	start time.Time
}

// gate is what a backend's every HTTP attempt passes: a Budget.
type gate interface {
	acquire(ctx context.Context) (ticket, error)
	settle(t ticket, server time.Duration)
	release(t ticket)
	throttled(e *Error, try int)
	requestTimeout() time.Duration
}

// acquire admits one call, waiting for a throttle or a slot to pass.
func (b *Budget) acquire(ctx context.Context) (ticket, error) {
	return b.admit(ctx, b.wait)
}

// acquireNow admits one call or refuses at once with the wait it needs.
func (b *Budget) acquireNow(ctx context.Context) (ticket, error) {
	return b.admit(ctx, func(_ context.Context, w Wait) error {
		return b.waitError(w)
	})
}

func (b *Budget) admit(ctx context.Context,
	wait func(context.Context, Wait) error) (ticket, error) {
	for {
		now := b.clock.Now()
		if w, ok := b.throttle(now); ok {
			if err := wait(ctx, w); err != nil {
				return ticket{}, err
			}
			continue
		}
		if err := b.checkRuntime(ctx, now); err != nil {
			return ticket{}, err
		}
		limit := b.callLimit()
		id, ok, retryAt, err := b.ledger.Reserve(ctx, b.key, now,
			time.Minute, limit)
		if err != nil {
			return ticket{}, fmt.Errorf("budget: %w", err)
		}
		if ok {
			return ticket{id: id, start: now}, nil
		}
		w := Wait{Reason: WaitSlot, Until: retryAt,
			Duration: retryAt.Sub(now), Calls: limit}
		if err := wait(ctx, w); err != nil {
			return ticket{}, err
		}
	}
}

func (b *Budget) callLimit() int {
	if b.limits.Unlimited || b.limits.CallsPerMinute <= 0 {
		return math.MaxInt
	}
	return b.limits.CallsPerMinute
}

// throttle returns the wait a 429 still imposes at now.
func (b *Budget) throttle(now time.Time) (Wait, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !now.Before(b.throttledUntil) {
		return Wait{}, false
	}
	return Wait{Reason: WaitThrottle, Until: b.throttledUntil,
		Duration: b.throttledUntil.Sub(now),
		Message:  b.throttleReason, kind: b.throttleKind}, true
}

// wait blocks for w, unless it is longer than the maximum wait or ctx
// ends first.
func (b *Budget) wait(ctx context.Context, w Wait) error {
	if b.maxWait > 0 && w.Duration > b.maxWait {
		return b.waitError(w)
	}
	b.mu.Lock()
	b.waiting++
	if w.Until.After(b.waitUntil) {
		b.waitUntil = w.Until
	}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if b.waiting--; b.waiting == 0 {
			b.waitUntil = time.Time{}
		}
		b.mu.Unlock()
	}()
	if b.onWait != nil {
		b.onWait(w)
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-b.clock.After(w.Duration):
		return nil
	}
}

// waitError is the refusal of a wait too long to make.
func (b *Budget) waitError(w Wait) error {
	e := &Error{Kind: ErrThrottled, RetryAfter: w.Duration}
	if w.Reason == WaitSlot {
		e.Code = CodeCallLimit
		e.Message = fmt.Sprintf("%d calls in the last minute, the limit",
			w.Calls)
	} else {
		e.Code = CodeThrottled
		e.Message = w.Message
		if w.kind != nil {
			e.Kind = w.kind
		}
	}
	if b.maxWait > 0 {
		e.Message += fmt.Sprintf("; the wait is over the %s maximum",
			b.maxWait)
	}
	return e
}

// checkRuntime refuses a call while the hourly or daily running time is
// spent, saying when enough of it frees.
func (b *Budget) checkRuntime(ctx context.Context, now time.Time) error {
	if b.limits.Unlimited {
		return nil
	}
	u, err := b.usage(ctx, now)
	if err != nil {
		return err
	}
	if u.spent == "" {
		return nil
	}
	code, limit := CodeRuntimeHour, b.limits.RuntimePerHour
	if u.spent == "day" {
		code, limit = CodeRuntimeDay, b.limits.RuntimePerDay
	}
	return &Error{Kind: ErrQuotaSpent, Code: code,
		RetryAfter: u.freesAt.Sub(now),
		Message: fmt.Sprintf("the %s of running time allowed per %s is "+
			"spent; it frees %s", limit, u.spent, When(u.freesAt, now))}
}

// usage is what the ledger says about the windows at one instant.
type usage struct {
	calls     []Call // in the last minute, oldest first
	hour, day time.Duration
	spent     string // "hour", "day" or ""
	freesAt   time.Time
}

func (b *Budget) usage(ctx context.Context, now time.Time) (usage, error) {
	calls, err := b.ledger.Calls(ctx, b.key, now.Add(-24*time.Hour))
	if err != nil {
		return usage{}, fmt.Errorf("budget: %w", err)
	}
	var u usage
	hourIn := windowed(calls, now, time.Hour)
	dayIn := windowed(calls, now, 24*time.Hour)
	u.calls = windowed(calls, now, time.Minute)
	u.hour, u.day = total(hourIn), total(dayIn)
	if l := b.limits.RuntimePerHour; l > 0 && u.hour >= l {
		u.spent, u.freesAt = "hour", freesAt(hourIn, l, time.Hour)
	}
	if l := b.limits.RuntimePerDay; l > 0 && u.day >= l {
		if t := freesAt(dayIn, l, 24*time.Hour); t.After(u.freesAt) {
			u.spent, u.freesAt = "day", t
		}
	}
	return u, nil
}

// windowed returns the calls after now-window, as Ledger.Reserve counts
// them: calls stamped after now, by a process whose clock read later,
// are in.
func windowed(calls []Call, now time.Time, window time.Duration) []Call {
	var out []Call
	for _, c := range calls {
		if c.At.After(now.Add(-window)) {
			out = append(out, c)
		}
	}
	return out
}

func total(calls []Call) time.Duration {
	var t time.Duration
	for _, c := range calls {
		t += c.Runtime
	}
	return t
}

// freesAt returns when enough of the calls age out of the window for
// their running time to drop below limit.
func freesAt(calls []Call, limit, window time.Duration) time.Time {
	left := total(calls)
	for _, c := range calls {
		left -= c.Runtime
		if left < limit {
			return c.At.Add(window)
		}
	}
	return time.Time{}
}

// settle charges a finished call: the server's execution time where
// reported, else the wall time since it was admitted.
func (b *Budget) settle(t ticket, server time.Duration) {
	runtime := server
	if runtime <= 0 {
		runtime = b.clock.Now().Sub(t.start)
	}
	// TODO: a ledger that fails to settle leaves the call charged at zero
	// running time; the next Reserve or State will surface the ledger's
	// failure, so it is not reported here.
	_ = b.ledger.Settle(context.Background(), b.key, t.id, runtime)
}

// release gives back the slot of a call that was never sent, when the
// ledger can; otherwise the call stays charged, with no running time.
func (b *Budget) release(t ticket) {
	r, ok := b.ledger.(Releaser)
	if !ok {
		return
	}
	// TODO: a failed release leaves the call charged, as if sent; the
	// next Reserve or State surfaces the ledger's failure.
	_ = r.Release(context.Background(), b.key, t.id)
}

// throttled records a 429: calls wait out Retry-After, else the wait the
// message names, else a backoff from a minute upward with jitter.
func (b *Budget) throttled(e *Error, try int) {
	d := e.RetryAfter
	if d <= 0 {
		d = throttleBackoff(try)
	}
	until := b.clock.Now().Add(d)
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.throttledUntil) {
		b.throttledUntil = until
	}
	b.throttleReason, b.throttleKind = e.Message, e.Kind
}

// throttleBackoff is a minute doubled for each earlier try, at most ten
// minutes, plus up to a quarter more of jitter.
func throttleBackoff(try int) time.Duration {
	d := min(time.Minute<<(try-1), 10*time.Minute)
	return d + rand.N(d/4)
}

func (b *Budget) requestTimeout() time.Duration {
	return b.limits.RequestTimeout
}

// State returns a snapshot for the quota meter. A ledger failure leaves
// the usage fields zero.
func (b *Budget) State() BudgetState {
	now := b.clock.Now()
	st := BudgetState{Limits: b.limits}
	if u, err := b.usage(context.Background(), now); err == nil {
		st.Calls = len(u.calls)
		if l := b.callLimit(); len(u.calls) >= l {
			st.NextSlot = u.calls[len(u.calls)-l].At.Add(time.Minute)
		}
		st.RuntimeHour, st.RuntimeDay = u.hour, u.day
		if !b.limits.Unlimited {
			st.Spent, st.FreesAt = u.spent, u.freesAt
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	st.Waiting, st.WaitUntil = b.waiting > 0, b.waitUntil
	if now.Before(b.throttledUntil) {
		st.Throttled, st.ThrottledUntil = true, b.throttledUntil
		st.ThrottleReason = b.throttleReason
		if b.throttledUntil.After(st.NextSlot) {
			st.NextSlot = b.throttledUntil
		}
	}
	return st
}

// gatedBackend is a backend that passes every HTTP attempt, retries
// included, through a gate.
type gatedBackend interface {
	run(ctx context.Context, q Query, g gate) (*Result, error)
}

// Limit returns be behind b: every call waits for, or is refused by, the
// budget, and is charged to it; a 429 is waited out within the maximum
// wait. For the HTTP backends each retry is a call of its own. The
// result of exactly Limits.MaxRows rows is flagged Truncated.
func Limit(be Backend, b *Budget) Backend { return &limited{be: be, b: b} }

type limited struct {
	be Backend
	b  *Budget
}

// Name returns the name of the backend behind the budget.
func (l *limited) Name() string { return l.be.Name() }

// Run runs q through the budget.
func (l *limited) Run(ctx context.Context, q Query) (*Result, error) {
	var res *Result
	var err error
	if g, ok := l.be.(gatedBackend); ok {
		res, err = g.run(ctx, q, l.b)
	} else {
		res, err = l.runPlain(ctx, q)
	}
	var e *Error
	if errors.As(err, &e) && e.Backend == "" {
		e.Backend = l.be.Name()
	}
	if res != nil && l.b.limits.MaxRows > 0 &&
		res.Table.Rows() == l.b.limits.MaxRows {
		res.Truncated = true
	}
	return res, err
}

// runPlain passes a backend that knows nothing of budgets (the demo
// engine) through the budget once per attempt.
func (l *limited) runPlain(ctx context.Context, q Query) (*Result, error) {
	for try := 1; ; try++ {
		t, err := l.b.acquire(ctx)
		if err != nil {
			return nil, err
		}
		res, err := l.attempt(ctx, q)
		var server time.Duration
		if res != nil && res.Stats != nil {
			server = res.Stats.ExecutionTime
		}
		l.b.settle(t, server)
		var e *Error
		if errors.As(err, &e) && e.Status == 429 && try <= maxThrottleRetries {
			l.b.throttled(e, try)
			continue
		}
		return res, err
	}
}

// attempt runs q once within the request timeout.
func (l *limited) attempt(ctx context.Context, q Query) (*Result, error) {
	d := l.b.limits.RequestTimeout
	if d <= 0 {
		return l.be.Run(ctx, q)
	}
	actx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	res, err := l.be.Run(actx, q)
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		var e *Error
		if !errors.As(err, &e) {
			err = &Error{Kind: ErrTimeout, Backend: l.be.Name(),
				Message: fmt.Sprintf("no answer within the %s request "+
					"timeout", d), Err: err}
		}
	}
	return res, err
}
