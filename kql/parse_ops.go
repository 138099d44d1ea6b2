package kql

import "fmt"

// operator parses one tabular operator, the part of a pipeline between
// two '|'.
func (p *parser) operator() Operator {
	t := p.tok()
	word := p.text()
	if t.Kind != Keyword && t.Kind != Identifier {
		p.errorAt(t, CodeExpected, fmt.Sprintf("expected an operator "+
			"such as where, project or summarize, found %s", p.describe()))
		return p.badOp(t)
	}
	op := p.operatorBody(word)
	if op == nil {
		p.errorAt(t, CodeUnknownOperator,
			fmt.Sprintf("unknown operator '%s'", word))
		return p.badOp(t)
	}
	if !p.atEnd() {
		p.unexpected("expected '|' or the end of the operator")
		p.skipToEnd()
	}
	return op
}

// badOp skips the rest of an operator that could not be parsed.
func (p *parser) badOp(t Token) Operator {
	p.skipToEnd()
	return &BadOp{Loc: Loc{t.Pos, max(p.prevEnd(), t.Pos)}}
}

// operatorBody dispatches on the operator's name, or returns nil for an
// unknown one. Each parser consumes the name and sets the node's span.
func (p *parser) operatorBody(word string) Operator {
	switch word {
	case "where", "filter":
		return p.whereOp()
	case "project", "extend", "print", "serialize":
		return p.columnsOp(word)
	case "project-away", "project-keep":
		return p.projectNamesOp(word)
	case "project-rename":
		return p.projectRenameOp()
	case "project-reorder":
		return p.projectReorderOp()
	case "summarize":
		return p.summarizeOp()
	case "join", "lookup":
		return p.joinOp(word)
	case "union":
		return p.unionOp()
	case "sort", "order":
		return p.sortOp()
	case "top":
		return p.topOp()
	case "take", "limit", "sample":
		return p.takeOp()
	case "distinct":
		return p.distinctOp()
	case "count", "getschema", "consume":
		return p.bareOp(word)
	case "mv-expand", "mvexpand":
		return p.mvExpandOp()
	case "mv-apply":
		return p.mvApplyOp()
	case "parse", "parse-where":
		return p.parseOp()
	case "parse-kv":
		return p.parseKvOp()
	case "make-series":
		return p.makeSeriesOp()
	case "evaluate", "invoke":
		return p.callOp(word)
	case "render":
		return p.renderOp()
	case "search":
		return p.searchOp()
	case "find":
		return p.findOp()
	case "sample-distinct", "top-hitters":
		return p.ofOp(word)
	case "top-nested":
		return p.topNestedOp()
	case "as":
		return p.asOp()
	case "facet":
		return p.facetOp()
	case "partition":
		return p.partitionOp()
	case "scan":
		return p.scanOp()
	case "range":
		return p.rangeOp()
	case "reduce":
		return p.reduceOp()
	case "fork":
		return p.forkOp()
	}
	return nil
}

// loc returns the span from pos to the end of the last consumed token.
func (p *parser) loc(pos int) Loc { return Loc{pos, max(pos, p.prevEnd())} }

func (p *parser) whereOp() Operator {
	t := p.advance()
	op := &WhereOp{Keyword: t.Text(p.src)}
	op.Params = p.namedParams("")
	// KQL reads `where A = 1` as a named expression, so it parses here
	// and is left to the checker.
	op.Predicate = p.column()
	op.Loc = p.loc(t.Pos)
	return op
}

// columnsOp parses project, extend, print and serialize.
func (p *parser) columnsOp(word string) Operator {
	pos := p.advance().Pos
	switch word {
	case "project":
		return &ProjectOp{Columns: p.columns(false), Loc: p.loc(pos)}
	case "extend":
		return &ExtendOp{Columns: p.columns(true), Loc: p.loc(pos)}
	case "print":
		return &PrintOp{Columns: p.columns(true), Loc: p.loc(pos)}
	}
	ps := p.namedParams("")
	return &SerializeOp{Params: ps, Columns: p.columns(false),
		Loc: p.loc(pos)}
}

