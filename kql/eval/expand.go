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
	asArray := false
	if v, ok := kql.ParamValue(op.Params, "kind").(*kql.Ident); ok {
		asArray = strings.EqualFold(v.Name, "array")
	}
	limit := int64(1<<31 - 1)
	if op.Keyword == "mvexpand" {
		limit = 128
	}
	if op.Limit != nil {
		n, err := ev.constInt(op.Limit, "the limit of mv-expand")
		if err != nil {
			return nil, err
		}
		limit = int64(n)
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
func elements(v Value, asArray bool) []any {
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
	var rows []int
	vals := make([][]Value, len(cols))
	var idx []int64
	for row := range t.Rows() {
		if err := ev.checkCtx(row); err != nil {
			return nil, err
		}
		elems := make([][]any, len(cols))
		n := 0
		for i, c := range cols {
			elems[i] = elements(c.c.eval(row), asArray)
			n = max(n, len(elems[i]))
		}
		n = int(min(int64(n), limit))
		for j := range n {
			rows = append(rows, row)
			idx = append(idx, int64(j))
			for i, c := range cols {
				v := nullOf(c.typ)
				if j < len(elems[i]) {
					v = castTo(elems[i][j], c.typ)
				}
				vals[i] = append(vals[i], v)
			}
		}
	}
	out := t.Gather(rows)
	for i, c := range cols {
		col := table.NewColumn(c.name, c.typ, len(rows))
		for _, v := range vals[i] {
			appendCell(col, v)
		}
		out.Columns = setColumn(out.Columns, col, true)
	}
	if index != "" {
		col := table.NewColumn(index, table.Long, len(idx))
		for _, i := range idx {
			col.AppendInt(i)
		}
		out.Columns = setColumn(out.Columns, col, true)
	}
	return out, nil
}

// castTo converts an expanded element to the to typeof() type; an
// element of another kind becomes null, as KQL casts without parsing.
func castTo(d any, t table.Type) Value {
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
