package kql

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// sourceOperators are the operators that can begin a pipeline.
var sourceOperators = map[string]bool{
	"union": true, "print": true, "range": true, "search": true,
	"find": true, "evaluate": true,
}

// pipeExpr parses an expression that may be a pipeline:
// `Source | Op | Op ...`.
func (p *parser) pipeExpr() Expr {
	if !p.enter() {
		return p.tooDeep()
	}
	defer p.leave()

	pos := p.tok().Pos
	var src Expr
	var ops []Operator
	if p.atSourceOperator() {
		ops = append(ops, p.operator())
	} else {
		src = p.expr()
		pos, _ = src.Span()
	}
	for p.is("|") {
		p.advance()
		ops = append(ops, p.operator())
	}
	if ops == nil {
		return src
	}
	return &Pipeline{Loc: p.loc(pos), Source: src, Ops: ops}
}

// atSourceOperator reports whether the current token begins a pipeline
// with an operator: one that makes rows, such as union or print, or a
// reserved operator name such as where, which KQL allows there.
func (p *parser) atSourceOperator() bool {
	t := p.tok()
	if t.Kind != Keyword {
		return false
	}
	w := t.Text(p.src)
	if reservedWords[w] {
		return operatorWords[w]
	}
	return sourceOperators[w] && !p.isAt(1, "(")
}

// enter counts one level of nesting, and reports false when the input
// is nested too deeply to go on; leave undoes a successful enter.
func (p *parser) enter() bool {
	if p.depth >= maxDepth {
		return false
	}
	p.depth++
	return true
}

func (p *parser) leave() { p.depth-- }

// tooDeep reports the nesting limit and gives up on the rest of the
// input, which would only nest further.
func (p *parser) tooDeep() Expr {
	t := p.tok()
	p.errorAt(t, CodeTooDeep, fmt.Sprintf(
		"expression nested more than %d levels deep", maxDepth))
	p.i = len(p.toks)
	return &BadExpr{Loc: Loc{t.Pos, t.Pos}}
}

// expr parses a scalar expression (no pipes outside brackets).
func (p *parser) expr() Expr {
	if !p.enter() {
		return p.tooDeep()
	}
	defer p.leave()
	return p.orExpr()
}

func (p *parser) orExpr() Expr {
	x := p.andExpr()
	for p.is("or") {
		op := p.advance()
		x = p.binary(x, "or", op, p.andExpr())
	}
	return x
}

func (p *parser) andExpr() Expr {
	x := p.eqExpr()
	for p.is("and") {
		op := p.advance()
		x = p.binary(x, "and", op, p.eqExpr())
	}
	return x
}

// binary builds `x op y`.
func (p *parser) binary(x Expr, op string, t Token, y Expr) Expr {
	pos, _ := x.Span()
	_, end := y.Span()
	return &BinaryExpr{Loc: Loc{pos, end}, X: x, Op: op, OpPos: t.Pos, Y: y}
}

// eqExpr parses the loosest comparisons: ==, !=, <>, the in-operators
// and between. As in KQL, they do not chain: `a == b == c` is an error.
func (p *parser) eqExpr() Expr {
	x := p.relExpr()
	t := p.tok()
	text := p.text()
	switch {
	case t.Kind == Symbol && (text == "==" || text == "!=" || text == "<>"):
		p.advance()
		return p.binary(x, text, t, p.relExpr())
	case t.Kind == OperatorKeyword && inOperators[text] && p.isAt(1, "("):
		p.advance()
		return p.inList(x, text)
	case text == "between" || text == "!between":
		p.advance()
		return p.between(x, text == "!between")
	}
	return x
}

// strExpr parses the string comparisons: =~, !~, has, contains, :,
// matches regex and the like. As in KQL they bind tighter than
// arithmetic, so `A has B + C` is `(A has B) + C`, and do not chain.
func (p *parser) strExpr() Expr {
	x := p.unaryExpr()
	t := p.tok()
	text := p.text()
	switch {
	case t.Kind == Symbol && (text == "=~" || text == "!~"),
		t.Kind == Punctuation && text == ":",
		t.Kind == OperatorKeyword && stringOperators[text]:
		p.advance()
		return p.binary(x, text, t, p.unaryExpr())
	case text == "matches" && p.isAt(1, "regex"):
		p.i += 2
		return p.binary(x, "matches regex", t, p.unaryExpr())
	}
	return x
}

// relExpr parses <, <=, > and >=, which do not chain.
func (p *parser) relExpr() Expr {
	x := p.addExpr()
	t := p.tok()
	switch text := p.text(); {
	case t.Kind == Symbol && (text == "<" || text == "<=" || text == ">" ||
		text == ">="):
		p.advance()
		return p.binary(x, text, t, p.addExpr())
	}
	return x
}

