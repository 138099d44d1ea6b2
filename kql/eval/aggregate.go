package eval

import (
	"math"
	"sort"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// aggState accumulates one group's rows for one aggregate.
type aggState interface {
	// add takes one row's argument values; row is the input row index.
	add(a []value, row int)
	// result returns the aggregate's value for the group.
	result() value
}

// aggFn is one built-in aggregate function.
type aggFn struct {
	min, max int // argument counts; max < 0 is unbounded
	prefix   string
	typ      func(args []table.Type) table.Type
	new      func(args []table.Type) aggState
}

// aggregates holds the aggregate functions by name. arg_max, arg_min
// and percentiles produce several columns and are handled by summarize.
var aggregates = map[string]*aggFn{}

func defAgg(names string, min, max int, prefix string,
	typ func([]table.Type) table.Type,
	new func([]table.Type) aggState) {
	f := &aggFn{min: min, max: max, prefix: prefix, typ: typ, new: new}
	for _, n := range strings.Fields(names) {
		aggregates[n] = f
	}
}

func init() {
	defAgg("count", 0, 1, "count", fixed(table.Long),
		func([]table.Type) aggState { return &countState{cond: -1} })
	defAgg("countif", 1, 1, "countif", fixed(table.Long),
		func([]table.Type) aggState { return &countState{cond: 0} })
	defAgg("dcount", 1, 2, "dcount", fixed(table.Long),
		func([]table.Type) aggState { return newDistinct(-1) })
	defAgg("count_distinct", 1, 1, "count_distinct", fixed(table.Long),
		func([]table.Type) aggState { return newDistinct(-1) })
	defAgg("dcountif", 2, 3, "dcountif", fixed(table.Long),
		func([]table.Type) aggState { return newDistinct(1) })
	defAgg("sum", 1, 1, "sum", sumType,
		func(t []table.Type) aggState { return &sumState{typ: sumType(t)} })
	defAgg("sumif", 2, 2, "sumif", sumType, func(t []table.Type) aggState {
		return &sumState{typ: sumType(t), cond: 1}
	})
	defAgg("avg", 1, 1, "avg", fixed(table.Real),
		func([]table.Type) aggState { return &avgState{cond: -1} })
	defAgg("avgif", 2, 2, "avgif", fixed(table.Real),
		func([]table.Type) aggState { return &avgState{cond: 1} })
	defAgg("min", 1, 1, "min", argType(0), func(t []table.Type) aggState {
		return &extremeState{sign: -1, cond: -1, best: nullOf(t[0])}
	})
	defAgg("max", 1, 1, "max", argType(0), func(t []table.Type) aggState {
		return &extremeState{sign: 1, cond: -1, best: nullOf(t[0])}
	})
	defAgg("minif", 2, 2, "minif", argType(0), func(t []table.Type) aggState {
		return &extremeState{sign: -1, cond: 1, best: nullOf(t[0])}
	})
	defAgg("maxif", 2, 2, "maxif", argType(0), func(t []table.Type) aggState {
		return &extremeState{sign: 1, cond: 1, best: nullOf(t[0])}
	})
	defAgg("any take_any", 1, 1, "any", argType(0),
		func(t []table.Type) aggState {
			return &anyState{cond: -1, v: nullOf(t[0])}
		})
	defAgg("take_anyif anyif", 2, 2, "any", argType(0),
		func(t []table.Type) aggState {
			return &anyState{cond: 1, v: nullOf(t[0])}
		})
	defAgg("make_set makeset", 1, 2, "set", fixed(table.Dynamic),
		func([]table.Type) aggState { return newListState(true, -1) })
	defAgg("make_set_if", 2, 3, "set", fixed(table.Dynamic),
		func([]table.Type) aggState { return newListState(true, 1) })
	defAgg("make_list makelist", 1, 2, "list", fixed(table.Dynamic),
		func([]table.Type) aggState { return newListState(false, -1) })
	defAgg("make_list_if", 2, 3, "list", fixed(table.Dynamic),
		func([]table.Type) aggState { return newListState(false, 1) })
	defAgg("make_bag", 1, 2, "bag", fixed(table.Dynamic),
		func([]table.Type) aggState { return &bagState{cond: -1} })
	defAgg("make_bag_if", 2, 3, "bag", fixed(table.Dynamic),
		func([]table.Type) aggState { return &bagState{cond: 1} })
	defAgg("percentile", 2, 2, "percentile", argType(0),
		func(t []table.Type) aggState { return &percentileState{typ: t[0]} })
	defAgg("stdev", 1, 1, "stdev", fixed(table.Real),
		func([]table.Type) aggState { return &varianceState{stdev: true} })
	defAgg("variance", 1, 1, "variance", fixed(table.Real),
		func([]table.Type) aggState { return &varianceState{} })
}

func sumType(a []table.Type) table.Type {
	if len(a) > 0 && (isInteger(a[0]) || a[0] == table.Bool) {
		return table.Long
	}
	if len(a) > 0 && a[0] == table.TimeSpan {
		return table.TimeSpan
	}
	return table.Real
}

// passes reports whether argument cond (a predicate) of a row holds; a
// negative cond means the aggregate has no predicate.
func passes(a []value, cond int) bool {
	return cond < 0 || a[cond].truthy()
}

type countState struct {
	n    int64
	cond int // countif's predicate index; -1 for count
}

func (s *countState) add(a []value, _ int) {
	switch {
	case s.cond >= 0:
		if a[0].truthy() {
			s.n++
		}
	case len(a) == 0 || !a[0].Null:
		s.n++
	}
}

func (s *countState) result() value { return longVal(s.n) }

// vkey is a comparable form of a value, for sets and group keys.
type vkey struct {
	t    table.Type
	null bool
	i    int64
	f    float64
	s    string
}

func keyOf(v value) vkey {
	v = unwrap(v)
	k := vkey{t: v.Type, null: v.Null, i: v.I, f: v.F, s: v.S}
	if isInteger(v.Type) {
		k.t = table.Long
	}
	if v.Type == table.Dynamic && !v.Null {
		k.s = dynText(v)
	}
	return k
}

type distinctState struct {
	cond int
	seen map[vkey]struct{}
}

func newDistinct(cond int) *distinctState {
	return &distinctState{cond: cond, seen: map[vkey]struct{}{}}
}

func (s *distinctState) add(a []value, _ int) {
	if a[0].Null || !passes(a, s.cond) {
		return
	}
	s.seen[keyOf(a[0])] = struct{}{}
}

func (s *distinctState) result() value { return longVal(int64(len(s.seen))) }

type sumState struct {
	typ  table.Type
	cond int
	i    int64
	f    float64
	any  bool
}

func (s *sumState) add(a []value, _ int) {
	v := unwrap(a[0])
	if v.Null || s.cond > 0 && !a[s.cond].truthy() {
		return
	}
	s.any = true
	if v.Type == table.Real || v.Type == table.Decimal {
		s.f += v.F
		return
	}
	s.i += v.I
}

func (s *sumState) result() value {
	if !s.any {
		return nullOf(s.typ)
	}
	if s.typ == table.Real {
		return realVal(s.f + float64(s.i))
	}
	return value{Type: s.typ, I: s.i}
}

type avgState struct {
	cond int
	sum  float64
	n    int
}

func (s *avgState) add(a []value, _ int) {
	v := unwrap(a[0])
	if v.Null || !v.Type.Numeric() || !passes(a, s.cond) {
		return
	}
	s.sum += v.num()
	s.n++
}

func (s *avgState) result() value {
	if s.n == 0 {
		return nullOf(table.Real)
	}
	return realVal(s.sum / float64(s.n))
}

type extremeState struct {
	sign  int
	cond  int
	best  value
	found bool
}

func (s *extremeState) add(a []value, _ int) {
	v := a[0]
	if v.Null || !passes(a, s.cond) {
		return
	}
	if !s.found || sortLess(v, s.best)*s.sign > 0 {
		s.best, s.found = v, true
	}
}

func (s *extremeState) result() value { return s.best }

type anyState struct {
	cond  int
	v     value
	found bool
}

func (s *anyState) add(a []value, _ int) {
	if s.found || a[0].Null || !passes(a, s.cond) {
		return
	}
	s.v, s.found = a[0], true
}

func (s *anyState) result() value { return s.v }

// listState is make_list and make_set: values in first-seen order,
// unique for a set, up to a limit (the last argument when numeric).
type listState struct {
	unique bool
	cond   int
	items  []any
	seen   map[vkey]struct{}
}

func newListState(unique bool, cond int) *listState {
	s := &listState{unique: unique, cond: cond, items: []any{}}
	if unique {
		s.seen = map[vkey]struct{}{}
	}
	return s
}

// maxListSize is KQL's default cap on make_list and make_set.
const maxListSize = 1_048_576

func (s *listState) add(a []value, _ int) {
	v := a[0]
	if v.Null || !passes(a, s.cond) {
		return
	}
	limit := int64(maxListSize)
	if n, ok := intArg(a, max(s.cond+1, 1)); ok && n > 0 {
		limit = n
	}
	if int64(len(s.items)) >= limit {
		return
	}
	// make_set unions array values; make_list keeps each array whole.
	if arr, ok := dyn(v).([]any); ok && s.unique &&
		v.Type == table.Dynamic {
		for _, x := range arr {
			s.push(fromDyn(x))
		}
		return
	}
	s.push(v)
}

func (s *listState) push(v value) {
	if s.unique {
		k := keyOf(v)
		if _, ok := s.seen[k]; ok {
			return
		}
		s.seen[k] = struct{}{}
	}
	s.items = append(s.items, dyn(cloneStr(v)))
}

// cloneStr copies a string that may share a column's memory, so that
// values kept past an operator do not pin whole arenas.
func cloneStr(v value) value {
	if v.S != "" {
		v.S = strings.Clone(v.S)
	}
	return v
}

func (s *listState) result() value { return dynVal(s.items) }

type bagState struct {
	cond int
	bag  map[string]any
}

func (s *bagState) add(a []value, _ int) {
	if !passes(a, s.cond) {
		return
	}
	m, ok := dyn(a[0]).(map[string]any)
	if !ok {
		return
	}
	if s.bag == nil {
		s.bag = map[string]any{}
	}
	for k, v := range m {
		if _, dup := s.bag[k]; !dup {
			s.bag[k] = v
		}
	}
}

func (s *bagState) result() value {
	if s.bag == nil {
		return dynVal(map[string]any{})
	}
	return dynVal(s.bag)
}

// percentileState keeps every value and picks the nearest rank.
type percentileState struct {
	typ  table.Type
	vals []value
	p    float64
}

func (s *percentileState) add(a []value, _ int) {
	s.p = toReal(a[1]).F
	if a[0].Null {
		return
	}
	s.vals = append(s.vals, cloneStr(unwrap(a[0])))
}

func (s *percentileState) result() value {
	return nearestRank(s.vals, s.p, s.typ)
}

// nearestRank returns the p-th percentile of vals by the nearest-rank
// method, which is what KQL's percentile returns on small inputs.
func nearestRank(vals []value, p float64, t table.Type) value {
	if len(vals) == 0 {
		return nullOf(t)
	}
	sort.SliceStable(vals, func(i, j int) bool {
		return sortLess(vals[i], vals[j]) < 0
	})
	rank := int(math.Ceil(p / 100 * float64(len(vals))))
	rank = min(max(rank, 1), len(vals))
	return vals[rank-1]
}

type varianceState struct {
	stdev     bool
	n         float64
	sum, sum2 float64
}

func (s *varianceState) add(a []value, _ int) {
	v := unwrap(a[0])
	if v.Null || !v.Type.Numeric() {
		return
	}
	f := v.num()
	s.n++
	s.sum += f
	s.sum2 += f * f
}

func (s *varianceState) result() value {
	if s.n < 2 {
		return realVal(0)
	}
	mean := s.sum / s.n
	v := (s.sum2 - s.n*mean*mean) / (s.n - 1)
	if s.stdev {
		return realVal(math.Sqrt(v))
	}
	return realVal(v)
}

// argState is arg_max and arg_min: the row whose first argument is the
// largest (smallest); summarize reads the other columns from that row.
type argState struct {
	sign  int
	best  value
	row   int
	found bool
}

func (s *argState) add(a []value, row int) {
	v := a[0]
	if v.Null {
		if !s.found && s.row < 0 {
			s.row = row // KQL still returns a row when all are null
		}
		return
	}
	if !s.found || sortLess(v, s.best)*s.sign > 0 {
		s.best, s.row, s.found = v, row, true
	}
}

func (s *argState) result() value { return s.best }
