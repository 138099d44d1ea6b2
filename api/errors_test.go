package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNewHTTPError(t *testing.T) {
	now := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   string
		is     error
	}{{
		name: "semantic error", status: 400,
		body: errorJSON("xdr", "BadRequest", "'where' operator: Failed to "+
			"resolve table or column expression named 'X'. Fix semantic "+
			"errors in your query."),
		want: "xdr: query invalid: 'where' operator: Failed to resolve " +
			"table or column expression named 'X'. Fix semantic errors in " +
			"your query. (HTTP 400 BadRequest, tracking id |req-1)",
		is: ErrQueryInvalid,
	}, {
		name: "syntax error with position", status: 400,
		body: errorJSON("graph", "BadRequest", "Syntax error on line 2, column 14"),
		want: "graph: query invalid at line 2, col 14: Syntax error on " +
			"line 2, column 14 (HTTP 400 BadRequest, tracking id req-1)",
		is: ErrQueryInvalid,
	}, {
		name: "forbidden names the role", status: 403,
		body: errorJSON("mde", "Forbidden", "Missing application roles. "+
			"API required roles: AdvancedQuery.Read.All, application roles"),
		want: "mde: permission missing: Missing application roles. API " +
			"required roles: AdvancedQuery.Read.All, application roles " +
			"(HTTP 403 Forbidden, tracking id |req-1)",
		is: ErrForbidden,
	}, {
		name: "throttled with an http date", status: 429,
		header: http.Header{"Retry-After": {"Thu, 05 Nov 2026 10:00:30 GMT"}},
		body: errorJSON("xdr", "429", "API calls quota exceeded! maximum "+
			"allowed 45 per 00:01:00"),
		want: "xdr: throttled: API calls quota exceeded! maximum allowed " +
			"45 per 00:01:00; retry in 30s (HTTP 429, tracking id |req-1)",
		is: ErrThrottled,
	}, {
		name: "cpu quota with a clock wait", status: 429,
		body: errorJSON("xdr", "429", "You have exceeded processing "+
			"resources allocated to this tenant. You can run queries "+
			"again in 00:12:30."),
		want: "xdr: quota spent: You have exceeded processing resources " +
			"allocated to this tenant. You can run queries again in " +
			"00:12:30.; retry in 12m30s (HTTP 429, tracking id |req-1)",
		is: ErrQuotaSpent,
	}, {
		name: "preempted", status: 400,
		body: errorJSON("xdr", "BadRequest", "Query execution has exceeded "+
			"the allowed limits. The query execution was preempted."),
		want: "xdr: query over resource limits: Query execution has " +
			"exceeded the allowed limits. The query execution was " +
			"preempted. (HTTP 400 BadRequest, tracking id |req-1)",
		is: ErrQueryLimits,
	}, {
		name: "proxy page", status: 502, body: "Bad Gateway",
		want: "graph: service failure: Bad Gateway (HTTP 502)",
		is:   ErrServer,
	}, {
		name: "html page dropped", status: 503, body: "<html>down</html>",
		want: "graph: service failure (HTTP 503)",
		is:   ErrServer,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backend, _, _ := strings.Cut(tt.want, ":")
			e := newHTTPError(backend, tt.status, tt.header,
				[]byte(tt.body), now)
			if got := e.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !errors.Is(e, tt.is) {
				t.Errorf("got kind %v, want %v", e.Kind, tt.is)
			}
		})
	}
}

func TestErrorUnwrap(t *testing.T) {
	e := &Error{Kind: ErrTimeout, Err: context.DeadlineExceeded}
	if !errors.Is(e, ErrTimeout) || !errors.Is(e, context.DeadlineExceeded) {
		t.Errorf("got %v, want it to match ErrTimeout and its cause", e)
	}
	if errors.Is(e, ErrServer) {
		t.Errorf("got a match for ErrServer, want none")
	}
	if got, want := e.Error(), "timed out: context deadline exceeded"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