// columns parses a comma-separated column list; each item is an *Assign
// or an expression. An empty list is an error when required.
func (p *parser) columns(required bool) []Expr {
	if p.atEnd() || p.is("by") && !p.isAt(1, "=") {
		if required {
			p.missingExpr()
		}
		return nil
	}
	var xs []Expr
	for {
		xs = append(xs, p.column())
		if !p.accept(",") {
			return xs
		}
	}
}

// aggregates parses the aggregates of summarize up to `by`.
func (p *parser) aggregates() []Expr {
	var xs []Expr
	for {
		if p.is("by") {
			p.missingExpr()
			return xs
		}
		xs = append(xs, p.column())
		if !p.accept(",") {
			return xs
		}
	}
}

// column parses `Name = Value`, `(A, B) = Value`, or an expression.
func (p *parser) column() Expr {
	if n := p.assignNames(); n > 0 {
		pos := p.tok().Pos
		var names []*Ident
		if p.is("(") {
			p.advance()
			for {
				names = append(names, p.nameOf(declared, "a column name"))
				if !p.accept(",") {
					break
				}
			}
			p.expect(")", " after the column names")
		} else {
			names = append(names, p.nameOf(declared, "a column name"))
		}
		p.advance() // =
		v := p.expr()
		return &Assign{Loc: p.loc(pos), Names: names, Value: v}
	}
	return p.expr()
}

// assignNames reports how many tokens the names before an assignment's
// '=' take, or 0 if the current tokens are not an assignment.
func (p *parser) assignNames() int {
	k := 0
	switch {
	case p.is("["):
		k = p.quotedLen(0)
	case p.is("("):
		k = 1
		for p.isWordAt(k) {
			if p.isAt(k, "[") {
				k += max(p.quotedLen(k), 1)
			} else {
				k++
			}
			if !p.isAt(k, ",") {
				break
			}
			k++
		}
		if !p.isAt(k, ")") {
			return 0
		}
		k++
	case p.isWordAt(0) && !isNegated(p.text()):
		k = 1
	}
	if k > 0 && p.isAt(k, "=") {
		return k
	}
	return 0
}

// quotedLen returns how many tokens the quoted name `['a' 'b']` k tokens
// ahead takes, or 0 if there is none.
func (p *parser) quotedLen(k int) int {
	if !p.isAt(k, "[") {
		return 0
	}
	n := 1
	for p.peekAt(k+n).Kind == String {
		n++
	}
	if n == 1 || !p.isAt(k+n, "]") {
		return 0
	}
	return n + 1
}

// projectNamesOp parses project-away and project-keep.
func (p *parser) projectNamesOp(word string) Operator {
	pos := p.advance().Pos
	var cols []Expr
	for more := !p.atEnd(); more; more = p.accept(",") {
		cols = append(cols, p.columnPattern())
	}
	if word == "project-away" {
		return &ProjectAwayOp{Loc: p.loc(pos), Columns: cols}
	}
	return &ProjectKeepOp{Loc: p.loc(pos), Columns: cols}
}

// columnPattern parses a column name or a wildcard such as Device*.
func (p *parser) columnPattern() Expr {
	t := p.tok()
	if !p.is("*") && !(p.isWordAt(0) && p.isAt(1, "*") && p.adjacent(1)) {
		if p.isWordAt(0) {
			return p.name("a column name")
		}
		return p.missingExpr()
	}
	p.advance()
	for (p.is("*") || p.tok().Kind == Identifier ||
		p.tok().Kind == Keyword) && p.adjacent(0) {
		p.advance()
	}
	return &Pattern{Loc: p.loc(t.Pos), Text: p.src[t.Pos:p.prevEnd()]}
}

func (p *parser) projectRenameOp() Operator {
	pos := p.advance().Pos
	var cols []Expr
	for more := !p.atEnd(); more; more = p.accept(",") {
		cols = append(cols, p.column())
	}
	return &ProjectRenameOp{Loc: p.loc(pos), Columns: cols}
}

