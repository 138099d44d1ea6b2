package eval

import (
	"sort"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// This file holds the operators that reshape or regroup rows:
// make-series, evaluate pivot, mv-apply and partition. Each is built
// from summarize, mv-expand and the pipeline, over syntax nodes made
// here.

// maxSeriesBins caps the length of a make-series axis.
const maxSeriesBins = 100_000

// binColumn is the hidden column make-series groups bins by.
const binColumn = "\x00bin"

// seriesAxis is a make-series axis: from (inclusive), step, bin count.
type seriesAxis struct {
	from, step value
	n          int
}

// makeSeries aggregates each group into arrays, one element per bin of
// the axis, absent bins holding the default (0 unless given).
func (ev *evaluator) makeSeries(t *table.Table, op *kql.MakeSeriesOp) (
	*table.Table, error) {
	ax, err := ev.seriesAxis(t, op)
	if err != nil {
		return nil, err
	}
	onName := exprName(op.On)
	if onName == "" {
		onName = "Column1"
	}

	// Summarize by the keys and the bin index of the axis, over the rows
	// inside the axis.
	sum := &kql.SummarizeOp{Loc: op.Loc, By: op.By}
	for _, a := range op.Aggs {
		sum.Aggs = append(sum.Aggs, a.X)
	}
	on, err := ev.compile(op.On, t)
	if err != nil {
		return nil, err
	}
	sel := selection{rows: []int{}}
	for r := range t.Rows() {
		if err := ev.checkCtx(r); err != nil {
			return nil, err
		}
		if ax.index(on.eval(r)) >= 0 {
			sel.rows = append(sel.rows, r)
		}
	}
	s, err := ev.summarizeSeries(t, sum, sel, on, ax)
	if err != nil {
		return nil, err
	}
	return ev.seriesTable(s, op, ax, onName)
}

// index returns the bin of v, or -1 outside the axis.
func (ax seriesAxis) index(v value) int {
	d := arith("-", v, ax.from)
	if d.Null {
		return -1
	}
	q := arith("/", d, ax.step)
	i := toLong(q)
	if i.Null || i.I < 0 || i.I >= int64(ax.n) || negative(d) {
		return -1
	}
	return int(i.I)
}

func negative(v value) bool {
	if v.Type == table.Real {
		return v.F < 0
	}
	return v.I < 0
}

// seriesAxis evaluates from, to and step; without from or to, the data's
// own range is used.
func (ev *evaluator) seriesAxis(t *table.Table, op *kql.MakeSeriesOp) (
	seriesAxis, error) {
	var ax seriesAxis
	if op.Step == nil {
		return ax, errAt(op, "make-series needs a step")
	}
	step, err := ev.constant(op.Step)
	if err != nil {
		return ax, err
	}
	lo, hi, err := ev.axisRange(t, op)
	if err != nil {
		return ax, err
	}
	if lo.Null || hi.Null || step.Null || !positive(step) {
		return ax, errAt(op, "make-series needs a non-null range and "+
			"a positive step")
	}
	n := toLong(arith("/", arith("-", hi, lo), step))
	if n.Null {
		return ax, errAt(op, "make-series cannot divide its range by "+
			"its step")
	}
	bins := n.I
	if c, ok := compare(arith("+", lo, arith("*", step,
		longVal(bins))), hi); ok && c < 0 {
		bins++
	}
	if bins > maxSeriesBins {
		return ax, errAt(op, "make-series makes %d bins, more than %d",
			bins, maxSeriesBins)
	}
	return seriesAxis{from: lo, step: step, n: int(max(bins, 0))}, nil
}

// axisRange returns from and to: given, or the data's min and max
// (to just past the max).
func (ev *evaluator) axisRange(t *table.Table, op *kql.MakeSeriesOp) (
	lo, hi value, err error) {
	if op.From != nil {
		if lo, err = ev.constant(op.From); err != nil {
			return lo, hi, err
		}
	}
	if op.To != nil {
		if hi, err = ev.constant(op.To); err != nil {
			return lo, hi, err
		}
	}
	if op.From != nil && op.To != nil {
		return lo, hi, nil
	}
	on, err := ev.compile(op.On, t)
	if err != nil {
		return lo, hi, err
	}
	var mn, mx value
	mn.Null, mx.Null = true, true
	for r := range t.Rows() {
		v := on.eval(r)
		if v.Null {
			continue
		}
		if mn.Null || sortLess(v, mn) < 0 {
			mn = v
		}
		if mx.Null || sortLess(v, mx) > 0 {
			mx = v
		}
	}
	if op.From == nil {
		lo = mn
	}
	if op.To == nil {
		step, err := ev.constant(op.Step)
		if err != nil {
			return lo, hi, err
		}
		hi = arith("+", mx, step)
	}
	return lo, hi, nil
}

// constant evaluates a constant expression.
func (ev *evaluator) constant(e kql.Expr) (value, error) {
	c, err := ev.compile(e, emptyTable)
	if err != nil {
		return value{}, err
	}
	return unwrap(c.eval(0)), nil
}

// summarizeSeries is summarize over the selected rows with the bin index
// as the last key.
func (ev *evaluator) summarizeSeries(t *table.Table, op *kql.SummarizeOp,
	sel selection, on *cexpr, ax seriesAxis) (*table.Table, error) {
	keys, keyNames, err := ev.groupKeys(t, op.By)
	if err != nil {
		return nil, err
	}
	keys = append(keys, &cexpr{typ: table.Long, eval: func(r int) value {
		return longVal(int64(ax.index(on.eval(r))))
	}})
	keyNames = append(keyNames, binColumn)
	ac := &aggCollector{in: t}
	var outs []outCol
	for i, item := range op.Aggs {
		cols, arg, err := ev.aggColumn(ac, t, item, i, keyNames)
		if err != nil {
			return nil, err
		}
		if arg != nil {
			return nil, notSupported(item, "arg_max and arg_min in "+
				"make-series")
		}
		outs = append(outs, cols...)
	}
	first, err := ev.scanGroups(t, sel, keys, ac, nil, false)
	if err != nil {
		return nil, err
	}
	return ev.summaryTable(keys, keyNames, first, outs)
}

// seriesTable folds the per-bin summary into one row per key with an
// array per aggregate, and the axis as an array.
func (ev *evaluator) seriesTable(s *table.Table, op *kql.MakeSeriesOp,
	ax seriesAxis, onName string) (*table.Table, error) {
	nk := len(op.By)
	binCol := s.Columns[nk]
	aggCols := s.Columns[nk+1:]
	defaults := make([]value, len(op.Aggs))
	for i, a := range op.Aggs {
		defaults[i] = longVal(0)
		if a.Default != nil {
			v, err := ev.constant(a.Default)
			if err != nil {
				return nil, err
			}
			defaults[i] = v
		}
	}
	groups := map[string]int{}
	var firstRow []int
	var arrays [][][]any
	var key []byte
	for r := range s.Rows() {
		key = rowKey(key[:0], s.Columns[:nk], r)
		g, ok := groups[string(key)]
		if !ok {
			g = len(firstRow)
			groups[string(key)] = g
			firstRow = append(firstRow, r)
			arrays = append(arrays, newSeries(defaults, ax.n))
		}
		b := binCol.Int(r)
		for i, c := range aggCols {
			arrays[g][i][b] = dyn(readCell(c, r))
		}
	}
	if nk == 0 && len(firstRow) == 0 {
		firstRow = append(firstRow, -1)
		arrays = append(arrays, newSeries(defaults, ax.n))
	}
	return seriesOutput(s, nk, aggCols, firstRow, arrays, ax, onName), nil
}

func newSeries(defaults []value, n int) [][]any {
	out := make([][]any, len(defaults))
	for i, d := range defaults {
		out[i] = make([]any, n)
		for j := range out[i] {
			out[i][j] = dyn(d)
		}
	}
	return out
}

func seriesOutput(s *table.Table, nk int, aggCols []*table.Column,
	firstRow []int, arrays [][][]any, ax seriesAxis,
	onName string) *table.Table {
	var cols []*table.Column
	for _, c := range s.Columns[:nk] {
		out := table.NewColumn(c.Name, c.Type, len(firstRow))
		for _, r := range firstRow {
			out.AppendFrom(c, r)
		}
		cols = append(cols, out)
	}
	for i, c := range aggCols {
		out := table.NewColumn(c.Name, table.Dynamic, len(firstRow))
		for g := range firstRow {
			appendCell(out, dynVal(arrays[g][i]))
		}
		cols = append(cols, out)
	}
	axis := make([]any, ax.n)
	for i := range axis {
		axis[i] = dyn(arith("+", ax.from, arith("*", ax.step,
			longVal(int64(i)))))
	}
	out := table.NewColumn(onName, table.Dynamic, len(firstRow))
	for range firstRow {
		appendCell(out, dynVal(axis))
	}
	return table.New(append(cols, out)...)
}

// pivot is evaluate pivot(Column [, Aggregate [, Keys...]]): one column
// per distinct value of Column, holding the aggregate of its rows.
func (ev *evaluator) pivot(t *table.Table, call *kql.CallExpr) (
	*table.Table, error) {
	if len(call.Args) < 1 {
		return nil, errAt(call, "pivot() needs the column to pivot")
	}
	pc, ok := call.Args[0].(*kql.Ident)
	if !ok {
		return nil, errAt(call.Args[0], "pivot() needs a column name")
	}
	var agg kql.Expr = &kql.CallExpr{Loc: call.Loc,
		Func: &kql.Ident{Name: "count"}}
	if len(call.Args) > 1 {
		agg = call.Args[1]
	}
	keys := call.Args[min(2, len(call.Args)):]
	if len(keys) == 0 {
		keys = otherColumns(t, pc.Name, agg)
	}
	by := append(append([]kql.Expr(nil), keys...), pc)
	s, err := ev.summarize(t, &kql.SummarizeOp{Loc: call.Loc,
		Aggs: []kql.Expr{agg}, By: by}, allRows())
	if err != nil {
		return nil, err
	}
	return ev.spread(s, len(keys))
}

// otherColumns lists the columns that are neither pivoted nor
// aggregated, the default keys of pivot.
func otherColumns(t *table.Table, pivot string, agg kql.Expr) []kql.Expr {
	used := map[string]bool{pivot: true}
	if call, ok := agg.(*kql.CallExpr); ok {
		for _, a := range call.Args {
			if id, ok := a.(*kql.Ident); ok {
				used[id.Name] = true
			}
		}
	}
	var keys []kql.Expr
	for _, c := range t.Columns {
		if !used[c.Name] {
			keys = append(keys, &kql.Ident{Name: c.Name})
		}
	}
	return keys
}

// spread turns the summary (keys..., pivot, value) into one row per key
// and one column per pivot value, in sorted order.
func (ev *evaluator) spread(s *table.Table, nk int) (*table.Table, error) {
	pcol, vcol := s.Columns[nk], s.Columns[nk+1]
	names := map[string]bool{}
	for r := range s.Rows() {
		names[toString(readCell(pcol, r))] = true
	}
	var order []string
	for n := range names {
		order = append(order, n)
	}
	sort.Strings(order)
	groups := map[string]int{}
	var firstRow []int
	var cells []map[string]value
	var key []byte
	for r := range s.Rows() {
		key = rowKey(key[:0], s.Columns[:nk], r)
		g, ok := groups[string(key)]
		if !ok {
			g = len(firstRow)
			groups[string(key)] = g
			firstRow = append(firstRow, r)
			cells = append(cells, map[string]value{})
		}
		cells[g][toString(readCell(pcol, r))] = readCell(vcol, r)
	}
	var cols []*table.Column
	for _, c := range s.Columns[:nk] {
		cols = append(cols, c.Gather(firstRow))
	}
	empty := nullOf(vcol.Type)
	if vcol.Type == table.Long {
		empty = longVal(0)
	}
	for _, n := range order {
		name := n
		if name == "" {
			name = "Column1"
		}
		col := table.NewColumn(name, vcol.Type, len(firstRow))
		for g := range firstRow {
			v, ok := cells[g][n]
			if !ok {
				v = empty
			}
			appendCell(col, v)
		}
		cols = setColumn(cols, col, false)
	}
	return table.New(cols...), nil
}

// mvApply expands each row's arrays into a small table, runs the body
// on it, and concatenates the results.
func (ev *evaluator) mvApply(t *table.Table, op *kql.MvApplyOp) (
	*table.Table, error) {
	body, ok := op.Body.(*kql.Pipeline)
	if !ok || body.Source != nil {
		return nil, notSupported(op.Body, "this mv-apply body")
	}
	expand := &kql.MvExpandOp{Loc: op.Loc, Keyword: "mv-expand",
		Params: op.Params, Columns: op.Columns, Limit: op.Limit}
	var parts []namedTable
	for r := range t.Rows() {
		if err := ev.checkCtx(r); err != nil {
			return nil, err
		}
		part, err := ev.applyRow(t.Gather([]int{r}), expand, body.Ops)
		if err != nil {
			return nil, err
		}
		parts = append(parts, namedTable{t: part})
	}
	if len(parts) == 0 {
		// The schema still comes from running the body.
		part, err := ev.applyRow(t, expand, body.Ops)
		if err != nil {
			return nil, err
		}
		return part, nil
	}
	return concat(parts, unionColumns(parts, false), ""), nil
}

// applyRow runs the body on the expanded rows of one input row. The
// input row's other columns come first, repeated for each result row;
// columns expanded in place are replaced by what the body returns.
func (ev *evaluator) applyRow(one *table.Table, expand *kql.MvExpandOp,
	ops []kql.Operator) (*table.Table, error) {
	x, err := ev.mvExpand(one, expand)
	if err != nil {
		return nil, err
	}
	res, err := ev.applyOps(x, ops)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, c := range expand.Columns {
		if id, ok := c.X.(*kql.Ident); ok {
			skip[id.Name] = true
		}
	}
	for _, c := range res.Columns {
		skip[c.Name] = true
	}
	rows := make([]int, res.Rows())
	if one.Rows() == 0 {
		rows = nil
	}
	var cols []*table.Column
	for _, c := range one.Columns {
		if !skip[c.Name] {
			cols = append(cols, c.Gather(rows))
		}
	}
	return table.New(append(cols, res.Columns...)...), nil
}

// partition is `partition by Column (Body)`: the body runs on the rows
// of each value of Column, and the results are concatenated.
func (ev *evaluator) partition(t *table.Table, op *kql.PartitionOp) (
	*table.Table, error) {
	body, ok := op.Body.(*kql.Pipeline)
	if !ok || body.Source != nil {
		return nil, notSupported(op.Body, "this partition body")
	}
	by, err := ev.compile(op.By, t)
	if err != nil {
		return nil, err
	}
	groups := map[vkey][]int{}
	var order []vkey
	for r := range t.Rows() {
		if err := ev.checkCtx(r); err != nil {
			return nil, err
		}
		k := keyOf(by.eval(r))
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	if len(order) == 0 {
		return ev.applyOps(t, body.Ops)
	}
	var parts []namedTable
	for _, k := range order {
		part, err := ev.applyOps(t.Gather(groups[k]), body.Ops)
		if err != nil {
			return nil, err
		}
		parts = append(parts, namedTable{t: part})
	}
	return concat(parts, unionColumns(parts, false), ""), nil
}
