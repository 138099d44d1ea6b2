package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/ahunt/ahunt/kql/table"
)

// ServerOptions configures NewServer.
type ServerOptions struct {
	// TenantID is the tenant the token endpoint answers for; empty accepts
	// any.
	TenantID string
	// ClientID and ClientSecret are the one app registration the token
	// endpoint accepts.
	ClientID, ClientSecret string
	// TokenTTL is how long an access token lasts; default one hour.
	TokenTTL time.Duration
	// Limits are the limits the server enforces with 429s, as a Budget
	// would; the zero value means DefaultLimits.
	Limits Limits
	// Ledger keeps the server's calls; default a MemoryLedger.
	Ledger Ledger
	// Clock is the server's time source; default the system clock.
	Clock Clock
	// MaxResultBytes is the largest body the server sends; a bigger result
	// is a 400 "exceeded the allowed result size". Default 124 MB, the
	// size users met on the real service.
	MaxResultBytes int
}

// The three API shapes a Server speaks.
type shape int

const (
	shapeGraph shape = iota
	shapeXDR
	shapeMDE
)

var shapeAPIs = [...]string{shapeGraph: "graph", shapeXDR: "xdr",
	shapeMDE: "mde"}

// shapeRoles are the application roles each API requires, for 403s.
var shapeRoles = [...]string{shapeGraph: "ThreatHunting.Read.All",
	shapeXDR: "AdvancedHunting.Read.All", shapeMDE: "AdvancedQuery.Read.All"}

// server serves the hunting APIs and a token endpoint over a Backend.
type server struct {
	be     Backend
	opts   ServerOptions
	budget *Budget

	mu     sync.Mutex
	tokens map[string]issued
}

// issued is one access token the server gave out.
type issued struct {
	expires time.Time
	scope   string
}

// NewServer returns a handler that puts be behind the three hunting API
// shapes, with a client-credentials token endpoint at
// POST /{tenant}/oauth2/v2.0/token and the limits of opts.Limits:
//
//	POST /v1.0/security/runHuntingQuery  (Graph: schema, results)
//	POST /api/advancedhunting/run        (XDR: Stats, Schema, Results)
//	POST /api/advancedqueries/run        (MDE: Schema, Results)
//
// Errors come in Microsoft's body shapes and wording, so clients written
// for the real service meet the same answers. Without a ClientID and
// ClientSecret the token endpoint refuses every client.
func NewServer(be Backend, opts ServerOptions) http.Handler {
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.MaxResultBytes <= 0 {
		opts.MaxResultBytes = 124_000_000
	}
	s := &server{be: be, opts: opts, tokens: make(map[string]issued)}
	s.budget = NewBudget(opts.Limits, opts.Ledger, "serve/"+be.Name(),
		WithClock(opts.Clock))
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.token)
	mux.Handle("POST /v1.0/security/runHuntingQuery", s.query(shapeGraph))
	mux.Handle("POST /api/advancedhunting/run", s.query(shapeXDR))
	mux.Handle("POST /api/advancedqueries/run", s.query(shapeMDE))
	return mux
}

// writeOAuthError answers the token endpoint's failures as Entra does.
func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{
		"error": code, "error_description": desc})
}

func (s *server) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, 400, "invalid_request", "AADSTS900144: "+
			"the request body must be a form")
		return
	}
	tenant := r.PathValue("tenant")
	if s.opts.TenantID != "" && tenant != s.opts.TenantID {
		writeOAuthError(w, 400, "invalid_request", fmt.Sprintf(
			"AADSTS90002: Tenant '%s' not found.", tenant))
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, 400, "unsupported_grant_type", fmt.Sprintf(
			"AADSTS70003: grant type %q is not supported here.", gt))
		return
	}
	if s.opts.ClientSecret == "" {
		writeOAuthError(w, 401, "invalid_client", "AADSTS700016: "+
			"this server has no client configured.")
		return
	}
	if !s.clientOK(r) {
		writeOAuthError(w, 401, "invalid_client", "AADSTS7000215: "+
			"Invalid client secret provided.")
		return
	}
	scope := r.PostForm.Get("scope")
	if scopeShape(scope) < 0 {
		writeOAuthError(w, 400, "invalid_scope", fmt.Sprintf(
			"AADSTS1002012: The provided value for scope %s is not valid.",
			scope))
		return
	}
	tok, err := s.issue(scope)
	if err != nil {
		writeOAuthError(w, 500, "server_error", "could not make a token")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     int(s.opts.TokenTTL.Seconds()) - 1,
		"ext_expires_in": int(s.opts.TokenTTL.Seconds()) - 1,
		"access_token":   tok,
	})
}

// clientOK checks the client id and secret, sent in the form or with
// basic authentication, in constant time.
func (s *server) clientOK(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id = r.PostForm.Get("client_id")
		secret = r.PostForm.Get("client_secret")
	}
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID))
	secOK := subtle.ConstantTimeCompare([]byte(secret),
		[]byte(s.opts.ClientSecret))
	return idOK&secOK == 1
}

