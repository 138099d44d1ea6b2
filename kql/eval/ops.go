package eval

import (
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// selection is a set of rows of a table, in order; all is true when it
// holds every row and rows is nil.
type selection struct {
	all  bool
	rows []int
}

func allRows() selection { return selection{all: true} }

// len returns the number of selected rows of t.
func (s selection) len(t *table.Table) int {
	if s.all {
		return t.Rows()
	}
	return len(s.rows)
}

// at returns the i-th selected row.
func (s selection) at(i int) int {
	if s.all {
		return i
	}
	return s.rows[i]
}

// gather returns the selected rows of t as a table of their own.
func (s selection) gather(t *table.Table) *table.Table {
	if s.all {
		return t
	}
	return t.Gather(s.rows)
}

// filter narrows sel to the rows of t where pred holds. Consecutive
// where operators narrow one selection, so the table is copied once.
func (ev *evaluator) filter(t *table.Table, pred kql.Expr,
	sel selection) (selection, error) {
	if a, ok := pred.(*kql.Assign); ok && len(a.Names) == 1 {
		// Kusto reads `where A = B` as `where A == B`.
		pred = &kql.BinaryExpr{Loc: a.Loc, X: a.Names[0], Op: "==",
			Y: a.Value}
	}
	p, err := ev.compile(pred, t)
	if err != nil {
		return sel, err
	}
	if p.typ != table.Bool && p.typ != table.Dynamic {
		return sel, errAt(pred, "where needs a bool predicate, got %s",
			p.typ)
	}
	n := sel.len(t)
	rows := make([]int, 0, n/8+1)
	for i := range n {
		if err := ev.checkCtx(i); err != nil {
			return sel, err
		}
		if r := sel.at(i); p.eval(r).truthy() {
			rows = append(rows, r)
		}
	}
	if len(rows) == t.Rows() {
		return allRows(), nil
	}
	return selection{rows: rows}, nil
}

// project evaluates project (keep is false) or extend (keep is true):
// plain column references reuse the input column without copying.
func (ev *evaluator) project(t *table.Table, items []kql.Expr,
	keep bool) (*table.Table, error) {
	return ev.projectRows(t, items, keep, allRows())
}

// projectRows is project or extend over the selected rows of t. Later
// items may use the columns earlier ones computed.
func (ev *evaluator) projectRows(t *table.Table, items []kql.Expr,
	keep bool, sel selection) (*table.Table, error) {
	var cols []*table.Column
	if keep {
		cols = append(cols, sel.gather(t).Columns...)
	}
	saved := ev.overlay
	ev.overlay = &overlay{t: t, cols: map[string]*cexpr{}}
	defer func() { ev.overlay = saved }()
	for i, it := range items {
		name, e := "", it
		if a, ok := it.(*kql.Assign); ok {
			if len(a.Names) != 1 {
				// Compile first, so an unsupported function is named.
				if _, err := ev.compile(a.Value, t); err != nil {
					return nil, err
				}
				return nil, notSupported(a, "assigning to several columns")
			}
			name, e = a.Names[0].Name, a.Value
		}
		col, c, err := ev.column(t, e, name, i, sel)
		if err != nil {
			return nil, err
		}
		ev.overlay.cols[col.Name] = c
		if keep {
			cols = moveToEnd(cols, col)
		} else {
			cols = setColumn(cols, col, name != "")
		}
	}
	return table.New(cols...), nil
}

// setColumn replaces the column of the same name, or appends col.
func setColumn(cols []*table.Column, col *table.Column,
	replace bool) []*table.Column {
	for i, c := range cols {
		if c.Name == col.Name {
			if replace {
				cols[i] = col
				return cols
			}
			col = renamed(col, uniqueName(cols, col.Name))
		}
	}
	return append(cols, col)
}

// moveToEnd appends col, dropping a column of the same name: extend
// moves a column it recomputes to the end, as Microsoft documents.
func moveToEnd(cols []*table.Column, col *table.Column) []*table.Column {
	out := cols[:0]
	for _, c := range cols {
		if c.Name != col.Name {
			out = append(out, c)
		}
	}
	return append(out, col)
}

// renamed returns a column that shares c's values under a new name.
func renamed(c *table.Column, name string) *table.Column {
	cp := *c
	cp.Name = name
	return &cp
}

// uniqueName adds a number to name until no column has it.
func uniqueName(cols []*table.Column, name string) string {
	for n := 1; ; n++ {
		cand := fmt.Sprintf("%s%d", name, n)
		if !hasColumn(cols, cand) {
			return cand
		}
	}
}

func hasColumn(cols []*table.Column, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}

// column evaluates e over the selected rows of t into a column named
// name, or its default name, and returns the compiled expression too. A
// bare reference to an input column is reused without evaluating.
func (ev *evaluator) column(t *table.Table, e kql.Expr, name string,
	pos int, sel selection) (*table.Column, *cexpr, error) {
	if id, ok := e.(*kql.Ident); ok && ev.overlay.lookup(id.Name, t) == nil {
		if c, _ := t.Column(id.Name); c != nil {
			src := c
			read := &cexpr{typ: c.Type, name: c.Name,
				eval: func(row int) value { return readCell(src, row) }}
			if !sel.all {
				c = c.Gather(sel.rows)
			}
			if name != "" && name != c.Name {
				c = renamed(c, name)
			}
			return c, read, nil
		}
	}
	c, err := ev.compile(e, t)
	if err != nil {
		return nil, nil, err
	}
	if name == "" {
		name = namedArg(e)
	}
	if name == "" {
		name = c.name
	}
	if name == "" {
		name = fmt.Sprintf("Column%d", pos+1)
	}
	col, err := ev.materializeRows(c, name, t, sel)
	return col, c, err
}

// materialize evaluates c for rows 0..n-1 into a column.
func (ev *evaluator) materialize(c *cexpr, name string, n int) (
	*table.Column, error) {
	return ev.materializeN(c, name, n, allRows())
}

// materializeRows evaluates c for the selected rows of t into a column.
func (ev *evaluator) materializeRows(c *cexpr, name string,
	t *table.Table, sel selection) (*table.Column, error) {
	return ev.materializeN(c, name, sel.len(t), sel)
}

func (ev *evaluator) materializeN(c *cexpr, name string, n int,
	sel selection) (*table.Column, error) {
	typ := c.typ
	if typ == table.Invalid {
		typ = table.String
	}
	col := table.NewColumn(name, typ, n)
	for i := range n {
		if err := ev.checkCtx(i); err != nil {
			return nil, err
		}
		appendCell(col, c.eval(sel.at(i)))
	}
	return col, nil
}

// keyFunc returns the values of a row's keys, for sort and top.
type sortKey struct {
	c          *cexpr
	desc       bool
	nullsFirst bool
}

func (ev *evaluator) sortKeys(t *table.Table, by []*kql.SortKey,
	defDesc bool) ([]sortKey, error) {
	keys := make([]sortKey, len(by))
	for i, k := range by {
		c, err := ev.compile(k.X, t)
		if err != nil {
			return nil, err
		}
		desc := defDesc
		switch k.Order {
		case "asc":
			desc = false
		case "desc":
			desc = true
		}
		// KQL puts nulls first in ascending order, last in descending.
		nullsFirst := !desc
		switch k.Nulls {
		case "first":
			nullsFirst = true
		case "last":
			nullsFirst = false
		}
		keys[i] = sortKey{c: c, desc: desc, nullsFirst: nullsFirst}
	}
	return keys, nil
}

// sort orders t by keys (descending unless asc), keeping at most limit
// rows when limit >= 0.
func (ev *evaluator) sort(t *table.Table, by []*kql.SortKey,
	limit int) (*table.Table, error) {
	keys, err := ev.sortKeys(t, by, true)
	if err != nil {
		return nil, err
	}
	n := t.Rows()
	vals := make([][]value, len(keys))
	for k, key := range keys {
		vals[k] = make([]value, n)
		for i := range n {
			if err := ev.checkCtx(i); err != nil {
				return nil, err
			}
			vals[k][i] = key.c.eval(i)
		}
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	sort.SliceStable(rows, func(a, b int) bool {
		ra, rb := rows[a], rows[b]
		for k, key := range keys {
			if c := orderCompare(vals[k][ra], vals[k][rb], key); c != 0 {
				return c < 0
			}
		}
		return false
	})
	if limit >= 0 && limit < len(rows) {
		rows = rows[:limit]
	}
	return t.Gather(rows), nil
}

func orderCompare(a, b value, k sortKey) int {
	switch {
	case a.Null && b.Null:
		return 0
	case a.Null:
		if k.nullsFirst {
			return -1
		}
		return 1
	case b.Null:
		if k.nullsFirst {
			return 1
		}
		return -1
	}
	c := sortLess(a, b)
	if k.desc {
		return -c
	}
	return c
}

func (ev *evaluator) constInt(e kql.Expr, what string) (int, error) {
	c, err := ev.compile(e, emptyTable)
	if err != nil {
		return 0, err
	}
	v := toLong(c.eval(0))
	if !c.konst || v.Null || v.I < 0 {
		return 0, errAt(e, "%s must be a constant, non-negative number", what)
	}
	return int(min(v.I, 1<<31)), nil
}

func (ev *evaluator) top(t *table.Table, op *kql.TopOp) (*table.Table,
	error) {
	n, err := ev.constInt(op.Count, "the count of top")
	if err != nil {
		return nil, err
	}
	return ev.sort(t, op.By, n)
}

func (ev *evaluator) take(t *table.Table, count kql.Expr) (*table.Table,
	error) {
	n, err := ev.constInt(count, "the count of take")
	if err != nil {
		return nil, err
	}
	if n >= t.Rows() {
		return t, nil
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	return t.Gather(rows), nil
}

// sample returns Count rows of t chosen at random, in their order.
func (ev *evaluator) sample(t *table.Table, op *kql.SampleOp) (
	*table.Table, error) {
	n, err := ev.constInt(op.Count, "the count of sample")
	if err != nil {
		return nil, err
	}
	if n >= t.Rows() {
		return t, nil
	}
	rows := mrand.Perm(t.Rows())[:n]
	slices.Sort(rows)
	return t.Gather(rows), nil
}

// distinct keeps the first row of each distinct combination of columns.
func (ev *evaluator) distinct(t *table.Table, op *kql.DistinctOp) (
	*table.Table, error) {
	items := op.Columns
	if len(items) == 1 {
		if _, ok := items[0].(*kql.Star); ok {
			items = nil
			for _, c := range t.Columns {
				items = append(items, &kql.Ident{Name: c.Name})
			}
		}
	}
	proj, err := ev.project(t, items, false)
	if err != nil {
		return nil, err
	}
	var key []byte
	seen := map[string]struct{}{}
	var rows []int
	for i := range proj.Rows() {
		if err := ev.checkCtx(i); err != nil {
			return nil, err
		}
		key = rowKey(key[:0], proj.Columns, i)
		if _, ok := seen[string(key)]; ok {
			continue
		}
		seen[string(key)] = struct{}{}
		rows = append(rows, i)
	}
	return proj.Gather(rows), nil
}

// rowKey appends an encoding of row i of cols that is equal for equal
// values: the group and join key.
func rowKey(dst []byte, cols []*table.Column, i int) []byte {
	for _, c := range cols {
		dst = appendKey(dst, readCell(c, i))
	}
	return dst
}

// appendKey appends one value's key: a type tag, then its bytes.
func appendKey(dst []byte, v value) []byte {
	v = unwrap(v)
	if v.Null {
		return append(dst, 0)
	}
	switch {
	case isText(v.Type):
		dst = append(dst, 's')
		dst = appendUvarint(dst, uint64(len(v.S)))
		return append(dst, v.S...)
	case v.Type == table.Dynamic:
		s := dynText(v)
		dst = append(dst, 'j')
		dst = appendUvarint(dst, uint64(len(s)))
		return append(dst, s...)
	case v.Type == table.Real || v.Type == table.Decimal:
		if v.F == float64(int64(v.F)) {
			return appendUvarint(append(dst, 'i'), uint64(int64(v.F)))
		}
		return appendUvarint(append(dst, 'f'), uint64(int64(v.F*1e9)))
	}
	return appendUvarint(append(dst, byte('a'+v.Type)), uint64(v.I))
}

func appendUvarint(dst []byte, x uint64) []byte {
	for x >= 0x80 {
		dst = append(dst, byte(x)|0x80)
		x >>= 7
	}
	return append(dst, byte(x))
}

// matchPattern matches a column name against a wildcard pattern in which
// '*' stands for any characters.
func matchPattern(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(name, p)
		if i < 0 {
			return false
		}
		name = name[i+len(p):]
	}
	return strings.HasSuffix(name, parts[len(parts)-1])
}

// columnPatterns returns the names or patterns of project-away and
// project-keep items.
func columnPatterns(items []kql.Expr) ([]string, error) {
	var out []string
	for _, it := range items {
		switch it := it.(type) {
		case *kql.Ident:
			out = append(out, it.Name)
		case *kql.Pattern:
			out = append(out, it.Text)
		case *kql.Star:
			out = append(out, "*")
		default:
			return nil, errAt(it, "expected a column name or pattern")
		}
	}
	return out, nil
}

// projectAway drops (or, with keep, keeps only) the matching columns.
func (ev *evaluator) projectAway(t *table.Table, items []kql.Expr,
	keep bool) (*table.Table, error) {
	pats, err := columnPatterns(items)
	if err != nil {
		return nil, err
	}
	var cols []*table.Column
	for _, c := range t.Columns {
		hit := false
		for _, p := range pats {
			hit = hit || matchPattern(p, c.Name)
		}
		if hit == keep {
			cols = append(cols, c)
		}
	}
	return table.New(cols...), nil
}

func (ev *evaluator) projectRename(t *table.Table,
	op *kql.ProjectRenameOp) (*table.Table, error) {
	cols := append([]*table.Column(nil), t.Columns...)
	for _, it := range op.Columns {
		a, ok := it.(*kql.Assign)
		if !ok || len(a.Names) != 1 {
			return nil, errAt(it, "expected NewName = OldName")
		}
		old, ok := a.Value.(*kql.Ident)
		if !ok {
			return nil, errAt(a.Value, "expected a column name")
		}
		_, i := t.Column(old.Name)
		if i < 0 {
			return nil, errAt(old, "unknown column %q", old.Name)
		}
		cols[i] = renamed(cols[i], a.Names[0].Name)
	}
	return table.New(cols...), nil
}

func (ev *evaluator) projectReorder(t *table.Table,
	op *kql.ProjectReorderOp) (*table.Table, error) {
	var first []*table.Column
	used := map[string]bool{}
	for _, k := range op.Columns {
		pats, err := columnPatterns([]kql.Expr{k.X})
		if err != nil {
			return nil, err
		}
		var hits []*table.Column
		for _, c := range t.Columns {
			if !used[c.Name] && matchPattern(pats[0], c.Name) {
				hits = append(hits, c)
				used[c.Name] = true
			}
		}
		if k.Order != "" {
			sort.SliceStable(hits, func(i, j int) bool {
				return (hits[i].Name < hits[j].Name) == (k.Order == "asc")
			})
		}
		first = append(first, hits...)
	}
	for _, c := range t.Columns {
		if !used[c.Name] {
			first = append(first, c)
		}
	}
	return table.New(first...), nil
}

func (ev *evaluator) print(op *kql.PrintOp) (*table.Table, error) {
	one := &table.Table{Columns: []*table.Column{
		table.NewColumn("", table.Bool, 1)}}
	one.Columns[0].AppendBool(true)
	var cols []*table.Column
	for i, it := range op.Columns {
		name, e := "", it
		if a, ok := it.(*kql.Assign); ok && len(a.Names) == 1 {
			name, e = a.Names[0].Name, a.Value
		}
		c, err := ev.compile(e, emptyTable)
		if err != nil {
			return nil, err
		}
		if name == "" {
			name = c.name
		}
		if name == "" {
			name = fmt.Sprintf("print_%d", i)
		}
		col, err := ev.materialize(c, name, 1)
		if err != nil {
			return nil, err
		}
		cols = setColumn(cols, col, false)
	}
	return table.New(cols...), nil
}

// maxRangeRows caps range, so a typo cannot exhaust memory.
const maxRangeRows = 10_000_000

func (ev *evaluator) rangeOp(op *kql.RangeOp) (*table.Table, error) {
	var ends [3]value
	for i, e := range []kql.Expr{op.From, op.To, op.Step} {
		c, err := ev.compile(e, emptyTable)
		if err != nil {
			return nil, err
		}
		ends[i] = unwrap(c.eval(0))
	}
	from, to, step := ends[0], ends[1], ends[2]
	if from.Null || to.Null || step.Null || !positive(step) {
		return nil, errAt(op, "range needs non-null bounds and a "+
			"positive step")
	}
	col := table.NewColumn(op.Column.Name, from.Type, 0)
	for v := from; ; v = arith("+", v, step) {
		if c, ok := compare(v, to); !ok || c > 0 || v.Null {
			break
		}
		if err := ev.checkCtx(col.Len()); err != nil {
			return nil, err
		}
		if col.Len() >= maxRangeRows {
			return nil, errAt(op, "range makes more than %d rows",
				maxRangeRows)
		}
		appendCell(col, v)
	}
	return table.New(col), nil
}

func positive(v value) bool {
	if v.Type == table.Real {
		return v.F > 0
	}
	return v.I > 0
}

func (ev *evaluator) datatable(e *kql.DatatableExpr) (*table.Table, error) {
	cols := make([]*table.Column, len(e.Columns))
	for i, d := range e.Columns {
		t, ok := table.ParseType(d.Type)
		if !ok {
			return nil, errAt(d, "unknown type %q", d.Type)
		}
		cols[i] = table.NewColumn(d.Name.Name, t, 0)
	}
	if len(cols) == 0 || len(e.Values)%len(cols) != 0 {
		return nil, errAt(e, "datatable has %d values for %d columns",
			len(e.Values), len(cols))
	}
	for i, v := range e.Values {
		c, err := ev.compile(v, emptyTable)
		if err != nil {
			return nil, err
		}
		appendCell(cols[i%len(cols)], c.eval(0))
	}
	return table.New(cols...), nil
}

func getSchema(t *table.Table) *table.Table {
	name := table.NewColumn("ColumnName", table.String, len(t.Columns))
	ord := table.NewColumn("ColumnOrdinal", table.Int, len(t.Columns))
	dt := table.NewColumn("DataType", table.String, len(t.Columns))
	ct := table.NewColumn("ColumnType", table.String, len(t.Columns))
	for i, c := range t.Columns {
		name.AppendString(c.Name)
		ord.AppendInt(int64(i))
		dt.AppendString("System." + c.Type.APIName())
		ct.AppendString(c.Type.String())
	}
	return table.New(name, ord, dt, ct)
}
