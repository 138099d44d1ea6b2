package check

import (
	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// pipeline checks `Source | Op | Op ...` and returns the rows it
// produces. A pipeline with no Source applies its first operator to in
// (inside mv-apply, partition and function bodies) or starts with an
// operator that makes rows itself (union, print, range, ...).
func (c *checker) pipeline(p *kql.Pipeline, in *rowset) *rowset {
	var rows *rowset
	switch {
	case p.Source != nil:
		rows = c.tabular(p.Source, nil)
	case in != nil:
		rows = in.clone()
	}
	saved := c.opened
	defer func() { c.opened = saved }()
	for _, op := range p.Ops {
		c.opened = false
		rows = c.operator(op, rows)
		if c.opened {
			rows.open = true
		}
	}
	if rows == nil {
		return openRows()
	}
	return rows
}

// operator checks one operator against its input rows in and returns
// the rows it produces. in is nil for a pipeline's first operator when
// it has no input.
func (c *checker) operator(op kql.Operator, in *rowset) *rowset {
	if out, ok := c.sourceOperator(op, in); ok {
		return out
	}
	if in == nil {
		in = openRows()
	}
	if out, ok := c.columnOperator(op, in); ok {
		return out
	}
	if out, ok := c.combineOperator(op, in); ok {
		return out
	}
	return c.rowOperator(op, in)
}

// sourceOperator checks the operators that make rows of their own.
func (c *checker) sourceOperator(op kql.Operator, in *rowset) (*rowset,
	bool,
) {
	switch op := op.(type) {
	case *kql.UnionOp:
		return c.union(op, in), true
	case *kql.PrintOp:
		out := &rowset{}
		for _, e := range op.Columns {
			c.addColumn(e, nil, out, "print_", 0)
		}
		return out, true
	case *kql.RangeOp:
		typ := c.scalar(op.From, nil)
		c.scalar(op.To, nil)
		c.scalar(op.Step, nil)
		out := &rowset{}
		if op.Column != nil {
			out.add(op.Column.Name, typ)
		}
		return out, true
	case *kql.SearchOp:
		scope := c.search(op.Tables, op.Predicate, in)
		out := &rowset{open: scope.open, unfiltered: scope.unfiltered}
		out.add("$table", table.String)
		out.cols = append(out.cols, scope.cols...)
		return out, true
	case *kql.FindOp:
		return c.find(op, in), true
	}
	return nil, false
}

// find checks find: with `project`, its output is the source column
// and the projected columns; without, it packs the columns it does not
// know into pack_, which the checker leaves open.
func (c *checker) find(op *kql.FindOp, in *rowset) *rowset {
	scope := c.search(op.Tables, op.Predicate, in)
	out := &rowset{open: scope.open || len(op.Project) == 0,
		unfiltered: scope.unfiltered}
	source := "source_"
	if id, ok := kql.ParamValue(op.Params, "withsource").(*kql.Ident); ok {
		source = id.Name
	}
	out.add(source, table.String)
	for _, e := range op.Project {
		c.addColumn(e, scope, out, "Column", 1)
	}
	return out
}

// search checks the tables and predicate of search and find, and
// returns the rows searched: the input's, or the columns of the tables
// named with `in (...)`; open when one of them is unknown, or when the
// operator starts the query and names no table.
func (c *checker) search(tables []kql.Expr, pred kql.Expr,
	in *rowset,
) *rowset {
	scope := openRows()
	switch {
	case len(tables) > 0:
		scope = &rowset{}
		if in != nil {
			scope.unfiltered = in.unfiltered
		}
	case in != nil:
		scope = in.clone()
	}
	for _, t := range tables {
		for _, leg := range c.unionLeg(t) {
			scope.open = scope.open || leg.open
			scope.unfiltered = append(scope.unfiltered,
				leg.unfiltered...)
			for _, col := range leg.cols {
				if scope.index(col.name) < 0 {
					scope.cols = append(scope.cols, col)
				}
			}
		}
	}
	if pred != nil {
		c.scalar(pred, scope)
		if hasTimeFilter(pred, scope) {
			scope.unfiltered = nil
		}
	}
	return scope
}

// rowOperator checks the operators that keep their input's columns,
// and those whose output the checker cannot know.
func (c *checker) rowOperator(op kql.Operator, in *rowset) *rowset {
	switch op := op.(type) {
	case *kql.WhereOp:
		c.scalar(op.Predicate, in)
		if hasTimeFilter(op.Predicate, in) {
			in.unfiltered = nil
		}
	case *kql.SortOp:
		c.sortKeys(op.By, in)
	case *kql.TopOp:
		c.scalar(op.Count, nil)
		c.sortKeys(op.By, in)
	case *kql.TakeOp:
		c.scalar(op.Count, nil)
	case *kql.SampleOp:
		c.scalar(op.Count, nil)
	case *kql.AsOp:
		// The name stands for these rows in the rest of the query.
		if op.Name != nil {
			c.scope.bind(op.Name.Name,
				&symbol{val: value{rows: in.clone()}})
		}
	case *kql.RenderOp, *kql.ConsumeOp, *kql.ForkOp:
	case *kql.GetSchemaOp:
		out := in.derive()
		out.open = false
		out.add("ColumnName", table.String)
		out.add("ColumnOrdinal", table.Long)
		out.add("DataType", table.String)
		out.add("ColumnType", table.String)
		return out
	case *kql.CountOp:
		out := in.derive()
		out.open = false
		out.add("Count", table.Long)
		return out
	default:
		// TODO: top-nested, top-hitters, facet, reduce and sample-distinct
		// make columns the checker does not work out yet, so their
		// output is left open rather than guessed.
		out := in.derive()
		out.open = true
		return out
	}
	return in
}

// sortKeys checks the keys of sort and top.
func (c *checker) sortKeys(keys []*kql.SortKey, in *rowset) {
	for _, k := range keys {
		if k != nil {
			c.scalar(k.X, in)
		}
	}
}
