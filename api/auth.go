package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenEarly is how long before its expiry a token is replaced, so that a
// long query never starts with a token about to lapse.
const tokenEarly = 5 * time.Minute

// tokenCache hands out one token until shortly before it expires, and
// fetches a new one after a 401. Fetches are serialised, so concurrent
// runs share one sign-in.
type tokenCache struct {
	mu    sync.Mutex
	fetch func(ctx context.Context) (*oauth2.Token, error)
	tok   *oauth2.Token
	now   func() time.Time
}

func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && (c.tok.Expiry.IsZero() ||
		c.now().Before(c.tok.Expiry.Add(-tokenEarly))) {
		return c.tok, nil
	}
	tok, err := c.fetch(ctx)
	if err != nil {
		return nil, tokenError(err)
	}
	if tok.AccessToken == "" {
		return nil, &Error{Kind: ErrUnauthorized,
			Message: "sign-in returned no access token"}
	}
	c.tok = tok
	return tok, nil
}

// invalidate drops the cached token after the service refused it.
func (c *tokenCache) invalidate() {
	c.mu.Lock()
	c.tok = nil
	c.mu.Unlock()
}

// tokenError turns a failed sign-in into an *Error. The token endpoint's
// description ("AADSTS7000215: Invalid client secret provided...") is kept,
// its trace lines are not.
func tokenError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return fmt.Errorf("sign in: %w", err)
	}
	msg := re.ErrorDescription
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		msg = "the token endpoint refused the sign-in"
	}
	e = &Error{Kind: ErrUnauthorized, Code: re.ErrorCode, Message: msg}
	if re.Response != nil {
		e.Status = re.Response.StatusCode
		if e.Status >= 500 {
			e.Kind = ErrServer
		}
	}
	return e
}

// oauthContext makes x/oauth2 use client for token requests.
func oauthContext(ctx context.Context, client *http.Client) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, client)
}

// tokenFetcher picks the sign-in for cfg: its TokenSource, else client
// credentials when there is a secret, else the refresh token DeviceLogin
// kept.
func tokenFetcher(cfg Config,
	client *http.Client) (func(context.Context) (*oauth2.Token, error), error) {
	if cfg.TokenSource != nil {
		return func(context.Context) (*oauth2.Token, error) {
			return cfg.TokenSource.Token()
		}, nil
	}
	ep, err := endpoint(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.ClientSecret != "" {
		cc := &clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     ep.TokenURL,
			Scopes:       []string{cfg.Scope},
			AuthStyle:    oauth2.AuthStyleInParams,
		}
		return cc.Token, nil
	}
	d := &delegated{oc: delegatedConfig(cfg, ep), path: tokenPath(cfg)}
	return d.fetch, nil
}

// endpoint returns the token and device-code URLs of cfg's authority and
// tenant.
func endpoint(cfg Config) (oauth2.Endpoint, error) {
	u, err := checkURL(cfg.Authority, "authority")
	if err != nil {
		return oauth2.Endpoint{}, err
	}
	base := strings.TrimSuffix(u.String(), "/") + "/" +
		url.PathEscape(cfg.TenantID) + "/oauth2/v2.0/"
	return oauth2.Endpoint{
		AuthURL:       base + "authorize",
		TokenURL:      base + "token",
		DeviceAuthURL: base + "devicecode",
		AuthStyle:     oauth2.AuthStyleInParams,
	}, nil
}

func delegatedConfig(cfg Config, ep oauth2.Endpoint) *oauth2.Config {
	return &oauth2.Config{
		ClientID: cfg.ClientID,
		Endpoint: ep,
		Scopes:   []string{cfg.Scope, "offline_access"},
	}
}

// tokenPath is where the refresh token for cfg is kept.
func tokenPath(cfg Config) string {
	if cfg.TokenFile != "" {
		return cfg.TokenFile
	}
	return filepath.Join(StateDir(), safeName(cfg.TenantID)+"-"+
		cfg.API+".token")
}

// StateDir returns ahunt's state folder: $XDG_STATE_HOME/ahunt, else
// ~/.local/state/ahunt.
func StateDir() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = os.TempDir()
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "ahunt")
}

// safeName keeps a tenant name usable as a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z',
			r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, s)
}

// DeviceLogin signs a user in with the device-code flow: show is called
// with the address to open and the code to type there, and DeviceLogin
// returns once the user has signed in (or ctx is done). The refresh token
// is kept in cfg.TokenFile (mode 0600) for the backend's later runs.
func DeviceLogin(ctx context.Context, cfg Config,
	show func(uri, code string)) error {
	spec, ok := apiSpecs[cfg.API]
	if !ok {
		return fmt.Errorf("api %q: want graph, xdr or mde", cfg.API)
	}
	if err := cfg.fill(spec); err != nil {
		return err
	}
	ep, err := endpoint(cfg)
	if err != nil {
		return err
	}
	oc := delegatedConfig(cfg, ep)
	ctx = oauthContext(ctx, cfg.HTTPClient)
	da, err := oc.DeviceAuth(ctx)
	if err != nil {
		return fmt.Errorf("device login: %w", tokenError(err))
	}
	show(da.VerificationURI, da.UserCode)
	tok, err := oc.DeviceAccessToken(ctx, da)
	if err != nil {
		return fmt.Errorf("device login: %w", tokenError(err))
	}
	if tok.RefreshToken == "" {
		return errors.New("device login: no refresh token; " +
			"the app registration must allow offline_access")
	}
	return saveRefresh(tokenPath(cfg), tok.RefreshToken)
}

// delegated fetches access tokens with the refresh token DeviceLogin kept,
// and keeps the new refresh token when the service rotates it.
type delegated struct {
	oc   *oauth2.Config
	path string
}

func (d *delegated) fetch(ctx context.Context) (*oauth2.Token, error) {
	rt, err := loadRefresh(d.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &Error{Kind: ErrUnauthorized, Message: fmt.Sprintf(
			"not signed in: run `ahunt login` (no token in %s)", d.path)}
	}
	if err != nil {
		return nil, err
	}
	tok, err := d.oc.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken != "" && tok.RefreshToken != rt {
		if err := saveRefresh(d.path, tok.RefreshToken); err != nil {
			return nil, err
		}
	}
	return tok, nil
}

// tokenFile is the refresh token file's content. It holds nothing but
// the refresh token: never an access token or a secret.
type tokenFile struct {
	RefreshToken string `json:"refresh_token"`
}

func loadRefresh(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read token file: %w", err)
	}
	var tf tokenFile
	if err := json.Unmarshal(b, &tf); err != nil || tf.RefreshToken == "" {
		return "", fmt.Errorf("token file %s: unreadable; run `ahunt login` "+
			"again", path)
	}
	return tf.RefreshToken, nil
}

// saveRefresh writes the refresh token to path, mode 0600 in a 0700
// folder, replacing the file in one step.
func saveRefresh(path, rt string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	b, err := json.Marshal(tokenFile{RefreshToken: rt})
	if err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".token-*")
	if err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("save token: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("save token: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	return nil
}
