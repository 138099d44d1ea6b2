package api

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// tableBackend answers every query with its table, or its error, and
// keeps the queries it was sent.
type tableBackend struct {
	tab  *table.Table
	err  error
	exec time.Duration
	mu   sync.Mutex
	got  []Query
}

func (b *tableBackend) Name() string { return "demo" }

func (b *tableBackend) Run(ctx context.Context, q Query) (*Result, error) {
	b.mu.Lock()
	b.got = append(b.got, q)
	b.mu.Unlock()
	if b.err != nil {
		return nil, b.err
	}
	res := &Result{Table: b.tab}
	if b.exec > 0 {
		res.Stats = &Stats{ExecutionTime: b.exec}
	}
	return res, nil
}

// sampleTable has every kind of value the decoder must bring back
// exactly: 7 fractional digits, a long past 2^53, JSON, nulls.
func sampleTable() *table.Table {
	ts := table.NewColumn("Timestamp", table.DateTime, 2)
	ts.AppendInt(table.TimeToTicks(time.Date(2026, 11, 5, 6, 38, 35,
		766435600, time.UTC)))
	ts.AppendNull()
	name := table.NewColumn("FileName", table.String, 2)
	name.AppendString("conhost.exe")
	name.AppendString("line\nbreak \"quoted\" é")
	size := table.NewColumn("FileSize", table.Long, 2)
	size.AppendInt(1<<53 + 1)
	size.AppendInt(-42)
	extra := table.NewColumn("AdditionalFields", table.Dynamic, 2)
	extra.AppendString(`{"a":[1,2],"b":null}`)
	extra.AppendNull()
	ok := table.NewColumn("IsSigned", table.Bool, 2)
	ok.AppendBool(true)
	ok.AppendNull()
	score := table.NewColumn("Score", table.Real, 2)
	score.AppendReal(0.25)
	score.AppendReal(1e300)
	return table.New(ts, name, size, extra, ok, score)
}

const (
	testTenant = "contoso"
	testClient = "11111111-2222-3333-4444-555555555555"
	testSecret = "s3cret"
)

// serve starts NewServer over be and returns it with a client config for
// api pointed at it.
func serve(t *testing.T, be Backend, opts ServerOptions,
	api string) (*httptest.Server, Config) {
	t.Helper()
	opts.TenantID, opts.ClientID = testTenant, testClient
	if opts.ClientSecret == "" {
		opts.ClientSecret = testSecret
	}
	srv := httptest.NewServer(NewServer(be, opts))
	t.Cleanup(srv.Close)
	return srv, Config{API: api, Endpoint: srv.URL, Authority: srv.URL,
		TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret,
		HTTPClient: srv.Client(), RetryBackoff: time.Millisecond}
}

func TestServerRoundTrip(t *testing.T) {
	for _, api := range []string{"graph", "xdr", "mde"} {
		t.Run(api, func(t *testing.T) {
			be := &tableBackend{tab: sampleTable(), exec: 1500 * time.Millisecond}
			_, cfg := serve(t, be, ServerOptions{}, api)
			r, err := NewRemote(cfg)
			if err != nil {
				t.Fatal(err)
			}
			q := Query{Text: "DeviceFileEvents\n| take 2", Timespan: "P7D"}
			res, err := r.Run(context.Background(), q)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			want, got := sampleTable(), res.Table
			if got.String() != want.String() {
				t.Errorf("schema: got %s, want %s", got, want)
			}
			if g, w := fmt.Sprint(cells(got)), fmt.Sprint(cells(want)); g != w {
				t.Errorf("rows: got %s, want %s", g, w)
			}
			wantStats := api == "xdr"
			if (res.Stats != nil) != wantStats {
				t.Errorf("stats: got %+v, want present %v", res.Stats, wantStats)
			} else if wantStats &&
				res.Stats.ExecutionTime != 1500*time.Millisecond {
				t.Errorf("execution time: got %v, want 1.5s",
					res.Stats.ExecutionTime)
			}
			sent := be.got[0]
			if sent.Text != q.Text {
				t.Errorf("query: got %q, want %q", sent.Text, q.Text)
			}
			wantTS := ""
			if api == "graph" {
				wantTS = "P7D"
			}
			if sent.Timespan != wantTS {
				t.Errorf("timespan: got %q, want %q", sent.Timespan, wantTS)
			}
		})
	}
}

