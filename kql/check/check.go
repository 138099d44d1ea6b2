// Package check binds a parsed KQL query to the Defender schema and
// reports what would fail on the service: unknown tables and columns
// (errors, with the closest names as suggestions), columns that exist
// only in Microsoft Sentinel (errors), and, as warnings, large tables
// read without a time filter, unknown functions and plugins, and
// properties read from columns that are not dynamic.
//
// The checker follows the columns each operator produces (extend,
// project, summarize, join, union, parse, mv-expand, ...), so names used
// downstream are checked too. Where the columns cannot be known, such as
// after `evaluate bag_unpack(...)` or a `column_ifexists(...)`, it stops
// reporting unknown columns for the rest of that pipeline: a false error
// costs an analyst more than a missed one.
package check

import (
	"sort"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/schema"
)

// The diagnostic codes of the checker.
const (
	// CodeUnknownTable is a table name that is not in the schema and is
	// not a tabular let binding.
	CodeUnknownTable = "KQL101"
	// CodeUnknownColumn is a name that is no column of the rows in scope
	// and no let binding.
	CodeUnknownColumn = "KQL102"
	// CodeSentinelOnly is a column that exists in Microsoft Sentinel but
	// not in Defender advanced hunting, such as TimeGenerated.
	CodeSentinelOnly = "KQL103"
	// CodeNoTimeFilter warns that a large event table is read without a
	// filter on its time column.
	CodeNoTimeFilter = "KQL104"
	// CodeUnknownFunction is a function that is neither builtin, nor a
	// Defender function, nor a let binding, or an unknown plugin: an
	// error after invoke, a warning elsewhere, as the lists of builtins
	// and plugins may lag the service.
	CodeUnknownFunction = "KQL105"
	// CodeNotDynamic warns about reading a property (X.Name) of a
	// column that is not dynamic, which the service cannot resolve.
	CodeNotDynamic = "KQL106"
)

// maxDepth bounds how deep user functions may call each other, and
// maxCalls how many calls are evaluated in all, so that recursive or
// mutually calling lets cannot hang the checker; past either, a call's
// result is left open.
const (
	maxDepth = 16
	maxCalls = 1000
)

// Check binds script to the schema s and returns the checker's
// diagnostics, sorted by position. src is the text script was parsed
// from; it gives the diagnostics their lines and columns. The parser's
// own diagnostics are not included.
func Check(script *kql.Script, src string, s *schema.Schema) []kql.Diagnostic {
	if script == nil || s == nil {
		return nil
	}
	c := &checker{src: src, schema: s, scope: newScope(nil)}
	c.statements(script.Stmts, true)
	return c.finish()
}

// checker is the state of one Check call.
type checker struct {
	src    string
	schema *schema.Schema
	scope  *scope
	diags  []kql.Diagnostic
	seen   map[diagKey]bool
	tables map[string][]column // columns of the tables referenced

	// quiet > 0 while diagnostics are not wanted: while a function body
	// is evaluated for its result at a call site (they were reported
	// where it was declared), or an expression checked already is typed.
	quiet int
	// depth is how deep user function calls are nested now, and calls
	// how many have been evaluated; see maxDepth and maxCalls.
	depth, calls int

	// fuzzy > 0 inside the legs of `union isfuzzy=true`, where a table
	// that does not exist is left out rather than an error.
	fuzzy int

	// opened is set when an expression makes the current row's columns
	// unknowable, such as column_ifexists(); the operator being checked
	// then marks its output open.
	opened bool

	// left and right are the two sides of the join or lookup whose
	// condition is being checked, for $left.Name and $right.Name.
	left, right *rowset
}

// diagKey identifies a diagnostic, so the same one is reported once even
// when a let binding is used twice.
type diagKey struct {
	pos  int
	code string
}

// report adds a diagnostic for the span [pos, end).
func (c *checker) report(sev kql.Severity, code string, pos, end int,
	msg string,
) {
	if c.quiet > 0 {
		return
	}
	k := diagKey{pos, code}
	if c.seen[k] {
		return
	}
	if c.seen == nil {
		c.seen = make(map[diagKey]bool)
	}
	c.seen[k] = true
	c.diags = append(c.diags, kql.Diagnostic{
		Severity: sev, Code: code, Message: msg, Pos: pos, End: end,
	})
}

// finish sorts the diagnostics and fills in their lines and columns.
func (c *checker) finish() []kql.Diagnostic {
	sort.SliceStable(c.diags, func(i, j int) bool {
		if c.diags[i].Pos != c.diags[j].Pos {
			return c.diags[i].Pos < c.diags[j].Pos
		}
		return c.diags[i].Code < c.diags[j].Code
	})
	kql.SetLineCols(c.src, c.diags)
	return c.diags
}

// statements checks a list of statements in the current scope and
// returns the value of the last expression statement. top is set for
// the query's own statements, whose results are what the service scans:
// tables read without a time filter are warned about there, not in
// function bodies, whose callers may filter.
func (c *checker) statements(stmts []kql.Stmt, top bool) value {
	var last value
	for _, st := range stmts {
		switch st := st.(type) {
		case *kql.LetStmt:
			c.let(st)
		case *kql.DeclareStmt:
			for _, p := range st.Params {
				c.bindParam(p)
			}
		case *kql.ExprStmt:
			last = c.eval(st.X)
			if top && last.rows != nil {
				c.warnUnfiltered(last.rows)
			}
		}
	}
	return last
}

// let binds a let statement's name in the current scope.
func (c *checker) let(st *kql.LetStmt) {
	if st.Name == nil {
		return
	}
	if fn, ok := st.Value.(*kql.FuncLit); ok {
		c.checkFuncBody(fn)
		c.scope.bind(st.Name.Name, &symbol{fn: fn, fnScope: c.scope})
		return
	}
	v := c.operand(st.Value, nil)
	c.scope.bind(st.Name.Name, &symbol{val: v})
}

// bindParam binds a declared parameter in the current scope.
func (c *checker) bindParam(p *kql.Param) {
	if p == nil || p.Name == nil {
		return
	}
	if p.Default != nil {
		c.scalar(p.Default, nil)
	}
	c.scope.bind(p.Name.Name, &symbol{val: paramValue(p)})
}

// paramValue is the value a parameter has inside its function: a typed
// scalar, or rows of the declared columns (open with `*`).
func paramValue(p *kql.Param) value {
	if p.Type == nil {
		return value{}
	}
	if !p.Type.Tabular() {
		return value{typ: scalarType(p.Type.Scalar)}
	}
	rs := &rowset{open: p.Type.Open}
	for _, d := range p.Type.Columns {
		if d != nil && d.Name != nil {
			rs.add(d.Name.Name, scalarType(d.Type))
		}
	}
	return value{rows: rs}
}

// checkFuncBody checks a function's body once, where it is declared,
// with its parameters as declared.
func (c *checker) checkFuncBody(fn *kql.FuncLit) {
	c.withScope(func() {
		for _, p := range fn.Params {
			c.bindParam(p)
		}
		c.statements(fn.Body, false)
	})
}

// withScope runs f in a new scope nested in the current one.
func (c *checker) withScope(f func()) {
	saved := c.scope
	c.scope = newScope(saved)
	defer func() { c.scope = saved }()
	f()
}