func (p *parser) projectReorderOp() Operator {
	pos := p.advance().Pos
	var keys []*SortKey
	for more := !p.atEnd(); more; more = p.accept(",") {
		k := &SortKey{Loc: Loc{Pos: p.tok().Pos}, X: p.columnPattern()}
		p.sortOrder(k)
		keys = append(keys, k)
	}
	return &ProjectReorderOp{Loc: p.loc(pos), Columns: keys}
}

func (p *parser) summarizeOp() Operator {
	pos := p.advance().Pos
	op := &SummarizeOp{Params: p.namedParams("")}
	if !p.is("by") && !p.atEnd() {
		op.Aggs = p.aggregates()
	}
	if p.accept("by") {
		op.By = p.columns(true)
	}
	op.Loc = p.loc(pos)
	return op
}

// joinOp parses join and lookup.
func (p *parser) joinOp(word string) Operator {
	pos := p.advance().Pos
	params := p.namedParams("kind")
	right := p.expr()
	var on []Expr
	if word == "join" && p.accept("on") {
		on = p.columns(true)
	} else if word == "lookup" &&
		p.expect("on", " and the keys to match after the right table") {
		on = p.columns(true)
	}
	if word == "lookup" {
		return &LookupOp{Loc: p.loc(pos), Params: params, Right: right,
			On: on}
	}
	return &JoinOp{Loc: p.loc(pos), Params: params, Right: right, On: on}
}

// tableOperand parses a table operand: a bracketed pipeline, or a name
// or call.
func (p *parser) tableOperand() Expr {
	if p.is("(") {
		return p.paren()
	}
	return p.postfixExpr()
}

func (p *parser) unionOp() Operator {
	pos := p.advance().Pos
	op := &UnionOp{Params: p.namedParams("kind withsource isfuzzy")}
	for {
		op.Tables = append(op.Tables, p.unionTable())
		if !p.accept(",") {
			break
		}
	}
	op.Loc = p.loc(pos)
	return op
}

// unionTable parses a union operand: a wildcard or a table operand.
func (p *parser) unionTable() Expr {
	if p.is("*") || p.isWordAt(0) && p.isAt(1, "*") && p.adjacent(1) {
		return p.columnPattern()
	}
	return p.tableOperand()
}

func (p *parser) sortOp() Operator {
	t := p.advance()
	op := &SortOp{Keyword: t.Text(p.src), Params: p.namedParams("")}
	if p.expect("by", " after '"+op.Keyword+"'") {
		op.By = p.sortKeys()
	}
	op.Loc = p.loc(t.Pos)
	return op
}

// sortKeys parses `X [asc|desc] [nulls first|last], ...`.
func (p *parser) sortKeys() []*SortKey {
	var keys []*SortKey
	for {
		keys = append(keys, p.sortKey())
		if !p.accept(",") {
			return keys
		}
	}
}

func (p *parser) sortKey() *SortKey {
	k := &SortKey{Loc: Loc{Pos: p.tok().Pos}, X: p.expr()}
	p.sortOrder(k)
	return k
}

// sortOrder parses the optional asc/desc and nulls first/last of k.
func (p *parser) sortOrder(k *SortKey) {
	if p.is("asc") || p.is("desc") {
		k.Order = p.advance().Text(p.src)
	}
	if p.accept("nulls") {
		if p.is("first") || p.is("last") {
			k.Nulls = p.advance().Text(p.src)
		} else {
			p.expect("first", " or 'last' after 'nulls'")
		}
	}
	k.End = max(k.Pos, p.prevEnd())
}

func (p *parser) topOp() Operator {
	pos := p.advance().Pos
	op := &TopOp{Params: p.namedParams("")}
	op.Count = p.expr()
	if p.expect("by", " after the number of rows of 'top'") {
		op.By = []*SortKey{p.sortKey()}
	}
	op.Loc = p.loc(pos)
	return op
}

