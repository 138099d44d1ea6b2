package eval

import (
	"slices"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// joinKeys are the compiled key expressions of both sides.
type joinKeys struct {
	left, right       []*cexpr
	leftCol, rightCol []string // column names when a key is a plain column
}

// onKeys compiles a join's on clause: `Col`, `$left.A == $right.B`, or
// `A == B` between columns of the two sides.
func (ev *evaluator) onKeys(l, r *table.Table, on []kql.Expr) (*joinKeys,
	error) {
	k := &joinKeys{}
	for _, e := range flattenAnd(on) {
		le, re, err := splitOn(e)
		if err != nil {
			return nil, err
		}
		lc, err := ev.compile(le, l)
		if err != nil {
			return nil, err
		}
		rc, err := ev.compile(re, r)
		if err != nil {
			return nil, err
		}
		if !comparable(lc.typ, rc.typ) {
			return nil, errAt(e, "cannot join %s with %s", lc.typ, rc.typ)
		}
		k.left, k.right = append(k.left, lc), append(k.right, rc)
		k.leftCol = append(k.leftCol, identName(le))
		k.rightCol = append(k.rightCol, identName(re))
	}
	if len(k.left) == 0 {
		return nil, errAt(&kql.Star{}, "join needs an on clause")
	}
	return k, nil
}

// flattenAnd splits `A == B and C == D` into its conditions.
func flattenAnd(on []kql.Expr) []kql.Expr {
	var out []kql.Expr
	for _, e := range on {
		if b, ok := unparen(e).(*kql.BinaryExpr); ok && b.Op == "and" {
			out = append(out, flattenAnd([]kql.Expr{b.X, b.Y})...)
			continue
		}
		out = append(out, e)
	}
	return out
}

func identName(e kql.Expr) string {
	if id, ok := e.(*kql.Ident); ok {
		return id.Name
	}
	return ""
}

// splitOn returns the left and right expressions of one join condition,
// with $left. and $right. removed.
func splitOn(e kql.Expr) (l, r kql.Expr, err error) {
	e = unparen(e)
	if id, ok := e.(*kql.Ident); ok {
		return id, id, nil
	}
	b, ok := e.(*kql.BinaryExpr)
	if !ok || b.Op != "==" {
		return nil, nil, notSupported(e, "join conditions other than "+
			"equality of columns")
	}
	x, xs := sideOf(b.X)
	y, ys := sideOf(b.Y)
	switch {
	case xs == "$right" || ys == "$left":
		return y, x, nil
	}
	return x, y, nil
}

// sideOf strips $left or $right from a member expression.
func sideOf(e kql.Expr) (kql.Expr, string) {
	m, ok := unparen(e).(*kql.MemberExpr)
	if !ok {
		return e, ""
	}
	if id, ok := m.X.(*kql.Ident); ok && (id.Name == "$left" ||
		id.Name == "$right") {
		return m.Name, id.Name
	}
	return e, ""
}

// keyIndex maps each key of a side to its rows, and returns each row's
// key; a row with a null key gets "" and never matches.
func (ev *evaluator) keyIndex(n int, keys []*cexpr) (map[string][]int,
	[]string, error) {
	idx := map[string][]int{}
	all := make([]string, n)
	var buf []byte
	for row := range n {
		if err := ev.checkCtx(row); err != nil {
			return nil, nil, err
		}
		buf = buf[:0]
		null := false
		for _, k := range keys {
			v := k.eval(row)
			null = null || v.Null
			buf = appendKey(buf, v)
		}
		if null {
			continue
		}
		s := string(buf)
		all[row] = s
		idx[s] = append(idx[s], row)
	}
	return idx, all, nil
}

// joinKind returns the kind= parameter, innerunique by default.
func (ev *evaluator) joinKind(ps []*kql.NamedParam, def string) (string,
	error) {
	v := kql.ParamValue(ps, "kind")
	if v == nil {
		return def, nil
	}
	id, ok := v.(*kql.Ident)
	if !ok {
		return "", errAt(v, "expected a join kind")
	}
	kind := strings.ToLower(id.Name)
	switch kind {
	case "anti", "leftantisemi":
		kind = "leftanti"
	case "rightantisemi":
		kind = "rightanti"
	case "semi":
		kind = "leftsemi"
	case "outer":
		kind = "leftouter"
	}
	switch kind {
	case "innerunique", "inner", "leftouter", "rightouter", "fullouter",
		"leftanti", "rightanti", "leftsemi", "rightsemi":
		return kind, nil
	}
	return "", errAt(v, "unknown join kind %q", id.Name)
}

func (ev *evaluator) join(l *table.Table, op *kql.JoinOp) (*table.Table,
	error) {
	kind, err := ev.joinKind(op.Params, "innerunique")
	if err != nil {
		return nil, err
	}
	r, err := ev.tabular(op.Right)
	if err != nil {
		return nil, err
	}
	keys, err := ev.onKeys(l, r, op.On)
	if err != nil {
		return nil, err
	}
	lidx, lkeys, err := ev.keyIndex(l.Rows(), keys.left)
	if err != nil {
		return nil, err
	}
	ridx, rkeys, err := ev.keyIndex(r.Rows(), keys.right)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "leftsemi", "leftanti":
		return l.Gather(semi(lkeys, ridx, kind == "leftsemi")), nil
	case "rightsemi", "rightanti":
		return r.Gather(semi(rkeys, lidx, kind == "rightsemi")), nil
	}
	lrows, rrows, err := ev.pairs(op, kind, lkeys, rkeys, ridx)
	if err != nil {
		return nil, err
	}
	return joined(l, r, lrows, rrows, nil), nil
}

