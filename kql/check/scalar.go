package check

import (
	"fmt"
	"strconv"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
)

// scalar checks the scalar expression e against the columns of row (nil
// where there are none, as in a top-level let) and returns its type, or
// Invalid when the checker cannot tell.
func (c *checker) scalar(e kql.Expr, row *rowset) table.Type {
	switch e := e.(type) {
	case *kql.Ident:
		return c.name(e, row)
	case *kql.Literal:
		return e.Value.Type
	case *kql.BinaryExpr:
		x, y := c.scalar(e.X, row), c.scalar(e.Y, row)
		return binaryType(e.Op, x, y)
	case *kql.UnaryExpr:
		return c.scalar(e.X, row)
	case *kql.InExpr:
		c.scalar(e.X, row)
		for _, item := range e.List {
			c.subquery(item, row)
		}
		return table.Bool
	case *kql.BetweenExpr:
		c.scalar(e.X, row)
		c.scalar(e.Lo, row)
		c.scalar(e.Hi, row)
		return table.Bool
	case *kql.ParenExpr:
		return c.scalar(e.X, row)
	case *kql.CallExpr:
		return c.callType(e, row)
	case *kql.NamedArg:
		return c.scalar(e.Value, row)
	case *kql.Assign:
		return c.scalar(e.Value, row)
	case *kql.MemberExpr:
		return c.member(e, row)
	case *kql.IndexExpr:
		c.scalar(e.X, row)
		c.scalar(e.Index, row)
		return table.Dynamic
	case *kql.ToScalarExpr:
		rows := c.tabular(e.X, nil)
		c.warnUnfiltered(rows)
		if len(rows.cols) > 0 {
			return rows.cols[0].typ
		}
	case *kql.Pipeline, *kql.MaterializeExpr, *kql.DatatableExpr,
		*kql.ExternalDataExpr:
		c.subquery(e, row)
	}
	return table.Invalid
}

// subquery checks an operand that may be a table, such as an item of
// `in (...)`. Nothing downstream filters a table read there by time, so
// a missing time filter is warned about at once.
func (c *checker) subquery(e kql.Expr, row *rowset) {
	if v := c.operand(e, row); v.rows != nil {
		c.warnUnfiltered(v.rows)
	}
}

// name resolves a name in a scalar expression: a column of row, a let
// binding or a parameter.
func (c *checker) name(id *kql.Ident, row *rowset) table.Type {
	if row != nil {
		if col, ok := row.find(id.Name); ok {
			return col.typ
		}
	}
	if sym := c.scope.lookup(id.Name); sym != nil {
		return sym.val.typ
	}
	if _, ok := c.schema.Table(id.Name); ok {
		return table.Invalid
	}
	if id.Name == "$left" || id.Name == "$right" {
		return table.Invalid
	}
	if row != nil && row.open {
		return table.Invalid
	}
	c.unknownName(id, row)
	return table.Invalid
}

// unknownName reports a name that resolves to nothing in row.
func (c *checker) unknownName(id *kql.Ident, row *rowset) {
	instead, ok := schema.IsSentinelOnly(id.Name)
	if !ok {
		instead, ok = sentinelColumns[id.Name]
	}
	if ok {
		msg := fmt.Sprintf("%s exists only in Microsoft Sentinel",
			id.Name)
		if instead != "" {
			msg += fmt.Sprintf("; Defender uses %s", instead)
		}
		c.report(kql.Error, CodeSentinelOnly, id.Pos, id.End, msg)
		return
	}
	var cands []string
	if row != nil {
		cands = row.names()
	}
	c.scope.names(func(n string, sym *symbol) {
		if sym.fn == nil && sym.val.rows == nil {
			cands = append(cands, n)
		}
	})
	what := "column"
	if row == nil {
		what = "name"
		cands = append(cands, c.tableNames()...)
	}
	msg := fmt.Sprintf("unknown %s '%s'%s", what, id.Name,
		didYouMean(id.Name, cands))
	c.report(kql.Error, CodeUnknownColumn, id.Pos, id.End, msg)
}

// member checks X.Name. After $left or $right in a join condition, Name
// is a column of that side; anything else is a property of a dynamic
// value, which the checker cannot know.
func (c *checker) member(e *kql.MemberExpr, row *rowset) table.Type {
	if id, ok := e.X.(*kql.Ident); ok && e.Name != nil {
		var side *rowset
		switch id.Name {
		case "$left":
			side = c.left
		case "$right":
			side = c.right
		}
		if side != nil {
			return c.name(e.Name, side)
		}
		if id.Name == "$left" || id.Name == "$right" {
			return table.Invalid
		}
		if col, ok := row.find(id.Name); ok && col.typ != table.Dynamic &&
			col.typ != table.Invalid && e.Name != nil {
			c.notDynamic(id, col.typ, e.Name)
			return table.Dynamic
		}
	}
	c.scalar(e.X, row)
	return table.Dynamic
}

// notDynamic warns about reading a property of a column that is no
// dynamic value, such as AdditionalFields.IsAudit where AdditionalFields
// is a string: the service cannot resolve the property.
func (c *checker) notDynamic(col *kql.Ident, typ table.Type,
	prop *kql.Ident,
) {
	msg := fmt.Sprintf("%s is a %s, not dynamic, so '%s' cannot be read "+
		"from it; parse it first: parse_json(%s).%s", col.Name, typ,
		prop.Name, col.Name, prop.Name)
	c.report(kql.Warning, CodeNotDynamic, prop.Pos, prop.End, msg)
}

