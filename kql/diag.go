package kql

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Severity says how serious a Diagnostic is.
type Severity uint8

// The severities, most serious first.
const (
	// Error means the query cannot run as written.
	Error Severity = iota
	// Warning means the query runs but likely not as meant.
	Warning
	// Info is a hint.
	Info
)

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "severity(?)"
}

// The diagnostic codes of the lexer and parser.
const (
	// CodeBadToken is text that is no token: a stray character or an
	// unterminated string.
	CodeBadToken = "KQL001"
	// CodeExpected is a missing token, such as a closing ')'.
	CodeExpected = "KQL002"
	// CodeMissingExpr is a missing expression.
	CodeMissingExpr = "KQL003"
	// CodeUnexpected is a token where none of its kind can go.
	CodeUnexpected = "KQL004"
	// CodeUnknownOperator is an unknown tabular operator after '|'.
	CodeUnknownOperator = "KQL005"
	// CodeBadLiteral is a literal whose value cannot be read, such as
	// datetime(2024-13-45).
	CodeBadLiteral = "KQL006"
	// CodeTooDeep is an expression nested deeper than the parser goes.
	CodeTooDeep = "KQL007"
)

// Diagnostic is a problem found in a query, with where it is.
type Diagnostic struct {
	Severity Severity
	Code     string // stable identifier, such as "KQL002"
	Message  string // worded for an analyst
	Pos, End int    // byte span in the source
	Line     int    // 1-based line of Pos
	Col      int    // 1-based column of Pos, counted in characters
}

// String formats d as "line:col: severity: message".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%d:%d: %s: %s", d.Line, d.Col, d.Severity,
		d.Message)
}

// LineCol returns the 1-based line and column of byte offset off in src.
// Columns count characters (runes), not bytes; "\r\n" and "\n" end lines.
func LineCol(src string, off int) (line, col int) {
	var pc posCounter
	pc.advance(src, off)
	return pc.line + 1, pc.col + 1
}

// SetLineCols fills in Line and Col of every diagnostic from its Pos, in
// one pass over src.
func SetLineCols(src string, ds []Diagnostic) {
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return ds[order[a]].Pos < ds[order[b]].Pos
	})
	var pc posCounter
	for _, k := range order {
		pc.advance(src, ds[k].Pos)
		ds[k].Line, ds[k].Col = pc.line+1, pc.col+1
	}
}

// posCounter counts lines and columns (0-based) up to an offset.
type posCounter struct {
	i, line, col int
}

// advance moves the counter to offset off (clamped to src), or to the
// end of the rune that contains it.
func (pc *posCounter) advance(src string, off int) {
	off = min(max(off, 0), len(src))
	for pc.i < off {
		if src[pc.i] == '\n' {
			pc.line, pc.col = pc.line+1, 0
			pc.i++
			continue
		}
		_, n := utf8.DecodeRuneInString(src[pc.i:])
		pc.i += n
		pc.col++
	}
}
