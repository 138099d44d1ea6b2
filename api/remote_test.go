package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// contract is a hand-written stand-in for one API: a token endpoint that
// numbers its tokens, and a query endpoint that checks the request and
// hands it to answer with the call's number (from 1).
type contract struct {
	api    string
	tokens atomic.Int32
	calls  atomic.Int32
	answer answerFunc
}

// answerFunc answers one query call, numbered from 1.
type answerFunc = func(w http.ResponseWriter, r *http.Request, call int)

func (c *contract) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/"+testTenant+"/oauth2/v2.0/token" {
		n := c.tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3599,`+
			`"access_token":"tok-%d"}`, n)
		return
	}
	if r.URL.Path != apiSpecs[c.api].path {
		http.NotFound(w, r)
		return
	}
	call := int(c.calls.Add(1))
	want := fmt.Sprintf("Bearer tok-%d", c.tokens.Load())
	ct := r.Header.Get("Content-Type")
	var body struct{ Query string }
	err := json.NewDecoder(r.Body).Decode(&body)
	if r.Header.Get("Authorization") != want ||
		ct != "application/json; charset=utf-8" || err != nil ||
		body.Query != "T\n| take 1" {
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprintf(w, "bad request: content type %q, query %q, err %v",
			ct, body.Query, err)
		return
	}
	c.answer(w, r, call)
}

// errorJSON is an error body in the api's shape, with tracking id "req-1".
func errorJSON(api, code, msg string) string {
	m, _ := json.Marshal(msg)
	if api == "graph" {
		return fmt.Sprintf(`{"error":{"code":%q,"message":%s,`+
			`"innerError":{"request-id":"req-1"}}}`, code, m)
	}
	return fmt.Sprintf(`{"error":{"code":%q,"message":%s,"target":"|req-1"}}`,
		code, m)
}

const (
	pascalBody = `{"Stats":{"ExecutionTime":0.5},"Schema":[{"Name":"A",` +
		`"Type":"Int64"}],"Results":[{"A":9007199254740993}]}`
	lowerBody = `{"@odata.context":"x","schema":[{"name":"A",` +
		`"type":"Int64"}],"results":[{"A":9007199254740993}]}`
)

// reply answers with status, headers and body on the given calls, and
// with pascalBody on any later call.
func reply(status int, header map[string]string, body string,
	calls int) answerFunc {
	return func(w http.ResponseWriter, r *http.Request, call int) {
		if call > calls {
			io.WriteString(w, pascalBody)
			return
		}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

type contractCase struct {
	name   string
	answer func(api string) answerFunc
	cfg    func(*Config)
	// calls and tokens are the requests the client must have made.
	calls, tokens int
	is            error // nil: success
	check         func(t *testing.T, e *Error)
}

func contractCases() []contractCase {
	fixed := func(f answerFunc) func(string) answerFunc {
		return func(string) answerFunc { return f }
	}
	errReply := func(status int, h map[string]string, code, msg string,
		calls int) func(string) answerFunc {
		return func(api string) answerFunc {
			return reply(status, h, errorJSON(api, code, msg), calls)
		}
	}
	return []contractCase{{
		name:   "success pascal case",
		answer: fixed(reply(200, nil, pascalBody, 1)),
		calls:  1, tokens: 1,
	}, {
		name:   "success lower case",
		answer: fixed(reply(200, nil, lowerBody, 1)),
		calls:  1, tokens: 1,
	}, {
		name: "400 syntax",
		answer: errReply(400, nil, "BadRequest",
			"Query could not be parsed at 'as' on line [3,5]", 9),
		calls: 1, tokens: 1, is: ErrQueryInvalid,
		check: func(t *testing.T, e *Error) {
			if e.Line != 3 || e.Col != 5 ||
				!strings.Contains(e.TrackingID, "req-1") {
				t.Errorf("got line %d col %d id %q, want 3 5 req-1",
					e.Line, e.Col, e.TrackingID)
			}
		},
	}, {
		name: "400 semantic",
		answer: errReply(400, nil, "BadRequest", "'where' operator: Failed "+
			"to resolve table or column expression named "+
			"'EmailAttachmentInfo'. Fix semantic errors in your query.", 9),
		calls: 1, tokens: 1, is: ErrQueryInvalid,
	}, {
		name: "401 then success after refresh",
		answer: errReply(401, nil, "Unauthorized", "Unauthorized request - "+
			"reason of failure: Account mode is inactive", 1),
		calls: 2, tokens: 2,
	}, {
		name:   "401 twice",
		answer: errReply(401, nil, "Unauthorized", "Unauthorized request", 9),
		calls:  2, tokens: 2, is: ErrUnauthorized,
	}, {
		name: "403 missing role",
		answer: errReply(403, nil, "Forbidden", "Missing application roles. "+
			"API required roles: AdvancedQuery.Read.All, application roles", 9),
		calls: 1, tokens: 1, is: ErrForbidden,
		check: func(t *testing.T, e *Error) {
			if e.Permission != "AdvancedQuery.Read.All" {
				t.Errorf("got permission %q, want AdvancedQuery.Read.All",
					e.Permission)
			}
		},
	}, {
		name: "429 with Retry-After",
		answer: errReply(429, map[string]string{"Retry-After": "7"}, "429",
			"API calls quota exceeded! maximum allowed 45 per 00:01:00", 9),
		calls: 1, tokens: 1, is: ErrThrottled,
		check: wantRetry(7 * time.Second),
	}, {
		name: "429 with a wait in the body",
		answer: errReply(429, nil, "429", "API calls quota exceeded! "+
			"Maximum allowed 30 per 00:01:00 for the key "+
			"Destination+TenantID+AppID. You can send requests again in "+
			"8 seconds.", 9),
		calls: 1, tokens: 1, is: ErrThrottled,
		check: wantRetry(8 * time.Second),
	}, {
		name: "429 with neither",
		answer: errReply(429, nil, "TooManyRequests",
			"Too many requests", 9),
		calls: 1, tokens: 1, is: ErrThrottled, check: wantRetry(0),
	}, {
		name:   "500 then success",
		answer: errReply(500, nil, "InternalServerError", "", 1),
		calls:  2, tokens: 1,
	}, {
		name:   "500 three times",
		answer: errReply(500, nil, "UnknownError", "", 9),
		calls:  3, tokens: 1, is: ErrServer,
	}, {
		name:   "504",
		answer: errReply(504, nil, "UnknownError", "", 9),
		calls:  3, tokens: 1, is: ErrTimeout,
	}, {
		name: "124 MB size error",
		answer: errReply(400, nil, "BadRequest", "Query execution has "+
			"exceeded the allowed result size. Optimize your query by "+
			"limiting the number of results and try again", 9),
		calls: 1, tokens: 1, is: ErrResultTooLarge,
	}, {
		name: "body cut off mid-row",
		answer: fixed(func(w http.ResponseWriter, r *http.Request, _ int) {
			w.Header().Set("Content-Length", "1000")
			io.WriteString(w, `{"Schema":[{"Name":"A","Type":"Int64"}],`+
				`"Results":[{"A":1},{"A":`)
		}),
		calls: 1, tokens: 1, is: ErrNetwork,
		check: func(t *testing.T, e *Error) {
			if !errors.Is(e, io.ErrUnexpectedEOF) {
				t.Errorf("got %v, want it to wrap io.ErrUnexpectedEOF", e)
			}
		},
	}, {
		name:   "body of garbage",
		answer: fixed(reply(200, nil, "<html><body>Sign in</body></html>", 9)),
		calls:  1, tokens: 1, is: ErrBadResponse,
	}, {
		name:   "body over the size limit",
		answer: fixed(reply(200, nil, pascalBody, 9)),
		cfg:    func(c *Config) { c.MaxBody = 64 },
		calls:  1, tokens: 1, is: ErrResultTooLarge,
		check: func(t *testing.T, e *Error) {
			var se *SizeError
			if !errors.As(e, &se) || se.Limit != 64 {
				t.Errorf("got %v, want a SizeError of 64 bytes", e)
			}
		},
	}, {
		name: "server never answers",
		answer: fixed(func(w http.ResponseWriter, r *http.Request, _ int) {
			<-r.Context().Done()
		}),
		cfg:   func(c *Config) { c.RequestTimeout = 500 * time.Millisecond },
		calls: 1, tokens: 1, is: ErrTimeout,
	}}
}

func wantRetry(d time.Duration) func(*testing.T, *Error) {
	return func(t *testing.T, e *Error) {
		if e.RetryAfter != d {
			t.Errorf("got retry after %v, want %v", e.RetryAfter, d)
		}
	}
}

func TestContract(t *testing.T) {
	for _, api := range []string{"graph", "xdr", "mde"} {
		for _, tt := range contractCases() {
			t.Run(api+"/"+tt.name, func(t *testing.T) {
				c := &contract{api: api, answer: tt.answer(api)}
				srv := httptest.NewServer(c)
				defer srv.Close()
				cfg := Config{API: api, Endpoint: srv.URL,
					Authority: srv.URL, TenantID: testTenant,
					ClientID: testClient, ClientSecret: testSecret,
					HTTPClient: srv.Client(), RetryBackoff: time.Millisecond}
				if tt.cfg != nil {
					tt.cfg(&cfg)
				}
				runContract(t, c, cfg, tt)
			})
		}
	}
}

func runContract(t *testing.T, c *contract, cfg Config, tt contractCase) {
	t.Helper()
	r, err := NewRemote(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), Query{Text: "T\n| take 1"})
	if got := int(c.calls.Load()); got != tt.calls {
		t.Errorf("query calls: got %d, want %d", got, tt.calls)
	}
	if got := int(c.tokens.Load()); got != tt.tokens {
		t.Errorf("token fetches: got %d, want %d", got, tt.tokens)
	}
	if tt.is == nil {
		if err != nil {
			t.Fatalf("got %v, want success", err)
		}
		if got := res.Table.Columns[0].Int(0); got != 1<<53+1 {
			t.Errorf("got %d, want %d", got, int64(1<<53+1))
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, tt.is) {
		t.Fatalf("got %v, want %v", err, tt.is)
	}
	if msg := err.Error(); strings.Contains(msg, "tok-") ||
		strings.Contains(msg, testSecret) {
		t.Errorf("error %q shows a token or the secret", msg)
	}
	if e.Backend != cfg.API {
		t.Errorf("got backend %q, want %q", e.Backend, cfg.API)
	}
	if tt.check != nil {
		tt.check(t, e)
	}
}

// testRemote returns a backend of the given API whose endpoint and
// authority are srv, signed in with the test client's secret.
func testRemote(t *testing.T, api string, srv *httptest.Server) Backend {
	t.Helper()
	r, err := NewRemote(Config{API: api, Endpoint: srv.URL,
		Authority: srv.URL, TenantID: testTenant, ClientID: testClient,
		ClientSecret: testSecret, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestContractThrottleThroughBudget(t *testing.T) {
	c := &contract{api: "xdr", answer: reply(429, nil, errorJSON("xdr",
		"429", "You can send requests again in 8 seconds."), 1)}
	srv := httptest.NewServer(c)
	defer srv.Close()
	r := testRemote(t, "xdr", srv)
	clock := newFakeClock()
	ledger := NewMemoryLedger()
	b := NewBudget(DefaultLimits(), ledger, "k", WithClock(clock))
	errc := make(chan error, 1)
	go func() {
		_, err := Limit(r, b).Run(context.Background(),
			Query{Text: "T\n| take 1"})
		errc <- err
	}()
	eventually(t, "a throttle wait", func() bool {
		return len(clock.Waiters()) == 1
	})
	if got, want := clock.Waiters()[0], t0.Add(8*time.Second); !got.Equal(want) {
		t.Errorf("waits until %v, want %v", got, want)
	}
	clock.Advance(8 * time.Second)
	if err := <-errc; err != nil {
		t.Fatalf("got %v, want success after the wait", err)
	}
	calls, _ := ledger.Calls(context.Background(), "k", t0)
	if len(calls) != 2 || calls[1].Runtime != 500*time.Millisecond {
		t.Errorf("ledger: got %+v, want 2 calls, the second charged 0.5s",
			calls)
	}
}

func TestContractMaxWait(t *testing.T) {
	c := &contract{api: "graph", answer: reply(429,
		map[string]string{"Retry-After": "120"}, errorJSON("graph",
			"TooManyRequests", "slow down"), 9)}
	srv := httptest.NewServer(c)
	defer srv.Close()
	r := testRemote(t, "graph", srv)
	b := NewBudget(DefaultLimits(), nil, "k", WithClock(newFakeClock()),
		WithMaxWait(time.Minute))
	_, err := Limit(r, b).Run(context.Background(), Query{Text: "T\n| take 1"})
	want := "graph: throttled: slow down; the wait is over the 1m0s " +
		"maximum; retry in 2m0s"
	if !errors.Is(err, ErrThrottled) || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestTruncatedAtRowCap(t *testing.T) {
	tests := []struct {
		name    string
		maxRows int
		want    bool
	}{
		{"at the cap", 1, true},
		{"under the cap", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &contract{api: "xdr", answer: reply(200, nil, pascalBody, 9)}
			srv := httptest.NewServer(c)
			defer srv.Close()
			r, err := NewRemote(Config{API: "xdr", Endpoint: srv.URL,
				Authority: srv.URL, TenantID: testTenant, ClientID: testClient,
				ClientSecret: testSecret, HTTPClient: srv.Client(),
				MaxRows: tt.maxRows})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Run(context.Background(), Query{Text: "T\n| take 1"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Truncated != tt.want {
				t.Errorf("got truncated %v, want %v", res.Truncated, tt.want)
			}
		})
	}
}
