package eval

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

func typeName(n kql.Node) string { return fmt.Sprintf("%T", n) }

// strOps are the string predicates by operator, without negation.
var strOps = map[string]func(s, needle string) bool{
	"has":           termOp(false, true, true),
	"has_cs":        termOp(true, true, true),
	"hasprefix":     termOp(false, true, false),
	"hasprefix_cs":  termOp(true, true, false),
	"hassuffix":     termOp(false, false, true),
	"hassuffix_cs":  termOp(true, false, true),
	"contains":      func(s, n string) bool { return contains(s, n, false) },
	"contains_cs":   func(s, n string) bool { return contains(s, n, true) },
	"startswith":    func(s, n string) bool { return startsWith(s, n, false) },
	"startswith_cs": func(s, n string) bool { return startsWith(s, n, true) },
	"endswith":      func(s, n string) bool { return endsWith(s, n, false) },
	"endswith_cs":   func(s, n string) bool { return endsWith(s, n, true) },
	"=~":            equalFold,
}

// termOp is has, hasprefix or hassuffix with the given case rule.
func termOp(cs, prefix, suffix bool) func(s, needle string) bool {
	return func(s, n string) bool { return hasTerm(s, n, cs, prefix, suffix) }
}

// strOp returns the predicate of a string operator and whether it is
// negated ("!has", "notcontains", "!~").
func strOp(op string) (f func(s, needle string) bool, neg bool) {
	switch op {
	case "!~":
		return equalFold, true
	case "notcontains":
		return strOps["contains"], true
	case "notcontainscs":
		return strOps["contains_cs"], true
	case "containscs":
		return strOps["contains_cs"], false
	}
	if strings.HasPrefix(op, "!") {
		return strOps[op[1:]], true
	}
	return strOps[op], false
}

func (ev *evaluator) compileBinary(e *kql.BinaryExpr, in *table.Table) (
	*cexpr, error) {
	if _, ok := e.X.(*kql.Star); ok {
		return ev.anyColumn(e, in)
	}
	x, err := ev.compile(e.X, in)
	if err != nil {
		return nil, err
	}
	y, err := ev.compile(e.Y, in)
	if err != nil {
		return nil, err
	}
	konst := x.konst && y.konst
	op := e.Op
	switch op {
	case "and", "or":
		return logical(op, x, y), nil
	case ":":
		return stringPredicate(strOps["has"], false, x, y), nil
	case "=":
		// Kusto still reads a single '=' in a predicate as equality.
		e2 := *e
		e2.Op = "=="
		return ev.comparison(&e2, x, y)
	case "==", "!=", "<>", "<", "<=", ">", ">=":
		return ev.comparison(e, x, y)
	case "+", "-", "*", "/", "%":
		t := arithType(op, x.typ, y.typ)
		if t == table.Invalid {
			return nil, errAt(e, "cannot apply %s to %s and %s", op,
				x.typ, y.typ)
		}
		return &cexpr{typ: t, konst: konst, eval: func(row int) value {
			return arith(op, x.eval(row), y.eval(row))
		}}, nil
	case "matches regex":
		return ev.matchesRegex(e, x, y)
	}
	if f, neg := strOp(op); f != nil {
		return stringPredicate(f, neg, x, y), nil
	}
	return nil, notSupported(e, "operator "+op)
}

// logical evaluates and/or with KQL's three-valued logic.
func logical(op string, x, y *cexpr) *cexpr {
	and := op == "and"
	return &cexpr{typ: table.Bool, konst: x.konst && y.konst,
		eval: func(row int) value {
			a := toBool(x.eval(row))
			if !a.Null && (a.I != 0) != and {
				return a // false and ..., true or ...
			}
			b := toBool(y.eval(row))
			switch {
			case !b.Null && (b.I != 0) != and:
				return b
			case a.Null || b.Null:
				return nullOf(table.Bool)
			}
			return b
		}}
}

// comparable reports whether KQL lets values of types a and b be
// compared: within a family (numbers and bools, dates, timespans), and
// text with anything, the text being converted to the other type.
func comparable(a, b table.Type) bool {
	if a == table.Dynamic || b == table.Dynamic || a == table.Invalid ||
		b == table.Invalid || isText(a) || isText(b) {
		return true
	}
	return family(a) == family(b)
}

