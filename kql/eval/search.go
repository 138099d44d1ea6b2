package eval

import (
	"errors"
	"sort"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// search is `search [in (Tables)] Predicate`, or `T | search Predicate`
// when in is not nil. A bare string in the predicate matches rows where
// any text column has the term; `Col:"x"` is `Col has "x"`. The result
// is the matching rows of every table, with the table's name in $table.
func (ev *evaluator) search(in *table.Table, op *kql.SearchOp) (
	*table.Table, error) {
	inputs, err := ev.searchInputs(in, op.Tables)
	if err != nil {
		return nil, err
	}
	pred := searchPredicate(op.Predicate)
	var parts []namedTable
	for _, nt := range inputs {
		sel, err := ev.filter(nt.t, pred, allRows())
		if err != nil {
			return nil, err
		}
		parts = append(parts, namedTable{name: nt.name,
			t: sel.gather(nt.t)})
	}
	return concat(parts, unionColumns(parts, false), "$table"), nil
}

// searchInputs returns the piped input, the listed tables, or every
// table of the DB.
func (ev *evaluator) searchInputs(in *table.Table, tables []kql.Expr) (
	[]namedTable, error) {
	if in != nil {
		return []namedTable{{name: "", t: in}}, nil
	}
	if len(tables) == 0 {
		var names []string
		for n := range ev.db.Tables {
			names = append(names, n)
		}
		sort.Strings(names)
		var out []namedTable
		for _, n := range names {
			out = append(out, namedTable{name: n, t: ev.db.Tables[n]})
		}
		return out, nil
	}
	var out []namedTable
	for _, e := range tables {
		ts, err := ev.unionInput(e, false)
		if err != nil {
			return nil, err
		}
		out = append(out, ts...)
	}
	return out, nil
}

// searchPredicate rewrites search's shorthands into plain predicates:
// a string literal becomes `* has "x"`, and `Col:"x"` becomes
// `Col has "x"`.
func searchPredicate(e kql.Expr) kql.Expr {
	switch x := e.(type) {
	case *kql.Literal:
		if x.Value.Type == table.String {
			return &kql.BinaryExpr{Loc: x.Loc, X: &kql.Star{Loc: x.Loc},
				Op: "has", Y: x}
		}
	case *kql.ParenExpr:
		return &kql.ParenExpr{Loc: x.Loc, X: searchPredicate(x.X)}
	case *kql.BinaryExpr:
		switch x.Op {
		case "and", "or":
			return &kql.BinaryExpr{Loc: x.Loc, X: searchPredicate(x.X),
				Op: x.Op, OpPos: x.OpPos, Y: searchPredicate(x.Y)}
		case ":":
			return &kql.BinaryExpr{Loc: x.Loc, X: x.X, Op: "has",
				OpPos: x.OpPos, Y: x.Y}
		}
	case *kql.CallExpr:
		if x.Name() == "not" && len(x.Args) == 1 {
			return &kql.CallExpr{Loc: x.Loc, Func: x.Func,
				Args: []kql.Expr{searchPredicate(x.Args[0])}}
		}
	}
	return e
}

// anyColumn compiles `* op "x"`: true when any text column of in
// satisfies the string operator.
func (ev *evaluator) anyColumn(e *kql.BinaryExpr, in *table.Table) (
	*cexpr, error) {
	f, neg := strOp(e.Op)
	if f == nil || neg {
		return nil, notSupported(e, "* "+e.Op)
	}
	y, err := ev.compile(e.Y, in)
	if err != nil {
		return nil, err
	}
	if !y.konst {
		return nil, errAt(e.Y, "the term to search for must be a constant")
	}
	needle := toString(y.eval(0))
	var cols []*table.Column
	for _, c := range in.Columns {
		if c.Type == table.String || c.Type == table.Dynamic ||
			c.Type == table.GUID {
			cols = append(cols, c)
		}
	}
	return &cexpr{typ: table.Bool, eval: func(row int) value {
		for _, c := range cols {
			if f(c.Str(row), needle) {
				return boolVal(true)
			}
		}
		return boolVal(false)
	}}, nil
}

// find is `find [withsource=Name] [in (Tables)] where Predicate
// [project Columns]`. A table that lacks a column of the predicate is
// not searched. The result names each row's table in source_ (or Name);
// with project it has those columns, null where a table lacks one;
// without, the columns every table has and pack_, a bag of the rest.
func (ev *evaluator) find(op *kql.FindOp) (*table.Table, error) {
	inputs, err := ev.searchInputs(nil, op.Tables)
	if err != nil {
		return nil, err
	}
	var parts []namedTable
	for _, nt := range inputs {
		if _, err := ev.compile(op.Predicate, nt.t); err != nil {
			var e *Error
			if asError(err, &e) && isUnknownName(e) {
				continue
			}
			return nil, err
		}
		sel, err := ev.filter(nt.t, op.Predicate, allRows())
		if err != nil {
			return nil, err
		}
		parts = append(parts, namedTable{name: nt.name,
			t: sel.gather(nt.t)})
	}
	src := "source_"
	if v, ok := kql.ParamValue(op.Params, "withsource").(*kql.Ident); ok {
		src = v.Name
	}
	if op.Project != nil {
		return ev.findProject(parts, op.Project, src)
	}
	return findPacked(parts, src), nil
}

func isUnknownName(e *Error) bool {
	return strings.HasPrefix(e.Msg, "unknown column")
}

// findProject keeps the projected columns of each table, null where a
// table lacks one.
func (ev *evaluator) findProject(parts []namedTable, items []kql.Expr,
	src string) (*table.Table, error) {
	for i, p := range parts {
		var cols []*table.Column
		for _, it := range items {
			id, ok := it.(*kql.Ident)
			if !ok {
				return nil, notSupported(it, "expressions in find's project")
			}
			if c, _ := p.t.Column(id.Name); c != nil {
				cols = append(cols, c)
			}
		}
		parts[i].t = table.New(cols...)
	}
	out := concat(parts, unionColumns(parts, false), src)
	return out, nil
}

// findPacked keeps the columns every table has and packs the rest of
// each row's non-empty values into pack_.
func findPacked(parts []namedTable, src string) *table.Table {
	common := unionColumns(parts, true)
	keep := map[string]bool{}
	for _, c := range common {
		keep[c.Name] = true
	}
	pack := table.NewColumn("pack_", table.Dynamic, 0)
	for _, p := range parts {
		for r := range p.t.Rows() {
			m := map[string]any{}
			for _, c := range p.t.Columns {
				if v := readCell(c, r); !keep[c.Name] && !isEmpty(v) {
					m[c.Name] = dyn(v)
				}
			}
			appendCell(pack, dynVal(m))
		}
	}
	out := concat(parts, common, src)
	out.Columns = append(out.Columns, pack)
	return out
}

func asError(err error, target **Error) bool { return errors.As(err, target) }