// callType checks a function call in a scalar expression and returns its
// result type.
func (c *checker) callType(e *kql.CallExpr, row *rowset) table.Type {
	if _, ok := e.Func.(*kql.Ident); !ok {
		return table.Invalid // such as cluster('c').database('d')
	}
	name := e.Name()
	if sym := c.scope.lookup(name); sym != nil && sym.fn != nil {
		return c.callFunc(sym, e.Args, nil, row).typ
	}
	if name == "table" || defenderTableFuncs[name] != nil {
		c.call(e, row)
		return table.Invalid
	}
	if name == "column_ifexists" {
		c.opened = true
	}
	if !builtins[name] {
		c.unknownCall(e.Func.(*kql.Ident))
	}
	types := c.scalarArgs(e.Args, row)
	n, ok := resultType[name]
	switch {
	case !ok:
		return table.Invalid
	case n >= 0:
		return table.Type(n)
	case -n-1 < len(types):
		return types[-n-1]
	}
	return table.Invalid
}

// unknownCall warns about a call of a function that is neither builtin
// nor a let function.
func (c *checker) unknownCall(id *kql.Ident) {
	cands := setKeys(builtins)
	c.scope.names(func(n string, sym *symbol) {
		if sym.fn != nil {
			cands = append(cands, n)
		}
	})
	msg := fmt.Sprintf("unknown function '%s'%s", id.Name,
		didYouMean(id.Name, cands))
	c.report(kql.Warning, CodeUnknownFunction, id.Pos, id.End, msg)
}

// scalarArgs checks a call's arguments and returns their types. An
// argument may be a table, as in toscalar-like uses.
func (c *checker) scalarArgs(args []kql.Expr, row *rowset) []table.Type {
	types := make([]table.Type, len(args))
	for i, a := range args {
		v := c.operand(argValue(a), row)
		if v.rows != nil {
			c.warnUnfiltered(v.rows)
		}
		types[i] = v.typ
	}
	return types
}

// binaryType is the type of `x op y`.
func binaryType(op string, x, y table.Type) table.Type {
	switch op {
	case "+", "-", "*", "/", "%":
	default:
		return table.Bool
	}
	switch {
	case x == table.DateTime && y == table.DateTime && op == "-":
		return table.TimeSpan
	case x == table.DateTime || y == table.DateTime:
		return table.DateTime
	case x == table.TimeSpan && y == table.TimeSpan:
		if op == "/" {
			return table.Real
		}
		return table.TimeSpan
	case x == table.TimeSpan || y == table.TimeSpan:
		return table.TimeSpan
	case x == table.Real || y == table.Real:
		return table.Real
	case x == table.Long || y == table.Long:
		return table.Long
	case x == table.Int && y == table.Int:
		return table.Int
	}
	return table.Invalid
}

// exprName is the column name KQL gives an unnamed expression in
// project, extend, summarize by, distinct and mv-expand: a column's own
// name, A_b for A.b and A['b'], A for tostring(A); "" when it makes up
// a name such as Column1.
func exprName(e kql.Expr) string {
	switch e := e.(type) {
	case *kql.Ident:
		return e.Name
	case *kql.ParenExpr:
		return exprName(e.X)
	case *kql.MemberExpr:
		if x := exprName(e.X); x != "" && e.Name != nil {
			return x + "_" + e.Name.Name
		}
	case *kql.IndexExpr:
		lit, ok := e.Index.(*kql.Literal)
		if x := exprName(e.X); x != "" && ok &&
			lit.Value.Type == table.String {
			return x + "_" + lit.Value.S
		}
	case *kql.NamedArg:
		if e.Name != nil {
			return e.Name.Name
		}
	case *kql.CallExpr:
		if aggregates[e.Name()] {
			return aggregateName(e)
		}
		if namesFromArgument[e.Name()] && len(e.Args) > 0 {
			return exprName(e.Args[0])
		}
		if namesWithPrefix[e.Name()] && len(e.Args) > 0 {
			if x := exprName(e.Args[0]); x != "" {
				return e.Name() + "_" + x
			}
		}
	}
	return ""
}

// unnamed returns the name of the column an unnamed expression makes:
// its own (see exprName) or prefix and a number. When e calls a function
// the checker does not know, KQL may name the column in a way the
// checker cannot tell, so the operator's output is left open.
func (c *checker) unnamed(e kql.Expr, out *rowset, prefix string,
	start int,
) string {
	if name := exprName(e); name != "" {
		return name
	}
	if call, ok := e.(*kql.CallExpr); ok && !builtins[call.Name()] {
		c.opened = true
	}
	return madeUpName(out, prefix, start)
}

// madeUpName returns prefix followed by the first number from start on
// that no column of r has: Column1, Column2, ... or print_0, print_1.
func madeUpName(r *rowset, prefix string, start int) string {
	for i := start; ; i++ {
		n := prefix + strconv.Itoa(i)
		if r.index(n) < 0 {
			return n
		}
	}
}