// inList parses the `(a, b, ...)` after an in-operator.
func (p *parser) inList(x Expr, op string) Expr {
	pos, _ := x.Span()
	in := &InExpr{X: x, Op: op}
	open := p.tok()
	if p.expect("(", " after '"+op+"'") {
		in.List = p.exprList()
		p.closer(")", open, "the list after '"+op+"'")
	}
	in.Loc = p.loc(pos)
	return in
}

// exprList parses one or more comma-separated expressions up to a
// closing bracket, which it leaves. The first may be a tabular
// expression, such as `(T | project A)`.
func (p *parser) exprList() []Expr {
	xs := []Expr{p.pipeExpr()}
	for p.accept(",") {
		xs = append(xs, p.expr())
	}
	return xs
}

// between parses `(lo .. hi)`.
func (p *parser) between(x Expr, not bool) Expr {
	pos, _ := x.Span()
	b := &BetweenExpr{X: x, Not: not}
	open := p.tok()
	if p.expect("(", " after 'between'") {
		b.Lo = p.expr()
		p.expect("..", " between the bounds of 'between'")
		b.Hi = p.expr()
		p.closer(")", open, "the range of 'between'")
	}
	b.Loc = p.loc(pos)
	return b
}

func (p *parser) addExpr() Expr {
	x := p.mulExpr()
	for p.is("+") || p.is("-") {
		op := p.advance()
		x = p.binary(x, op.Text(p.src), op, p.mulExpr())
	}
	return x
}

func (p *parser) mulExpr() Expr {
	x := p.strExpr()
	for p.is("*") || p.is("/") || p.is("%") {
		op := p.advance()
		x = p.binary(x, op.Text(p.src), op, p.strExpr())
	}
	return x
}

func (p *parser) unaryExpr() Expr {
	if !p.is("-") && !p.is("+") {
		return p.postfixExpr()
	}
	if !p.enter() {
		return p.tooDeep()
	}
	defer p.leave()
	op := p.advance()
	x := p.postfixExpr() // KQL has no `- -x`
	_, end := x.Span()
	if lit, ok := x.(*Literal); ok && foldSign(lit, op.Text(p.src)) {
		lit.Pos = op.Pos
		return lit
	}
	return &UnaryExpr{Loc: Loc{op.Pos, end}, Op: op.Text(p.src), X: x}
}

// foldSign folds the sign op into a numeric or timespan literal,
// reporting whether it did.
func foldSign(lit *Literal, op string) bool {
	v := &lit.Value
	if v.Null {
		return false
	}
	switch v.Type {
	case table.Long, table.Int, table.TimeSpan:
		if op == "-" {
			v.I = -v.I
		}
		return true
	case table.Real, table.Decimal:
		if op == "-" {
			v.F = -v.F
		}
		return true
	}
	return false
}

// postfixExpr parses member access, indexing and calls after a primary.
func (p *parser) postfixExpr() Expr {
	x := p.primary()
	for {
		pos, _ := x.Span()
		switch {
		case p.is("."):
			p.advance()
			name := p.memberName()
			x = &MemberExpr{Loc: p.loc(pos), X: x, Name: name}
		case p.is("["):
			open := p.advance()
			idx := p.expr()
			p.closer("]", open, "the index")
			x = &IndexExpr{Loc: p.loc(pos), X: x, Index: idx}
		case p.is("(") && isCallable(x):
			x = p.call(x)
		default:
			return x
		}
	}
}

// memberName parses the name after '.', a word or `['name']`.
func (p *parser) memberName() *Ident {
	return p.name("a name after '.'")
}

// isCallable reports whether x can be called: a name or a member.
func isCallable(x Expr) bool {
	switch x := x.(type) {
	case *Ident:
		return !x.Quoted
	case *MemberExpr:
		return true
	}
	return false
}

// call parses `(args)` after the function fn.
func (p *parser) call(fn Expr) *CallExpr {
	pos, _ := fn.Span()
	c := &CallExpr{Func: fn}
	open := p.advance()
	if !p.is(")") && !p.atEnd() {
		for {
			c.Args = append(c.Args, p.arg())
			if !p.accept(",") {
				break
			}
		}
	}
	what := "the call"
	if id, ok := fn.(*Ident); ok {
		what = "the call to '" + id.Name + "'"
	}
	p.closer(")", open, what)
	c.Loc = p.loc(pos)
	return c
}

