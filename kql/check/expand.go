package check

import (
	"fmt"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// expandOperator checks the operators that add columns extracted from
// others (mv-expand, parse, ...) or computed by a function or plugin.
func (c *checker) expandOperator(op kql.Operator, in *rowset) (*rowset,
	bool,
) {
	switch op := op.(type) {
	case *kql.MvExpandOp:
		out := c.mvExpand(op.Columns, op.Params, in)
		if op.Limit != nil {
			c.scalar(op.Limit, nil)
		}
		return out, true
	case *kql.MvApplyOp:
		return c.mvApply(op, in), true
	case *kql.ParseOp:
		return c.parse(op, in), true
	case *kql.ParseKvOp:
		c.scalar(op.Source, in)
		out := in.clone()
		for _, d := range op.Columns {
			if d != nil && d.Name != nil {
				out.set(d.Name.Name, scalarType(d.Type))
			}
		}
		return out, true
	case *kql.EvaluateOp:
		return c.evaluate(op, in), true
	case *kql.InvokeOp:
		return c.invoke(op, in), true
	case *kql.ScanOp:
		return c.scan(op, in), true
	case *kql.PartitionOp:
		if op.By != nil {
			c.scalar(op.By, in)
		}
		if op.Body == nil {
			return in, true
		}
		return c.tabular(op.Body, in.clone()), true
	}
	return nil, false
}

// mvExpand returns in with the expanded columns: dynamic, or of the type
// named by `to typeof(...)`, plus the with_itemindex column.
func (c *checker) mvExpand(cols []*kql.ExpandColumn,
	params []*kql.NamedParam, in *rowset,
) *rowset {
	out := in.clone()
	for _, ec := range cols {
		if ec == nil {
			continue
		}
		typ := table.Dynamic
		if ec.To != nil && !ec.To.Tabular() {
			typ = scalarType(ec.To.Scalar)
		}
		if a, ok := ec.X.(*kql.Assign); ok {
			c.scalar(a.Value, in)
			for _, n := range a.Names {
				if n != nil {
					out.set(n.Name, typ)
				}
			}
			continue
		}
		c.scalar(ec.X, in)
		out.set(c.unnamed(ec.X, out, "Column", 1), typ)
	}
	if id, ok := kql.ParamValue(params, "with_itemindex").(*kql.Ident); ok {
		out.set(id.Name, table.Long)
	}
	return out
}

// mvApply checks mv-apply: its body runs on the expanded rows, and the
// output is the input's other columns and the body's.
func (c *checker) mvApply(op *kql.MvApplyOp, in *rowset) *rowset {
	expanded := c.mvExpand(op.Columns, op.Params, in)
	if op.Limit != nil {
		c.scalar(op.Limit, nil)
	}
	if op.Body == nil {
		return expanded
	}
	body := c.tabular(op.Body, expanded)
	out := in.derive()
	out.open = in.open || body.open
	gone := make(map[string]bool)
	for _, n := range expanded.names() {
		if _, ok := in.find(n); !ok {
			continue
		}
		gone[n] = expandsColumn(op.Columns, n)
	}
	for _, col := range in.cols {
		if !gone[col.name] {
			out.cols = append(out.cols, col)
		}
	}
	for _, col := range body.cols {
		out.set(col.name, col.typ)
	}
	return out
}

// expandsColumn reports whether the mv-apply columns expand the input
// column name in place (not under a new name).
func expandsColumn(cols []*kql.ExpandColumn, name string) bool {
	for _, ec := range cols {
		if ec != nil && exprName(ec.X) == name {
			if _, renamed := ec.X.(*kql.Assign); !renamed {
				return true
			}
		}
	}
	return false
}

// parse checks parse and parse-where: each column of the pattern is
// added, as a string unless typed.
func (c *checker) parse(op *kql.ParseOp, in *rowset) *rowset {
	c.scalar(op.Source, in)
	out := in.clone()
	for _, item := range op.Pattern {
		if item == nil || item.Column == nil {
			continue
		}
		typ := table.String
		if item.Type != "" {
			typ = scalarType(item.Type)
		}
		out.set(item.Column.Name, typ)
	}
	return out
}

// evaluate checks a plugin call. Plugins make columns from the data
// (bag_unpack, pivot) or of their own, so the output is left open; the
// arguments of bag_unpack and pivot are checked as columns, and an
// unknown plugin gets a warning.
func (c *checker) evaluate(op *kql.EvaluateOp, in *rowset) *rowset {
	out := in.clone()
	out.open = true
	if op.Call == nil {
		return out
	}
	name := op.Call.Name()
	if id, ok := op.Call.Func.(*kql.Ident); ok && !plugins[name] {
		msg := fmt.Sprintf("unknown plugin '%s'%s", name,
			didYouMean(name, setKeys(plugins)))
		c.report(kql.Warning, CodeUnknownFunction, id.Pos, id.End, msg)
	}
	switch name {
	case "ipv4_lookup", "ipv6_lookup":
		return c.ipLookup(op.Call.Args, in)
	case "bag_unpack", "pivot":
		c.scalarArgs(op.Call.Args, in)
		if len(op.Call.Args) > 0 {
			if id, ok := op.Call.Args[0].(*kql.Ident); ok {
				out.remove(id.Name)
			}
		}
	}
	return out
}

// ipLookup checks `evaluate ipv4_lookup(Table, SourceKey, LookupKey,
// ...)`: its output is the input's columns and the lookup table's.
func (c *checker) ipLookup(args []kql.Expr, in *rowset) *rowset {
	if len(args) < 3 {
		c.scalarArgs(args, in)
		return openRows()
	}
	v := c.operand(args[0], nil)
	lookup := v.rows
	if lookup == nil {
		lookup = openRows()
	}
	c.warnUnfiltered(lookup)
	c.scalar(args[1], in)
	c.scalar(args[2], lookup)
	c.scalarArgs(args[3:], in)
	out := in.clone()
	out.open = in.open || lookup.open
	for _, col := range lookup.cols {
		out.add(col.name, col.typ)
	}
	return out
}

// invoke checks `invoke F(...)`: a Defender function adds its columns;
// a let function runs on the input rows.
func (c *checker) invoke(op *kql.InvokeOp, in *rowset) *rowset {
	if op.Call == nil {
		return openRows()
	}
	name := op.Call.Name()
	if cols, ok := defenderColumns[name]; ok {
		for _, a := range op.Call.Args {
			if id, ok := a.(*kql.Ident); ok {
				c.name(id, in)
			}
		}
		out := in.clone()
		for _, col := range cols {
			out.set(col.name, col.typ)
		}
		return out
	}
	if sym := c.scope.lookup(name); sym != nil && sym.fn != nil {
		v := c.callFunc(sym, op.Call.Args, in, in)
		if v.rows == nil {
			return openRows()
		}
		return v.rows
	}
	if id, ok := op.Call.Func.(*kql.Ident); ok {
		c.unknownFunction(id)
	}
	return openRows()
}

// unknownFunction reports a function that invoke cannot find.
func (c *checker) unknownFunction(id *kql.Ident) {
	var cands []string
	for n := range defenderColumns {
		cands = append(cands, n)
	}
	c.scope.names(func(n string, sym *symbol) {
		if sym.fn != nil {
			cands = append(cands, n)
		}
	})
	msg := fmt.Sprintf("unknown function '%s'%s", id.Name,
		didYouMean(id.Name, cands))
	c.report(kql.Error, CodeUnknownFunction, id.Pos, id.End, msg)
}

// scan checks scan: its declared variables become columns, and its
// steps can be named in conditions (s1.Column).
func (c *checker) scan(op *kql.ScanOp, in *rowset) *rowset {
	out := in.clone()
	c.sortKeys(op.OrderBy, in)
	for _, e := range op.PartitionBy {
		c.scalar(e, in)
	}
	for _, p := range op.Declare {
		if p != nil && p.Name != nil {
			out.set(p.Name.Name, paramValue(p).typ)
		}
	}
	c.withScope(func() {
		for _, st := range op.Steps {
			if st != nil && st.Name != nil {
				c.scope.bind(st.Name.Name, &symbol{val: value{}})
			}
		}
		for _, st := range op.Steps {
			if st == nil {
				continue
			}
			c.scalar(st.Condition, out)
			for _, a := range st.Assigns {
				c.scalar(a, out)
			}
		}
	})
	if id, ok := kql.ParamValue(op.Params, "with_match_id").(*kql.Ident); ok {
		out.set(id.Name, table.Long)
	}
	return out
}
