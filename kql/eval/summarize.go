package eval

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// aggSlot is one aggregate call of a summarize: its compiled arguments,
// and after the scan, its result per group.
type aggSlot struct {
	fn      *aggFn
	args    []*cexpr
	types   []table.Type
	results []value
}

// aggCollector gathers the aggregate calls inside summarize's output
// expressions. Each call becomes a slot; the expression around it is
// compiled to read the slot's result, with the group as the "row".
type aggCollector struct {
	in    *table.Table
	slots []*aggSlot
}

// call registers e if it calls an aggregate. ok is false for other
// functions.
func (ac *aggCollector) call(ev *evaluator, e *kql.CallExpr,
	_ *table.Table) (c *cexpr, ok bool, err error) {
	f, found := aggregates[e.Name()]
	if !found {
		if n := e.Name(); n == "arg_max" || n == "arg_min" ||
			n == "argmax" || n == "argmin" || n == "percentiles" {
			return nil, true, errAt(e, "%s() must be the whole "+
				"expression of a summarize column", n)
		}
		return nil, false, nil
	}
	slot, err := ac.slot(ev, e, f, e.Args)
	if err != nil {
		return nil, true, err
	}
	typ := slot.fn.typ(slot.types)
	return &cexpr{typ: typ, eval: func(g int) value {
		return slot.results[g]
	}}, true, nil
}

func (ac *aggCollector) slot(ev *evaluator, e *kql.CallExpr, f *aggFn,
	argExprs []kql.Expr) (*aggSlot, error) {
	if len(argExprs) < f.min || f.max >= 0 && len(argExprs) > f.max {
		return nil, errAt(e, "%s() takes %s, got %d", e.Name(),
			argRange(f.min, f.max), len(argExprs))
	}
	saved := ev.aggs
	ev.aggs = nil
	defer func() { ev.aggs = saved }()
	args, err := ev.compileArgs(argExprs, ac.in)
	if err != nil {
		return nil, err
	}
	s := &aggSlot{fn: f, args: args}
	for _, a := range args {
		s.types = append(s.types, a.typ)
	}
	ac.slots = append(ac.slots, s)
	return s, nil
}

// outCol is one output column of summarize other than the keys: an
// expression over slot results, or a column read from the row that
// arg_max/arg_min chose.
type outCol struct {
	name  string
	expr  *cexpr // evaluated with the group index
	arg   *argSlot
	value *cexpr // for arg columns: evaluated at the chosen input row
}

// argSlot is one arg_max or arg_min call.
type argSlot struct {
	sign   int
	by     *cexpr
	states []*argState
}

func (ev *evaluator) summarize(t *table.Table, op *kql.SummarizeOp,
	sel selection) (*table.Table, error) {
	keys, keyNames, err := ev.groupKeys(t, op.By)
	if err != nil {
		return nil, err
	}
	ac := &aggCollector{in: t}
	var outs []outCol
	var args []*argSlot
	for i, item := range op.Aggs {
		cols, arg, err := ev.aggColumn(ac, t, item, i, keyNames)
		if err != nil {
			return nil, err
		}
		outs = append(outs, cols...)
		if arg != nil {
			args = append(args, arg)
		}
	}
	first, err := ev.scanGroups(t, sel, keys, ac, args, len(op.By) == 0)
	if err != nil {
		return nil, err
	}
	return ev.summaryTable(keys, keyNames, first, outs)
}

// groupKeys compiles the by clause and names its columns.
func (ev *evaluator) groupKeys(t *table.Table, by []kql.Expr) ([]*cexpr,
	[]string, error) {
	keys := make([]*cexpr, len(by))
	names := make([]string, len(by))
	for i, b := range by {
		name, e := "", b
		if a, ok := b.(*kql.Assign); ok && len(a.Names) == 1 {
			name, e = a.Names[0].Name, a.Value
		}
		c, err := ev.compile(e, t)
		if err != nil {
			return nil, nil, err
		}
		if name == "" {
			name = c.name
		}
		if name == "" {
			name = fmt.Sprintf("Column%d", i+1)
		}
		keys[i], names[i] = c, name
	}
	return keys, names, nil
}

