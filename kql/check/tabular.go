package check

import (
	"fmt"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
)

// eval evaluates e where a table or a scalar may stand: a statement of
// a query or function body. A name that is no scalar binding is taken
// for a table.
func (c *checker) eval(e kql.Expr) value {
	if id, ok := e.(*kql.Ident); ok {
		sym := c.scope.lookup(id.Name)
		if sym != nil && sym.fn == nil && sym.val.rows == nil {
			return sym.val
		}
		return value{rows: c.tabular(id, nil)}
	}
	return c.operand(e, nil)
}

// operand evaluates e where a table or a scalar may stand in a row
// context in: a function argument, an item of an `in (...)` list. A
// name that resolves to nothing is reported as a column.
func (c *checker) operand(e kql.Expr, in *rowset) value {
	switch e := e.(type) {
	case *kql.Ident:
		if in != nil {
			if col, ok := in.find(e.Name); ok {
				return value{typ: col.typ}
			}
		}
		sym := c.scope.lookup(e.Name)
		switch {
		case sym != nil && sym.fn == nil:
			return sym.val
		case sym != nil && !needsArgs(sym.fn):
			return value{rows: c.tabular(e, nil)} // a view
		case sym != nil:
			return value{}
		}
		if _, ok := c.schema.Table(e.Name); ok {
			return value{rows: c.tableRef(e)}
		}
	case *kql.ParenExpr:
		return c.operand(e.X, in)
	case *kql.CallExpr:
		return c.call(e, in)
	}
	if isTabular(e) {
		return value{rows: c.tabular(e, nil)}
	}
	return value{typ: c.scalar(e, in)}
}

// isTabular reports whether e is a tabular expression by its form alone.
func isTabular(e kql.Expr) bool {
	switch e := e.(type) {
	case *kql.Pipeline, *kql.DatatableExpr, *kql.ExternalDataExpr,
		*kql.MaterializeExpr:
		return true
	case *kql.ParenExpr:
		return isTabular(e.X)
	}
	return false
}

// tabular evaluates the tabular expression e and returns its rows; they
// are open when the checker cannot tell its columns. in is the input of
// a pipeline that starts with an operator (in mv-apply, partition and
// invoked function bodies).
func (c *checker) tabular(e kql.Expr, in *rowset) *rowset {
	switch e := e.(type) {
	case *kql.Pipeline:
		return c.pipeline(e, in)
	case *kql.Ident:
		if sym := c.scope.lookup(e.Name); sym != nil && sym.fn == nil {
			if sym.val.rows != nil {
				return sym.val.rows.clone()
			}
			return openRows()
		}
		return c.tableRef(e)
	case *kql.ParenExpr:
		return c.tabular(e.X, in)
	case *kql.MaterializeExpr:
		return c.tabular(e.X, in)
	case *kql.CallExpr:
		if v := c.call(e, in); v.rows != nil {
			return v.rows
		}
		return openRows()
	case *kql.DatatableExpr:
		for _, v := range e.Values {
			c.scalar(v, nil)
		}
		return declaredRows(e.Columns)
	case *kql.ExternalDataExpr:
		return declaredRows(e.Columns)
	}
	if e != nil {
		c.scalar(e, in)
	}
	return openRows()
}

// declaredRows returns the rows of a datatable or externaldata schema.
func declaredRows(decls []*kql.ColumnDecl) *rowset {
	rs := &rowset{}
	for _, d := range decls {
		if d != nil && d.Name != nil {
			rs.add(d.Name.Name, scalarType(d.Type))
		}
	}
	return rs
}

// tableRef resolves the name of a table in the schema, reporting it when
// there is none.
func (c *checker) tableRef(id *kql.Ident) *rowset {
	if t, ok := c.schema.Table(id.Name); ok {
		rs := &rowset{cols: c.tableColumns(t)}
		if isLarge(t) {
			rs.unfiltered = []*kql.Ident{id}
		}
		return rs
	}
	if sym := c.scope.lookup(id.Name); sym != nil {
		// A function named without parentheses, such as a view.
		if sym.fn != nil && !needsArgs(sym.fn) {
			if v := c.callFunc(sym, nil, nil, nil); v.rows != nil {
				return v.rows
			}
		}
		return openRows()
	}
	if c.fuzzy == 0 {
		c.unknownTable(id)
	}
	return openRows()
}

// tableColumns returns the columns of t. The slice is shared by every
// reference to t and has no spare capacity, so that rowsets, which only
// ever append to or copy it, never write into it.
func (c *checker) tableColumns(t *schema.Table) []column {
	if cols, ok := c.tables[t.Name]; ok {
		return cols
	}
	cols := make([]column, len(t.Columns))
	for i, col := range t.Columns {
		cols[i] = column{col.Name, col.Type}
	}
	if c.tables == nil {
		c.tables = make(map[string][]column)
	}
	c.tables[t.Name] = cols
	return cols
}