// arg parses a call argument: an expression, `*`, or `name = value`.
func (p *parser) arg() Expr {
	if p.is("*") && (p.isAt(1, ",") || p.isAt(1, ")")) {
		t := p.advance()
		return &Star{Loc: Loc{t.Pos, t.End()}}
	}
	if p.isWordAt(0) && !isNegated(p.text()) && p.isAt(1, "=") {
		name := p.nameOf(declared, "an argument name")
		p.advance()
		v := p.expr()
		_, end := v.Span()
		return &NamedArg{Loc: Loc{name.Pos, end}, Name: name, Value: v}
	}
	return p.expr()
}

// primary parses a literal, name, call, bracketed expression or one of
// the special forms such as datatable.
func (p *parser) primary() Expr {
	t := p.tok()
	text := p.text()
	switch t.Kind {
	case Number, TimeSpan, TypedLiteral:
		p.advance()
		return p.literal(t)
	case String:
		return p.stringLiteral()
	case Identifier, Keyword, OperatorKeyword:
		if x := p.keywordExpr(text); x != nil {
			return x
		}
		if !isReserved(text) {
			return p.nameExpr()
		}
	case Punctuation:
		switch text {
		case "(":
			return p.paren()
		case "[":
			if p.peekAt(1).Kind == String {
				return p.quotedName()
			}
			open := p.advance()
			idx := p.expr()
			p.closer("]", open, "the brackets")
			return &IndexExpr{Loc: p.loc(open.Pos), Index: idx}
		}
	case Symbol:
		if text == "*" {
			p.advance()
			return &Star{Loc: Loc{t.Pos, t.End()}}
		}
	}
	return p.missingExpr()
}

// missingExpr reports a missing expression and returns a BadExpr. It
// consumes the offending token unless it ends a clause.
func (p *parser) missingExpr() Expr {
	t := p.tok()
	if t.Kind == Invalid {
		p.errorAt(t, CodeBadToken, p.invalidMessage(t))
		p.advance()
		return &BadExpr{Loc: Loc{t.Pos, t.End()}}
	}
	p.errorAt(t, CodeMissingExpr,
		fmt.Sprintf("expected an expression, found %s", p.describe()))
	if !p.atEnd() && !p.is(",") && !p.isClauseWord() {
		p.advance()
		return &BadExpr{Loc: Loc{t.Pos, t.End()}}
	}
	end := p.prevEnd()
	return &BadExpr{Loc: Loc{end, end}}
}

// isClauseWord reports whether the current token is a word that goes on
// an operator's clause, such as by or on.
func (p *parser) isClauseWord() bool {
	switch p.text() {
	case "by", "to", "of":
		return p.tok().Kind == Keyword
	}
	return false
}

// nameExpr parses a word as a name; postfixExpr parses a call after it.
func (p *parser) nameExpr() Expr {
	t := p.advance()
	return &Ident{Loc: Loc{t.Pos, t.End()}, Name: t.Text(p.src)}
}

// paren parses `(pipeline)`.
func (p *parser) paren() Expr {
	open := p.advance()
	x := p.pipeExpr()
	p.closer(")", open, "the parenthesis")
	return &ParenExpr{Loc: p.loc(open.Pos), X: x}
}

// keywordExpr parses the expressions that begin with a keyword, such as
// datatable(...), or returns nil.
func (p *parser) keywordExpr(word string) Expr {
	switch word {
	case "dynamic":
		if p.isAt(1, "(") {
			return p.dynamicLiteral()
		}
	case "datatable":
		return p.datatable()
	case "externaldata", "external_data":
		return p.externalData()
	case "toscalar":
		if p.isAt(1, "(") {
			return p.toScalar()
		}
	case "typeof":
		if p.isAt(1, "(") {
			return p.typeofExpr()
		}
	}
	return nil
}

func (p *parser) materialize() Expr {
	pos := p.advance().Pos
	open := p.advance()
	x := p.pipeExpr()
	p.closer(")", open, "the call to 'materialize'")
	return &MaterializeExpr{Loc: p.loc(pos), X: x}
}

func (p *parser) toScalar() Expr {
	pos := p.advance().Pos
	open := p.advance()
	ts := &ToScalarExpr{}
	ts.Params = p.namedParams("kind")
	ts.X = p.pipeExpr()
	p.closer(")", open, "the call to 'toscalar'")
	ts.Loc = p.loc(pos)
	return ts
}

func (p *parser) typeofExpr() Expr {
	pos := p.advance().Pos
	open := p.advance()
	var t *TypeRef
	if p.is("*") || p.isWordAt(0) && p.isAt(1, ":") {
		t = p.columnList()
	} else {
		t = p.typeRef()
	}
	p.closer(")", open, "the call to 'typeof'")
	return &TypeofExpr{Loc: p.loc(pos), Type: t}
}