// aggColumn compiles one summarize column.
func (ev *evaluator) aggColumn(ac *aggCollector, t *table.Table,
	item kql.Expr, pos int, keyNames []string) ([]outCol, *argSlot, error) {
	name, e := "", item
	var names []*kql.Ident
	if a, ok := item.(*kql.Assign); ok {
		if len(a.Names) == 1 {
			name = a.Names[0].Name
		}
		names, e = a.Names, a.Value
	}
	if call, ok := unparen(e).(*kql.CallExpr); ok {
		switch call.Name() {
		case "arg_max", "argmax", "arg_min", "argmin":
			sign := 1
			if strings.HasSuffix(call.Name(), "min") {
				sign = -1
			}
			cols, slot, err := ev.argColumns(t, call, sign, name, keyNames)
			return renameOuts(cols, names), slot, err
		case "percentiles":
			cols, err := ev.percentiles(ac, call)
			return cols, nil, err
		}
	}
	ev.aggs = ac
	c, err := ev.compile(e, emptyTable)
	ev.aggs = nil
	if err != nil {
		return nil, nil, err
	}
	if name == "" {
		name = namedArg(e)
	}
	if name == "" {
		name = aggName(e, pos)
	}
	return []outCol{{name: name, expr: c}}, nil, nil
}

