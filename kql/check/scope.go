package check

import (
	"strconv"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// column is one named, typed column of a rowset. typ is Invalid when the
// checker cannot tell the type.
type column struct {
	name string
	typ  table.Type
}

// rowset is what the checker knows of a tabular value: its columns in
// order, and whether more may exist. A rowset's cols may be shared with
// the table it was read from, so an operator changes columns only on a
// rowset it made with clone or derive.
type rowset struct {
	cols []column
	// open means the columns are not all known (after bag_unpack, an
	// unknown table or plugin, column_ifexists, ...): names missing
	// from cols are then not reported.
	open bool
	// unfiltered are the references to large tables that feed these
	// rows with no time filter on the way.
	unfiltered []*kql.Ident
}

// openRows returns rows about which nothing is known.
func openRows() *rowset { return &rowset{open: true} }

// clone returns a copy of r that can be changed without changing r.
func (r *rowset) clone() *rowset {
	return &rowset{
		cols:       append([]column(nil), r.cols...),
		open:       r.open,
		unfiltered: append([]*kql.Ident(nil), r.unfiltered...),
	}
}

// derive returns empty rows that inherit r's openness and unfiltered
// tables, for operators that build a new list of columns.
func (r *rowset) derive() *rowset {
	return &rowset{
		open:       r.open,
		unfiltered: append([]*kql.Ident(nil), r.unfiltered...),
	}
}

// index returns the position of the column named name, or -1.
func (r *rowset) index(name string) int {
	if r == nil {
		return -1
	}
	for i, col := range r.cols {
		if col.name == name {
			return i
		}
	}
	return -1
}

// find returns the column named name and whether it exists.
func (r *rowset) find(name string) (column, bool) {
	if i := r.index(name); i >= 0 {
		return r.cols[i], true
	}
	return column{}, false
}

// set adds a column, or changes the type of the column of that name in
// place, as extend does.
func (r *rowset) set(name string, typ table.Type) {
	if i := r.index(name); i >= 0 {
		r.cols[i].typ = typ
		return
	}
	r.cols = append(r.cols, column{name, typ})
}

// add appends a column under name, or under name1, name2, ... when name
// is taken, as summarize and join do; it returns the name used.
func (r *rowset) add(name string, typ table.Type) string {
	name = r.unique(name)
	r.cols = append(r.cols, column{name, typ})
	return name
}

// unique returns name, or the first of name1, name2, ... that no column
// has.
func (r *rowset) unique(name string) string {
	if r.index(name) < 0 {
		return name
	}
	for i := 1; ; i++ {
		n := name + strconv.Itoa(i)
		if r.index(n) < 0 {
			return n
		}
	}
}

// remove drops the column named name, if any.
func (r *rowset) remove(name string) {
	if i := r.index(name); i >= 0 {
		r.cols = append(r.cols[:i], r.cols[i+1:]...)
	}
}

// names returns the column names in order.
func (r *rowset) names() []string {
	out := make([]string, len(r.cols))
	for i, col := range r.cols {
		out[i] = col.name
	}
	return out
}

// value is what an expression evaluates to: rows for a tabular
// expression, else a scalar of type typ (Invalid when unknown).
type value struct {
	rows *rowset
	typ  table.Type
}

// symbol is a name bound by let, a function parameter or declare.
type symbol struct {
	val     value
	fn      *kql.FuncLit // set for a function; val is then unused
	fnScope *scope       // the scope fn was declared in
}

// scope is one level of let bindings; lookups fall back to the parent.
type scope struct {
	parent *scope
	syms   map[string]*symbol
}

func newScope(parent *scope) *scope {
	return &scope{parent: parent, syms: make(map[string]*symbol)}
}

// bind binds name to sym, hiding any outer binding of the same name.
func (s *scope) bind(name string, sym *symbol) { s.syms[name] = sym }

// lookup returns the innermost binding of name, or nil.
func (s *scope) lookup(name string) *symbol {
	for ; s != nil; s = s.parent {
		if sym, ok := s.syms[name]; ok {
			return sym
		}
	}
	return nil
}

// names calls f with every name bound in s and its parents.
func (s *scope) names(f func(name string, sym *symbol)) {
	for ; s != nil; s = s.parent {
		for n, sym := range s.syms {
			f(n, sym)
		}
	}
}
