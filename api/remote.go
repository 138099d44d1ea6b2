package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Config configures a remote backend. Only API, TenantID and ClientID are
// needed for the public clouds; the rest have defaults.
type Config struct {
	// API is "graph", "xdr" or "mde".
	API string
	// Endpoint overrides the API's host, for regional, government and
	// local servers ("https://us.api.security.microsoft.com",
	// "http://127.0.0.1:8080"). A path in it is kept as a prefix. Plain
	// http is allowed only to a loopback address.
	Endpoint string
	// Scope overrides the token scope, which defaults to the API's
	// "{audience}/.default" (set it for sovereign clouds).
	Scope string
	// Authority is the sign-in host; default https://login.microsoftonline.com.
	Authority string
	// TenantID is the directory (tenant) ID or domain.
	TenantID string
	// ClientID is the app registration's application (client) ID.
	ClientID string
	// ClientSecret selects client-credentials sign-in; empty means
	// delegated sign-in through the refresh token DeviceLogin keeps.
	ClientSecret string
	// TokenSource, when set, supplies tokens instead of either sign-in.
	TokenSource oauth2.TokenSource
	// TokenFile is where DeviceLogin keeps the refresh token; default
	// $XDG_STATE_HOME/ahunt/{tenant id}-{api}.token.
	TokenFile string
	// HTTPClient sends the requests; default a client with no timeout of
	// its own (RequestTimeout bounds each request).
	HTTPClient *http.Client
	// UserAgent is sent with every request; default "ahunt".
	UserAgent string
	// MaxBody caps a response body in bytes; default DefaultMaxBody.
	MaxBody int64
	// RequestTimeout bounds one request from send to last byte; default
	// 10 minutes. A Budget in front of the backend sets its own.
	RequestTimeout time.Duration
	// MaxRows is the service's row cap, for Result.Truncated; default
	// 100,000.
	MaxRows int
	// RetryBackoff is the first wait before retrying a 5xx; it doubles
	// once. Default 2 seconds.
	RetryBackoff time.Duration
}

// apiSpec is what differs between the three APIs.
type apiSpec struct {
	host, path, scope string
	// timespan is true when the API takes Query.Timespan (Graph).
	timespan bool
}

var apiSpecs = map[string]apiSpec{
	"graph": {"https://graph.microsoft.com", "/v1.0/security/runHuntingQuery",
		"https://graph.microsoft.com/.default", true},
	"xdr": {"https://api.security.microsoft.com", "/api/advancedhunting/run",
		"https://api.security.microsoft.com/.default", false},
	"mde": {"https://api.securitycenter.microsoft.com",
		"/api/advancedqueries/run",
		"https://api.securitycenter.microsoft.com/.default", false},
}

// DefaultAuthority is the Microsoft Entra sign-in host of the public cloud.
const DefaultAuthority = "https://login.microsoftonline.com"

// remote is a Backend over one of the three HTTP APIs.
type remote struct {
	name   string
	spec   apiSpec
	url    string
	client *http.Client
	tokens *tokenCache
	cfg    Config
}

// NewRemote returns the backend for cfg.API. It checks the settings but
// makes no call: credentials are first used by Run.
func NewRemote(cfg Config) (Backend, error) {
	spec, ok := apiSpecs[cfg.API]
	if !ok {
		return nil, fmt.Errorf("api %q: want graph, xdr or mde", cfg.API)
	}
	if err := cfg.fill(spec); err != nil {
		return nil, err
	}
	base, err := checkURL(cfg.Endpoint, "endpoint")
	if err != nil {
		return nil, err
	}
	r := &remote{
		name:   cfg.API,
		spec:   spec,
		url:    strings.TrimSuffix(base.String(), "/") + spec.path,
		client: cfg.HTTPClient,
		cfg:    cfg,
	}
	fetch, err := tokenFetcher(cfg, r.client)
	if err != nil {
		return nil, err
	}
	r.tokens = &tokenCache{fetch: fetch, now: time.Now}
	return r, nil
}

