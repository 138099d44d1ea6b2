package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingHandler counts the token and hunting requests h serves.
type countingHandler struct {
	h             http.Handler
	tokens, hunts atomic.Int32
}

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token") {
		c.tokens.Add(1)
	} else {
		c.hunts.Add(1)
	}
	c.h.ServeHTTP(w, r)
}

// TestFailedSignInCostsNoCall signs in to NewServer with a wrong secret
// through a budget: the token endpoint answers 401 once, no hunting
// request is sent, and the budget charges no call, even when it has no
// slot left to wait for.
func TestFailedSignInCostsNoCall(t *testing.T) {
	tests := []struct {
		name string
		used int // calls already in the ledger, of a limit of 2
	}{
		{"slots free", 0},
		{"no slot free", 2},
	}
	for _, api := range []string{"graph", "xdr", "mde"} {
		for _, tt := range tests {
			t.Run(api+"/"+tt.name, func(t *testing.T) {
				be := &tableBackend{tab: sampleTable()}
				h := &countingHandler{h: NewServer(be, ServerOptions{
					TenantID: testTenant, ClientID: testClient,
					ClientSecret: testSecret})}
				srv := httptest.NewServer(h)
				defer srv.Close()
				r, err := NewRemote(Config{API: api, Endpoint: srv.URL,
					Authority: srv.URL, TenantID: testTenant,
					ClientID: testClient, ClientSecret: "wrong",
					HTTPClient: srv.Client()})
				if err != nil {
					t.Fatal(err)
				}
				clock, ledger := newFakeClock(), NewMemoryLedger()
				for range tt.used {
					ledger.Reserve(context.Background(), "k", t0,
						time.Minute, 2)
				}
				b := NewBudget(Limits{CallsPerMinute: 2}, ledger, "k",
					WithClock(clock), WithMaxWait(time.Second))
				_, err = Limit(r, b).Run(context.Background(),
					Query{Text: "T"})
				if !errors.Is(err, ErrUnauthorized) {
					t.Fatalf("got %v, want ErrUnauthorized", err)
				}
				if got := b.State().Calls; got != tt.used {
					t.Errorf("got %d calls charged, want %d", got, tt.used)
				}
				if got := h.tokens.Load(); got != 1 {
					t.Errorf("got %d token requests, want 1", got)
				}
				if got := h.hunts.Load(); got != 0 {
					t.Errorf("got %d hunting requests, want 0", got)
				}
			})
		}
	}
}

// TestRefreshAfter401ChargesBothCalls has the hunting endpoint refuse
// the first token: two hunting requests went out, so the budget charges
// two calls.
func TestRefreshAfter401ChargesBothCalls(t *testing.T) {
	c := &contract{api: "xdr", answer: reply(401, nil, errorJSON("xdr",
		"Unauthorized", "Unauthorized request"), 1)}
	srv := httptest.NewServer(c)
	defer srv.Close()
	r := testRemote(t, "xdr", srv)
	b := NewBudget(DefaultLimits(), nil, "k", WithClock(newFakeClock()))
	if _, err := Limit(r, b).Run(context.Background(),
		Query{Text: "T\n| take 1"}); err != nil {
		t.Fatalf("got %v, want success after a fresh token", err)
	}
	if got := b.State().Calls; got != 2 {
		t.Errorf("got %d calls charged, want 2", got)
	}
	if got := c.tokens.Load(); got != 2 {
		t.Errorf("got %d token requests, want 2", got)
	}
}

// TestLapsedSignInReleasesTheSlot signs in once, then has the renewal
// refused after the call slot was taken (a token too near its expiry to
// be reused): no hunting request goes out, and the slot is given back.
func TestLapsedSignInReleasesTheSlot(t *testing.T) {
	var tokens, hunts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token") {
				hunts.Add(1)
				io.WriteString(w, pascalBody)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			if tokens.Add(1) > 1 {
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"error":"invalid_client",`+
					`"error_description":"AADSTS7000222: expired"}`)
				return
			}
			// A minute is within tokenEarly: every use renews it.
			io.WriteString(w, `{"token_type":"Bearer","expires_in":60,`+
				`"access_token":"tok-1"}`)
		}))
	defer srv.Close()
	r := testRemote(t, "xdr", srv)
	b := NewBudget(DefaultLimits(), nil, "k", WithClock(newFakeClock()))
	_, err := Limit(r, b).Run(context.Background(), Query{Text: "T"})
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v, want ErrUnauthorized", err)
	}
	if got := b.State().Calls; got != 0 {
		t.Errorf("got %d calls charged, want 0", got)
	}
	if got := hunts.Load(); got != 0 {
		t.Errorf("got %d hunting requests, want 0", got)
	}
	if got := tokens.Load(); got != 2 {
		t.Errorf("got %d token requests, want 2", got)
	}
}
