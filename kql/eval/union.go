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
	kind := "outer"
	if v, ok := kql.ParamValue(op.Params, "kind").(*kql.Ident); ok {
		kind = strings.ToLower(v.Name)
	}
	cols := unionColumns(inputs, kind == "inner")
	src := ""
	if v, ok := kql.ParamValue(op.Params, "withsource").(*kql.Ident); ok {
		src = v.Name
	}
	return concat(inputs, cols, src), nil
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

// sourceColumn finds the input column feeding out, by name and type.
func sourceColumn(t *table.Table, out *table.Column) *table.Column {
	if c, _ := t.Column(out.Name); c != nil && c.Type == out.Type {
		return c
	}
	name, _, ok := strings.Cut(out.Name, "_"+out.Type.String())
	if !ok {
		return nil
	}
	if c, _ := t.Column(name); c != nil && c.Type == out.Type {
		return c
	}
	return nil
}