// unknownTable reports a name that is no table.
func (c *checker) unknownTable(id *kql.Ident) {
	msg := fmt.Sprintf("unknown table '%s'", id.Name)
	if hint, ok := sentinelTables[id.Name]; ok {
		msg += "; it exists only in Microsoft Sentinel"
		if hint != "" {
			msg += fmt.Sprintf(" (Defender has %s)", hint)
		}
	} else {
		msg += didYouMean(id.Name, c.tableNames())
	}
	c.report(kql.Error, CodeUnknownTable, id.Pos, id.End, msg)
}

// tableNames returns the schema's tables and the tabular let bindings in
// scope, the candidates for a misspelt table.
func (c *checker) tableNames() []string {
	names := c.schema.Names()
	c.scope.names(func(n string, sym *symbol) {
		if sym.val.rows != nil || sym.fn != nil {
			names = append(names, n)
		}
	})
	return names
}

// call evaluates a call of a function that may return a table: a user
// function, a Defender function or table(). Anything else is a scalar
// function call.
func (c *checker) call(e *kql.CallExpr, in *rowset) value {
	name := e.Name()
	if sym := c.scope.lookup(name); sym != nil && sym.fn != nil {
		return c.callFunc(sym, e.Args, nil, in)
	}
	if name == "table" {
		return value{rows: c.tableCall(e, in)}
	}
	if rows, ok := defenderTableFuncs[name]; ok {
		c.scalarArgs(e.Args, in)
		return value{rows: rows()}
	}
	return value{typ: c.scalar(e, in)}
}

// tableCall resolves table('Name'); a name that is not a literal leaves
// the rows open.
func (c *checker) tableCall(e *kql.CallExpr, in *rowset) *rowset {
	if len(e.Args) == 0 {
		return openRows()
	}
	lit, ok := e.Args[0].(*kql.Literal)
	if !ok || lit.Value.Type != table.String || lit.Value.Null {
		c.scalarArgs(e.Args, in)
		return openRows()
	}
	id := &kql.Ident{Loc: lit.Loc, Name: lit.Value.S}
	return c.tableRef(id)
}

// callFunc evaluates a call of the user function sym for its result,
// quietly: the body was checked where it was declared. input, when not
// nil, is the table an invoke passes as the first tabular parameter.
// The arguments are checked in the caller's row context in.
func (c *checker) callFunc(sym *symbol, args []kql.Expr, input *rowset,
	in *rowset,
) value {
	vals := make([]value, len(args))
	for i, a := range args {
		vals[i] = c.operand(argValue(a), in)
	}
	if c.depth >= maxDepth || c.calls >= maxCalls {
		return value{rows: openRows()}
	}
	c.calls++
	saved := c.scope
	c.scope = newScope(sym.fnScope)
	c.quiet++
	c.depth++
	defer func() {
		c.scope = saved
		c.quiet--
		c.depth--
	}()
	c.bindArgs(sym.fn.Params, vals, input)
	v := c.statements(sym.fn.Body, false)
	if v.rows == nil && v.typ == table.Invalid && returnsRows(sym.fn) {
		v.rows = openRows()
	}
	return v
}

// argValue returns the value expression of a call argument.
func argValue(a kql.Expr) kql.Expr {
	if na, ok := a.(*kql.NamedArg); ok {
		return na.Value
	}
	return a
}

// bindArgs binds a function's parameters to the call's values: input
// (the invoked table) to the first tabular parameter, the arguments to
// the rest in order; parameters left over keep their declared value.
func (c *checker) bindArgs(params []*kql.Param, vals []value,
	input *rowset,
) {
	for _, p := range params {
		if p == nil || p.Name == nil {
			continue
		}
		v := paramValue(p)
		switch {
		case input != nil && p.Type != nil && p.Type.Tabular():
			v.rows, input = input.clone(), nil
		case len(vals) > 0:
			if vals[0].rows != nil || vals[0].typ != table.Invalid {
				v = vals[0]
			}
			vals = vals[1:]
		}
		c.scope.bind(p.Name.Name, &symbol{val: v})
	}
}

// needsArgs reports whether a function has a parameter without a
// default value.
func needsArgs(fn *kql.FuncLit) bool {
	for _, p := range fn.Params {
		if p != nil && p.Default == nil {
			return true
		}
	}
	return false
}

// returnsRows reports whether a function's body ends in an expression
// that is tabular by its form.
func returnsRows(fn *kql.FuncLit) bool {
	for i := len(fn.Body) - 1; i >= 0; i-- {
		if st, ok := fn.Body[i].(*kql.ExprStmt); ok {
			return isTabular(st.X)
		}
	}
	return false
}
