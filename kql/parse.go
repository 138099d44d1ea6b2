package kql

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Parse parses a query. It always returns a tree: after a mistake it
// reports one Diagnostic and carries on, so the rest of the query is
// still in the tree. Diagnostics are in source order.
func Parse(src string) (*Script, []Diagnostic) {
	p := newParser(src)
	s := p.script()
	sort.SliceStable(p.diags, func(i, j int) bool {
		return p.diags[i].Pos < p.diags[j].Pos
	})
	SetLineCols(src, p.diags)
	return s, p.diags
}

// maxErrors bounds the errors reported for one query: past the first
// few, more only bury the useful ones.
const maxErrors = 50

// maxDepth bounds the nesting of expressions, so deeply nested input
// fails with a diagnostic rather than exhausting the stack.
const maxDepth = 500

// eof is the kind of the sentinel token past the end of the input.
const eof TokenKind = 255

// parser is the state of one Parse call.
type parser struct {
	src   string
	toks  []Token // without comments
	i     int     // index of the current token
	depth int
	diags []Diagnostic
	// errored is set once an error is reported, and lastError is its
	// offset: errors at or before it, likely its consequences, are
	// dropped.
	errored   bool
	lastError int
	errors    int // errors reported so far
}

func newParser(src string) *parser {
	toks := Lex(src)
	n := 0
	for _, t := range toks {
		if t.Kind != Comment {
			toks[n] = t
			n++
		}
	}
	return &parser{src: src, toks: toks[:n]}
}

// tok returns the current token, or an eof token at the end.
func (p *parser) tok() Token { return p.peekAt(0) }

// peekAt returns the token k places after the current one.
func (p *parser) peekAt(k int) Token {
	if p.i+k < 0 {
		return Token{Kind: eof}
	}
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return Token{Kind: eof, Pos: len(p.src)}
}

// text returns the current token's text ("" at the end).
func (p *parser) text() string { return p.textAt(0) }

func (p *parser) textAt(k int) string {
	t := p.peekAt(k)
	if t.Kind == eof {
		return ""
	}
	return t.Text(p.src)
}

// is reports whether the current token is the word or symbol s.
func (p *parser) is(s string) bool { return p.isAt(0, s) }

func (p *parser) isAt(k int, s string) bool {
	t := p.peekAt(k)
	return t.Kind != eof && t.Kind != String && t.Text(p.src) == s
}

// adjacent reports whether the token k places ahead starts right where
// the one before it ends, with no space between.
func (p *parser) adjacent(k int) bool {
	return p.peekAt(k).Pos == p.peekAt(k-1).End()
}

// advance consumes the current token and returns it.
func (p *parser) advance() Token {
	t := p.tok()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

// accept consumes the current token if it is s.
func (p *parser) accept(s string) bool {
	if p.is(s) {
		p.i++
		return true
	}
	return false
}

// prevEnd returns the end offset of the last consumed token.
func (p *parser) prevEnd() int {
	if p.i == 0 {
		return 0
	}
	return p.toks[p.i-1].End()
}

// expect consumes s or reports it missing, saying what it was for.
func (p *parser) expect(s, what string) bool {
	if p.accept(s) {
		return true
	}
	msg := fmt.Sprintf("expected '%s'%s, found %s", s, what, p.describe())
	p.errorAt(p.tok(), CodeExpected, msg)
	return false
}

// closer consumes the closing bracket s of the bracket opened at open,
// or reports it missing.
func (p *parser) closer(s string, open Token, what string) {
	if p.accept(s) || !p.reporting(p.tok().Pos) {
		return
	}
	line, col := LineCol(p.src, open.Pos)
	msg := fmt.Sprintf("expected '%s' to close %s opened at line %d, "+
		"column %d, found %s", s, what, line, col, p.describe())
	p.errorAt(p.tok(), CodeExpected, msg)
}

// describe names the current token for a message.
func (p *parser) describe() string {
	t := p.tok()
	if t.Kind == eof {
		return "the end of the query"
	}
	return p.quoteText(t.Text(p.src))
}

// quoteText puts text in quotes for a message, cut at its first line
// break and at about 40 bytes (on a character boundary).
func (p *parser) quoteText(text string) string {
	cut := false
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		text, cut = text[:i], true
	}
	if len(text) > 40 {
		n := 37
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text, cut = text[:n], true
	}
	if cut {
		text += "..."
	}
	return "'" + text + "'"
}

// errorAt reports an error at token t.
func (p *parser) errorAt(t Token, code, msg string) {
	p.errorSpan(t.Pos, t.End(), code, msg)
}

