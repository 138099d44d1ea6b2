package eval

import (
	"sort"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// namedTable is one input of union, with the name withsource reports.
type namedTable struct {
	name string
	t    *table.Table
}

// union concatenates tables. kind=outer (the default) keeps every column,
// kind=inner only the columns all inputs have; isfuzzy=true skips
// missing tables. in, when not nil, is the piped input and comes first.
func (ev *evaluator) union(in *table.Table, op *kql.UnionOp) (
	*table.Table, error) {
	t, _, err := ev.unionFiltered(in, op, nil)
	return t, err
}

// unionFiltered is union followed by the where operators at the start of
// next, which run on each input before the rows are copied together
// when every input has the columns they name. It returns how many of
// next it applied.
func (ev *evaluator) unionFiltered(in *table.Table, op *kql.UnionOp,
	next []kql.Operator) (*table.Table, int, error) {
	inputs, err := ev.unionInputs(in, op)
	if err != nil {
		return nil, 0, err
	}
	var preds []kql.Expr
	for _, o := range next {
		w, ok := o.(*kql.WhereOp)
		if !ok || !rowLocal(w.Predicate) {
			break
		}
		preds = append(preds, w.Predicate)
	}
	kind := "outer"
	if v, ok := kql.ParamValue(op.Params, "kind").(*kql.Ident); ok {
		kind = strings.ToLower(v.Name)
	}
	cols := unionColumns(inputs, kind == "inner")
	src := ""
	if v, ok := kql.ParamValue(op.Params, "withsource").(*kql.Ident); ok {
		src = v.Name
	}
	// A column that differs between inputs would change what the
	// predicates see after the union; then the union filters as a whole.
	applied := 0
	if len(preds) > 0 && sameSchema(inputs, cols) {
		if filtered, ok := ev.filterEach(inputs, preds, cols, src); ok {
			inputs, applied = filtered, len(preds)
		}
	}
	return concat(inputs, cols, src), applied, nil
}

// filterEach applies the predicates to each input, reading a column
// the input lacks as null and the withsource column as the input's
// name, as they read after the union. ok is false if a predicate cannot
// be compiled against some input.
func (ev *evaluator) filterEach(inputs []namedTable, preds []kql.Expr,
	cols []*table.Column, src string) ([]namedTable, bool) {
	saved := ev.overlay
	defer func() { ev.overlay = saved }()
	out := make([]namedTable, len(inputs))
	for i, in := range inputs {
		ev.overlay = unionOverlay(in, cols, src)
		sel := allRows()
		for _, p := range preds {
			var err error
			if sel, err = ev.filter(in.t, p, sel); err != nil {
				ev.fn.err = nil
				return nil, false
			}
		}
		if ev.fn.err != nil {
			ev.fn.err = nil
			return nil, false
		}
		out[i] = namedTable{name: in.name, t: sel.gather(in.t)}
	}
	return out, true
}

// unionOverlay holds the columns of the union's schema that input in
// lacks, as nulls, and the withsource column.
func unionOverlay(in namedTable, cols []*table.Column,
	src string) *overlay {
	o := &overlay{t: in.t, cols: map[string]*cexpr{}}
	for _, c := range cols {
		if have, _ := in.t.Column(c.Name); have == nil {
			o.cols[c.Name] = constExpr(nullOf(c.Type), c.Name)
		}
	}
	if src != "" {
		o.cols[src] = constExpr(strVal(in.name), src)
	}
	return o
}

// sameSchema reports whether every input column keeps its name and
// type in the union's schema.
func sameSchema(inputs []namedTable, cols []*table.Column) bool {
	for _, in := range inputs {
		for _, c := range in.t.Columns {
			found := false
			for _, o := range cols {
				found = found || o.Name == c.Name && o.Type == c.Type
			}
			if !found {
				return false
			}
		}
	}
	return true
}

// unionInputs evaluates the piped input and the listed tables.
func (ev *evaluator) unionInputs(in *table.Table, op *kql.UnionOp) (
	[]namedTable, error) {
	fuzzy := paramBool(op.Params, "isfuzzy")
	var inputs []namedTable
	if in != nil {
		inputs = append(inputs, namedTable{name: "union_arg0", t: in})
	}
	for _, e := range op.Tables {
		ts, err := ev.unionInput(e, fuzzy)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, ts...)
	}
	return inputs, nil
}