// scopeShape returns the API a ".default" scope is for, or -1.
func scopeShape(scope string) shape {
	for i, api := range shapeAPIs {
		if scope == apiSpecs[api].scope {
			return shape(i)
		}
	}
	return -1
}

// issue makes a new access token and forgets expired ones.
func (s *server) issue(scope string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	now := s.opts.Clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, is := range s.tokens {
		if !now.Before(is.expires) {
			delete(s.tokens, t)
		}
	}
	s.tokens[tok] = issued{expires: now.Add(s.opts.TokenTTL), scope: scope}
	return tok, nil
}

// apiError is one error answer of the query endpoints.
type apiError struct {
	status        int
	code, message string
	retryAfter    time.Duration
}

// query returns the handler of one API shape.
func (s *server) query(sh shape) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e := s.serveQuery(w, r, sh); e != nil {
			writeAPIError(w, sh, e)
		}
	})
}

func (s *server) serveQuery(w http.ResponseWriter, r *http.Request,
	sh shape) *apiError {
	if e := s.authorize(r, sh); e != nil {
		return e
	}
	q, e := readQuery(r, sh)
	if e != nil {
		return e
	}
	t, err := s.budget.acquireNow(r.Context())
	if err != nil {
		return s.refusal(err)
	}
	start := s.opts.Clock.Now()
	res, err := s.run(r.Context(), q)
	var exec time.Duration
	if res != nil && res.Stats != nil {
		exec = res.Stats.ExecutionTime
	}
	s.budget.settle(t, exec)
	if err != nil {
		return runError(err)
	}
	if exec <= 0 {
		exec = s.opts.Clock.Now().Sub(start)
	}
	return s.writeResult(w, sh, res, exec)
}

// authorize checks the bearer token and that it was issued for sh.
func (s *server) authorize(r *http.Request, sh shape) *apiError {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return unauthorized("no bearer token")
	}
	s.mu.Lock()
	is, found := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !found:
		return unauthorized("token not recognised")
	case !s.opts.Clock.Now().Before(is.expires):
		return unauthorized("token expired")
	case scopeShape(is.scope) != sh:
		return &apiError{status: 403, code: "Forbidden", message: "Missing " +
			"application roles. API required roles: " + shapeRoles[sh] +
			", application roles"}
	}
	return nil
}

func unauthorized(reason string) *apiError {
	return &apiError{status: 401, code: "Unauthorized",
		message: "Unauthorized request - reason of failure: " + reason}
}

// readQuery reads the request body. Parameter names are case-sensitive,
// as on the real service.
func readQuery(r *http.Request, sh shape) (Query, *apiError) {
	missing := &apiError{status: 400, code: "InvalidRequestBody",
		message: "Missing query."}
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return Query{}, missing
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(b, &body) != nil {
		return Query{}, missing
	}
	var q Query
	if json.Unmarshal(body["Query"], &q.Text) != nil || q.Text == "" {
		return Query{}, missing
	}
	if raw, ok := body["Timespan"]; ok && sh == shapeGraph {
		if json.Unmarshal(raw, &q.Timespan) != nil {
			return Query{}, &apiError{status: 400, code: "BadRequest",
				message: "Timespan must be a string."}
		}
	}
	return q, nil
}

// refusal words the budget's refusal as Microsoft's gateway does.
func (s *server) refusal(err error) *apiError {
	var e *Error
	if !errors.As(err, &e) {
		return &apiError{status: 500, code: "InternalServerError",
			message: err.Error()}
	}
	wait := e.RetryAfter.Round(time.Second)
	if wait < e.RetryAfter {
		wait += time.Second
	}
	ae := &apiError{status: 429, code: "429", retryAfter: wait}
	if e.Code == CodeCallLimit {
		ae.message = fmt.Sprintf("API calls quota exceeded! maximum "+
			"allowed %d per 00:01:00. You can send requests again in "+
			"%d seconds.", s.opts.Limits.CallsPerMinute, int(wait.Seconds()))
		return ae
	}
	ae.message = "You have exceeded processing resources allocated to " +
		"this tenant. You can run queries again in " +
		table.FormatTimeSpan(table.DurationToTicks(wait)) + "."
	return ae
}

// run runs q within the request timeout.
func (s *server) run(ctx context.Context, q Query) (*Result, error) {
	if d := s.opts.Limits.RequestTimeout; d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	res, err := s.be.Run(ctx, q)
	if err == nil && res == nil {
		err = errors.New("backend returned no result")
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = &Error{Kind: ErrTimeout, Err: err}
	}
	return res, err
}