// semi keeps the rows whose key has (keep) or lacks (!keep) a match.
func semi(keys []string, other map[string][]int, keep bool) []int {
	var rows []int
	for i, k := range keys {
		_, ok := other[k]
		if k == "" {
			ok = false
		}
		if ok == keep {
			rows = append(rows, i)
		}
	}
	return rows
}

// maxJoinRows caps a join's result, so that a join on a key shared by
// many rows on both sides fails instead of exhausting memory.
const maxJoinRows = 20_000_000

// pairs returns the matching row pairs of a join; -1 stands for the
// missing side of an outer row.
func (ev *evaluator) pairs(op kql.Node, kind string, lkeys, rkeys []string,
	ridx map[string][]int) (lrows, rrows []int, err error) {
	matchedRight := make([]bool, len(rkeys))
	seen := map[string]bool{}
	for i, k := range lkeys {
		if err := ev.checkCtx(i); err != nil {
			return nil, nil, err
		}
		if kind == "innerunique" {
			// The left side is deduplicated on the key first.
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
		}
		rs := ridx[k]
		if k == "" {
			rs = nil
		}
		if len(lrows)+len(rs) > maxJoinRows {
			return nil, nil, errAt(op, "the join makes more than %d "+
				"rows; filter its sides or make its keys more selective",
				maxJoinRows)
		}
		for _, j := range rs {
			lrows, rrows = append(lrows, i), append(rrows, j)
			matchedRight[j] = true
		}
		if len(rs) == 0 && (kind == "leftouter" || kind == "fullouter") {
			lrows, rrows = append(lrows, i), append(rrows, -1)
		}
	}
	if kind == "rightouter" || kind == "fullouter" {
		for j, m := range matchedRight {
			if !m {
				lrows, rrows = append(lrows, -1), append(rrows, j)
			}
		}
	}
	return lrows, rrows, nil
}

// joined builds the join result: left columns, then right columns, a
// right column whose name is taken getting a number ("DeviceId1").
// Right columns named in skip are left out (lookup keys).
func joined(l, r *table.Table, lrows, rrows []int,
	skip map[string]bool) *table.Table {
	var cols []*table.Column
	for _, c := range l.Columns {
		cols = append(cols, gatherOuter(c, lrows))
	}
	for _, c := range r.Columns {
		if skip[c.Name] {
			continue
		}
		col := gatherOuter(c, rrows)
		if hasColumn(cols, col.Name) {
			col.Name = uniqueName(cols, col.Name)
		}
		cols = append(cols, col)
	}
	return table.New(cols...)
}

// gatherOuter is Gather where row -1 is a null.
func gatherOuter(c *table.Column, rows []int) *table.Column {
	if !slices.Contains(rows, -1) {
		return c.Gather(rows)
	}
	out := table.NewColumn(c.Name, c.Type, len(rows))
	for _, r := range rows {
		if r < 0 {
			out.AppendNull()
			continue
		}
		out.AppendFrom(c, r)
	}
	return out
}

// lookup is a left outer (or inner) join that keeps one copy of the key
// columns and assumes a small, unique right side.
func (ev *evaluator) lookup(l *table.Table, op *kql.LookupOp) (
	*table.Table, error) {
	kind, err := ev.joinKind(op.Params, "leftouter")
	if err != nil {
		return nil, err
	}
	if kind != "leftouter" && kind != "inner" {
		return nil, errAt(op, "lookup supports kind=leftouter and "+
			"kind=inner, not %s", kind)
	}
	r, err := ev.tabular(op.Right)
	if err != nil {
		return nil, err
	}
	keys, err := ev.onKeys(l, r, op.On)
	if err != nil {
		return nil, err
	}
	_, lkeys, err := ev.keyIndex(l.Rows(), keys.left)
	if err != nil {
		return nil, err
	}
	ridx, rkeys, err := ev.keyIndex(r.Rows(), keys.right)
	if err != nil {
		return nil, err
	}
	lrows, rrows, err := ev.pairs(op, kind, lkeys, rkeys, ridx)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for i, n := range keys.rightCol {
		if n != "" && n == keys.leftCol[i] {
			skip[n] = true
		}
	}
	return joined(l, r, lrows, rrows, skip), nil
}
