package check

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// columnOperator checks the operators that make, drop or rename
// columns.
func (c *checker) columnOperator(op kql.Operator, in *rowset) (*rowset,
	bool,
) {
	switch op := op.(type) {
	case *kql.ProjectOp:
		return c.project(op.Columns, in), true
	case *kql.ExtendOp:
		return c.extend(op.Columns, in), true
	case *kql.SerializeOp:
		return c.extend(op.Columns, in), true
	case *kql.ProjectAwayOp:
		return c.projectAway(op.Columns, in), true
	case *kql.ProjectKeepOp:
		return c.projectKeep(op.Columns, in), true
	case *kql.ProjectRenameOp:
		return c.projectRename(op.Columns, in), true
	case *kql.ProjectReorderOp:
		return c.projectReorder(op.Columns, in), true
	case *kql.DistinctOp:
		if len(op.Columns) == 1 {
			if _, ok := op.Columns[0].(*kql.Star); ok {
				return in, true
			}
		}
		return c.project(op.Columns, in), true
	case *kql.SummarizeOp:
		return c.summarize(op, in), true
	case *kql.MakeSeriesOp:
		return c.makeSeries(op, in), true
	}
	return c.expandOperator(op, in)
}

// project checks `project` (and `distinct`) columns: the output has
// exactly these.
func (c *checker) project(cols []kql.Expr, in *rowset) *rowset {
	out := in.derive()
	out.open = in.open && len(cols) == 0
	for _, e := range cols {
		c.addColumn(e, in, out, "Column", 1)
	}
	return out
}

// extend checks `extend` columns, each of which may use those before
// it.
func (c *checker) extend(cols []kql.Expr, in *rowset) *rowset {
	out := in.clone()
	for _, e := range cols {
		c.addColumn(e, out, out, "Column", 1)
	}
	return out
}

// addColumn checks the column expression e against the rows ctx and
// sets its column in out: `Name = X` names it, else the name comes from
// the expression or is made up from prefix and a number.
func (c *checker) addColumn(e kql.Expr, ctx, out *rowset, prefix string,
	start int,
) {
	if a, ok := e.(*kql.Assign); ok {
		typ := c.scalar(a.Value, ctx)
		for _, n := range a.Names {
			if n != nil {
				out.set(n.Name, typ)
			}
		}
		return
	}
	typ := c.scalar(e, ctx)
	if call, ok := e.(*kql.CallExpr); ok &&
		strings.HasPrefix(call.Name(), "series_") {
		// Series functions such as series_decompose_anomalies return
		// several columns whose made-up names the checker does not
		// know.
		c.opened = true
	}
	out.set(c.unnamed(e, out, prefix, start), typ)
}

// column resolves a column named in project-away, project-keep,
// project-rename or project-reorder, reporting it when unknown.
func (c *checker) column(id *kql.Ident, in *rowset) bool {
	if _, ok := in.find(id.Name); ok {
		return true
	}
	if !in.open {
		c.unknownName(id, in)
	}
	return false
}

// matching returns the names of in's columns that the column list item
// e (a name or a wildcard) selects, reporting unknown names.
func (c *checker) matching(e kql.Expr, in *rowset) []string {
	switch e := e.(type) {
	case *kql.Ident:
		if c.column(e, in) {
			return []string{e.Name}
		}
	case *kql.Pattern:
		var out []string
		for _, col := range in.cols {
			if matchWildcard(e.Text, col.name) {
				out = append(out, col.name)
			}
		}
		return out
	case *kql.Star:
		return in.names()
	}
	return nil
}

func (c *checker) projectAway(cols []kql.Expr, in *rowset) *rowset {
	out := in.clone()
	for _, e := range cols {
		for _, n := range c.matching(e, in) {
			out.remove(n)
		}
	}
	return out
}

func (c *checker) projectKeep(cols []kql.Expr, in *rowset) *rowset {
	keep := make(map[string]bool)
	for _, e := range cols {
		for _, n := range c.matching(e, in) {
			keep[n] = true
		}
	}
	out := in.derive()
	for _, col := range in.cols {
		if keep[col.name] {
			out.cols = append(out.cols, col)
		}
	}
	return out
}

