package kql

import (
	"strings"
	"testing"
)

func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the only diagnostic, as Diagnostic.String
		code string
	}{
		{"unclosed call",
			"T\n| where A == 1\n| summarize count(\n| take 10",
			"4:1: error: expected ')' to close the call to 'count' opened " +
				"at line 3, column 18, found '|'", CodeExpected},
		{"misspelt operator", "T | where A == 1\n| projct A\n| take 10",
			"2:3: error: unknown operator 'projct'", CodeUnknownOperator},
		{"missing operand", "T | where A ==\n| take 10",
			"2:1: error: expected an expression, found '|'",
			CodeMissingExpr},
		{"missing semicolon", "let x = 1\nT | take 1",
			"2:1: error: unexpected 'T': expected ';' between statements",
			CodeUnexpected},
		{"trailing pipe", "T | take 10 |",
			"1:14: error: expected an operator such as where, project or " +
				"summarize, found the end of the query", CodeExpected},
		{"missing pipe", "T | where A == 1 project B",
			"1:18: error: unexpected 'project': expected '|' or the end of " +
				"the operator", CodeUnexpected},
		{"reserved name", "let where = 1; T",
			"1:5: error: 'where' is a reserved word; to use it as a name " +
				"after 'let', quote it as ['where']", CodeExpected},
		{"unterminated string", "T | where A == 'abc\n| take 5",
			"1:16: error: unterminated string: add the closing quote on " +
				"the same line, or use ```...``` for text over several lines",
			CodeBadToken},
		{"bad datetime", "T | extend x = datetime(2024-13-45)",
			"1:16: warning: invalid literal 'datetime(2024-13-45)': not a " +
				"datetime value; the service will reject it", CodeBadLiteral},
		{"chained comparison", "T | where A == 1 == 2",
			"1:18: error: unexpected '==': expected '|' or the end of the " +
				"operator", CodeUnexpected},
		{"sort without by", "T | sort A",
			"1:10: error: expected 'by' after 'sort', found 'A'",
			CodeExpected},
		{"columns count characters", "print 'ü' ==",
			"1:13: error: expected an expression, found the end of the " +
				"query", CodeMissingExpr},
		{"unknown render property", "T | render piechart with (titel='x')",
			"1:27: error: unknown render property 'titel'", CodeUnexpected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse(tt.src)
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics %v, want 1", len(diags), diags)
			}
			if got := diags[0].String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if diags[0].Code != tt.code {
				t.Errorf("got code %s, want %s", diags[0].Code, tt.code)
			}
		})
	}
}

// TestRecovery checks that after a mistake the rest of the query is
// still in the tree.
func TestRecovery(t *testing.T) {
	tests := []struct {
		name string
		src  string
		ops  []string // the operator types of the final pipeline
	}{
		{"unknown operator", "T | projct A | take 10 | count",
			[]string{"BadOp", "TakeOp", "CountOp"}},
		{"missing operand", "T | where A == | take 10",
			[]string{"WhereOp", "TakeOp"}},
		{"extra tokens", "T | where A == 1 B C | take 10",
			[]string{"WhereOp", "TakeOp"}},
		{"unclosed paren", "T | where (A == 1 | take 10",
			[]string{"WhereOp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, diags := Parse(tt.src)
			if len(diags) != 1 {
				t.Errorf("got %d diagnostics %v, want 1", len(diags), diags)
			}
			pl, ok := s.Query().X.(*Pipeline)
			if !ok {
				t.Fatalf("got %T, want *Pipeline", s.Query().X)
			}
			var got []string
			for _, op := range pl.Ops {
				got = append(got, strings.TrimPrefix(label(op), "*kql."))
			}
			if strings.Join(got, " ") != strings.Join(tt.ops, " ") {
				t.Errorf("got operators %v, want %v", got, tt.ops)
			}
		})
	}
}

func TestLineCol(t *testing.T) {
	src := "ab\r\ncé\nx"
	tests := []struct {
		off        int
		line, col  int
		wantString string
	}{
		{0, 1, 1, "a"},
		{4, 2, 1, "c"},
		{5, 2, 2, "é"},
		{7, 2, 3, "\n"},
		{8, 3, 1, "x"},
		{99, 3, 2, "end"},
	}
	for _, tt := range tests {
		line, col := LineCol(src, tt.off)
		if line != tt.line || col != tt.col {
			t.Errorf("LineCol(%d) (%s) = %d:%d, want %d:%d", tt.off,
				tt.wantString, line, col, tt.line, tt.col)
		}
	}
}

func TestSeverityString(t *testing.T) {
	for s, want := range map[Severity]string{
		Error: "error", Warning: "warning", Info: "info",
	} {
		if got := s.String(); got != want {
			t.Errorf("Severity(%d).String() = %q, want %q", s, got, want)
		}
	}
}

// TestErrorCap checks that a query full of mistakes reports a bounded
// number of errors.
func TestErrorCap(t *testing.T) {
	src := strings.Repeat("print 1 + ;\n", 200) // 200 mistakes
	_, diags := Parse(src)
	if n := len(errorsOf(diags)); n != maxErrors {
		t.Errorf("got %d errors, want %d", n, maxErrors)
	}
}