// takeOp parses take, limit and sample.
func (p *parser) takeOp() Operator {
	t := p.advance()
	params := p.namedParams("")
	count := p.expr()
	if t.Text(p.src) == "sample" {
		return &SampleOp{Loc: p.loc(t.Pos), Params: params, Count: count}
	}
	return &TakeOp{Loc: p.loc(t.Pos), Keyword: t.Text(p.src),
		Params: params, Count: count}
}

func (p *parser) distinctOp() Operator {
	pos := p.advance().Pos
	op := &DistinctOp{Params: p.namedParams("")}
	op.Columns = p.columns(true)
	op.Loc = p.loc(pos)
	return op
}

// bareOp parses the operators without arguments: count, getschema and
// consume.
func (p *parser) bareOp(word string) Operator {
	pos := p.advance().Pos
	params := p.namedParams("decodeblocks")
	switch word {
	case "count":
		return &CountOp{Loc: p.loc(pos), Params: params}
	case "consume":
		return &ConsumeOp{Loc: p.loc(pos), Params: params}
	}
	return &GetSchemaOp{Loc: p.loc(pos)}
}

func (p *parser) mvExpandOp() Operator {
	t := p.advance()
	op := &MvExpandOp{Keyword: t.Text(p.src)}
	op.Params = p.namedParams("kind bagexpansion with_itemindex")
	op.Columns = p.expandColumns()
	if p.accept("limit") {
		op.Limit = p.expr()
	}
	op.Loc = p.loc(t.Pos)
	return op
}

// expandColumns parses the columns of mv-expand and mv-apply.
func (p *parser) expandColumns() []*ExpandColumn {
	var cols []*ExpandColumn
	for {
		c := &ExpandColumn{Loc: Loc{Pos: p.tok().Pos}, X: p.column()}
		if p.accept("to") && p.expect("typeof", " after 'to'") {
			c.To = p.expandType()
		}
		c.End = max(c.Pos, p.prevEnd())
		cols = append(cols, c)
		if !p.accept(",") {
			return cols
		}
	}
}

// expandType parses the `(type)` after `to typeof`. KQL's grammar takes
// any word or nothing here, so an unknown type is left to the checker:
// TypeRef.Scalar is then the word as written, or "" for `typeof()`.
func (p *parser) expandType() *TypeRef {
	open := p.tok()
	if !p.expect("(", " after 'typeof'") {
		return nil
	}
	t := &TypeRef{Loc: Loc{Pos: p.tok().Pos}}
	if p.isWordAt(0) && !p.is("[") {
		w := p.advance().Text(p.src)
		t.Scalar = w
		if canon, ok := scalarTypes[w]; ok {
			t.Scalar = canon
		}
	}
	t.Loc = p.loc(t.Pos)
	p.closer(")", open, "the call to 'typeof'")
	return t
}

func (p *parser) mvApplyOp() Operator {
	pos := p.advance().Pos
	op := &MvApplyOp{}
	op.Params = p.namedParams("kind bagexpansion with_itemindex")
	op.Columns = p.expandColumns()
	if p.accept("limit") {
		op.Limit = p.expr()
	}
	if p.expect("on", " and the subquery after the columns of 'mv-apply'") {
		op.Body = p.subquery("the subquery of 'mv-apply'")
	}
	op.Loc = p.loc(pos)
	return op
}

// subquery parses `(op | op ...)`: operators applied to an input the
// enclosing operator supplies. It may also start with a table.
func (p *parser) subquery(what string) Expr {
	open := p.tok()
	if !p.expect("(", " to start "+what) {
		end := p.prevEnd()
		return &BadExpr{Loc: Loc{end, end}}
	}
	x := p.opPipeline()
	p.closer(")", open, what)
	return x
}