func (c *checker) projectRename(cols []kql.Expr, in *rowset) *rowset {
	out := in.clone()
	for _, e := range cols {
		a, ok := e.(*kql.Assign)
		if !ok || len(a.Names) == 0 || a.Names[0] == nil {
			continue
		}
		old, ok := a.Value.(*kql.Ident)
		if !ok || !c.column(old, in) {
			out.set(a.Names[0].Name, table.Invalid)
			continue
		}
		out.cols[out.index(old.Name)].name = a.Names[0].Name
	}
	return out
}

func (c *checker) projectReorder(keys []*kql.SortKey,
	in *rowset,
) *rowset {
	out := in.derive()
	for _, k := range keys {
		if k == nil {
			continue
		}
		for _, n := range c.matching(k.X, in) {
			if out.index(n) < 0 {
				col, _ := in.find(n)
				out.cols = append(out.cols, col)
			}
		}
	}
	for _, col := range in.cols {
		if out.index(col.name) < 0 {
			out.cols = append(out.cols, col)
		}
	}
	return out
}

// matchWildcard reports whether name matches pattern, in which '*'
// stands for any run of characters.
func matchWildcard(pattern, name string) bool {
	for len(pattern) > 0 {
		if pattern[0] == '*' {
			for i := len(name); i >= 0; i-- {
				if matchWildcard(pattern[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 || pattern[0] != name[0] {
			return false
		}
		pattern, name = pattern[1:], name[1:]
	}
	return len(name) == 0
}

// summarize checks `summarize Aggs by Keys`: the output has the keys,
// then the aggregates.
func (c *checker) summarize(op *kql.SummarizeOp, in *rowset) *rowset {
	out := in.derive()
	out.open = false
	keys := c.groupKeys(op.By, in, out)
	for _, e := range op.Aggs {
		c.aggregate(e, in, out, keys)
	}
	return out
}

// groupKeys adds the `by` columns of summarize and make-series to out
// and returns the names of the input columns they keep.
func (c *checker) groupKeys(by []kql.Expr, in, out *rowset) map[string]bool {
	keys := make(map[string]bool)
	for _, e := range by {
		if id, ok := e.(*kql.Ident); ok {
			keys[id.Name] = true
		}
		c.addColumn(e, in, out, "Column", 1)
	}
	return keys
}

// aggregate checks one aggregate of summarize and adds its columns to
// out: count() is count_, dcount(A) is dcount_A, arg_max(T, *) is T and
// every other input column. keys are the group columns, which `*` does
// not repeat.
func (c *checker) aggregate(e kql.Expr, in, out *rowset,
	keys map[string]bool,
) {
	if a, ok := e.(*kql.Assign); ok {
		typ := c.scalar(a.Value, in)
		call, ok := a.Value.(*kql.CallExpr)
		if ok && len(a.Names) == 1 && a.Names[0] != nil &&
			expands[call.Name()] {
			c.expandAggregate(call, in, out, keys, a.Names[0].Name)
			return
		}
		for _, n := range a.Names {
			if n != nil {
				out.add(n.Name, typ)
			}
		}
		return
	}
	call, ok := e.(*kql.CallExpr)
	if !ok || !aggregates[call.Name()] {
		c.addColumn(e, in, out, "Column", 1)
		return
	}
	typ := c.scalar(call, in)
	switch name := call.Name(); {
	case expands[name]:
		c.expandAggregate(call, in, out, keys, "")
	case name == "argmax" || name == "argmin":
		c.legacyArgAggregate(call, in, out)
	case name == "percentile" || name == "percentiles":
		c.percentiles(call, in, out)
	default:
		out.add(aggregateName(call), typ)
	}
}

// aggregateName is the name of the column of an unassigned aggregate
// with a single result.
func aggregateName(call *kql.CallExpr) string {
	name := call.Name()
	prefix, ok := aggregateNames[name]
	if !ok {
		prefix = name
	}
	if name == "countif" || len(call.Args) == 0 {
		return prefix + "_"
	}
	return prefix + "_" + exprName(call.Args[0])
}

// expands are the aggregates with a column per argument.
var expands = setOf("arg_max arg_min take_any take_anyif")

// expandAggregate adds the columns of arg_max(X, Cols...) (X and the
// columns) and take_any(Cols...); `*` stands for every input column.
// first, when not "", names the first column, as in
// `Last = arg_max(Timestamp, *)`.
func (c *checker) expandAggregate(call *kql.CallExpr, in, out *rowset,
	keys map[string]bool, first string,
) {
	args := call.Args
	if name := call.Name(); name == "take_anyif" && len(args) > 0 {
		args = args[:1]
	}
	skip := make(map[string]bool)
	for k := range keys {
		skip[k] = true
	}
	for _, a := range args {
		if _, ok := a.(*kql.Star); ok {
			out.open = out.open || in.open
			for _, col := range in.cols {
				if !skip[col.name] {
					out.add(col.name, col.typ)
				}
			}
			continue
		}
		c.addAggColumn(a, in, out, first)
		first = ""
		if n := exprName(argValue(a)); n != "" {
			skip[n] = true
		}
	}
}

// addAggColumn adds the column of one argument of arg_max or take_any,
// named as a project column is, or by `Name = X`.
func (c *checker) addAggColumn(a kql.Expr, in, out *rowset,
	name string,
) {
	x := a
	if na, ok := a.(*kql.NamedArg); ok && na.Name != nil {
		x = na.Value
		if name == "" {
			name = na.Name.Name
		}
	}
	typ := c.typeOf(x, in)
	if name == "" {
		name = exprName(x)
	}
	if name == "" {
		name = madeUpName(out, "Column", 1)
	}
	out.add(name, typ)
}

// typeOf returns the type of e in the rows in without reporting
// anything: the expression was checked already.
func (c *checker) typeOf(e kql.Expr, in *rowset) table.Type {
	c.quiet++
	defer func() { c.quiet-- }()
	return c.scalar(e, in)
}

// legacyArgAggregate adds the columns of argmax(X, Cols...): max_X and
// max_X_Col for each column.
func (c *checker) legacyArgAggregate(call *kql.CallExpr, in,
	out *rowset,
) {
	if len(call.Args) == 0 {
		return
	}
	base := aggregateName(call)
	out.add(base, c.typeOf(call.Args[0], in))
	for _, a := range call.Args[1:] {
		out.add(base+"_"+exprName(a), c.typeOf(a, in))
	}
}

// percentiles adds percentile_X_50 for each percentile asked for.
func (c *checker) percentiles(call *kql.CallExpr, in, out *rowset) {
	if len(call.Args) < 2 {
		return
	}
	x := exprName(call.Args[0])
	typ := c.typeOf(call.Args[0], in)
	for _, p := range call.Args[1:] {
		pos, end := p.Span()
		out.add(fmt.Sprintf("percentile_%s_%s", x, c.src[pos:end]), typ)
	}
}

// makeSeries checks make-series: the output has the keys, a dynamic
// array per aggregate and the axis column, as an array too.
func (c *checker) makeSeries(op *kql.MakeSeriesOp, in *rowset) *rowset {
	out := in.derive()
	out.open = false
	c.groupKeys(op.By, in, out)
	for _, agg := range op.Aggs {
		if agg == nil {
			continue
		}
		if agg.Default != nil {
			c.scalar(agg.Default, nil)
		}
		if a, ok := agg.X.(*kql.Assign); ok {
			c.scalar(a.Value, in)
			for _, n := range a.Names {
				if n != nil {
					out.add(n.Name, table.Dynamic)
				}
			}
			continue
		}
		c.scalar(agg.X, in)
		name := madeUpName(out, "Column", 1)
		if call, ok := agg.X.(*kql.CallExpr); ok {
			name = aggregateName(call)
		}
		out.add(name, table.Dynamic)
	}
	c.scalar(op.On, in)
	for _, e := range []kql.Expr{op.From, op.To, op.Step} {
		if e != nil {
			c.scalar(e, in)
		}
	}
	if name := exprName(op.On); name != "" {
		out.add(name, table.Dynamic)
	}
	return out
}
