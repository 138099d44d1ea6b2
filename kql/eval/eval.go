// Package eval runs KQL queries over in-memory tables: the engine behind
// the demo tenant. It evaluates the syntax tree of package kql over
// kql/table columns, row at a time through compiled closures over a small
// tagged value, with Microsoft's documented semantics for string
// operators, nulls, dates, dynamic values and joins.
//
// Statements: let (scalars, tables, functions and lambdas), materialize,
// toscalar. Tabular operators: where/filter, project, project-away,
// project-keep, project-rename, project-reorder, extend, summarize,
// join (every kind; innerunique by default), lookup, union, sort/order,
// top, top-nested, take/limit, sample, distinct, count, mv-expand,
// mv-apply, make-series, partition, parse, parse-where, parse-kv,
// search, find, serialize, getschema, as, render (ignored), print,
// range, datatable, evaluate bag_unpack and pivot, invoke FileProfile.
// Scalar and aggregate functions: those of funcs.go, funcs_more.go and
// aggregate.go.
//
// What it does not support fails with "not supported: X" at the position
// of X, never with a wrong answer; externaldata fails because the demo
// tenant has no network access. Evaluation stops when its context is
// cancelled.
package eval

import (
	"context"
	"fmt"
	"time"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// DB is a set of named tables (the demo tenant). Names match exactly.
type DB struct {
	Tables map[string]*table.Table
}

// Options are the settings of one evaluation.
type Options struct {
	// Now is the clock for ago() and now(); the zero value means
	// time.Now().
	Now time.Time
}

// Error is an evaluation error at a span of the query: Pos and End are
// byte offsets of the offending node.
type Error struct {
	Pos, End int
	Msg      string
}

// Error returns the message with its byte offset.
func (e *Error) Error() string {
	return fmt.Sprintf("at offset %d: %s", e.Pos, e.Msg)
}

// errAt returns an Error spanning node n.
func errAt(n kql.Node, format string, args ...any) *Error {
	pos, end := n.Span()
	return &Error{Pos: pos, End: end, Msg: fmt.Sprintf(format, args...)}
}

// notSupported reports a feature the engine does not have yet.
func notSupported(n kql.Node, what string) *Error {
	return errAt(n, "not supported: %s", what)
}

// Eval evaluates a parsed script over db and returns the result of its
// last tabular expression.
func Eval(ctx context.Context, s *kql.Script, db *DB,
	opt Options) (res *table.Table, err error) {
	defer func() {
		// A bug in the engine must fail one query, not the program.
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("kql/eval: internal error: %v", r)
		}
	}()
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	if db == nil {
		db = &DB{}
	}
	ev := &evaluator{
		ctx:  ctx,
		db:   db,
		fn:   fnCtx{now: table.TimeToTicks(now)},
		sc:   &scope{vars: map[string]*binding{}},
		mats: map[matKey]*table.Table{},
	}
	return ev.script(s)
}

// evaluator holds the state of one evaluation.
type evaluator struct {
	ctx  context.Context
	db   *DB
	fn   fnCtx
	sc   *scope
	mats map[matKey]*table.Table
	aggs *aggCollector // set while compiling summarize aggregates
	// overlay holds columns that the operator being compiled adds or
	// stands in for: earlier items of a project or extend, a union's
	// columns that one input lacks.
	overlay *overlay
	depth   int // calls of let-bound functions in progress
}

// maxCallDepth bounds nested calls of let-bound functions; KQL has no
// recursion, so only a recursive definition reaches it.
const maxCallDepth = 64

// enter counts one more nested function call, failing past the bound.
func (ev *evaluator) enter(call *kql.CallExpr) error {
	if ev.depth >= maxCallDepth {
		return errAt(call, "%s() calls itself; KQL functions cannot "+
			"be recursive", call.Name())
	}
	ev.depth++
	return nil
}

// matKey identifies one materialized result: the same materialize() in
// a function called with other arguments is another result.
type matKey struct {
	x  *kql.MaterializeExpr
	sc *scope
}

// overlay is the columns an operator has computed so far over the rows
// of table t, by name.
type overlay struct {
	t    *table.Table
	cols map[string]*cexpr
}

// lookup returns the computed column name when compiling against the
// overlay's table.
func (o *overlay) lookup(name string, in *table.Table) *cexpr {
	if o == nil || o.t != in {
		return nil
	}
	return o.cols[name]
}

// scope is one level of let bindings.
type scope struct {
	parent *scope
	vars   map[string]*binding
}

// binding is what a let name stands for: a scalar expression, a tabular
// expression (evaluated once, on first use), or a function.
type binding struct {
	scalar *cexpr       // a scalar, compiled
	tab    kql.Expr     // a tabular expression, not yet evaluated
	tabSc  *scope       // the scope tab is evaluated in
	table  *table.Table // tab's result, or a table passed as argument
	fn     *kql.FuncLit // a function
	fnSc   *scope       // the scope fn was defined in
}

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.vars[name]; ok {
			return b
		}
	}
	return nil
}

func (s *scope) child() *scope {
	return &scope{parent: s, vars: map[string]*binding{}}
}

