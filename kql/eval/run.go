package eval

import (
	"context"
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// ParseError is a query that does not parse; it carries the parser's
// error diagnostics, with lines and columns set.
type ParseError struct {
	Diagnostics []kql.Diagnostic
}

// Error returns the first diagnostic and how many more there are.
func (e *ParseError) Error() string {
	if len(e.Diagnostics) == 0 {
		return "syntax error"
	}
	d := e.Diagnostics[0]
	msg := fmt.Sprintf("syntax error at %d:%d: %s", d.Line, d.Col, d.Message)
	if n := len(e.Diagnostics) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Run parses src and evaluates it over db. A query that does not parse
// returns a *ParseError; one that cannot be evaluated an *Error.
func Run(ctx context.Context, src string, db *DB,
	opt Options) (*table.Table, error) {
	script, diags := kql.Parse(src)
	var errs []kql.Diagnostic
	for _, d := range diags {
		if d.Severity == kql.Error {
			errs = append(errs, d)
		}
	}
	if len(errs) > 0 {
		kql.SetLineCols(src, errs)
		return nil, &ParseError{Diagnostics: errs}
	}
	return Eval(ctx, script, db, opt)
}

// Describe renders err for an analyst with the line and column of its
// position in src, as in "3:14: unknown column \"Foo\"".
func Describe(src string, err error) string {
	if e, ok := err.(*Error); ok {
		line, col := kql.LineCol(src, e.Pos)
		return fmt.Sprintf("%d:%d: %s", line, col, e.Msg)
	}
	return strings.TrimSpace(err.Error())
}