// datatable parses `datatable [params] (columns) [values]`.
func (p *parser) datatable() Expr {
	pos := p.advance().Pos
	d := &DatatableExpr{}
	d.Params = p.namedParams("")
	d.Columns = p.schema("the columns of 'datatable'")
	open := p.tok()
	if p.expect("[", " and the values of 'datatable'") {
		d.Values = p.constants()
		p.closer("]", open, "the values of 'datatable'")
	}
	d.Loc = p.loc(pos)
	return d
}

// constants parses the comma-separated constants of datatable values up
// to ']'. A leading or trailing comma is allowed.
func (p *parser) constants() []Expr {
	var xs []Expr
	p.accept(",")
	for !p.is("]") && !p.atEnd() {
		x := p.unaryExpr()
		if _, ok := x.(*Literal); !ok {
			pos, end := x.Span()
			p.errorSpan(pos, end, CodeExpected,
				"expected a constant such as 1, 'text' or datetime(...)")
		}
		xs = append(xs, x)
		if !p.accept(",") {
			break
		}
	}
	return xs
}

// schema parses `(name:type, ...)`.
func (p *parser) schema(what string) []*ColumnDecl {
	open := p.tok()
	if !p.expect("(", " to start "+what) {
		return nil
	}
	var cols []*ColumnDecl
	for !p.is(")") && !p.atEnd() {
		cols = append(cols, p.columnDecl())
		if !p.accept(",") {
			break
		}
	}
	p.closer(")", open, what)
	return cols
}

// externalData parses `externaldata (columns) [uris] [with (params)]`.
func (p *parser) externalData() Expr {
	t := p.advance()
	e := &ExternalDataExpr{Kind: t.Text(p.src)}
	e.Params = p.namedParams("")
	e.Columns = p.schema("the columns of 'externaldata'")
	open := p.tok()
	if p.expect("[", " and the URLs of 'externaldata'") {
		for !p.is("]") && !p.atEnd() {
			e.URIs = append(e.URIs, p.expr())
			if !p.accept(",") {
				break
			}
		}
		p.closer("]", open, "the URLs of 'externaldata'")
	}
	if p.is("with") && p.isAt(1, "(") {
		p.advance()
		e.With = p.withParams()
	}
	e.Loc = p.loc(t.Pos)
	return e
}

// withParams parses `(name = value, ...)` after with.
func (p *parser) withParams() []*NamedParam {
	open := p.advance()
	var ps []*NamedParam
	for !p.is(")") && !p.atEnd() {
		start := p.tok().Pos
		strictness := declared
		if p.is("kind") { // render's kind=...
			strictness = anyWord
		}
		name := p.nameOf(strictness, "an option name")
		np := &NamedParam{Name: name.Name}
		p.expect("=", " after the option name")
		np.Value = p.expr()
		if listOptions[np.Name] {
			np.List = []Expr{np.Value}
			for p.is(",") && p.isWordAt(1) && !p.isAt(2, "=") {
				p.advance()
				np.List = append(np.List, p.name("a column name"))
			}
		}
		np.Loc = p.loc(start)
		ps = append(ps, np)
		if !p.accept(",") {
			break
		}
	}
	p.closer(")", open, "the options")
	return ps
}

// namedParams parses operator parameters `name=value` whose name is one
// of names (space-separated; "" for none) or starts with "hint.".
func (p *parser) namedParams(names string) []*NamedParam {
	var ps []*NamedParam
	for p.isWordAt(0) && p.peekAt(0).Kind != OperatorKeyword {
		if !p.isParamName(names) {
			return ps
		}
		start := p.tok().Pos
		name := p.dottedName("")
		p.advance() // =
		np := &NamedParam{Name: name.Name, Value: p.paramValue()}
		np.Loc = p.loc(start)
		ps = append(ps, np)
	}
	return ps
}

// isParamName reports whether the current tokens are `name =` or
// `hint.x =` with name among names.
func (p *parser) isParamName(names string) bool {
	if p.tok().Kind == OperatorKeyword {
		return false
	}
	w := p.text()
	if w == "hint" || w == "decodeblocks" {
		k := 1
		for p.isAt(k, ".") && p.isWordAt(k+1) {
			k += 2
		}
		return k > 1 && p.isAt(k, "=") || w == "decodeblocks" &&
			p.isAt(1, "=")
	}
	if !p.isAt(1, "=") || names == "" {
		return false
	}
	for rest := names; rest != ""; {
		var n string
		n, rest, _ = strings.Cut(rest, " ")
		if n == w {
			return true
		}
	}
	return false
}

// paramValue parses a parameter value: a word (as an *Ident), a literal,
// or a bracketed expression.
func (p *parser) paramValue() Expr {
	t := p.tok()
	switch t.Kind {
	case Identifier, Keyword, OperatorKeyword:
		return p.name("a value")
	}
	return p.unaryExpr()
}
