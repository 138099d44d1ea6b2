package eval

import (
	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// unsupportedFuncs are functions that real queries use but the demo
// tenant cannot answer truthfully.
var unsupportedFuncs = map[string]string{
	"geo_info_from_ip_address": "geo_info_from_ip_address " +
		"(no geo database offline)",
	"series_decompose_anomalies": "series_decompose_anomalies",
	"series_fit_2lines":          "series_fit_2lines",
	"series_stats":               "series_stats",
}

func (ev *evaluator) compileCall(e *kql.CallExpr, in *table.Table) (*cexpr,
	error) {
	name := e.Name()
	if name == "" {
		return nil, notSupported(e, "calls of this form")
	}
	if b := ev.sc.lookup(name); b != nil && b.fn != nil {
		return ev.callUser(e, b, in)
	}
	if ev.aggs != nil {
		if c, ok, err := ev.aggs.call(ev, e, in); ok {
			return c, err
		}
	}
	switch name {
	case "column_ifexists":
		return ev.columnIfExists(e, in)
	case "prev", "next":
		return ev.prevNext(e, in)
	case "pack_all":
		return packAll(in), nil
	case "row_number":
		return &cexpr{typ: table.Long, name: "row_number",
			eval: func(row int) value { return longVal(int64(row) + 1) }}, nil
	case "ingestion_time":
		// The demo tenant's rows are ingested the moment they happen.
		if c := sentinelAlias("TimeGenerated", in); c != nil {
			c.name = ""
			return c, nil
		}
		return constExpr(nullOf(table.DateTime), ""), nil
	case "materialize":
		return nil, errAt(e, "materialize() must be bound with let")
	}
	f, ok := scalars[name]
	if !ok {
		if _, isAgg := aggregates[name]; isAgg || name == "arg_max" ||
			name == "arg_min" {
			return nil, errAt(e, "aggregate %s() can only be used in "+
				"summarize", name)
		}
		if what, ok := unsupportedFuncs[name]; ok {
			return nil, notSupported(e.Func, what)
		}
		return nil, notSupported(e.Func, "function "+name+"()")
	}
	return ev.callScalar(e, f, in)
}

func (ev *evaluator) callScalar(e *kql.CallExpr, f *scalarFn,
	in *table.Table) (*cexpr, error) {
	name := e.Name()
	if len(e.Args) < f.min || f.max >= 0 && len(e.Args) > f.max {
		return nil, errAt(e, "%s() takes %s, got %d", name,
			argRange(f.min, f.max), len(e.Args))
	}
	args, err := ev.compileArgs(e.Args, in)
	if err != nil {
		return nil, err
	}
	types := make([]table.Type, len(args))
	konst := true
	for i, a := range args {
		types[i] = a.typ
		konst = konst && a.konst
	}
	typ := f.typ(types)
	switch name {
	case "iff", "iif", "case":
		return lazyBranches(args, typ, konst), nil
	}
	buf := make([]value, len(args))
	call, fc := f.call, &ev.fn
	c := &cexpr{typ: typ, konst: konst, name: callName(name, args),
		eval: func(row int) value {
			for i, a := range args {
				buf[i] = a.eval(row)
			}
			v := call(fc, buf)
			if v.Type != typ && typ != table.Invalid {
				v = convert(v, typ)
			}
			return v
		}}
	return c, nil
}

// callName is the default column name of a call: conversions keep the
// name of what they convert, as KQL does.
func callName(name string, args []*cexpr) string {
	switch name {
	case "tostring", "toint", "tolong", "todouble", "toreal", "tobool",
		"todatetime", "totimespan", "todynamic", "parse_json", "bin",
		"tolower", "toupper", "floor", "bin_at", "format_datetime",
		"startofday", "startofweek", "startofmonth", "startofyear",
		"endofday", "endofweek", "endofmonth", "endofyear", "round",
		"abs":
		if len(args) > 0 {
			return args[0].name
		}
	}
	return ""
}

// argRange describes an argument count, as in "1 argument" or
// "2 to 3 arguments".
func argRange(min, max int) string {
	var n string
	switch {
	case max < 0:
		n = "at least " + itoa(min)
	case min == max:
		n = itoa(min)
	default:
		n = itoa(min) + " to " + itoa(max)
	}
	if min == 1 && (max == 1 || max < 0) {
		return n + " argument"
	}
	return n + " arguments"
}

func itoa(n int) string { return toString(longVal(int64(n))) }

func (ev *evaluator) compileArgs(args []kql.Expr, in *table.Table) (
	[]*cexpr, error) {
	out := make([]*cexpr, len(args))
	for i, a := range args {
		if na, ok := a.(*kql.NamedArg); ok {
			a = na.Value
		}
		c, err := ev.compile(a, in)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// columnIfExists is column_ifexists(name, default).
func (ev *evaluator) columnIfExists(e *kql.CallExpr, in *table.Table) (
	*cexpr, error) {
	if len(e.Args) != 2 {
		return nil, errAt(e, "column_ifexists() takes 2 arguments")
	}
	n, err := ev.compile(e.Args[0], emptyTable)
	if err != nil {
		return nil, err
	}
	if !n.konst {
		return nil, errAt(e.Args[0], "column_ifexists() needs a constant name")
	}
	if col, _ := in.Column(toString(n.eval(0))); col != nil {
		return &cexpr{typ: col.Type, name: col.Name,
			eval: func(row int) value { return readCell(col, row) }}, nil
	}
	return ev.compile(e.Args[1], in)
}

// prevNext is prev(x[, offset[, default]]) and next(...), over the rows
// in their current order.
func (ev *evaluator) prevNext(e *kql.CallExpr, in *table.Table) (*cexpr,
	error) {
	if len(e.Args) < 1 || len(e.Args) > 3 {
		return nil, errAt(e, "%s() takes 1 to 3 arguments", e.Name())
	}
	args, err := ev.compileArgs(e.Args, in)
	if err != nil {
		return nil, err
	}
	off := int64(1)
	if len(args) > 1 {
		if !args[1].konst {
			return nil, errAt(e.Args[1], "the offset must be a constant")
		}
		off = toLong(args[1].eval(0)).I
	}
	if e.Name() == "prev" {
		off = -off
	}
	x, n := args[0], in.Rows()
	return &cexpr{typ: x.typ, eval: func(row int) value {
		r := row + int(off)
		if r < 0 || r >= n {
			if len(args) > 2 {
				return args[2].eval(row)
			}
			return nullOf(x.typ)
		}
		return x.eval(r)
	}}, nil
}

// callUser calls a let-bound function. Scalar parameters are bound to
// the compiled arguments, so the body is inlined into the caller's row
// context; tabular parameters are bound to their tables.
func (ev *evaluator) callUser(e *kql.CallExpr, b *binding,
	in *table.Table) (*cexpr, error) {
	if err := ev.enter(e); err != nil {
		return nil, err
	}
	defer func() { ev.depth-- }()
	sc, err := ev.bindParams(e, b, in)
	if err != nil {
		return nil, err
	}
	saved := ev.sc
	ev.sc = sc
	defer func() { ev.sc = saved }()
	last, err := ev.bodyLets(b.fn, in)
	if err != nil {
		return nil, err
	}
	if ev.isTabular(last) {
		return nil, errAt(e, "%s() returns a table, not a scalar", e.Name())
	}
	return ev.compile(last, in)
}

// bindParams makes the scope of a call of a let-bound function.
func (ev *evaluator) bindParams(e *kql.CallExpr, b *binding,
	in *table.Table) (*scope, error) {
	fn := b.fn
	if len(e.Args) > len(fn.Params) {
		return nil, errAt(e, "%s() takes %d arguments, got %d", e.Name(),
			len(fn.Params), len(e.Args))
	}
	sc := b.fnSc.child()
	for i, p := range fn.Params {
		var arg kql.Expr
		switch {
		case i < len(e.Args):
			arg = e.Args[i]
		case p.Default != nil:
			arg = p.Default
		default:
			return nil, errAt(e, "%s() needs argument %q", e.Name(),
				p.Name.Name)
		}
		if p.Type != nil && p.Type.Tabular() || ev.isTabular(arg) {
			t, err := ev.tabular(arg)
			if err != nil {
				return nil, err
			}
			sc.vars[p.Name.Name] = &binding{table: t}
			continue
		}
		c, err := ev.compile(arg, in)
		if err != nil {
			return nil, err
		}
		if p.Type != nil {
			if t, ok := table.ParseType(p.Type.Scalar); ok && t != c.typ {
				c = converted(c, t)
			}
		}
		sc.vars[p.Name.Name] = &binding{scalar: c}
	}
	return sc, nil
}

// converted wraps c so that its values have type t.
func converted(c *cexpr, t table.Type) *cexpr {
	inner := c.eval
	return &cexpr{typ: t, name: c.name, konst: c.konst,
		eval: func(row int) value { return convert(inner(row), t) }}
}

// bodyLets binds the let statements of a function body in ev.sc and
// returns the body's final expression.
func (ev *evaluator) bodyLets(fn *kql.FuncLit, in *table.Table) (kql.Expr,
	error) {
	var last kql.Expr
	for _, st := range fn.Body {
		switch st := st.(type) {
		case *kql.LetStmt:
			if err := ev.let(ev.sc, st, in); err != nil {
				return nil, err
			}
		case *kql.ExprStmt:
			last = st.X
		}
	}
	if last == nil {
		return nil, errAt(fn, "the function body has no result expression")
	}
	return last, nil
}

// packAll is pack_all(): the row as a property bag of every column.
func packAll(in *table.Table) *cexpr {
	cols := in.Columns
	return &cexpr{typ: table.Dynamic, eval: func(row int) value {
		m := make(map[string]any, len(cols))
		for _, c := range cols {
			m[c.Name] = dyn(readCell(c, row))
		}
		return dynVal(m)
	}}
}

// lazyBranches compiles iff and case so that only the chosen branch is
// evaluated: case(p1, v1, p2, v2, ..., else).
func lazyBranches(args []*cexpr, typ table.Type, konst bool) *cexpr {
	return &cexpr{typ: typ, konst: konst, eval: func(row int) value {
		for i := 0; i+1 < len(args); i += 2 {
			if args[i].eval(row).truthy() {
				return convert(args[i+1].eval(row), typ)
			}
		}
		return convert(args[len(args)-1].eval(row), typ)
	}}
}