// warnAt reports a warning at token t.
func (p *parser) warnAt(t Token, code, msg string) {
	p.diags = append(p.diags, Diagnostic{Severity: Warning, Code: code,
		Message: msg, Pos: t.Pos, End: t.End()})
}

// errorSpan reports an error over [pos, end). An error at or before the
// last one is dropped: it is most likely a consequence of that one.
func (p *parser) errorSpan(pos, end int, code, msg string) {
	if !p.reporting(pos) {
		return
	}
	p.errors++
	p.errored, p.lastError = true, pos
	p.diags = append(p.diags, Diagnostic{
		Severity: Error, Code: code, Message: msg, Pos: pos, End: end,
	})
}

// reporting reports whether an error at pos would be recorded: it is
// after the last one, and the query has fewer than maxErrors so far, which
// keeps parsing linear on garbage.
func (p *parser) reporting(pos int) bool {
	return !(p.errored && pos <= p.lastError) && p.errors < maxErrors
}

// atEnd reports whether the current token ends an operator or an
// expression list: '|', ';', a closing bracket, or the end of input.
func (p *parser) atEnd() bool {
	t := p.tok()
	if t.Kind == eof {
		return true
	}
	if t.Kind != Punctuation {
		return false
	}
	switch p.src[t.Pos] {
	case '|', ';', ')', ']', '}':
		return true
	}
	return false
}

// skipToEnd skips tokens up to the end of the current operator (see
// atEnd), stepping over bracketed groups whole.
func (p *parser) skipToEnd() {
	for !p.atEnd() {
		p.skipGroup()
	}
}

// skipGroup consumes one token, or a whole bracketed group. It stops
// early at a closer that does not match, leaving it to the caller.
func (p *parser) skipGroup() {
	var want []byte // the closers of the open groups, innermost last
	for {
		t := p.tok()
		if t.Kind == eof {
			return
		}
		if t.Kind == Punctuation {
			switch c := p.src[t.Pos]; c {
			case '(', '[', '{':
				want = append(want, closerOf(c))
			case ')', ']', '}':
				if len(want) == 0 || want[len(want)-1] != c {
					if len(want) == 0 {
						p.advance() // a stray closer is the token
					}
					return
				}
				want = want[:len(want)-1]
			}
		}
		p.advance()
		if len(want) == 0 {
			return
		}
	}
}

