package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The kinds of failure a caller can test for with errors.Is. Every *Error
// matches exactly one of them.
var (
	// ErrUnauthorized: the service refused the token, or none could be
	// had (wrong secret, expired sign-in, wrong audience).
	ErrUnauthorized = errors.New("not authorized")
	// ErrForbidden: the token lacks a permission or role; Error.Permission
	// names it when the service did.
	ErrForbidden = errors.New("permission missing")
	// ErrThrottled: too many calls; wait Error.RetryAfter and try again.
	ErrThrottled = errors.New("throttled")
	// ErrQuotaSpent: a running-time budget (the tenant's CPU quota, or
	// ahunt's hourly or daily runtime budget) is used up until
	// Error.RetryAfter from now.
	ErrQuotaSpent = errors.New("quota spent")
	// ErrQueryInvalid: the service rejected the query (syntax or
	// semantics); Error.Line and Error.Col locate it when known.
	ErrQueryInvalid = errors.New("query invalid")
	// ErrResultTooLarge: the result passed the service's size cap, or
	// ahunt's body size limit.
	ErrResultTooLarge = errors.New("result too large")
	// ErrQueryLimits: the service stopped the query for using too much CPU
	// or memory.
	ErrQueryLimits = errors.New("query over resource limits")
	// ErrTimeout: the query ran past the service's or ahunt's time limit.
	ErrTimeout = errors.New("timed out")
	// ErrServer: the service failed (5xx) or answered in a way no other
	// kind describes.
	ErrServer = errors.New("service failure")
	// ErrNetwork: the service could not be reached or the connection
	// broke, including a body cut off in the middle.
	ErrNetwork = errors.New("network failure")
	// ErrBadResponse: the service answered 200 with a body that is not a
	// hunting result.
	ErrBadResponse = errors.New("unreadable response")
)

// Error is a failed call to a hunting API, or a call the budget refused.
// It matches its Kind with errors.Is and unwraps to its cause, if any.
type Error struct {
	// Kind is one of the Err sentinels.
	Kind error
	// Backend is the backend's name ("graph", "xdr", ...).
	Backend string
	// Status is the HTTP status; zero when no answer came, or when the
	// budget refused the call before it was sent.
	Status int
	// Code and Message are the service's error code and text.
	Code, Message string
	// TrackingID is the service's id for the request (the "target" of the
	// legacy APIs, the "request-id" of Graph), for support tickets.
	TrackingID string
	// RetryAfter is how long to wait before trying again; zero when the
	// service gave no hint.
	RetryAfter time.Duration
	// Line and Col locate a query error, 1-based; zero when unknown.
	Line, Col int
	// Permission is the role the token lacks, when the service named it.
	Permission string
	// Err is the underlying cause (a network or decode error), or nil.
	Err error
}

// Error renders e in one line for an analyst, as in
// "xdr: query invalid at line 2, col 7: Failed to resolve ... (HTTP 400
// BadRequest, tracking id |dda9)".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Backend != "" {
		b.WriteString(e.Backend)
		b.WriteString(": ")
	}
	b.WriteString(e.kindText())
	if e.Line > 0 {
		fmt.Fprintf(&b, " at line %d, col %d", e.Line, e.Col)
	}
	if msg := e.detail(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry in %s", e.RetryAfter.Round(time.Second))
	}
	if tail := e.tail(); tail != "" {
		fmt.Fprintf(&b, " (%s)", tail)
	}
	return b.String()
}

func (e *Error) kindText() string {
	if e.Kind == nil {
		return "failed"
	}
	return e.Kind.Error()
}

// detail is the service's message, else the cause, else the missing
// permission.
func (e *Error) detail() string {
	msg := oneLine(e.Message)
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Permission != "" && !strings.Contains(msg, e.Permission) {
		if msg != "" {
			msg += "; "
		}
		msg += "needs " + e.Permission
	}
	return msg
}

func (e *Error) tail() string {
	var parts []string
	if e.Status != 0 {
		s := "HTTP " + strconv.Itoa(e.Status)
		if e.Code != "" && e.Code != strconv.Itoa(e.Status) {
			s += " " + e.Code
		}
		parts = append(parts, s)
	}
	if e.TrackingID != "" {
		parts = append(parts, "tracking id "+e.TrackingID)
	}
	return strings.Join(parts, ", ")
}

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool {
	return target != nil && target == e.Kind
}

