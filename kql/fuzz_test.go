package kql

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse lexes and parses arbitrary input, checking that nothing
// panics and that every token, node and diagnostic lies inside the input.
func FuzzParse(f *testing.F) {
	err := filepath.WalkDir(filepath.Join("testdata", "fuzz", "seed"),
		func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".kql") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f.Add(string(b))
			return nil
		})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkTokens(t, src, Lex(src))
		s, diags := Parse(src)
		if s == nil {
			t.Fatal("Parse returned a nil script")
		}
		checkDiags(t, src, diags)
		checkSpans(t, src, s)
	})
}

// checkTokens checks that toks are in order, non-empty and inside src.
func checkTokens(t *testing.T, src string, toks []Token) {
	t.Helper()
	prev := 0
	for i, tk := range toks {
		if tk.Len <= 0 || tk.Pos < prev || tk.End() > len(src) {
			t.Fatalf("token %d %v: got span [%d,%d), want a non-empty "+
				"span after %d within %d bytes", i, tk.Kind, tk.Pos,
				tk.End(), prev, len(src))
		}
		prev = tk.End()
	}
}

// checkDiags checks that every diagnostic's span and position are sane.
func checkDiags(t *testing.T, src string, diags []Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Pos < 0 || d.End < d.Pos || d.End > len(src) {
			t.Fatalf("diagnostic %q: got span [%d,%d), want within %d "+
				"bytes", d.Message, d.Pos, d.End, len(src))
		}
		line, col := LineCol(src, d.Pos)
		if d.Line != line || d.Col != col {
			t.Fatalf("diagnostic %q: got %d:%d, want %d:%d", d.Message,
				d.Line, d.Col, line, col)
		}
		// A message quotes the source, so it is valid UTF-8 when the
		// source is.
		badText := !utf8.ValidString(d.Message) && utf8.ValidString(src)
		if d.Message == "" || badText {
			t.Fatalf("diagnostic at %d: bad message %q", d.Pos, d.Message)
		}
	}
}

// checkSpans checks that every node's span lies inside src and inside
// its parent's span.
func checkSpans(t *testing.T, src string, root Node) {
	t.Helper()
	var stack []Node
	Inspect(root, func(n Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		pos, end := n.Span()
		if pos < 0 || end < pos || end > len(src) {
			t.Fatalf("%T: got span [%d,%d), want within %d bytes", n, pos,
				end, len(src))
		}
		// A missing node is zero-width between two tokens; only nodes
		// with text must nest.
		if len(stack) > 0 && end > pos {
			ppos, pend := stack[len(stack)-1].Span()
			if pos < ppos || end > pend {
				t.Fatalf("%T [%d,%d) lies outside its parent %T [%d,%d)",
					n, pos, end, stack[len(stack)-1], ppos, pend)
			}
		}
		stack = append(stack, n)
		return true
	})
}