func TestServerFailures(t *testing.T) {
	invalid := &Error{Kind: ErrQueryInvalid, Line: 2, Col: 9,
		Message: "Failed to resolve table or column expression named 'X'"}
	tests := []struct {
		name   string
		be     *tableBackend
		opts   ServerOptions
		mutate func(*Config)
		calls  int
		is     error
		check  func(t *testing.T, e *Error)
	}{{
		name:  "bad query keeps line and column",
		be:    &tableBackend{err: invalid},
		calls: 1, is: ErrQueryInvalid,
		check: func(t *testing.T, e *Error) {
			if e.Line != 2 || e.Col != 9 || e.Status != 400 {
				t.Errorf("got line %d col %d status %d, want 2 9 400",
					e.Line, e.Col, e.Status)
			}
		},
	}, {
		name:   "wrong secret",
		be:     &tableBackend{tab: sampleTable()},
		mutate: func(c *Config) { c.ClientSecret = "nope" },
		is:     ErrUnauthorized,
		check: func(t *testing.T, e *Error) {
			if !strings.Contains(e.Message, "AADSTS7000215") {
				t.Errorf("got message %q, want the AADSTS code", e.Message)
			}
		},
	}, {
		name:   "token for another API",
		be:     &tableBackend{tab: sampleTable()},
		mutate: func(c *Config) { c.Scope = apiSpecs["xdr"].scope },
		calls:  0, is: ErrForbidden,
		check: func(t *testing.T, e *Error) {
			if e.Permission != "AdvancedQuery.Read.All" {
				t.Errorf("got permission %q, want AdvancedQuery.Read.All",
					e.Permission)
			}
		},
	}, {
		name:  "result over the size cap",
		be:    &tableBackend{tab: sampleTable()},
		opts:  ServerOptions{MaxResultBytes: 100},
		calls: 1, is: ErrResultTooLarge,
	}, {
		name:  "backend failure",
		be:    &tableBackend{err: errors.New("disk on fire")},
		calls: 3, is: ErrServer,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := serve(t, tt.be, tt.opts, "mde")
			if tt.mutate != nil {
				tt.mutate(&cfg)
			}
			r, err := NewRemote(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Run(context.Background(), Query{Text: "T"})
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.is) {
				t.Fatalf("got %v, want %v", err, tt.is)
			}
			if got := len(tt.be.got); got != tt.calls {
				t.Errorf("backend calls: got %d, want %d", got, tt.calls)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestServerLimits(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		exec   time.Duration
		is     error
		retry  time.Duration
		msg    string
	}{{
		name:   "calls per minute",
		limits: Limits{CallsPerMinute: 2},
		is:     ErrThrottled, retry: time.Minute,
		msg: "API calls quota exceeded! maximum allowed 2 per 00:01:00. " +
			"You can send requests again in 60 seconds.",
	}, {
		name: "runtime per hour",
		limits: Limits{CallsPerMinute: 15, RuntimePerHour: time.Minute,
			RuntimePerDay: time.Hour},
		exec: 2 * time.Minute, is: ErrQuotaSpent, retry: time.Hour,
		msg: "You have exceeded processing resources allocated to this " +
			"tenant. You can run queries again in 01:00:00.",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			be := &tableBackend{tab: sampleTable(), exec: tt.exec}
			_, cfg := serve(t, be, ServerOptions{Limits: tt.limits,
				Clock: clock}, "xdr")
			r, err := NewRemote(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for {
				_, err = r.Run(context.Background(), Query{Text: "T"})
				if err != nil {
					break
				}
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.is) ||
				e.Status != 429 || e.RetryAfter != tt.retry ||
				e.Message != tt.msg {
				t.Fatalf("got %#v, want %v after %v with %q", err, tt.is,
					tt.retry, tt.msg)
			}
		})
	}
}

func TestServerTokenExpiry(t *testing.T) {
	clock := newFakeClock()
	be := &tableBackend{tab: sampleTable()}
	_, cfg := serve(t, be, ServerOptions{Clock: clock,
		Limits: Limits{Unlimited: true}}, "graph")
	r, err := NewRemote(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), Query{Text: "T"}); err != nil {
		t.Fatal(err)
	}
	// The client still trusts its token for an hour; the server says no,
	// and one fresh token later the query goes through.
	clock.Advance(2 * time.Hour)
	if _, err := r.Run(context.Background(), Query{Text: "T"}); err != nil {
		t.Errorf("after expiry: got %v, want success after refresh", err)
	}
}

func TestServerRequestBody(t *testing.T) {
	tests := []struct {
		name, auth, body string
		status           int
		want             string
	}{
		{"lower-case parameter", "", `{"query":"T"}`, 400, "Missing query."},
		{"not json", "", "Query=T", 400, "Missing query."},
		{"ok", "", `{"Query":"T"}`, 200, `"Results":[`},
		{"no bearer", "-", `{"Query":"T"}`, 401, "no bearer token"},
		{"unknown bearer", "Bearer forged", `{"Query":"T"}`, 401,
			"token not recognised"},
	}
	be := &tableBackend{tab: sampleTable()}
	srv, cfg := serve(t, be, ServerOptions{}, "mde")
	r, err := NewRemote(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := r.(*remote).tokens.token(oauthContext(
		context.Background(), srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/advancedqueries/run",
				strings.NewReader(tt.body))
			switch tt.auth {
			case "":
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			case "-":
			default:
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			srv.Config.Handler.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("got %d %s, want %d with %q", rec.Code,
					rec.Body, tt.status, tt.want)
			}
		})
	}
}

func BenchmarkServerEncode(b *testing.B) {
	tab, _, err := Decode(strings.NewReader(string(benchBody(10_000))))
	if err != nil {
		b.Fatal(err)
	}
	res := &Result{Table: tab}
	var buf []byte
	for b.Loop() {
		buf = encodeResult(buf[:0], shapeXDR, res, tab.Rows(), time.Second)
	}
	b.SetBytes(int64(len(buf)))
}
