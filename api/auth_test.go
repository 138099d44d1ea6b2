package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// deviceServer is an authority with the device-code and refresh-token
// grants, and an XDR query endpoint, rotating refresh tokens as Entra does.
func deviceServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	mux := http.NewServeMux()
	base := "/" + testTenant + "/oauth2/v2.0/"
	mux.HandleFunc("POST "+base+"devicecode", func(w http.ResponseWriter,
		r *http.Request) {
		if !strings.Contains(r.FormValue("scope"), "offline_access") {
			http.Error(w, `{"error":"invalid_scope"}`, 400)
			return
		}
		io.WriteString(w, `{"device_code":"dc","user_code":"ABCD-EFGH",`+
			`"verification_uri":"https://microsoft.com/devicelogin",`+
			`"expires_in":900,"interval":1}`)
	})
	mux.HandleFunc("POST "+base+"token", func(w http.ResponseWriter,
		r *http.Request) {
		ok := r.FormValue("device_code") == "dc" ||
			r.FormValue("refresh_token") == fmt.Sprintf("rt-%d", n.Load())
		if !ok || r.FormValue("client_id") != testClient {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"invalid_grant","error_description":`+
				`"AADSTS70000: The refresh token has expired."}`)
			return
		}
		i := n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3599,`+
			`"access_token":"at-%d","refresh_token":"rt-%d"}`, i, i)
	})
	mux.HandleFunc("POST "+apiSpecs["xdr"].path, func(w http.ResponseWriter,
		r *http.Request) {
		want := fmt.Sprintf("Bearer at-%d", n.Load())
		if r.Header.Get("Authorization") != want {
			w.WriteHeader(401)
			io.WriteString(w, errorJSON("xdr", "Unauthorized", "bad token"))
			return
		}
		io.WriteString(w, pascalBody)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestDeviceLogin(t *testing.T) {
	srv, _ := deviceServer(t)
	path := filepath.Join(t.TempDir(), "state", "contoso-xdr.token")
	cfg := Config{API: "xdr", Endpoint: srv.URL, Authority: srv.URL,
		TenantID: testTenant, ClientID: testClient, TokenFile: path,
		HTTPClient: srv.Client()}
	var shown string
	err := DeviceLogin(context.Background(), cfg, func(uri, code string) {
		shown = uri + " " + code
	})
	if err != nil {
		t.Fatalf("DeviceLogin: %v", err)
	}
	if want := "https://microsoft.com/devicelogin ABCD-EFGH"; shown != want {
		t.Errorf("shown: got %q, want %q", shown, want)
	}
	checkTokenFile(t, path, "rt-1")
	r, err := NewRemote(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), Query{Text: "T"}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	// The refresh rotated the token; the file follows.
	checkTokenFile(t, path, "rt-2")
}

func checkTokenFile(t *testing.T, path, want string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("token file mode: got %o, want 600", mode)
	}
	dir, _ := os.Stat(filepath.Dir(path))
	if mode := dir.Mode().Perm(); mode != 0o700 {
		t.Errorf("token folder mode: got %o, want 700", mode)
	}
	b, _ := os.ReadFile(path)
	if got := string(b); got != `{"refresh_token":"`+want+`"}` {
		t.Errorf("token file: got %s, want only refresh token %s", got, want)
	}
}

func TestDelegatedErrors(t *testing.T) {
	srv, _ := deviceServer(t)
	dir := t.TempDir()
	stale := filepath.Join(dir, "stale.token")
	if err := saveRefresh(stale, "rt-99"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, want string
	}{
		{"not signed in", filepath.Join(dir, "none.token"),
			"not signed in: run `ahunt login`"},
		{"refresh refused", stale,
			"AADSTS70000: The refresh token has expired."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRemote(Config{API: "xdr", Endpoint: srv.URL,
				Authority: srv.URL, TenantID: testTenant, ClientID: testClient,
				TokenFile: tt.file, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Run(context.Background(), Query{Text: "T"})
			if !errors.Is(err, ErrUnauthorized) ||
				!strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want unauthorized with %q", err, tt.want)
			}
		})
	}
}

func TestTokenPathDefault(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	got := tokenPath(Config{API: "graph", TenantID: "contoso.onmicrosoft.com"})
	if want := "/state/ahunt/contoso.onmicrosoft.com-graph.token"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNewRemoteConfig(t *testing.T) {
	tests := []struct {
		name, api, endpoint, authority, tenant string
		want                                   string // "" for no error
	}{
		{name: "defaults"},
		{name: "loopback http", endpoint: "http://127.0.0.1:8080"},
		{name: "localhost http", endpoint: "http://localhost:1/x"},
		{name: "ipv6 loopback", endpoint: "http://[::1]:80"},
		{name: "regional host", endpoint: "https://us.api.security.microsoft.com"},
		{name: "plain http elsewhere", endpoint: "http://example.com",
			want: `endpoint "http://example.com": plain http only to a ` +
				`loopback address`},
		{name: "http authority", authority: "http://login.example",
			want: `authority "http://login.example": plain http only`},
		{name: "other scheme", endpoint: "ftp://h",
			want: `scheme "ftp", want https`},
		{name: "no host", endpoint: "https://", want: "no host"},
		{name: "unknown api", api: "sentinel",
			want: `api "sentinel": want graph, xdr or mde`},
		{name: "no tenant", tenant: "-",
			want: "tenant and client id are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{API: "graph", TenantID: "t", ClientID: "c",
				Endpoint: tt.endpoint, Authority: tt.authority}
			if tt.api != "" {
				cfg.API = tt.api
			}
			if tt.tenant == "-" {
				cfg.TenantID = ""
			}
			_, err := NewRemote(cfg)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if (tt.want == "") != (got == "") ||
				!strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTokenCacheReuse(t *testing.T) {
	tests := []struct {
		name    string
		expires time.Duration // from now; 0 for no expiry
		later   time.Duration // when the second token is asked for
		fetches int
	}{
		{"reused while fresh", time.Hour, 54 * time.Minute, 1},
		{"replaced five minutes early", time.Hour, 55 * time.Minute, 2},
		{"no expiry is reused", 0, 24 * time.Hour, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0
			fetches := 0
			c := &tokenCache{now: func() time.Time { return now },
				fetch: func(context.Context) (*oauth2.Token, error) {
					fetches++
					tok := &oauth2.Token{AccessToken: "a"}
					if tt.expires > 0 {
						tok.Expiry = now.Add(tt.expires)
					}
					return tok, nil
				}}
			for _, at := range []time.Duration{0, tt.later} {
				now = t0.Add(at)
				if _, err := c.token(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if fetches != tt.fetches {
				t.Errorf("got %d fetches, want %d", fetches, tt.fetches)
			}
		})
	}
}
