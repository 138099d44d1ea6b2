package eval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// parseKV is `parse-kv Source as (Key:type, ...) with (pair_delimiter=,
// kv_delimiter=, quote=)`: each declared key becomes a column holding
// its value in the text, null (or "") where the key is absent.
func (ev *evaluator) parseKV(t *table.Table, op *kql.ParseKvOp) (
	*table.Table, error) {
	src, err := ev.compile(op.Source, t)
	if err != nil {
		return nil, err
	}
	opts := map[string]string{"pair_delimiter": " ", "kv_delimiter": "=",
		"quote": `"`}
	for _, p := range op.With {
		v, err := ev.constant(p.Value)
		if err != nil {
			return nil, err
		}
		if _, ok := opts[p.Name]; !ok {
			return nil, notSupported(p, "parse-kv option "+p.Name)
		}
		opts[p.Name] = toString(v)
	}
	cols := make([]*table.Column, len(op.Columns))
	for i, d := range op.Columns {
		typ, ok := table.ParseType(d.Type)
		if !ok {
			return nil, errAt(d, "unknown type %q", d.Type)
		}
		cols[i] = table.NewColumn(d.Name.Name, typ, t.Rows())
	}
	for row := range t.Rows() {
		if err := ev.checkCtx(row); err != nil {
			return nil, err
		}
		pairs := splitPairs(toString(src.eval(row)), opts)
		for _, c := range cols {
			v, ok := pairs[c.Name]
			if !ok {
				appendCell(c, nullOf(c.Type))
				continue
			}
			appendCell(c, convert(strVal(v), c.Type))
		}
	}
	out := &table.Table{Columns: append([]*table.Column(nil),
		t.Columns...)}
	for _, c := range cols {
		out.Columns = setColumn(out.Columns, c, true)
	}
	return out, nil
}

// splitPairs reads key-value pairs; quoted values may hold delimiters.
// The first occurrence of a key wins.
func splitPairs(s string, opts map[string]string) map[string]string {
	pairDelim, kvDelim, quote := opts["pair_delimiter"],
		opts["kv_delimiter"], opts["quote"]
	out := map[string]string{}
	for _, tok := range splitQuoted(s, pairDelim, quote) {
		k, v, ok := strings.Cut(tok, kvDelim)
		if !ok || k == "" {
			continue
		}
		if _, dup := out[k]; dup {
			continue
		}
		if quote != "" && len(v) >= 2 && strings.HasPrefix(v, quote) &&
			strings.HasSuffix(v, quote) {
			v = v[len(quote) : len(v)-len(quote)]
		}
		out[k] = v
	}
	return out
}

// splitQuoted splits s at delim, except inside quotes.
func splitQuoted(s, delim, quote string) []string {
	if delim == "" {
		return []string{s}
	}
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); {
		switch {
		case quote != "" && strings.HasPrefix(s[i:], quote):
			quoted = !quoted
			i += len(quote)
		case !quoted && strings.HasPrefix(s[i:], delim):
			out = append(out, s[start:i])
			i += len(delim)
			start = i
		default:
			i++
		}
	}
	return append(out, s[start:])
}

// topNested is `top-nested N of Expr by Aggregate [asc|desc], ...`: the
// top N values of the first level by their aggregate, then within each
// the top values of the next level, and so on. Each level gives two
// columns: its value and aggregated_<name>.
func (ev *evaluator) topNested(t *table.Table, op *kql.TopNestedOp) (
	*table.Table, error) {
	var levels []*nestLevel
	for i, l := range op.Levels {
		nl, err := ev.nestLevel(t, l, i)
		if err != nil {
			return nil, err
		}
		levels = append(levels, nl)
	}
	var cols []*table.Column
	for _, l := range levels {
		// The aggregate over no rows tells its type.
		_, typ, err := ev.aggregateRows(t, l.agg, nil)
		if err != nil {
			return nil, err
		}
		l.aggType = typ
		cols = append(cols, table.NewColumn(l.name, l.of.typ, 0),
			table.NewColumn("aggregated_"+l.name, l.aggType, 0))
	}
	rows := make([]int, t.Rows())
	for i := range rows {
		rows[i] = i
	}
	if err := ev.nestGroups(t, levels, rows, nil, cols); err != nil {
		return nil, err
	}
	return table.New(cols...), nil
}

// nestLevel is one compiled level of top-nested.
type nestLevel struct {
	name    string
	n       int
	of      *cexpr
	agg     kql.Expr
	aggType table.Type
	desc    bool
}

func (ev *evaluator) nestLevel(t *table.Table, l *kql.TopNestedLevel,
	i int) (*nestLevel, error) {
	if l.Others != nil {
		return nil, notSupported(l.Others, "top-nested with others")
	}
	nl := &nestLevel{n: 1 << 30, desc: l.By.Order != "asc", agg: l.By.X}
	if l.Count != nil {
		n, err := ev.constInt(l.Count, "the count of top-nested")
		if err != nil {
			return nil, err
		}
		nl.n = n
	}
	of := l.Of
	if a, ok := of.(*kql.Assign); ok && len(a.Names) == 1 {
		nl.name, of = a.Names[0].Name, a.Value
	}
	c, err := ev.compile(of, t)
	if err != nil {
		return nil, err
	}
	nl.of = c
	if nl.name == "" {
		nl.name = c.name
	}
	if nl.name == "" {
		nl.name = fmt.Sprintf("Column%d", i+1)
	}
	return nl, nil
}

// nestGroups groups rows by the first level, keeps its top groups and
// recurses into each, appending one output row per leaf.
func (ev *evaluator) nestGroups(t *table.Table, levels []*nestLevel,
	rows []int, path []value, cols []*table.Column) error {
	l := levels[0]
	groups := map[vkey][]int{}
	var order []vkey
	first := map[vkey]value{}
	for _, r := range rows {
		v := l.of.eval(r)
		k := keyOf(v)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
			first[k] = cloneStr(v)
		}
		groups[k] = append(groups[k], r)
	}
	type scored struct {
		k vkey
		v value
	}
	var scores []scored
	for _, k := range order {
		v, _, err := ev.aggregateRows(t, l.agg, groups[k])
		if err != nil {
			return err
		}
		scores = append(scores, scored{k, v})
	}
	sort.SliceStable(scores, func(i, j int) bool {
		c := sortLess(scores[i].v, scores[j].v)
		if l.desc {
			return c > 0
		}
		return c < 0
	})
	for _, s := range scores[:min(l.n, len(scores))] {
		p := append(append([]value(nil), path...), first[s.k], s.v)
		if len(levels) > 1 {
			if err := ev.nestGroups(t, levels[1:], groups[s.k], p,
				cols); err != nil {
				return err
			}
			continue
		}
		for i, v := range p {
			appendCell(cols[i], v)
		}
	}
	return nil
}

// aggregateRows evaluates one aggregate expression over the given rows.
func (ev *evaluator) aggregateRows(t *table.Table, agg kql.Expr,
	rows []int) (value, table.Type, error) {
	s, err := ev.summarize(t, &kql.SummarizeOp{Aggs: []kql.Expr{agg}},
		selection{rows: rows})
	if err != nil {
		return value{}, table.Invalid, err
	}
	c := s.Columns[0]
	return cloneStr(readCell(c, 0)), c.Type, nil
}
