package eval

import (
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// cexpr is a compiled scalar expression: its static type, the column
// name it gets by default, and a closure that evaluates it for one row
// of the table it was compiled against.
type cexpr struct {
	typ   table.Type
	name  string
	konst bool
	eval  func(row int) value
}

// constExpr is a compiled constant.
func constExpr(v value, name string) *cexpr {
	return &cexpr{typ: v.Type, name: name, konst: true,
		eval: func(int) value { return v }}
}

// compile compiles a scalar expression against the columns of in.
func (ev *evaluator) compile(e kql.Expr, in *table.Table) (*cexpr, error) {
	c, err := ev.compile1(e, in)
	if err != nil {
		return nil, err
	}
	// Fold constants once, so literals and let values cost nothing per
	// row.
	if c.konst {
		v := c.eval(0)
		if v.Type != c.typ && c.typ != table.Invalid {
			v = convert(v, c.typ)
		}
		return constExpr(v, c.name), nil
	}
	return c, nil
}

func (ev *evaluator) compile1(e kql.Expr, in *table.Table) (*cexpr, error) {
	switch e := e.(type) {
	case *kql.Literal:
		return constExpr(literal(e.Value), ""), nil
	case *kql.Ident:
		return ev.compileName(e, in)
	case *kql.ParenExpr:
		return ev.compile(e.X, in)
	case *kql.UnaryExpr:
		return ev.compileUnary(e, in)
	case *kql.BinaryExpr:
		return ev.compileBinary(e, in)
	case *kql.InExpr:
		return ev.compileIn(e, in)
	case *kql.BetweenExpr:
		return ev.compileBetween(e, in)
	case *kql.CallExpr:
		return ev.compileCall(e, in)
	case *kql.MemberExpr:
		return ev.compileMember(e, in)
	case *kql.IndexExpr:
		return ev.compileIndex(e, in)
	case *kql.ToScalarExpr:
		return ev.compileToScalar(e)
	case *kql.TypeofExpr:
		t, ok := table.ParseType(e.Type.Scalar)
		if !ok {
			return nil, errAt(e, "unknown type %q", e.Type.Scalar)
		}
		return constExpr(nullOf(t), ""), nil
	case *kql.Pipeline, *kql.MaterializeExpr, *kql.DatatableExpr:
		return nil, errAt(e, "a table is used where a scalar is expected; "+
			"wrap it in toscalar()")
	case *kql.ExternalDataExpr:
		return nil, errAt(e, "externaldata needs network access, "+
			"which the demo tenant does not have")
	case *kql.BadExpr:
		return nil, errAt(e, "the query has a syntax error here")
	}
	return nil, notSupported(e, describe(e))
}

// describe names a node for "not supported" messages.
func describe(n kql.Node) string {
	name := strings.TrimPrefix(strings.TrimPrefix(
		typeName(n), "*kql."), "kql.")
	return strings.TrimSuffix(strings.TrimSuffix(name, "Expr"), "Op")
}

// literal converts a parsed literal; dynamic text is kept unparsed.
func literal(v table.Value) value {
	out := value{Type: v.Type, Null: v.Null, I: v.I, F: v.F, S: v.S}
	if v.Type == table.String {
		out.Null = false
	}
	if v.Type == table.Dynamic && !v.Null && (v.S == "" || v.S == "null") {
		out.Null = true
		out.S = ""
	}
	return out
}

func (ev *evaluator) compileName(e *kql.Ident, in *table.Table) (*cexpr,
	error) {
	if c := ev.overlay.lookup(e.Name, in); c != nil {
		cp := *c
		cp.name = e.Name
		return &cp, nil
	}
	if col, _ := in.Column(e.Name); col != nil {
		return &cexpr{typ: col.Type, name: e.Name,
			eval: func(row int) value { return readCell(col, row) }}, nil
	}
	if b := ev.sc.lookup(e.Name); b != nil {
		if b.scalar != nil {
			c := *b.scalar
			if c.name == "" || c.konst {
				c.name = e.Name
			}
			return &c, nil
		}
		if b.fn != nil && len(b.fn.Params) == 0 {
			return ev.callUser(&kql.CallExpr{Loc: e.Loc, Func: e}, b, in)
		}
		return nil, errAt(e, "%q is a table or function, not a scalar",
			e.Name)
	}
	if c := sentinelAlias(e.Name, in); c != nil {
		return c, nil
	}
	switch e.Name {
	case "true", "false":
		return constExpr(boolVal(e.Name == "true"), ""), nil
	case "$left", "$right":
		return nil, errAt(e, "%s is only allowed in join conditions", e.Name)
	}
	return nil, errAt(e, "unknown column or name %q", e.Name)
}

func (ev *evaluator) compileUnary(e *kql.UnaryExpr, in *table.Table) (
	*cexpr, error) {
	x, err := ev.compile(e.X, in)
	if err != nil || e.Op == "+" {
		return x, err
	}
	if e.Op != "-" {
		return nil, notSupported(e, "unary "+e.Op)
	}
	return &cexpr{typ: x.typ, konst: x.konst, eval: func(row int) value {
		return negate(x.eval(row))
	}}, nil
}

func (ev *evaluator) compileMember(e *kql.MemberExpr, in *table.Table) (
	*cexpr, error) {
	if id, ok := e.X.(*kql.Ident); ok && (id.Name == "$left" ||
		id.Name == "$right") {
		return nil, errAt(e, "%s is only allowed in join conditions",
			id.Name)
	}
	x, err := ev.compile(e.X, in)
	if err != nil {
		return nil, err
	}
	key := e.Name.Name
	return &cexpr{typ: table.Dynamic, name: joinName(x.name, key),
		konst: x.konst,
		eval: func(row int) value {
			m, ok := dynMember(x.eval(row)).(map[string]any)
			if !ok {
				return nullOf(table.Dynamic)
			}
			return dynVal(m[key])
		}}, nil
}

func (ev *evaluator) compileIndex(e *kql.IndexExpr, in *table.Table) (
	*cexpr, error) {
	x, err := ev.compile(e.X, in)
	if err != nil {
		return nil, err
	}
	idx, err := ev.compile(e.Index, in)
	if err != nil {
		return nil, err
	}
	name := ""
	if idx.konst && idx.typ == table.String {
		name = joinName(x.name, idx.eval(0).S)
	}
	return &cexpr{typ: table.Dynamic, name: name,
		konst: x.konst && idx.konst, eval: func(row int) value {
			return indexDyn(dynMember(x.eval(row)),
				unwrap(idx.eval(row)))
		}}, nil
}

// indexDyn returns d[i] for an array (negative i counts from the end)
// or d[key] for a property bag.
func indexDyn(d any, i value) value {
	switch d := d.(type) {
	case []any:
		if !isInteger(i.Type) || i.Null {
			return nullOf(table.Dynamic)
		}
		n := i.I
		if n < 0 {
			n += int64(len(d))
		}
		if n < 0 || n >= int64(len(d)) {
			return nullOf(table.Dynamic)
		}
		return dynVal(d[n])
	case map[string]any:
		return dynVal(d[toString(i)])
	}
	return nullOf(table.Dynamic)
}

func (ev *evaluator) compileToScalar(e *kql.ToScalarExpr) (*cexpr, error) {
	if !ev.isTabular(e.X) {
		c, err := ev.compile(e.X, emptyTable)
		if err != nil {
			return nil, err
		}
		return constExpr(c.eval(0), ""), nil
	}
	t, err := ev.tabular(e.X)
	if err != nil {
		return nil, err
	}
	if len(t.Columns) == 0 {
		return nil, errAt(e, "toscalar() of a table with no columns")
	}
	col := t.Columns[0]
	if t.Rows() == 0 {
		return constExpr(nullOf(col.Type), ""), nil
	}
	return constExpr(cloneStr(readCell(col, 0)), ""), nil
}

func (ev *evaluator) compileBetween(e *kql.BetweenExpr, in *table.Table) (
	*cexpr, error) {
	x, err := ev.compile(e.X, in)
	if err != nil {
		return nil, err
	}
	lo, err := ev.compile(e.Lo, in)
	if err != nil {
		return nil, err
	}
	hi, err := ev.compile(e.Hi, in)
	if err != nil {
		return nil, err
	}
	// A date range may end in a timespan: (start .. 1h).
	spanEnd := lo.typ == table.DateTime && hi.typ == table.TimeSpan
	return &cexpr{typ: table.Bool, konst: x.konst && lo.konst && hi.konst,
		eval: func(row int) value {
			v, l, h := x.eval(row), lo.eval(row), hi.eval(row)
			if spanEnd {
				h = arith("+", l, h)
			}
			if v.Null || l.Null || h.Null {
				return nullOf(table.Bool)
			}
			c1, ok1 := compare(v, l)
			c2, ok2 := compare(v, h)
			in := ok1 && ok2 && c1 >= 0 && c2 <= 0
			return boolVal(in != e.Not)
		}}, nil
}

// joinName is the default column name of a.b or a['b']: "a_b".
func joinName(x, key string) string {
	if x == "" {
		return key
	}
	return x + "_" + key
}

// sentinelAlias resolves TimeGenerated, which Sentinel and the unified
// Defender portal add to every table, to the table's Timestamp.
// TODO: Defender's own advanced hunting API rejects TimeGenerated on
// Device* tables; the demo tenant accepts it so Sentinel-style hunts run.
func sentinelAlias(name string, in *table.Table) *cexpr {
	// A join numbers the right side's copy: TimeGenerated1.
	suffix, ok := strings.CutPrefix(name, "TimeGenerated")
	if !ok || strings.Trim(suffix, "0123456789") != "" {
		return nil
	}
	col, _ := in.Column("Timestamp" + suffix)
	if col == nil {
		return nil
	}
	return &cexpr{typ: col.Type, name: name,
		eval: func(row int) value { return readCell(col, row) }}
}