// opPipeline parses `op | op ...` with no source.
func (p *parser) opPipeline() Expr {
	if !p.enter() {
		return p.tooDeep()
	}
	defer p.leave()
	pl := &Pipeline{Loc: Loc{Pos: p.tok().Pos}}
	pl.Ops = append(pl.Ops, p.operator())
	for p.accept("|") {
		pl.Ops = append(pl.Ops, p.operator())
	}
	pl.End = max(pl.Pos, p.prevEnd())
	return pl
}

func (p *parser) parseOp() Operator {
	t := p.advance()
	op := &ParseOp{Keyword: t.Text(p.src)}
	op.Params = p.namedParams("kind flags")
	op.Source = p.expr()
	if p.expect("with", " before the pattern of '"+op.Keyword+"'") {
		op.Pattern = p.parsePattern()
	}
	op.Loc = p.loc(t.Pos)
	return op
}

// parsePattern parses the items of a parse pattern up to the end of the
// operator.
func (p *parser) parsePattern() []*ParseItem {
	var items []*ParseItem
	for !p.atEnd() {
		t := p.tok()
		it := &ParseItem{Loc: Loc{Pos: t.Pos}}
		switch {
		case t.Kind == String:
			it.Literal = p.stringLiteral().(*Literal)
		case p.is("*"):
			p.advance()
			it.Star = true
		case p.isWordAt(0) && !isReserved(p.text()):
			it.Column = p.name("a column name")
			if p.accept(":") {
				it.Type = p.scalarType()
			}
		default:
			p.unexpected("expected a string, a column or '*' in the " +
				"pattern")
			p.skipToEnd()
			return items
		}
		it.End = max(it.Pos, p.prevEnd())
		items = append(items, it)
		p.accept(",")
	}
	return items
}