// runError maps a backend failure to the service's answer.
func runError(err error) *apiError {
	var e *Error
	errors.As(err, &e)
	switch {
	case errors.Is(err, ErrTimeout):
		return &apiError{status: 504, code: "GatewayTimeout",
			message: "Query exceeded the timeout period."}
	case errors.Is(err, ErrResultTooLarge):
		return tooLarge()
	case errors.Is(err, ErrQueryInvalid):
		msg := e.Message
		if e.Line > 0 && !reLineCol.MatchString(msg) {
			msg = fmt.Sprintf("%s (on line [%d,%d])", msg, e.Line, e.Col)
		}
		return &apiError{status: 400, code: "BadRequest", message: msg}
	}
	return &apiError{status: 500, code: "InternalServerError",
		message: "An unexpected error occurred."}
}

func tooLarge() *apiError {
	return &apiError{status: 400, code: "BadRequest", message: "Query " +
		"execution has exceeded the allowed result size. Optimize your " +
		"query by limiting the number of results and try again"}
}

// writeAPIError writes e in the error shape of sh.
func writeAPIError(w http.ResponseWriter, sh shape, e *apiError) {
	id := newTrackingID()
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After",
			strconv.Itoa(int(math.Ceil(e.retryAfter.Seconds()))))
	}
	inner := map[string]string{}
	if sh == shapeGraph {
		inner["date"] = time.Now().UTC().Format(time.RFC3339)
		inner["request-id"] = id
		inner["client-request-id"] = id
		code := e.code
		if code == "429" {
			code = "TooManyRequests"
		}
		writeJSON(w, e.status, map[string]any{"error": map[string]any{
			"code": code, "message": e.message, "innerError": inner}})
		return
	}
	writeJSON(w, e.status, map[string]any{"error": map[string]any{
		"code": e.code, "message": e.message, "target": "|" + id}})
}

func newTrackingID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" +
		h[20:]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeResult writes res in sh's shape, at most MaxRows rows, or the
// result-size error when the body would pass MaxResultBytes.
func (s *server) writeResult(w http.ResponseWriter, sh shape, res *Result,
	exec time.Duration) *apiError {
	rows := res.Table.Rows()
	if max := s.opts.Limits.MaxRows; max > 0 && rows > max {
		rows = max
	}
	b := encodeResult(nil, sh, res, rows, exec)
	if len(b) > s.opts.MaxResultBytes {
		return tooLarge()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// encodeResult appends the body of a successful answer in shape sh.
func encodeResult(dst []byte, sh shape, res *Result, rows int,
	exec time.Duration) []byte {
	schemaKey, nameKey, typeKey, resultsKey :=
		`"Schema"`, `"Name"`, `"Type"`, `"Results"`
	dst = append(dst, '{')
	switch sh {
	case shapeGraph:
		schemaKey, nameKey, typeKey, resultsKey =
			`"schema"`, `"name"`, `"type"`, `"results"`
		dst = append(dst, `"@odata.context":"https://graph.microsoft.com/v1.0/`+
			`$metadata#microsoft.graph.security.huntingQueryResults",`...)
	case shapeXDR:
		dst = append(dst, `"Stats":`...)
		dst = appendStats(dst, res, rows, exec)
		dst = append(dst, ',')
	}
	cols := res.Table.Columns
	names := make([][]byte, len(cols))
	dst = append(append(dst, schemaKey...), ":["...)
	for i, c := range cols {
		names[i], _ = json.Marshal(c.Name)
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = fmt.Appendf(dst, `{%s:%s,%s:"%s"}`, nameKey, names[i],
			typeKey, c.Type.APIName())
	}
	dst = append(append(dst, "],"...), resultsKey...)
	dst = append(dst, ":["...)
	for r := 0; r < rows; r++ {
		if r > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		for i, c := range cols {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(append(dst, names[i]...), ':')
			dst = appendCell(dst, c, r)
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...)
}

// appendCell appends cell r of c as JSON, quoting text without the
// allocation of a general encoder.
func appendCell(dst []byte, c *table.Column, r int) []byte {
	if (c.Type == table.String || c.Type == table.GUID) && !c.IsNull(r) {
		if out, err := jsontext.AppendQuote(dst, c.Bytes(r)); err == nil {
			return out
		}
	}
	return c.AppendJSON(dst, r)
}

// appendStats appends an XDR Stats object: execution time in seconds, CPU
// as a .NET TimeSpan, the rows and bytes of the result.
func appendStats(dst []byte, res *Result, rows int, exec time.Duration) []byte {
	cpu, peak := exec, int64(0)
	if res.Stats != nil {
		if res.Stats.CPUTime > 0 {
			cpu = res.Stats.CPUTime
		}
		peak = res.Stats.PeakMemory
	}
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(map[string]any{
		"ExecutionTime": exec.Seconds(),
		"resource_usage": map[string]any{
			"cpu": map[string]string{"total cpu": table.FormatTimeSpan(
				table.DurationToTicks(cpu))},
			"memory": map[string]int64{"peak_per_node": peak},
		},
		"dataset_statistics": []map[string]int{{
			"table_row_count": rows, "table_size": res.Table.Size()}},
	})
	return append(dst, bytes.TrimSpace(buf.Bytes())...)
}