// fill sets the defaults of c and checks what has none.
func (c *Config) fill(spec apiSpec) error {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Endpoint, spec.host)
	def(&c.Scope, spec.scope)
	def(&c.Authority, DefaultAuthority)
	def(&c.UserAgent, "ahunt")
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultLimits().RequestTimeout
	}
	if c.MaxRows <= 0 {
		c.MaxRows = DefaultLimits().MaxRows
	}
	if c.RetryBackoff <= 0 {
		c.RetryBackoff = 2 * time.Second
	}
	if c.TokenSource == nil && (c.TenantID == "" || c.ClientID == "") {
		return errors.New("config: tenant and client id are required")
	}
	return nil
}

// checkURL parses an endpoint or authority URL: https, or http to a
// loopback host only, so that no token crosses a network in clear.
func checkURL(raw, what string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	switch {
	case u.Host == "":
		return nil, fmt.Errorf("%s %q: no host", what, raw)
	case u.Scheme == "https":
		return u, nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return u, nil
	case u.Scheme == "http":
		return nil, fmt.Errorf("%s %q: plain http only to a loopback "+
			"address; use https", what, raw)
	}
	return nil, fmt.Errorf("%s %q: scheme %q, want https", what, raw,
		u.Scheme)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Name returns the API name: "graph", "xdr" or "mde".
func (r *remote) Name() string { return r.name }

// Run sends q, retrying a 5xx at most twice and a 401 once with a fresh
// token. A 429 is returned as is; put a Budget in front (Limit) to have
// it waited out.
func (r *remote) Run(ctx context.Context, q Query) (*Result, error) {
	return r.run(ctx, q, nil)
}

// maxThrottleRetries caps how often one Run waits out a 429.
const maxThrottleRetries = 4

// run is Run with every attempt passing g, when g is not nil.
func (r *remote) run(ctx context.Context, q Query, g gate) (*Result, error) {
	var fails, throttles int
	refreshed := false
	for {
		res, sent, err := r.attempt(ctx, q, g)
		var e *Error
		if err == nil || !errors.As(err, &e) {
			return res, err
		}
		switch {
		case e.Status == http.StatusUnauthorized && sent && !refreshed:
			// The service refused the token; a refused sign-in (sent is
			// false) would only be refused again.
			refreshed = true
			r.tokens.invalidate()
		case e.Status >= 500 && fails < 2:
			fails++
			wait := backoff(r.cfg.RetryBackoff, fails)
			if err := sleep(ctx, wait); err != nil {
				return nil, fmt.Errorf("%s: %w", r.name, err)
			}
		case e.Status == http.StatusTooManyRequests && g != nil &&
			throttles < maxThrottleRetries:
			throttles++
			g.throttled(e, throttles)
		default:
			return nil, err
		}
	}
}

// attempt makes one call through g and reports whether the request was
// sent. It signs in before it takes a call slot, so that a refused
// sign-in costs no call and never waits for a slot; the request then
// reuses the cached token.
func (r *remote) attempt(ctx context.Context, q Query,
	g gate) (res *Result, sent bool, err error) {
	timeout := r.cfg.RequestTimeout
	if g != nil {
		if d := g.requestTimeout(); d > 0 {
			timeout = d
		}
	}
	if err := r.signIn(ctx, timeout); err != nil {
		return nil, false, err
	}
	if g == nil {
		return r.once(ctx, q, timeout)
	}
	t, err := g.acquire(ctx)
	if err != nil {
		return nil, false, err
	}
	res, sent, err = r.once(ctx, q, timeout)
	if !sent {
		// The token lapsed during the wait and could not be renewed.
		g.release(t)
		return res, sent, err
	}
	var server time.Duration
	if res != nil && res.Stats != nil {
		server = res.Stats.ExecutionTime
	}
	g.settle(t, server)
	return res, sent, err
}

// signIn makes sure a token is at hand, fetching one if needed.
func (r *remote) signIn(ctx context.Context, timeout time.Duration) error {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := r.tokens.token(oauthContext(actx, r.client)); err != nil {
		return r.failure(ctx, actx, timeout, err)
	}
	return nil
}

// backoff returns base doubled for each earlier try, plus up to a quarter
// more of jitter so that several clients do not retry in step.
func backoff(base time.Duration, try int) time.Duration {
	d := base << (try - 1)
	return d + rand.N(d/4+1)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// once sends one request and decodes its answer. It reports whether the
// request was sent: false when no token could be had or the request not
// built.
func (r *remote) once(ctx context.Context, q Query,
	timeout time.Duration) (*Result, bool, error) {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tok, err := r.tokens.token(oauthContext(actx, r.client))
	if err != nil {
		return nil, false, r.failure(ctx, actx, timeout, err)
	}
	req, err := r.request(actx, q, tok)
	if err != nil {
		return nil, false, err
	}
	start := time.Now()
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, true, r.failure(ctx, actx, timeout, err)
	}
	defer resp.Body.Close()
	body := &limitReader{r: resp.Body, left: r.cfg.MaxBody,
		limit: r.cfg.MaxBody}
	if resp.StatusCode/100 != 2 {
		return nil, true, r.httpError(ctx, actx, timeout, resp, body)
	}
	tab, stats, err := Decode(body)
	if err != nil {
		return nil, true, r.failure(ctx, actx, timeout,
			fmt.Errorf("decode result: %w", err))
	}
	return &Result{
		Table:     tab,
		Stats:     stats,
		Truncated: tab.Rows() == r.cfg.MaxRows,
		Elapsed:   time.Since(start),
	}, true, nil
}

// request builds the POST for q. The body goes through a JSON encoder so
// that line breaks in the KQL are escaped.
func (r *remote) request(ctx context.Context, q Query,
	tok *oauth2.Token) (*http.Request, error) {
	body := struct {
		Query    string
		Timespan string `json:",omitempty"`
	}{Query: q.Text}
	if r.spec.timespan {
		body.Timespan = q.Timespan
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<" and "&" stay readable in the KQL
	if err := enc.Encode(body); err != nil {
		return nil, fmt.Errorf("encode query: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url,
		&b)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", r.cfg.UserAgent)
	tok.SetAuthHeader(req)
	return req, nil
}

// maxErrorBody caps how much of an error body is read.
const maxErrorBody = 1 << 20

func (r *remote) httpError(ctx, actx context.Context, timeout time.Duration,
	resp *http.Response, body io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(body, maxErrorBody))
	if err != nil && len(b) == 0 {
		return r.failure(ctx, actx, timeout,
			fmt.Errorf("HTTP %d: read error body: %w", resp.StatusCode, err))
	}
	return newHTTPError(r.name, resp.StatusCode, resp.Header, b, time.Now())
}

// failure turns a transport, token or decode error into an *Error, or
// returns the caller's own cancellation as it is.
func (r *remote) failure(ctx, actx context.Context, timeout time.Duration,
	err error) error {
	var e *Error
	var size *SizeError
	var ne net.Error
	switch {
	case errors.As(err, &e):
		if e.Backend == "" {
			e.Backend = r.name
		}
		return e
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("%s: %w", r.name, ctx.Err())
	case ctx.Err() != nil:
		return &Error{Kind: ErrTimeout, Backend: r.name, Err: ctx.Err()}
	case actx.Err() != nil:
		return &Error{Kind: ErrTimeout, Backend: r.name,
			Message: fmt.Sprintf("no answer within the %s request timeout",
				timeout)}
	case errors.As(err, &size):
		return &Error{Kind: ErrResultTooLarge, Backend: r.name, Err: err}
	case errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: ErrTimeout, Backend: r.name, Err: err}
	case isTransport(err):
		return &Error{Kind: ErrNetwork, Backend: r.name, Err: err}
	}
	return &Error{Kind: ErrBadResponse, Backend: r.name, Err: err}
}

// isTransport reports whether err came from the connection rather than
// from the bytes that arrived: a failed dial, a reset, a cut-off body.
func isTransport(err error) bool {
	var ue *url.Error
	var oe *net.OpError
	return errors.As(err, &ue) || errors.As(err, &oe) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed)
}

// SizeError is the failure of a body over the size limit.
type SizeError struct {
	// Limit is the cap in bytes.
	Limit int64
}

// Error names the limit and the setting that raises it.
func (e *SizeError) Error() string {
	return fmt.Sprintf("response body over the %d MiB limit (MaxBody)",
		e.Limit>>20)
}

// limitReader reads at most limit bytes, then fails with a *SizeError if
// more follow.
type limitReader struct {
	r           io.Reader
	left, limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &SizeError{Limit: l.limit}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