func (p *parser) parseKvOp() Operator {
	pos := p.advance().Pos
	op := &ParseKvOp{Source: p.expr()}
	if p.expect("as", " before the columns of 'parse-kv'") {
		op.Columns = p.schema("the columns of 'parse-kv'")
	}
	if p.is("with") && p.isAt(1, "(") {
		p.advance()
		op.With = p.withParams()
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) makeSeriesOp() Operator {
	pos := p.advance().Pos
	op := &MakeSeriesOp{Params: p.namedParams("kind")}
	for {
		a := &SeriesAgg{Loc: Loc{Pos: p.tok().Pos}, X: p.column()}
		if p.is("default") && p.isAt(1, "=") {
			p.i += 2
			a.Default = p.expr()
		}
		a.End = max(a.Pos, p.prevEnd())
		op.Aggs = append(op.Aggs, a)
		if !p.accept(",") {
			break
		}
	}
	if p.expect("on", " and the axis column of 'make-series'") {
		op.On = p.expr()
	}
	p.seriesRange(op)
	if p.accept("by") {
		op.By = p.columns(true)
	}
	op.Loc = p.loc(pos)
	return op
}

// seriesRange parses `in range(from, to, step)` or
// `[from X] [to Y] step Z` of make-series.
func (p *parser) seriesRange(op *MakeSeriesOp) {
	if p.accept("in") {
		if p.expect("range", " after 'in'") {
			open := p.tok()
			if p.expect("(", " after 'range'") {
				op.From = p.expr()
				p.expect(",", " between the bounds of 'range'")
				op.To = p.expr()
				p.expect(",", " before the step of 'range'")
				op.Step = p.expr()
				p.closer(")", open, "the call to 'range'")
			}
		}
		return
	}
	if p.accept("from") {
		op.From = p.expr()
	}
	if p.accept("to") {
		op.To = p.expr()
	}
	if p.expect("step", " and the bin size of 'make-series'") {
		op.Step = p.expr()
	}
}

// callOp parses evaluate and invoke.
func (p *parser) callOp(word string) Operator {
	pos := p.advance().Pos
	params := p.namedParams("")
	x := p.postfixExpr()
	call, ok := x.(*CallExpr)
	if !ok {
		xpos, xend := x.Span()
		p.errorSpan(xpos, xend, CodeExpected, fmt.Sprintf(
			"expected a function call after '%s'", word))
		call = &CallExpr{Loc: Loc{xpos, xend}, Func: x}
	}
	if word == "invoke" {
		return &InvokeOp{Loc: p.loc(pos), Call: call}
	}
	op := &EvaluateOp{Params: params, Call: call}
	if p.accept(":") {
		op.Schema = p.typeRef()
		if op.Schema.Open {
			p.errorSpan(op.Schema.Pos, op.Schema.End, CodeUnexpected,
				"the output schema of 'evaluate' cannot have '*'")
		}
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) renderOp() Operator {
	pos := p.advance().Pos
	op := &RenderOp{Chart: p.name("a chart type after 'render'")}
	if p.is("with") && p.isAt(1, "(") {
		p.advance()
		op.Params = p.withParams()
		for _, np := range op.Params {
			if !renderProperties[np.Name] {
				p.errorSpan(np.Pos, np.End, CodeUnexpected, fmt.Sprintf(
					"unknown render property '%s'", np.Name))
			}
		}
	}
	for p.isWordAt(0) && p.isAt(1, "=") {
		start := p.tok().Pos
		name := p.advance().Text(p.src)
		p.advance()
		np := &NamedParam{Name: name, Value: p.paramValue()}
		np.Loc = p.loc(start)
		op.Params = append(op.Params, np)
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) searchOp() Operator {
	pos := p.advance().Pos
	op := &SearchOp{Params: p.namedParams("kind")}
	op.Tables = p.inTables()
	op.Predicate = p.expr()
	op.Loc = p.loc(pos)
	return op
}

// inTables parses the optional `in (T1, T2, ...)` of search and find.
func (p *parser) inTables() []Expr {
	if !p.is("in") || !p.isAt(1, "(") {
		return nil
	}
	p.advance()
	open := p.advance()
	var ts []Expr
	for !p.is(")") && !p.atEnd() {
		ts = append(ts, p.unionTable())
		if !p.accept(",") {
			break
		}
	}
	p.closer(")", open, "the list of tables")
	return ts
}

func (p *parser) findOp() Operator {
	pos := p.advance().Pos
	op := &FindOp{Params: p.namedParams("withsource kind")}
	op.Tables = p.inTables()
	if p.expect("where", " before the condition of 'find'") {
		op.Predicate = p.expr()
	}
	// project-smart picks the columns itself: Project stays empty.
	if !p.accept("project-smart") && p.accept("project") {
		op.Project = p.columns(true)
	}
	op.Loc = p.loc(pos)
	return op
}

// ofOp parses sample-distinct and top-hitters: `N of Column [by X]`.
func (p *parser) ofOp(word string) Operator {
	pos := p.advance().Pos
	params := p.namedParams("")
	count := p.expr()
	p.expect("of", " after the count of '"+word+"'")
	of := p.expr()
	if word == "sample-distinct" {
		return &SampleDistinctOp{Loc: p.loc(pos), Params: params,
			Count: count, Of: of}
	}
	op := &TopHittersOp{Count: count, Of: of}
	if p.accept("by") {
		op.By = p.expr()
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) topNestedOp() Operator {
	pos := p.tok().Pos
	op := &TopNestedOp{}
	for p.is("top-nested") {
		op.Levels = append(op.Levels, p.topNestedLevel())
		if !p.accept(",") {
			break
		}
	}
	op.Loc = p.loc(pos)
	return op
}

// topNestedLevel parses
// `top-nested [N] of X [with others = Y] by Agg [asc|desc]`.
func (p *parser) topNestedLevel() *TopNestedLevel {
	pos := p.advance().Pos
	l := &TopNestedLevel{}
	if !p.is("of") {
		l.Count = p.expr()
	}
	if p.expect("of", " in 'top-nested'") {
		l.Of = p.column()
	}
	if p.is("with") && p.isAt(1, "others") {
		p.i += 2
		p.expect("=", " after 'others'")
		l.Others = p.expr()
	}
	if p.expect("by", " in 'top-nested'") {
		l.By = &SortKey{Loc: Loc{Pos: p.tok().Pos}, X: p.column()}
		p.sortOrder(l.By)
	}
	l.Loc = p.loc(pos)
	return l
}

func (p *parser) asOp() Operator {
	pos := p.advance().Pos
	op := &AsOp{Params: p.namedParams("")}
	op.Name = p.name("a name after 'as'")
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) facetOp() Operator {
	pos := p.advance().Pos
	op := &FacetOp{}
	if p.expect("by", " after 'facet'") {
		op.By = p.columns(true)
	}
	if p.accept("with") {
		op.With = p.subquery("the subquery of 'facet'")
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) partitionOp() Operator {
	pos := p.advance().Pos
	op := &PartitionOp{Params: p.namedParams("")}
	if p.expect("by", " after 'partition'") {
		op.By = p.name("a column name after 'by'")
	}
	if p.is("{") {
		open := p.advance()
		op.Body = p.pipeExpr()
		p.closer("}", open, "the body of 'partition'")
	} else {
		op.Body = p.subquery("the subquery of 'partition'")
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) rangeOp() Operator {
	pos := p.advance().Pos
	op := &RangeOp{Column: p.name("a column name after 'range'")}
	if p.expect("from", " after the column of 'range'") {
		op.From = p.expr()
	}
	if p.expect("to", " after the start of 'range'") {
		op.To = p.expr()
	}
	if p.expect("step", " after the end of 'range'") {
		op.Step = p.expr()
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) reduceOp() Operator {
	pos := p.advance().Pos
	op := &ReduceOp{Params: p.namedParams("kind")}
	if p.expect("by", " after 'reduce'") {
		op.By = p.expr()
	}
	if p.accept("with") {
		for p.isWordAt(0) && p.isAt(1, "=") {
			start := p.tok().Pos
			name := p.advance().Text(p.src)
			p.advance()
			np := &NamedParam{Name: name, Value: p.expr()}
			np.Loc = p.loc(start)
			op.With = append(op.With, np)
			if !p.accept(",") {
				break
			}
		}
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) forkOp() Operator {
	pos := p.advance().Pos
	op := &ForkOp{}
	for p.is("(") || p.isWordAt(0) && p.isAt(1, "=") {
		if p.is("(") {
			op.Branches = append(op.Branches, p.subquery("a fork branch"))
			continue
		}
		start := p.tok().Pos
		name := p.name("a branch name")
		p.advance()
		body := p.subquery("a fork branch")
		op.Branches = append(op.Branches, &Assign{Loc: p.loc(start),
			Names: []*Ident{name}, Value: body})
	}
	op.Loc = p.loc(pos)
	return op
}

func (p *parser) scanOp() Operator {
	pos := p.advance().Pos
	op := &ScanOp{Params: p.namedParams("with_match_id")}
	if p.is("order") && p.isAt(1, "by") {
		p.i += 2
		op.OrderBy = p.sortKeys()
	}
	if p.is("partition") && p.isAt(1, "by") {
		p.i += 2
		op.PartitionBy = p.columns(true)
	}
	if p.accept("declare") {
		op.Declare = p.params()
	}
	open := p.tok()
	if p.expect("with", " before the steps of 'scan'") &&
		p.expect("(", " after 'with'") {
		for p.is("step") {
			op.Steps = append(op.Steps, p.scanStep())
		}
		p.closer(")", open, "the steps of 'scan'")
	}
	op.Loc = p.loc(pos)
	return op
}

// scanStep parses `step Name [optional] : Condition [=> Assigns];`.
func (p *parser) scanStep() *ScanStep {
	pos := p.advance().Pos
	s := &ScanStep{Name: p.name("a step name")}
	s.Optional = p.accept("optional")
	p.expect(":", " after the step name")
	s.Condition = p.expr()
	if p.accept("=>") {
		s.Assigns = p.columns(true)
	}
	p.expect(";", " after the step")
	s.Loc = p.loc(pos)
	return s
}
