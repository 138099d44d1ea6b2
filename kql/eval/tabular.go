package eval

import (
	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// tabular evaluates a tabular expression.
func (ev *evaluator) tabular(e kql.Expr) (*table.Table, error) {
	if err := ev.ctx.Err(); err != nil {
		return nil, err
	}
	switch e := e.(type) {
	case *kql.ParenExpr:
		return ev.tabular(e.X)
	case *kql.Ident:
		return ev.tableNamed(e)
	case *kql.Pipeline:
		return ev.pipeline(e)
	case *kql.MaterializeExpr:
		key := matKey{x: e, sc: ev.sc}
		if t, ok := ev.mats[key]; ok {
			return t, nil
		}
		t, err := ev.tabular(e.X)
		if err != nil {
			return nil, err
		}
		ev.mats[key] = t
		return t, nil
	case *kql.DatatableExpr:
		return ev.datatable(e)
	case *kql.ExternalDataExpr:
		return nil, errAt(e, "externaldata needs network access, "+
			"which the demo tenant does not have")
	case *kql.CallExpr:
		return ev.tabularCall(e)
	case *kql.BadExpr:
		return nil, errAt(e, "the query has a syntax error here")
	}
	return nil, errAt(e, "expected a table, found a scalar expression")
}

// tableNamed resolves a name to a let-bound table or a table of the DB.
func (ev *evaluator) tableNamed(id *kql.Ident) (*table.Table, error) {
	if b := ev.sc.lookup(id.Name); b != nil {
		switch {
		case b.table != nil:
			return b.table, nil
		case b.tab != nil:
			saved := ev.sc
			ev.sc = b.tabSc
			t, err := ev.tabular(b.tab)
			ev.sc = saved
			if err != nil {
				return nil, err
			}
			b.table = t
			return t, nil
		case b.fn != nil && len(b.fn.Params) == 0:
			return ev.tabularCall(&kql.CallExpr{Loc: id.Loc, Func: id})
		}
		return nil, errAt(id, "%q is a scalar, not a table", id.Name)
	}
	if t, ok := ev.db.Tables[id.Name]; ok {
		return t, nil
	}
	return nil, errAt(id, "unknown table %q", id.Name)
}

// tabularCall evaluates table("Name") or a let-bound function that
// returns a table.
func (ev *evaluator) tabularCall(e *kql.CallExpr) (*table.Table, error) {
	name := e.Name()
	if name == "table" && len(e.Args) >= 1 {
		c, err := ev.compile(e.Args[0], emptyTable)
		if err != nil {
			return nil, err
		}
		id := &kql.Ident{Loc: e.Loc, Name: toString(c.eval(0))}
		return ev.tableNamed(id)
	}
	b := ev.sc.lookup(name)
	if b == nil || b.fn == nil {
		return nil, notSupported(e.Func, "function "+name+"()")
	}
	if err := ev.enter(e); err != nil {
		return nil, err
	}
	defer func() { ev.depth-- }()
	sc, err := ev.bindParams(e, b, emptyTable)
	if err != nil {
		return nil, err
	}
	saved := ev.sc
	ev.sc = sc
	defer func() { ev.sc = saved }()
	last, err := ev.bodyLets(b.fn, emptyTable)
	if err != nil {
		return nil, err
	}
	return ev.tabular(last)
}

// pipeline evaluates a source and its operators in turn.
func (ev *evaluator) pipeline(p *kql.Pipeline) (*table.Table, error) {
	var t *table.Table
	ops := p.Ops
	if p.Source != nil {
		var err error
		if t, err = ev.tabular(p.Source); err != nil {
			return nil, err
		}
	} else {
		if len(ops) == 0 {
			return nil, errAt(p, "empty pipeline")
		}
		if u, ok := ops[0].(*kql.UnionOp); ok {
			// The union's filters can run on its inputs.
			t, n, err := ev.unionFiltered(nil, u, ops[1:])
			if err != nil {
				return nil, err
			}
			return ev.applyOps(t, ops[1+n:])
		}
		var err error
		if t, err = ev.source(ops[0]); err != nil {
			return nil, err
		}
		ops = ops[1:]
	}
	return ev.applyOps(t, ops)
}

// applyOps applies operators in turn. Rows chosen by where operators
// are kept as a selection and copied only when an operator needs a
// table of its own; project and summarize read the selection directly.
func (ev *evaluator) applyOps(t *table.Table, ops []kql.Operator) (
	*table.Table, error) {
	sel := allRows()
	for i := 0; i < len(ops); i++ {
		op := ops[i]
		if err := ev.ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		switch op := op.(type) {
		case *kql.UnionOp:
			var n int
			t, n, err = ev.unionFiltered(sel.gather(t), op, ops[i+1:])
			sel = allRows()
			i += n
		case *kql.MvExpandOp:
			var n int
			t, n, err = ev.mvExpandFiltered(sel.gather(t), op, ops[i+1:])
			sel = allRows()
			i += n
		case *kql.WhereOp:
			sel, err = ev.filter(t, op.Predicate, sel)
		case *kql.ProjectOp:
			t, err = ev.projectRows(t, op.Columns, false, sel)
			sel = allRows()
		case *kql.SummarizeOp:
			t, err = ev.summarize(t, op, sel)
			sel = allRows()
		case *kql.CountOp:
			c := table.NewColumn("Count", table.Long, 1)
			c.AppendInt(int64(sel.len(t)))
			t, sel = table.New(c), allRows()
		default:
			t, sel = sel.gather(t), allRows()
			t, err = ev.operator(t, op)
		}
		if err != nil {
			return nil, err
		}
		if err := ev.fnErr(op); err != nil {
			return nil, err
		}
	}
	return sel.gather(t), nil
}

// source evaluates an operator that starts a pipeline by itself.
func (ev *evaluator) source(op kql.Operator) (*table.Table, error) {
	switch op := op.(type) {
	case *kql.UnionOp:
		return ev.union(nil, op)
	case *kql.PrintOp:
		return ev.print(op)
	case *kql.RangeOp:
		return ev.rangeOp(op)
	case *kql.SearchOp:
		return ev.search(nil, op)
	case *kql.FindOp:
		return ev.find(op)
	case *kql.EvaluateOp:
		return nil, notSupported(op, "evaluate "+op.Call.Name())
	}
	return nil, errAt(op, "this operator needs an input table")
}

// operator applies one tabular operator to t.
func (ev *evaluator) operator(t *table.Table, op kql.Operator) (
	*table.Table, error) {
	switch op := op.(type) {
	case *kql.WhereOp, *kql.SummarizeOp, *kql.CountOp:
		return ev.applyOps(t, []kql.Operator{op})
	case *kql.ProjectOp:
		return ev.project(t, op.Columns, false)
	case *kql.ExtendOp:
		return ev.project(t, op.Columns, true)

	case *kql.JoinOp:
		return ev.join(t, op)
	case *kql.LookupOp:
		return ev.lookup(t, op)
	case *kql.DistinctOp:
		return ev.distinct(t, op)
	case *kql.SortOp:
		return ev.sort(t, op.By, -1)
	case *kql.TopOp:
		return ev.top(t, op)
	case *kql.TakeOp:
		return ev.take(t, op.Count)
	case *kql.ProjectAwayOp:
		return ev.projectAway(t, op.Columns, false)
	case *kql.ProjectKeepOp:
		return ev.projectAway(t, op.Columns, true)
	case *kql.ProjectRenameOp:
		return ev.projectRename(t, op)
	case *kql.ProjectReorderOp:
		return ev.projectReorder(t, op)
	case *kql.MvExpandOp:
		return ev.mvExpand(t, op)
	case *kql.UnionOp:
		return ev.union(t, op)
	case *kql.RenderOp:
		return t, nil
	case *kql.ParseOp:
		return ev.parse(t, op)
	case *kql.SerializeOp:
		return ev.project(t, op.Columns, true)
	case *kql.GetSchemaOp:
		return getSchema(t), nil
	case *kql.EvaluateOp:
		return ev.evaluate(t, op)
	case *kql.SearchOp:
		return ev.search(t, op)
	case *kql.PartitionOp:
		return ev.partition(t, op)
	case *kql.ParseKvOp:
		return ev.parseKV(t, op)
	case *kql.TopNestedOp:
		return ev.topNested(t, op)
	case *kql.SampleOp:
		return ev.sample(t, op)
	case *kql.MakeSeriesOp:
		return ev.makeSeries(t, op)
	case *kql.MvApplyOp:
		return ev.mvApply(t, op)
	case *kql.AsOp:
		ev.sc.vars[op.Name.Name] = &binding{table: t}
		return t, nil
	case *kql.InvokeOp:
		return ev.invoke(t, op)
	case *kql.BadOp:
		return nil, errAt(op, "the query has a syntax error here")
	}
	return nil, notSupported(op, "operator "+operatorName(op))
}

// operatorName is the KQL keyword of an operator node.
func operatorName(op kql.Operator) string {
	names := map[string]string{
		"MvApply": "mv-apply", "ParseKv": "parse-kv",
		"MakeSeries": "make-series", "TopNested": "top-nested",
		"TopHitters": "top-hitters", "SampleDistinct": "sample-distinct",
		"Sample": "sample", "Scan": "scan", "Partition": "partition",
		"Facet": "facet", "Fork": "fork", "Reduce": "reduce",
		"Consume": "consume", "Search": "search", "Find": "find",
	}
	d := describe(op)
	if n, ok := names[d]; ok {
		return n
	}
	return d
}

// evaluate runs a plugin. Only bag_unpack is supported so far.
func (ev *evaluator) evaluate(t *table.Table, op *kql.EvaluateOp) (
	*table.Table, error) {
	switch op.Call.Name() {
	case "bag_unpack":
		return ev.bagUnpack(t, op.Call)
	case "pivot":
		return ev.pivot(t, op.Call)
	}
	return nil, notSupported(op.Call.Func, "evaluate "+op.Call.Name())
}