func unparen(e kql.Expr) kql.Expr {
	for {
		p, ok := e.(*kql.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// aggName is KQL's default name of an aggregate column, such as
// "count_", "dcount_DeviceId" or "set_FileName".
func aggName(e kql.Expr, pos int) string {
	call, ok := unparen(e).(*kql.CallExpr)
	if !ok {
		return fmt.Sprintf("Column%d", pos+1)
	}
	f, ok := aggregates[call.Name()]
	if !ok {
		// tostring(make_set(X)) keeps the aggregate's name.
		if len(call.Args) > 0 && callName(call.Name(),
			[]*cexpr{{name: "x"}}) != "" {
			return aggName(call.Args[0], pos)
		}
		return fmt.Sprintf("Column%d", pos+1)
	}
	arg := ""
	if len(call.Args) > 0 {
		arg = exprName(call.Args[0])
	}
	if f.prefix == "percentile" && len(call.Args) == 2 {
		if lit, ok := call.Args[1].(*kql.Literal); ok {
			p := toString(literal(lit.Value))
			arg += "_" + strings.ReplaceAll(p, ".", "_")
		}
	}
	return f.prefix + "_" + arg
}

// exprName is the default column name of a simple expression.
func exprName(e kql.Expr) string {
	switch e := unparen(e).(type) {
	case *kql.Ident:
		return e.Name
	case *kql.MemberExpr:
		return joinName(exprName(e.X), e.Name.Name)
	case *kql.CallExpr:
		if len(e.Args) > 0 && callName(e.Name(),
			[]*cexpr{{name: "x"}}) != "" {
			return exprName(e.Args[0])
		}
	}
	return ""
}

// argColumns compiles arg_max (sign 1) or arg_min (sign -1): the
// maximised expression and the columns returned from its row.
func (ev *evaluator) argColumns(t *table.Table, call *kql.CallExpr,
	sign int, name string, keyNames []string) ([]outCol, *argSlot, error) {
	if len(call.Args) < 1 {
		return nil, nil, errAt(call, "%s() needs an expression to "+
			"maximise", call.Name())
	}
	by, err := ev.compile(call.Args[0], t)
	if err != nil {
		return nil, nil, err
	}
	slot := &argSlot{sign: sign, by: by}
	if name == "" {
		name = exprName(call.Args[0])
	}
	if name == "" {
		name = map[int]string{1: "max", -1: "min"}[sign] + "_"
	}
	outs := []outCol{{name: name, arg: slot, value: by}}
	taken := map[string]bool{name: true}
	for _, k := range keyNames {
		taken[k] = true
	}
	for _, a := range call.Args[1:] {
		if _, ok := a.(*kql.Star); ok {
			for _, c := range t.Columns {
				if taken[c.Name] {
					continue
				}
				taken[c.Name] = true
				col := c
				outs = append(outs, outCol{name: c.Name, arg: slot,
					value: &cexpr{typ: c.Type, eval: func(r int) value {
						return readCell(col, r)
					}}})
			}
			continue
		}
		cname, e := "", a
		if as, ok := a.(*kql.Assign); ok && len(as.Names) == 1 {
			cname, e = as.Names[0].Name, as.Value
		}
		c, err := ev.compile(e, t)
		if err != nil {
			return nil, nil, err
		}
		if cname == "" {
			cname = c.name
		}
		if cname == "" || taken[cname] {
			cname = fmt.Sprintf("%s%d", strings.TrimSuffix(cname, "_"),
				len(outs))
		}
		taken[cname] = true
		outs = append(outs, outCol{name: cname, arg: slot, value: c})
	}
	return outs, slot, nil
}

// percentiles expands percentiles(x, p1, p2, ...) into one percentile
// column per p, named percentile_x_p.
func (ev *evaluator) percentiles(ac *aggCollector,
	call *kql.CallExpr) ([]outCol, error) {
	if len(call.Args) < 2 {
		return nil, errAt(call, "percentiles() needs a value and at "+
			"least one percentile")
	}
	var outs []outCol
	for _, p := range call.Args[1:] {
		slot, err := ac.slot(ev, call, aggregates["percentile"],
			[]kql.Expr{call.Args[0], p})
		if err != nil {
			return nil, err
		}
		s := slot
		pv := strings.ReplaceAll(toString(s.args[1].eval(0)), ".", "_")
		outs = append(outs, outCol{
			name: "percentile_" + exprName(call.Args[0]) + "_" + pv,
			expr: &cexpr{typ: s.fn.typ(s.types), eval: func(g int) value {
				return s.results[g]
			}},
		})
	}
	return outs, nil
}

// scanGroups reads every row once, assigning it to its group and feeding
// the aggregates. It returns the first input row of each group.
func (ev *evaluator) scanGroups(t *table.Table, sel selection,
	keys []*cexpr, ac *aggCollector, args []*argSlot, single bool) ([]int,
	error) {
	groups := map[string]int{}
	var first []int
	var states [][]aggState
	var key []byte
	bufs := make([][]value, len(ac.slots))
	for i, s := range ac.slots {
		bufs[i] = make([]value, len(s.args))
	}
	newGroup := func(row int) int {
		first = append(first, row)
		st := make([]aggState, len(ac.slots))
		for i, s := range ac.slots {
			st[i] = s.fn.new(s.types)
		}
		states = append(states, st)
		for _, a := range args {
			a.states = append(a.states, &argState{sign: a.sign, row: -1})
		}
		return len(first) - 1
	}
	if single {
		newGroup(-1)
	}
	one := make([]value, 1)
	for i := range sel.len(t) {
		if err := ev.checkCtx(i); err != nil {
			return nil, err
		}
		row := sel.at(i)
		g := 0
		if !single {
			key = key[:0]
			for _, k := range keys {
				key = appendKey(key, k.eval(row))
			}
			var ok bool
			if g, ok = groups[string(key)]; !ok {
				g = newGroup(row)
				groups[string(key)] = g
			}
		}
		for i, s := range ac.slots {
			for j, a := range s.args {
				bufs[i][j] = a.eval(row)
			}
			states[g][i].add(bufs[i], row)
		}
		for _, a := range args {
			one[0] = a.by.eval(row)
			a.states[g].add(one, row)
		}
	}
	for i, s := range ac.slots {
		s.results = make([]value, len(first))
		for g := range first {
			s.results[g] = states[g][i].result()
		}
	}
	return first, nil
}

// summaryTable builds the result: key columns, then the aggregates.
func (ev *evaluator) summaryTable(keys []*cexpr, keyNames []string,
	first []int, outs []outCol) (*table.Table, error) {
	var cols []*table.Column
	for i, k := range keys {
		col := table.NewColumn(keyNames[i], keyType(k.typ), len(first))
		for _, row := range first {
			appendCell(col, k.eval(row))
		}
		cols = setColumn(cols, col, false)
	}
	for _, o := range outs {
		typ := keyType(o.exprType())
		col := table.NewColumn(o.name, typ, len(first))
		for g := range first {
			appendCell(col, o.at(g))
		}
		cols = setColumn(cols, col, false)
	}
	return table.New(cols...), nil
}

func keyType(t table.Type) table.Type {
	if t == table.Invalid {
		return table.String
	}
	return t
}

func (o outCol) exprType() table.Type {
	if o.arg != nil {
		return o.value.typ
	}
	return o.expr.typ
}

// at returns the column's value for group g.
func (o outCol) at(g int) value {
	if o.arg == nil {
		return o.expr.eval(g)
	}
	row := o.arg.states[g].row
	if row < 0 {
		return nullOf(o.value.typ)
	}
	return o.value.eval(row)
}

// namedArg returns the name given inside a call, as in
// toint(Total = count()), which names the column Total.
func namedArg(e kql.Expr) string {
	call, ok := unparen(e).(*kql.CallExpr)
	if !ok {
		return ""
	}
	for _, a := range call.Args {
		if na, ok := a.(*kql.NamedArg); ok {
			return na.Name.Name
		}
		if n := namedArg(a); n != "" {
			return n
		}
	}
	return ""
}

// renameOuts names the columns of (A, B) = arg_max(...) in order.
func renameOuts(cols []outCol, names []*kql.Ident) []outCol {
	if len(names) < 2 {
		return cols
	}
	for i := range min(len(cols), len(names)) {
		cols[i].name = names[i].Name
	}
	return cols
}