// Unwrap returns the underlying cause, or nil.
func (e *Error) Unwrap() error { return e.Err }

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// errorBody is the error body of all three APIs: the legacy APIs put the
// tracking id in target, Graph in innerError.
type errorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		Target     string `json:"target"`
		InnerError struct {
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// The service's words that tell failures with the same status apart.
var (
	// "on line [3,5]", "line 3, column 5", "line 3:5", "line 3 pos 5"
	reLineCol = regexp.MustCompile(`(?i)line\s*\[?\s*(\d+)\s*[,:]\s*` +
		`(?:col(?:umn)?\s*|pos(?:ition)?\s*)?(\d+)`)
	// "API required roles: A.B.C, D.E.F, application roles"
	reRoles = regexp.MustCompile(`(?i)required (?:roles?|permissions?)` +
		`\s*:?\s*([\w.]+(?:\s*,\s*\w+\.[\w.]+)*)`)
	reWaitSeconds = regexp.MustCompile(
		`(?i)\bin\s+(\d+)\s*(seconds?|secs?|s|minutes?|mins?|hours?)\b`)
	reWaitClock = regexp.MustCompile(`(?i)\bin\s+(\d+):(\d\d):(\d\d)`)
)

// newHTTPError builds the error for a non-2xx answer from its status,
// headers and body (already read through the size limit), as of now.
func newHTTPError(backend string, status int, h http.Header, body []byte,
	now time.Time) *Error {
	e := &Error{Backend: backend, Status: status}
	var eb errorBody
	err := json.Unmarshal(body, &eb)
	if err == nil && eb.Error.Code+eb.Error.Message != "" {
		e.Code, e.Message = eb.Error.Code, eb.Error.Message
		e.TrackingID = eb.Error.Target
		if e.TrackingID == "" {
			e.TrackingID = eb.Error.InnerError.RequestID
		}
	} else {
		e.Message = textBody(body)
	}
	if e.TrackingID == "" {
		e.TrackingID = h.Get("request-id")
	}
	e.Kind = classify(status, e.Message)
	e.RetryAfter = retryHint(h, e.Message, now)
	if e.Kind == ErrQueryInvalid {
		e.Line, e.Col = lineCol(e.Message)
	}
	if e.Kind == ErrForbidden {
		e.Permission = permission(e.Message)
	}
	return e
}

// textBody returns a short non-JSON body as text, so that a proxy's
// "Bad Gateway" page still says something; HTML is dropped.
func textBody(body []byte) string {
	s := strings.TrimSpace(string(body))
	if strings.HasPrefix(s, "<") || len(s) > 300 {
		return ""
	}
	return oneLine(s)
}

// classify maps a status and the service's message to a Kind.
func classify(status int, msg string) error {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "allowed result size"):
		return ErrResultTooLarge
	case strings.Contains(m, "exceeded the allowed limits"),
		strings.Contains(m, "excessive resource"):
		return ErrQueryLimits
	case strings.Contains(m, "timeout period"):
		return ErrTimeout
	}
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusTooManyRequests:
		if strings.Contains(m, "processing resources") ||
			strings.Contains(m, "cpu") {
			return ErrQuotaSpent
		}
		return ErrThrottled
	case status == http.StatusRequestTimeout,
		status == http.StatusGatewayTimeout:
		return ErrTimeout
	case status == http.StatusBadRequest:
		return ErrQueryInvalid
	}
	return ErrServer
}

// retryHint reads the wait from Retry-After (seconds or an HTTP date),
// else from the message ("in 8 seconds", "in 00:12:30"); zero when
// neither says.
func retryHint(h http.Header, msg string, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now)
		}
	}
	if m := reWaitClock.FindStringSubmatch(msg); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		s, _ := strconv.Atoi(m[3])
		return time.Duration(h*3600+mi*60+s) * time.Second
	}
	if m := reWaitSeconds.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		unit := time.Second
		switch strings.ToLower(m[2])[0] {
		case 'm':
			unit = time.Minute
		case 'h':
			unit = time.Hour
		}
		return time.Duration(n) * unit
	}
	return 0
}

// lineCol finds "line [L,C]" or "line L, column C" in a message.
func lineCol(msg string) (line, col int) {
	m := reLineCol.FindStringSubmatch(msg)
	if m == nil {
		return 0, 0
	}
	line, _ = strconv.Atoi(m[1])
	col, _ = strconv.Atoi(m[2])
	return line, col
}

// permission finds the role list in "API required roles: X, application
// roles" and similar.
func permission(msg string) string {
	m := reRoles.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}