func family(t table.Type) int {
	switch t {
	case table.Bool, table.Int, table.Long, table.Real, table.Decimal:
		return 1
	case table.DateTime:
		return 2
	case table.TimeSpan:
		return 3
	}
	return 4
}

func (ev *evaluator) comparison(e *kql.BinaryExpr, x, y *cexpr) (*cexpr,
	error) {
	if !comparable(x.typ, y.typ) {
		return nil, errAt(e, "cannot compare %s with %s", x.typ, y.typ)
	}
	op := e.Op
	test := map[string]func(int) bool{
		"==": func(c int) bool { return c == 0 },
		"!=": func(c int) bool { return c != 0 },
		"<>": func(c int) bool { return c != 0 },
		"<":  func(c int) bool { return c < 0 },
		"<=": func(c int) bool { return c <= 0 },
		">":  func(c int) bool { return c > 0 },
		">=": func(c int) bool { return c >= 0 },
	}[op]
	if x.typ == table.String && y.typ == table.String && (op == "==" ||
		op == "!=" || op == "<>") {
		eq := op == "=="
		return &cexpr{typ: table.Bool, konst: x.konst && y.konst,
			eval: func(row int) value {
				return boolVal((x.eval(row).S == y.eval(row).S) == eq)
			}}, nil
	}
	return &cexpr{typ: table.Bool, konst: x.konst && y.konst,
		eval: func(row int) value {
			a, b := x.eval(row), y.eval(row)
			if a.Null || b.Null {
				return nullOf(table.Bool)
			}
			c, ok := compare(a, b)
			if !ok {
				return boolVal(op == "!=" || op == "<>")
			}
			return boolVal(test(c))
		}}, nil
}

// stringPredicate compiles a string operator; a constant right side is
// read once.
func stringPredicate(f func(s, n string) bool, neg bool, x, y *cexpr) *cexpr {
	if y.konst {
		needle := toString(y.eval(0))
		return &cexpr{typ: table.Bool, konst: x.konst,
			eval: func(row int) value {
				return boolVal(f(toString(x.eval(row)), needle) != neg)
			}}
	}
	return &cexpr{typ: table.Bool, konst: x.konst && y.konst,
		eval: func(row int) value {
			s, n := toString(x.eval(row)), toString(y.eval(row))
			return boolVal(f(s, n) != neg)
		}}
}

func (ev *evaluator) matchesRegex(e *kql.BinaryExpr, x, y *cexpr) (*cexpr,
	error) {
	if y.konst {
		re, err := regexp.Compile(toString(y.eval(0)))
		if err != nil {
			return nil, errAt(e.Y, "bad regular expression: %v", err)
		}
		return &cexpr{typ: table.Bool, konst: x.konst,
			eval: func(row int) value {
				return boolVal(re.MatchString(toString(x.eval(row))))
			}}, nil
	}
	return &cexpr{typ: table.Bool, eval: func(row int) value {
		re := ev.fn.regexp(toString(y.eval(row)))
		return boolVal(re != nil && re.MatchString(toString(x.eval(row))))
	}}, nil
}

// compileIn compiles in, !in, in~, !in~, has_any and has_all. Items may
// be scalars, dynamic arrays, or tables (their first column).
func (ev *evaluator) compileIn(e *kql.InExpr, in *table.Table) (*cexpr,
	error) {
	x, err := ev.compile(e.X, in)
	if err != nil {
		return nil, err
	}
	items, konst, err := ev.inItems(e, in)
	if err != nil {
		return nil, err
	}
	op := e.Op
	neg := strings.HasPrefix(op, "!")
	base := strings.TrimPrefix(op, "!")
	switch base {
	case "in", "in~":
		fold := base == "in~"
		if konst {
			set := newValueSet(flatten(items, 0), fold)
			return &cexpr{typ: table.Bool, konst: x.konst,
				eval: func(row int) value {
					v := x.eval(row)
					if v.Null {
						return boolVal(neg)
					}
					return boolVal(set.has(v) != neg)
				}}, nil
		}
		return &cexpr{typ: table.Bool, eval: func(row int) value {
			set := newValueSet(flatten(items, row), fold)
			return boolVal(set.has(x.eval(row)) != neg)
		}}, nil
	case "has_any", "has_all", "has_any_cs", "has_all_cs":
		cs := strings.HasSuffix(base, "_cs")
		all := strings.HasPrefix(base, "has_all")
		return &cexpr{typ: table.Bool, konst: x.konst && konst,
			eval: hasAnyAll(x, items, konst, cs, all, neg)}, nil
	}
	return nil, notSupported(e, "operator "+op)
}

