package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// combineOperator checks the operators that combine the input with
// another table: join and lookup.
func (c *checker) combineOperator(op kql.Operator, in *rowset) (*rowset,
	bool,
) {
	switch op := op.(type) {
	case *kql.JoinOp:
		right := c.tabular(op.Right, nil)
		c.joinKeys(op.On, in, right)
		return joinRows(word(op.Params, "kind"), in, right), true
	case *kql.LookupOp:
		right := c.tabular(op.Right, nil)
		keys := c.joinKeys(op.On, in, right)
		return lookupRows(in, right, keys), true
	}
	return nil, false
}

// word returns the word value of the named parameter, such as "inner"
// for kind=inner, in lower case; "" when absent.
func word(ps []*kql.NamedParam, name string) string {
	switch v := kql.ParamValue(ps, name).(type) {
	case *kql.Ident:
		return strings.ToLower(v.Name)
	case *kql.Literal:
		if v.Value.Type == table.Bool && !v.Value.Null {
			return strconv.FormatBool(v.Value.I != 0)
		}
		return strings.ToLower(v.Value.S)
	}
	return ""
}

// joinKeys checks a join or lookup condition: a name must be a column of
// both sides; $left.A and $right.B a column of that side. It returns the
// names of the right side's key columns.
func (c *checker) joinKeys(on []kql.Expr, left, right *rowset) map[string]bool {
	savedL, savedR := c.left, c.right
	c.left, c.right = left, right
	defer func() { c.left, c.right = savedL, savedR }()
	keys := make(map[string]bool)
	for _, e := range on {
		if id, ok := e.(*kql.Ident); ok {
			c.joinKey(id, left, right)
			keys[id.Name] = true
			continue
		}
		c.scalar(e, left)
		walk(e, func(x kql.Expr) bool {
			m, ok := x.(*kql.MemberExpr)
			if ok && m.Name != nil && isIdent(m.X, "$right") {
				keys[m.Name.Name] = true
			}
			return true
		})
	}
	return keys
}

// joinKey checks a join key that names a column of both sides.
func (c *checker) joinKey(id *kql.Ident, left, right *rowset) {
	_, inLeft := left.find(id.Name)
	_, inRight := right.find(id.Name)
	switch {
	case !inLeft && !inRight:
		c.name(id, left)
	case !inLeft && !left.open:
		c.oneSided(id, "left", left)
	case !inRight && !right.open:
		c.oneSided(id, "right", right)
	}
}

// oneSided reports a join key that only one side has.
func (c *checker) oneSided(id *kql.Ident, side string, rows *rowset) {
	msg := fmt.Sprintf("join key '%s' is no column of the %s side%s",
		id.Name, side, didYouMean(id.Name, rows.names()))
	c.report(kql.Error, CodeUnknownColumn, id.Pos, id.End, msg)
}

// isIdent reports whether e is the name name.
func isIdent(e kql.Expr, name string) bool {
	id, ok := e.(*kql.Ident)
	return ok && id.Name == name
}

// joinRows returns the output of a join of the given kind: one side for
// semi and anti joins, else both, with the right side's names that are
// taken suffixed with 1, 2, ...
func joinRows(kind string, left, right *rowset) *rowset {
	var out *rowset
	switch kind {
	case "leftanti", "anti", "leftantisemi", "leftsemi":
		out = left.clone()
	case "rightanti", "rightantisemi", "rightsemi":
		out = right.clone()
	default:
		out = left.clone()
		out.open = left.open || right.open
		for _, col := range right.cols {
			out.add(col.name, col.typ)
		}
	}
	out.unfiltered = mergeUnfiltered(left, right)
	return out
}

// lookupRows returns the output of a lookup: the left side's columns and
// the right side's other than the keys.
func lookupRows(left, right *rowset, keys map[string]bool) *rowset {
	out := left.clone()
	out.open = left.open || right.open
	for _, col := range right.cols {
		if !keys[col.name] {
			out.add(col.name, col.typ)
		}
	}
	out.unfiltered = mergeUnfiltered(left, right)
	return out
}

// mergeUnfiltered returns the unfiltered tables of both sides.
func mergeUnfiltered(a, b *rowset) []*kql.Ident {
	out := append([]*kql.Ident(nil), a.unfiltered...)
	return append(out, b.unfiltered...)
}

// union checks `union` (also as the first operator of a query, where in
// is nil): its output has every column of every table, by name, after
// the withsource column. With isfuzzy=true, tables that do not exist,
// even inside a leg's pipeline, are left out without an error.
func (c *checker) union(op *kql.UnionOp, in *rowset) *rowset {
	out := &rowset{}
	if id, ok := kql.ParamValue(op.Params, "withsource").(*kql.Ident); ok {
		out.add(id.Name, table.String)
	}
	var legs []*rowset
	if in != nil {
		legs = append(legs, in)
	}
	if word(op.Params, "isfuzzy") == "true" {
		c.fuzzy++
		defer func() { c.fuzzy-- }()
	}
	for _, t := range op.Tables {
		legs = append(legs, c.unionLeg(t)...)
	}
	inner := word(op.Params, "kind") == "inner"
	for _, leg := range legs {
		out.open = out.open || leg.open
		out.unfiltered = append(out.unfiltered, leg.unfiltered...)
		for _, col := range leg.cols {
			if out.index(col.name) < 0 && (!inner || inAll(legs, col.name)) {
				out.cols = append(out.cols, col)
			}
		}
	}
	return out
}

// unionLeg returns the rows of one table of a union; a wildcard such as
// Device* stands for every table it matches.
func (c *checker) unionLeg(t kql.Expr) []*rowset {
	if p, ok := t.(*kql.Pattern); ok {
		var legs []*rowset
		for _, name := range c.schema.Names() {
			if matchWildcard(p.Text, name) {
				id := &kql.Ident{Loc: p.Loc, Name: name}
				legs = append(legs, c.tableRef(id))
			}
		}
		return legs
	}
	return []*rowset{c.tabular(t, nil)}
}

// inAll reports whether every leg has a column named name.
func inAll(legs []*rowset, name string) bool {
	for _, leg := range legs {
		if _, ok := leg.find(name); !ok && !leg.open {
			return false
		}
	}
	return true
}