// closerOf returns the bracket that closes open.
func closerOf(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// script parses statements separated by semicolons; one may follow the
// last statement.
func (p *parser) script() *Script {
	s := &Script{Loc: Loc{0, len(p.src)}}
	for p.tok().Kind != eof {
		start := p.i
		s.Stmts = append(s.Stmts, p.statement())
		if p.accept(";") {
			continue
		}
		if p.tok().Kind != eof {
			p.unexpected("expected ';' between statements")
			if p.i == start || p.atEnd() {
				p.skipGroup()
			}
		}
	}
	return s
}

// invalidMessage describes an Invalid token.
func (p *parser) invalidMessage(t Token) string {
	text := t.Text(p.src)
	switch {
	case strings.HasPrefix(strings.TrimLeft(text, "hH@"), "'"),
		strings.HasPrefix(strings.TrimLeft(text, "hH@"), "\""):
		return "unterminated string: add the closing quote on the " +
			"same line, or use ```...``` for text over several lines"
	case strings.HasPrefix(text, "```"), strings.HasPrefix(text, "~~~"):
		return "unterminated multi-line string: add the closing " +
			text[:3]
	}
	return fmt.Sprintf("unexpected character %s", p.quoteText(text))
}

// unexpected reports the current token as out of place, with a hint.
func (p *parser) unexpected(hint string) {
	if t := p.tok(); t.Kind == Invalid {
		p.errorAt(t, CodeBadToken, p.invalidMessage(t))
		return
	}
	msg := fmt.Sprintf("unexpected %s: %s", p.describe(), hint)
	p.errorAt(p.tok(), CodeUnexpected, msg)
}

// statement parses one let, set, declare or expression statement.
func (p *parser) statement() Stmt {
	switch {
	case p.is("let") && (p.isWordAt(1) || p.peekAt(1).Kind == Number):
		return p.letStmt()
	case p.is("set"):
		return p.setStmt()
	case p.is("declare") && p.isAt(1, "query_parameters"):
		return p.declareStmt()
	}
	x := p.pipeExpr()
	pos, end := x.Span()
	return &ExprStmt{Loc: Loc{pos, end}, X: x}
}

func (p *parser) letStmt() *LetStmt {
	pos := p.advance().Pos
	st := &LetStmt{Loc: Loc{Pos: pos}}
	st.Name = p.nameOf(declarable, "a name after 'let'")
	p.expect("=", " after the name in 'let'")
	st.Value = p.letValue()
	st.End = max(st.Pos, p.prevEnd())
	return st
}

// letValue parses what a let binds: a function literal or an expression.
func (p *parser) letValue() Expr {
	if p.is("view") && p.isAt(1, "(") {
		return p.funcLit()
	}
	if p.is("(") && p.isFuncLit() {
		return p.funcLit()
	}
	if p.is("materialize") && p.isAt(1, "(") {
		// KQL allows materialize only as the whole value of a let.
		return p.materialize()
	}
	return p.pipeExpr()
}

// isFuncLit reports whether the '(' at the current token opens the
// parameter list of a function literal: `()` or `(name:` followed later
// by '{'.
func (p *parser) isFuncLit() bool {
	if p.isAt(1, ")") {
		return p.isAt(2, "{")
	}
	return p.isWordAt(1) && p.isAt(2, ":")
}

// isWordAt reports whether the token k ahead is a word: an identifier,
// keyword or operator keyword.
func (p *parser) isWordAt(k int) bool {
	switch p.peekAt(k).Kind {
	case Identifier, Keyword, OperatorKeyword:
		return true
	}
	return p.isAt(k, "[") && p.peekAt(k+1).Kind == String
}

// funcLit parses `[view] (params) { body }`.
func (p *parser) funcLit() *FuncLit {
	f := &FuncLit{Loc: Loc{Pos: p.tok().Pos}}
	if p.accept("view") {
		f.View = true
	}
	f.Params = p.params()
	open := p.tok()
	if p.expect("{", " to start the function body") {
		f.Body = p.body()
		p.closer("}", open, "the function body")
	}
	f.End = max(f.Pos, p.prevEnd())
	return f
}

// params parses `(name:type [= default], ...)`.
func (p *parser) params() []*Param {
	open := p.tok()
	if !p.expect("(", " to start the parameters") {
		return nil
	}
	var ps []*Param
	for !p.is(")") && !p.atEnd() {
		ps = append(ps, p.param())
		if !p.accept(",") {
			break
		}
	}
	p.closer(")", open, "the parameter list")
	return ps
}

func (p *parser) param() *Param {
	pr := &Param{Loc: Loc{Pos: p.tok().Pos}}
	pr.Name = p.nameOf(declarable, "a parameter name")
	p.expect(":", " and a type after the parameter name")
	pr.Type = p.typeRef()
	if p.accept("=") {
		pr.Default = p.expr()
	}
	pr.End = max(pr.Pos, p.prevEnd())
	return pr
}

// typeRef parses a scalar type name or a tabular schema `(a:t, *)`.
func (p *parser) typeRef() *TypeRef {
	t := &TypeRef{Loc: Loc{Pos: p.tok().Pos}}
	if p.is("(") {
		open := p.advance()
		for !p.is(")") && !p.atEnd() {
			if p.accept("*") {
				t.Open = true
			} else {
				t.Columns = append(t.Columns, p.columnDecl())
			}
			if !p.accept(",") {
				break
			}
		}
		p.closer(")", open, "the table schema")
	} else {
		t.Scalar = p.scalarType()
	}
	t.End = max(t.Pos, p.prevEnd())
	return t
}

// columnList parses the schema `*, name:type, ...` written without
// parentheses, as in `typeof(*, x:int)`.
func (p *parser) columnList() *TypeRef {
	t := &TypeRef{Loc: Loc{Pos: p.tok().Pos}}
	for {
		if p.accept("*") {
			t.Open = true
		} else {
			t.Columns = append(t.Columns, p.columnDecl())
		}
		if !p.accept(",") {
			break
		}
	}
	t.Loc = p.loc(t.Pos)
	return t
}

// scalarType parses a scalar type name and returns its canonical form.
func (p *parser) scalarType() string {
	if canon, ok := scalarTypes[p.text()]; ok && p.tok().Kind != String {
		p.advance()
		return canon
	}
	p.errorAt(p.tok(), CodeExpected, fmt.Sprintf(
		"expected a type such as string, long or datetime, found %s",
		p.describe()))
	if !p.atEnd() && !p.is(",") {
		p.advance()
	}
	return ""
}

// columnDecl parses `name:type`.
func (p *parser) columnDecl() *ColumnDecl {
	c := &ColumnDecl{Loc: Loc{Pos: p.tok().Pos}}
	c.Name = p.nameOf(declared, "a column name")
	if p.expect(":", " and a type after the column name") {
		c.Type = p.scalarType()
	}
	c.End = max(c.Pos, p.prevEnd())
	return c
}

// body parses the statements of a function body up to '}'.
func (p *parser) body() []Stmt {
	var stmts []Stmt
	for {
		if p.is("}") || p.tok().Kind == eof {
			return stmts
		}
		start := p.i
		stmts = append(stmts, p.statement())
		if p.accept(";") {
			continue
		}
		if !p.is("}") {
			p.unexpected("expected ';' or '}' in the function body")
			if p.i == start || p.atEnd() {
				if p.is(")") || p.is("]") {
					return stmts
				}
				p.skipGroup()
			}
		}
	}
}

func (p *parser) setStmt() *SetStmt {
	pos := p.advance().Pos
	st := &SetStmt{Loc: Loc{Pos: pos}}
	st.Name = p.dottedName("an option name after 'set'")
	if p.accept("=") {
		st.Value = p.expr()
	}
	st.End = max(st.Pos, p.prevEnd())
	return st
}

func (p *parser) declareStmt() *DeclareStmt {
	pos := p.advance().Pos
	p.advance() // query_parameters
	st := &DeclareStmt{Loc: Loc{Pos: pos}}
	st.Params = p.params()
	if len(st.Params) == 0 {
		p.errorSpan(pos, p.prevEnd(), CodeExpected,
			"declare query_parameters needs at least one parameter")
	}
	st.End = max(st.Pos, p.prevEnd())
	return st
}

// Name strictness: which words a name may be.
const (
	anyWord    = iota // any word but a negated operator such as !has
	declared          // a column being named: unreserved or softReserved
	unreserved        // not a reserved word such as where or between
	declarable        // unreserved, and not kind, withsource, true, false
)

// nameAllowed reports whether the keyword word may be a name of the
// given strictness.
func nameAllowed(strictness int, kind TokenKind, word string) bool {
	switch {
	case isNegated(word):
		return false
	case strictness == anyWord:
		return true
	case kind == TypedLiteral || declReserved[word] && strictness != unreserved:
		return false
	case strictness == declared && softReserved[word]:
		return true
	}
	return !isReserved(word)
}

// name parses an identifier that is not a reserved word: a word or a
// quoted `['name']`.
func (p *parser) name(what string) *Ident {
	return p.nameOf(unreserved, what)
}

// nameOf parses an identifier of the given strictness.
func (p *parser) nameOf(strictness int, what string) *Ident {
	t := p.tok()
	if p.is("[") && p.peekAt(1).Kind == String {
		return p.quotedName()
	}
	text := p.text()
	ok := false
	switch t.Kind {
	case Identifier, Keyword, OperatorKeyword, TypedLiteral:
		ok = nameAllowed(strictness, t.Kind, text)
	}
	if ok {
		p.advance()
		return &Ident{Loc: Loc{t.Pos, t.End()}, Name: text}
	}
	msg := fmt.Sprintf("expected %s, found %s", what, p.describe())
	if t.Kind == Keyword || t.Kind == OperatorKeyword ||
		t.Kind == TypedLiteral {
		// A reserved word where a name goes: take it as the name, so
		// the one mistake makes one diagnostic.
		msg = fmt.Sprintf("'%s' is a reserved word; to use it as %s, "+
			"quote it as ['%s']", text, what, text)
		p.errorAt(t, CodeExpected, msg)
		p.advance()
		return &Ident{Loc: Loc{t.Pos, t.End()}, Name: text}
	}
	p.errorAt(t, CodeExpected, msg)
	end := p.prevEnd()
	return &Ident{Loc: Loc{end, end}}
}

// quotedName parses `['name']`, where adjacent strings join as usual.
func (p *parser) quotedName() *Ident {
	open := p.advance()
	lit := p.stringLiteral().(*Literal)
	p.closer("]", open, "the quoted name")
	return &Ident{Loc: p.loc(open.Pos), Name: lit.Value.S,
		Quoted: true}
}

// dottedName parses a name that may contain dots, such as hint.strategy.
func (p *parser) dottedName(what string) *Ident {
	id := p.nameOf(anyWord, what)
	for p.is(".") && p.adjacent(0) && p.adjacent(1) && p.isWordAt(1) {
		p.advance()
		next := p.advance()
		id.Name += "." + next.Text(p.src)
		id.End = next.End()
	}
	return id
}
