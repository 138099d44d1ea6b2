package eval

import (
	"regexp"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// expandCol is one compiled mv-expand column.
type expandCol struct {
	name string
	c    *cexpr
	typ  table.Type
}

// mvExpand turns each element of the expanded arrays (or bags) into its
// own row. Several columns expand in parallel, the shorter padded with
// nulls; a null expands to one row and an empty array to none.
func (ev *evaluator) mvExpand(t *table.Table, op *kql.MvExpandOp) (
	*table.Table, error) {
	asArray, limit, err := ev.expandOptions(op)
	if err != nil {
		return nil, err
	}
	cols, err := ev.expandCols(t, op.Columns)
	if err != nil {
		return nil, err
	}
	index := ""
	if v, ok := kql.ParamValue(op.Params, "with_itemindex").(*kql.Ident); ok {
		index = v.Name
	}
	return ev.expandRows(t, cols, asArray, limit, index)
}

// expandOptions reads kind= (bag or array) and the row limit: 128 for
// the old mvexpand, unlimited for mv-expand, unless given.
func (ev *evaluator) expandOptions(op *kql.MvExpandOp) (asArray bool,
	limit int64, err error) {
	if v, ok := kql.ParamValue(op.Params, "kind").(*kql.Ident); ok {
		asArray = strings.EqualFold(v.Name, "array")
	}
	limit = int64(1<<31 - 1)
	if op.Keyword == "mvexpand" {
		limit = 128
	}
	if op.Limit != nil {
		n, err := ev.constInt(op.Limit, "the limit of mv-expand")
		if err != nil {
			return false, 0, err
		}
		limit = int64(n)
	}
	return asArray, limit, nil
}

func (ev *evaluator) expandCols(t *table.Table,
	items []*kql.ExpandColumn) ([]expandCol, error) {
	var cols []expandCol
	for i, it := range items {
		name, e := "", it.X
		if a, ok := it.X.(*kql.Assign); ok && len(a.Names) == 1 {
			name, e = a.Names[0].Name, a.Value
		}
		c, err := ev.compile(e, t)
		if err != nil {
			return nil, err
		}
		if name == "" {
			name = c.name
		}
		if name == "" {
			name = "Column" + itoa(i+1)
		}
		typ := table.Dynamic
		if it.To != nil {
			var ok bool
			if typ, ok = table.ParseType(it.To.Scalar); !ok {
				return nil, errAt(it.To, "unknown type %q", it.To.Scalar)
			}
		}
		cols = append(cols, expandCol{name: name, c: c, typ: typ})
	}
	return cols, nil
}

// elements returns the items one value expands to.
func elements(v value, asArray bool) []any {
	if v.Null {
		return []any{nil}
	}
	switch d := dyn(v).(type) {
	case []any:
		return d
	case map[string]any:
		out := make([]any, 0, len(d))
		for _, k := range sortedKeys(d) {
			if asArray {
				out = append(out, []any{k, d[k]})
			} else {
				out = append(out, map[string]any{k: d[k]})
			}
		}
		return out
	case nil:
		return []any{nil}
	default:
		return []any{d}
	}
}

func (ev *evaluator) expandRows(t *table.Table, cols []expandCol,
	asArray bool, limit int64, index string) (*table.Table, error) {
	rows, made, err := ev.expandParts(t, cols, asArray, limit, index)
	if err != nil {
		return nil, err
	}
	return assemble(t, rows, made, allRows()), nil
}

// expandParts expands each row: rows holds the input row of each output
// row, made the expanded (and item index) columns.
func (ev *evaluator) expandParts(t *table.Table, cols []expandCol,
	asArray bool, limit int64, index string) ([]int, []*table.Column,
	error) {
	var rows []int
	made := make([]*table.Column, len(cols))
	for i, c := range cols {
		made[i] = table.NewColumn(c.name, c.typ, t.Rows())
	}
	var idx *table.Column
	if index != "" {
		idx = table.NewColumn(index, table.Long, t.Rows())
	}
	elems := make([][]any, len(cols))
	for row := range t.Rows() {
		if err := ev.checkCtx(row); err != nil {
			return nil, nil, err
		}
		n := 0
		for i, c := range cols {
			elems[i] = elements(c.c.eval(row), asArray)
			n = max(n, len(elems[i]))
		}
		n = int(min(int64(n), limit))
		for j := range n {
			rows = append(rows, row)
			if idx != nil {
				idx.AppendInt(int64(j))
			}
			for i, c := range cols {
				v := nullOf(c.typ)
				if j < len(elems[i]) {
					v = castTo(elems[i][j], c.typ)
				}
				appendCell(made[i], v)
			}
		}
	}
	if idx != nil {
		made = append(made, idx)
	}
	return rows, made, nil
}

// assemble builds mv-expand's result from the selected output rows: the
// input's columns at their rows, the expanded columns replacing any of
// the same name.
func assemble(t *table.Table, rows []int, made []*table.Column,
	sel selection) *table.Table {
	if !sel.all {
		picked := make([]int, len(sel.rows))
		for i, r := range sel.rows {
			picked[i] = rows[r]
		}
		rows = picked
	}
	out := t.Gather(rows)
	for _, c := range made {
		if !sel.all {
			c = c.Gather(sel.rows)
		}
		out.Columns = setColumn(out.Columns, c, true)
	}
	return out
}

// mvExpandFiltered is mv-expand followed by the where operators at the
// start of next, filtering the expanded rows before the input's columns
// are copied to them. It returns how many of next it applied.
func (ev *evaluator) mvExpandFiltered(t *table.Table, op *kql.MvExpandOp,
	next []kql.Operator) (*table.Table, int, error) {
	var preds []kql.Expr
	for _, o := range next {
		w, ok := o.(*kql.WhereOp)
		if !ok || !rowLocal(w.Predicate) {
			break
		}
		preds = append(preds, w.Predicate)
	}
	if len(preds) == 0 {
		out, err := ev.mvExpand(t, op)
		return out, 0, err
	}
	asArray, limit, err := ev.expandOptions(op)
	if err != nil {
		return nil, 0, err
	}
	cols, err := ev.expandCols(t, op.Columns)
	if err != nil {
		return nil, 0, err
	}
	index := ""
	if v, ok := kql.ParamValue(op.Params, "with_itemindex").(*kql.Ident); ok {
		index = v.Name
	}
	rows, made, err := ev.expandParts(t, cols, asArray, limit, index)
	if err != nil {
		return nil, 0, err
	}
	sel, ok := ev.filterExpanded(t, rows, made, preds)
	if !ok {
		return assemble(t, rows, made, allRows()), 0, nil
	}
	return assemble(t, rows, made, sel), len(preds), nil
}

// filterExpanded runs the predicates over the expanded rows, reading the
// input's columns through the row map. ok is false when a predicate
// cannot be compiled so; the caller then filters the assembled table.
func (ev *evaluator) filterExpanded(t *table.Table, rows []int,
	made []*table.Column, preds []kql.Expr) (selection, bool) {
	x := table.New(made...)
	o := &overlay{t: x, cols: map[string]*cexpr{}}
	for _, c := range t.Columns {
		if hasColumn(made, c.Name) {
			continue
		}
		col := c
		o.cols[c.Name] = &cexpr{typ: c.Type, name: c.Name,
			eval: func(i int) value { return readCell(col, rows[i]) }}
	}
	for name, c := range o.cols {
		// The Sentinel name of Timestamp, as sentinelAlias reads it.
		if suffix, ok := strings.CutPrefix(name, "Timestamp"); ok {
			if _, have := o.cols["TimeGenerated"+suffix]; !have {
				o.cols["TimeGenerated"+suffix] = c
			}
		}
	}
	saved := ev.overlay
	ev.overlay = o
	defer func() { ev.overlay = saved }()
	sel := allRows()
	for _, p := range preds {
		var err error
		if sel, err = ev.filter(x, p, sel); err != nil {
			ev.fn.err = nil
			return sel, false
		}
	}
	return sel, true
}

// rowLocal reports whether a predicate reads only the current row's
// values by name, so that it can run before the row's columns are
// gathered: no *, pack_all() or column_ifexists(), which look at the
// table's columns as a whole.
func rowLocal(e kql.Expr) bool {
	switch e := e.(type) {
	case nil, *kql.Literal, *kql.Ident:
		return true
	case *kql.ParenExpr:
		return rowLocal(e.X)
	case *kql.UnaryExpr:
		return rowLocal(e.X)
	case *kql.BinaryExpr:
		return rowLocal(e.X) && rowLocal(e.Y)
	case *kql.BetweenExpr:
		return rowLocal(e.X) && rowLocal(e.Lo) && rowLocal(e.Hi)
	case *kql.MemberExpr:
		return rowLocal(e.X)
	case *kql.IndexExpr:
		return rowLocal(e.X) && rowLocal(e.Index)
	case *kql.InExpr:
		for _, it := range e.List {
			if !rowLocal(it) {
				return false
			}
		}
		return rowLocal(e.X)
	case *kql.CallExpr:
		switch e.Name() {
		case "pack_all", "column_ifexists", "ingestion_time", "":
			return false
		}
		for _, a := range e.Args {
			if !rowLocal(a) {
				return false
			}
		}
		return true
	}
	return false
}

// castTo converts an expanded element to the to typeof() type; an
// element of another kind becomes null, as KQL casts without parsing.
func castTo(d any, t table.Type) value {
	if t == table.Dynamic {
		return dynVal(d)
	}
	v := fromDyn(d)
	switch {
	case v.Type == t, t == table.String && v.Type == table.String:
		return v
	case t.Numeric() && v.Type.Numeric():
		return convert(v, t)
	case t == table.String:
		return strVal(toString(dynVal(d)))
	case v.Type == table.String:
		return convert(v, t)
	}
	return nullOf(t)
}

// parse extracts columns from a string by a pattern of literals and
// column names (kind=simple, the default) or regular expressions
// (kind=regex). parse-where drops rows that do not match.
func (ev *evaluator) parse(t *table.Table, op *kql.ParseOp) (*table.Table,
	error) {
	src, err := ev.compile(op.Source, t)
	if err != nil {
		return nil, err
	}
	kind := "simple"
	if v, ok := kql.ParamValue(op.Params, "kind").(*kql.Ident); ok {
		kind = strings.ToLower(v.Name)
	}
	flags := ""
	if v, ok := kql.ParamValue(op.Params, "flags").(*kql.Ident); ok {
		flags = v.Name
	}
	if kind != "simple" && kind != "regex" && kind != "relaxed" {
		return nil, notSupported(op, "parse kind="+kind)
	}
	re, cols, err := parsePattern(op, kind == "regex", flags)
	if err != nil {
		return nil, err
	}
	return ev.parseRows(t, src, re, cols, op.Keyword == "parse-where")
}

// parsePattern builds the regular expression of a parse pattern and the
// columns its groups fill.
func parsePattern(op *kql.ParseOp, isRegex bool, flags string) (
	*regexp.Regexp, []*table.Column, error) {
	var b strings.Builder
	if flags != "" {
		b.WriteString("(?" + flags + ")")
	}
	var cols []*table.Column
	for i, it := range op.Pattern {
		last := i == len(op.Pattern)-1
		switch {
		case it.Literal != nil:
			s := toString(literal(it.Literal.Value))
			if !isRegex {
				s = regexp.QuoteMeta(s)
			}
			b.WriteString(s)
		case it.Star:
			b.WriteString(".*?")
		case it.Column != nil:
			typ := table.String
			if it.Type != "" {
				var ok bool
				if typ, ok = table.ParseType(it.Type); !ok {
					return nil, nil, errAt(it, "unknown type %q", it.Type)
				}
			}
			cols = append(cols, table.NewColumn(it.Column.Name, typ, 0))
			if last {
				b.WriteString("(.*)")
			} else {
				b.WriteString("(.*?)")
			}
		}
	}
	if n := len(op.Pattern); n > 0 && op.Pattern[n-1].Star {
		b.WriteString("$")
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, nil, errAt(op, "bad parse pattern: %v", err)
	}
	return re, cols, nil
}

func (ev *evaluator) parseRows(t *table.Table, src *cexpr,
	re *regexp.Regexp, cols []*table.Column, drop bool) (*table.Table,
	error) {
	var rows []int
	for row := range t.Rows() {
		if err := ev.checkCtx(row); err != nil {
			return nil, err
		}
		s := toString(src.eval(row))
		m := re.FindStringSubmatch(s)
		if m != nil {
			if ok := typedGroups(m[1:], cols); !ok && drop {
				m = nil
			}
		}
		if m == nil && drop {
			continue
		}
		rows = append(rows, row)
		for i, c := range cols {
			if m == nil {
				appendCell(c, nullOf(c.Type))
				continue
			}
			appendCell(c, convert(strVal(m[i+1]), c.Type))
		}
	}
	out := t
	if drop {
		out = t.Gather(rows)
	}
	out = &table.Table{Columns: append([]*table.Column(nil),
		out.Columns...)}
	for _, c := range cols {
		out.Columns = setColumn(out.Columns, c, true)
	}
	return out, nil
}

// typedGroups reports whether every typed group converts to its type.
func typedGroups(groups []string, cols []*table.Column) bool {
	for i, c := range cols {
		if c.Type != table.String && convert(strVal(groups[i]), c.Type).Null {
			return false
		}
	}
	return true
}

// bagUnpack is evaluate bag_unpack(Column [, Prefix]): every key of the
// bags becomes a dynamic column, in order of first appearance, and the
// bag column is dropped.
func (ev *evaluator) bagUnpack(t *table.Table, call *kql.CallExpr) (
	*table.Table, error) {
	var args []kql.Expr
	conflict := "error"
	for _, a := range call.Args {
		if na, ok := a.(*kql.NamedArg); ok {
			if na.Name.Name == "columnsConflict" {
				c, err := ev.constant(na.Value)
				if err != nil {
					return nil, err
				}
				conflict = toString(c)
			}
			continue
		}
		args = append(args, a)
	}
	call = &kql.CallExpr{Loc: call.Loc, Func: call.Func, Args: args}
	if len(call.Args) < 1 || len(call.Args) > 3 {
		return nil, errAt(call, "bag_unpack() takes a column and an "+
			"optional prefix")
	}
	id, ok := call.Args[0].(*kql.Ident)
	if !ok {
		return nil, notSupported(call.Args[0], "bag_unpack of an expression")
	}
	src, at := t.Column(id.Name)
	if src == nil {
		return nil, errAt(id, "unknown column %q", id.Name)
	}
	prefix := ""
	if len(call.Args) > 1 {
		c, err := ev.compile(call.Args[1], emptyTable)
		if err != nil {
			return nil, err
		}
		prefix = toString(c.eval(0))
	}
	var order []string
	bags := make([]map[string]any, t.Rows())
	seen := map[string]bool{}
	for row := range t.Rows() {
		if err := ev.checkCtx(row); err != nil {
			return nil, err
		}
		m, _ := dyn(readCell(src, row)).(map[string]any)
		bags[row] = m
		for _, k := range sortedKeys(m) {
			if !seen[k] {
				seen[k] = true
				order = append(order, k)
			}
		}
	}
	cols := append([]*table.Column(nil), t.Columns[:at]...)
	cols = append(cols, t.Columns[at+1:]...)
	for _, k := range order {
		col := table.NewColumn(prefix+k, table.Dynamic, len(bags))
		for _, m := range bags {
			appendCell(col, dynVal(m[k]))
		}
		switch {
		case !hasColumn(cols, col.Name):
			cols = append(cols, col)
		case conflict == "keep_source":
		case conflict == "replace_source":
			cols = setColumn(cols, col, true)
		default:
			return nil, errAt(call, "bag_unpack: the key %q is already "+
				"a column; set columnsConflict", k)
		}
	}
	return table.New(cols...), nil
}