func hasAnyAll(x *cexpr, items []*cexpr, konst, cs, all,
	neg bool) func(int) value {
	var needles []string
	if konst {
		for _, v := range flatten(items, 0) {
			needles = append(needles, toString(v))
		}
	}
	return func(row int) value {
		ns := needles
		if !konst {
			ns = ns[:0]
			for _, v := range flatten(items, row) {
				ns = append(ns, toString(v))
			}
		}
		s := toString(x.eval(row))
		hit := all
		for _, n := range ns {
			if has(s, n, cs) != all {
				hit = !all
				break
			}
		}
		if all && len(ns) == 0 {
			hit = false
		}
		return boolVal(hit != neg)
	}
}

// inItems compiles the list of an in-expression; konst is true when every
// item is constant.
func (ev *evaluator) inItems(e *kql.InExpr, in *table.Table) (
	[]*cexpr, bool, error) {
	var items []*cexpr
	konst := true
	for _, it := range e.List {
		if ev.isTabular(it) {
			t, err := ev.tabular(it)
			if err != nil {
				return nil, false, err
			}
			items = append(items, columnItems(t)...)
			continue
		}
		c, err := ev.compile(it, in)
		if err != nil {
			return nil, false, err
		}
		konst = konst && c.konst
		items = append(items, c)
	}
	return items, konst, nil
}

// columnItems turns the first column of t into constant items.
func columnItems(t *table.Table) []*cexpr {
	if len(t.Columns) == 0 {
		return nil
	}
	col := t.Columns[0]
	vals := make([]any, 0, col.Len())
	for i := 0; i < col.Len(); i++ {
		vals = append(vals, dyn(cloneStr(readCell(col, i))))
	}
	return []*cexpr{constExpr(dynVal(vals), "")}
}

// flatten evaluates items for a row, expanding dynamic arrays.
func flatten(items []*cexpr, row int) []value {
	var out []value
	for _, it := range items {
		v := it.eval(row)
		if v.Type == table.Dynamic && !v.Null {
			if arr, ok := dyn(v).([]any); ok {
				for _, x := range arr {
					out = append(out, fromDyn(x))
				}
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// valueSet answers membership for in and in~.
type valueSet struct {
	fold bool
	strs map[string]struct{}
	vals map[vkey]struct{}
}

func newValueSet(vs []value, fold bool) *valueSet {
	s := &valueSet{fold: fold, strs: map[string]struct{}{},
		vals: map[vkey]struct{}{}}
	for _, v := range vs {
		v = unwrap(v)
		if v.Null {
			continue
		}
		if isText(v.Type) {
			s.strs[s.norm(v.S)] = struct{}{}
			continue
		}
		s.vals[numKey(v)] = struct{}{}
	}
	return s
}

func (s *valueSet) norm(str string) string {
	if s.fold {
		return strings.ToLower(str)
	}
	return str
}

// numKey makes equal numbers of different types one key.
func numKey(v value) vkey {
	if v.Type.Numeric() && !isInteger(v.Type) && v.F == float64(int64(v.F)) {
		return vkey{t: table.Long, i: int64(v.F)}
	}
	return keyOf(v)
}

func (s *valueSet) has(v value) bool {
	v = unwrap(v)
	if v.Null {
		return false
	}
	if isText(v.Type) {
		_, ok := s.strs[s.norm(v.S)]
		return ok
	}
	if _, ok := s.vals[numKey(v)]; ok {
		return true
	}
	// A number against a list of text compares as text, as == does:
	// LocalPort in ("445") finds port 445.
	if len(s.strs) > 0 {
		_, ok := s.strs[s.norm(toString(v))]
		return ok
	}
	return false
}