// checkCtx returns the context's error every 4096 rows.
func (ev *evaluator) checkCtx(row int) error {
	if row&4095 == 0 {
		return ev.ctx.Err()
	}
	return nil
}

// fnErr returns the first error a function hit during an operator.
func (ev *evaluator) fnErr(n kql.Node) error {
	if ev.fn.err == nil {
		return nil
	}
	err := ev.fn.err
	ev.fn.err = nil
	return errAt(n, "%v", err)
}

func (ev *evaluator) script(s *kql.Script) (*table.Table, error) {
	q := s.Query()
	if q == nil {
		return nil, &Error{Pos: s.Pos, End: s.End,
			Msg: "the query has no tabular expression to run"}
	}
	for _, st := range s.Stmts {
		if err := ev.ctx.Err(); err != nil {
			return nil, err
		}
		if err := ev.stmt(st); err != nil {
			return nil, err
		}
		if st == kql.Stmt(q) {
			break
		}
	}
	if !ev.isTabular(q.X) {
		return nil, errAt(q.X, "the query ends in a scalar, not a table")
	}
	t, err := ev.tabular(q.X)
	if err != nil {
		return nil, err
	}
	return &table.Table{Columns: append([]*table.Column(nil),
		t.Columns...)}, nil
}

// stmt binds a let statement; set and declare statements change nothing
// here, and expression statements other than the query are not run.
func (ev *evaluator) stmt(st kql.Stmt) error {
	switch st := st.(type) {
	case *kql.LetStmt:
		return ev.let(ev.sc, st, emptyTable)
	case *kql.SetStmt, *kql.ExprStmt:
		return nil
	case *kql.DeclareStmt:
		return notSupported(st, "declare query_parameters")
	}
	return notSupported(st, fmt.Sprintf("statement %T", st))
}

// let binds st.Name in sc. Scalars are compiled against the columns of
// in: none at the top level, where they become constants, or the
// caller's row in a function body.
func (ev *evaluator) let(sc *scope, st *kql.LetStmt, in *table.Table) error {
	b := &binding{}
	switch v := st.Value.(type) {
	case *kql.FuncLit:
		b.fn, b.fnSc = v, sc
	default:
		if ev.isTabular(v) {
			b.tab, b.tabSc = v, sc
			break
		}
		c, err := ev.compile(v, in)
		if err != nil {
			return err
		}
		b.scalar = c
		if in == emptyTable {
			b.scalar = constExpr(c.eval(0), c.name)
		}
		if err := ev.fnErr(v); err != nil {
			return err
		}
	}
	sc.vars[st.Name.Name] = b
	return nil
}

// emptyTable is the row context of constant expressions: no columns.
var emptyTable = &table.Table{}

// isTabular reports whether e is a tabular expression.
func (ev *evaluator) isTabular(e kql.Expr) bool {
	switch e := e.(type) {
	case *kql.Pipeline, *kql.MaterializeExpr, *kql.DatatableExpr,
		*kql.ExternalDataExpr:
		return true
	case *kql.ParenExpr:
		return ev.isTabular(e.X)
	case *kql.Ident:
		if b := ev.sc.lookup(e.Name); b != nil {
			if b.fn != nil && len(b.fn.Params) == 0 {
				return ev.funcIsTabular(b)
			}
			return b.tab != nil || b.table != nil
		}
		_, ok := ev.db.Tables[e.Name]
		return ok
	case *kql.CallExpr:
		if e.Name() == "table" {
			return true
		}
		b := ev.sc.lookup(e.Name())
		if b == nil || b.fn == nil {
			return false
		}
		return ev.funcIsTabular(b)
	}
	return false
}

// funcIsTabular reports whether a function's body ends in a tabular
// expression, reading tabular parameters as tables.
func (ev *evaluator) funcIsTabular(b *binding) bool {
	body := b.fn.Body
	if len(body) == 0 || ev.depth >= maxCallDepth {
		// A recursive definition is reported when it is called.
		return false
	}
	ev.depth++
	defer func() { ev.depth-- }()
	last, ok := body[len(body)-1].(*kql.ExprStmt)
	if !ok {
		return false
	}
	saved := ev.sc
	defer func() { ev.sc = saved }()
	ev.sc = b.fnSc.child()
	for _, p := range b.fn.Params {
		pb := &binding{scalar: constExpr(value{}, "")}
		if p.Type != nil && p.Type.Tabular() {
			pb = &binding{table: emptyTable}
		}
		ev.sc.vars[p.Name.Name] = pb
	}
	for _, st := range body {
		if l, ok := st.(*kql.LetStmt); ok {
			ev.sc.vars[l.Name.Name] = ev.guessBinding(l.Value)
		}
	}
	return ev.isTabular(last.X)
}

// guessBinding is a placeholder binding of the right kind, for deciding
// whether a function body is tabular without evaluating it.
func (ev *evaluator) guessBinding(e kql.Expr) *binding {
	if f, ok := e.(*kql.FuncLit); ok {
		return &binding{fn: f, fnSc: ev.sc}
	}
	if ev.isTabular(e) {
		return &binding{table: emptyTable}
	}
	return &binding{scalar: constExpr(value{}, "")}
}