func paramBool(ps []*kql.NamedParam, name string) bool {
	switch v := kql.ParamValue(ps, name).(type) {
	case *kql.Ident:
		return v.Name == "true"
	case *kql.Literal:
		return v.Value.Type == table.Bool && v.Value.I != 0
	}
	return false
}

// unionInput evaluates one union argument: a table, a tabular
// expression, or a name pattern such as Device*.
func (ev *evaluator) unionInput(e kql.Expr, fuzzy bool) ([]namedTable,
	error) {
	if p, ok := e.(*kql.Pattern); ok {
		var names []string
		for n := range ev.db.Tables {
			if matchPattern(p.Text, n) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		var out []namedTable
		for _, n := range names {
			out = append(out, namedTable{name: n, t: ev.db.Tables[n]})
		}
		return out, nil
	}
	t, err := ev.tabular(e)
	if err != nil {
		if fuzzy {
			if _, missing := e.(*kql.Ident); missing {
				return nil, nil
			}
		}
		return nil, err
	}
	name := "union_arg"
	if id, ok := e.(*kql.Ident); ok {
		name = id.Name
	}
	return []namedTable{{name: name, t: t}}, nil
}

// unionColumns returns the output schema: the columns in order of first
// appearance; a name seen with two types becomes name_type for each.
func unionColumns(inputs []namedTable, inner bool) []*table.Column {
	type seen struct {
		typ   table.Type
		count int
		multi bool
	}
	info := map[string]*seen{}
	var order []string
	for _, in := range inputs {
		for _, c := range in.t.Columns {
			s, ok := info[c.Name]
			if !ok {
				info[c.Name] = &seen{typ: c.Type, count: 1}
				order = append(order, c.Name)
				continue
			}
			s.count++
			s.multi = s.multi || s.typ != c.Type
		}
	}
	var cols []*table.Column
	for _, n := range order {
		s := info[n]
		if inner && s.count < len(inputs) {
			continue
		}
		if !s.multi {
			cols = append(cols, table.NewColumn(n, s.typ, 0))
			continue
		}
		for _, t := range typesOf(inputs, n) {
			cols = append(cols, table.NewColumn(n+"_"+t.String(), t, 0))
		}
	}
	return cols
}

func typesOf(inputs []namedTable, name string) []table.Type {
	var out []table.Type
	for _, in := range inputs {
		if c, _ := in.t.Column(name); c != nil && !containsType(out, c.Type) {
			out = append(out, c.Type)
		}
	}
	return out
}

func containsType(ts []table.Type, t table.Type) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// concat appends every input's rows under the output schema; columns an
// input lacks are null.
func concat(inputs []namedTable, cols []*table.Column,
	src string) *table.Table {
	var srcCol *table.Column
	if src != "" {
		srcCol = table.NewColumn(src, table.String, 0)
	}
	growAll(inputs, cols)
	for _, in := range inputs {
		n := in.t.Rows()
		for _, out := range cols {
			c := sourceColumn(in.t, out)
			for i := range n {
				if c == nil {
					out.AppendNull()
					continue
				}
				out.AppendFrom(c, i)
			}
		}
		for range n {
			if srcCol != nil {
				srcCol.AppendString(in.name)
			}
		}
	}
	if srcCol != nil {
		cols = append([]*table.Column{srcCol}, cols...)
	}
	return table.New(cols...)
}

// growAll makes room in each output column for all the rows and text
// the inputs will append, so concat copies each value once.
func growAll(inputs []namedTable, cols []*table.Column) {
	for _, out := range cols {
		rows, bytes := 0, 0
		for _, in := range inputs {
			rows += in.t.Rows()
			if c := sourceColumn(in.t, out); c != nil {
				bytes += c.Size()
			}
		}
		out.Grow(rows, bytes)
	}
}

// sourceColumn finds the input column feeding out, by name and type.
func sourceColumn(t *table.Table, out *table.Column) *table.Column {
	if c, _ := t.Column(out.Name); c != nil && c.Type == out.Type {
		return c
	}
	suffix := "_" + out.Type.String()
	if !strings.HasSuffix(out.Name, suffix) {
		return nil
	}
	name := strings.TrimSuffix(out.Name, suffix)
	if c, _ := t.Column(name); c != nil && c.Type == out.Type {
		return c
	}
	return nil
}
