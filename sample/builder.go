package sample

import (
	"fmt"

	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
)

// builder fills one table row by row, following the table's schema. A
// generator looks a column up once with col or opt, sets the values of a
// row by index and calls end; columns it did not set get their default
// (an empty string for string columns, null for the rest). Rows whose
// Timestamp falls outside the tenant's window are dropped, so no
// generator has to clip its own events.
//
// Values are kept in the builder's own stores until table is called,
// then copied once into columns of exactly the right size: growing the
// columns by appending would copy the tenant's few hundred megabytes of
// text several times over.
type builder struct {
	name  string
	names []string
	types []table.Type
	byIdx map[string]int

	// The row being set.
	strs  []string
	ints  []int64
	reals []float64
	set   []bool

	store []colStore
	rows  int

	ts       int // index of the Timestamp column, or -1
	from, to int64
}

// colStore holds the finished values of one column.
type colStore struct {
	ints   []int64
	reals  []float64
	lens   []uint32 // string lengths
	chunks [][]byte // string bytes; a chunk is never moved once written
	bytes  int
	nulls  []uint64
}

// Chunks of string bytes start small, for the many short columns, and
// double up to a limit, for the few long ones.
const (
	firstChunk = 4 << 10
	maxChunk   = 1 << 20
)

func newBuilder(name string, capacity int, from, to int64) *builder {
	st, ok := schema.Defender().Table(name)
	if !ok {
		panic("sample: no schema table " + name)
	}
	n := len(st.Columns)
	b := &builder{
		name:  name,
		names: make([]string, n),
		types: make([]table.Type, n),
		byIdx: make(map[string]int, n),
		strs:  make([]string, n),
		ints:  make([]int64, n),
		reals: make([]float64, n),
		set:   make([]bool, n),
		store: make([]colStore, n),
		from:  from,
		to:    to,
	}
	for i, c := range st.Columns {
		b.names[i], b.types[i] = c.Name, c.Type
		b.byIdx[c.Name] = i
		b.store[i].reserve(c.Type, capacity)
	}
	b.ts = b.opt("Timestamp")
	return b
}

func (s *colStore) reserve(typ table.Type, capacity int) {
	switch typ {
	case table.String, table.GUID, table.Dynamic:
		s.lens = make([]uint32, 0, capacity)
	case table.Real, table.Decimal:
		s.reals = make([]float64, 0, capacity)
	default:
		s.ints = make([]int64, 0, capacity)
	}
}

// col returns the index of a column the generator relies on; a missing
// one is a bug in the generator, not bad input.
func (b *builder) col(name string) int {
	i, ok := b.byIdx[name]
	if !ok {
		panic(fmt.Sprintf("sample: table %s has no column %s", b.name, name))
	}
	return i
}

// opt returns the index of a column or -1 when the table lacks it; the
// setters ignore -1, so shared helpers can fill column groups that only
// some tables have.
func (b *builder) opt(name string) int {
	if i, ok := b.byIdx[name]; ok {
		return i
	}
	return -1
}

func (b *builder) str(i int, s string) {
	if i >= 0 {
		b.strs[i], b.set[i] = s, true
	}
}

func (b *builder) long(i int, v int64) {
	if i >= 0 {
		b.ints[i], b.set[i] = v, true
	}
}

func (b *builder) boolean(i int, v bool) {
	if i >= 0 {
		b.ints[i], b.set[i] = 0, true
		if v {
			b.ints[i] = 1
		}
	}
}

func (b *builder) real(i int, v float64) {
	if i >= 0 {
		b.reals[i], b.set[i] = v, true
	}
}

// time sets a datetime column; a zero tick count leaves it null.
func (b *builder) time(i int, ticks int64) {
	if ticks != 0 {
		b.long(i, ticks)
	}
}

// end appends the row and clears it for the next one.
func (b *builder) end() {
	if b.ts >= 0 && b.set[b.ts] {
		if t := b.ints[b.ts]; t < b.from || t >= b.to {
			b.reset()
			return
		}
	}
	for i := range b.store {
		b.keep(i)
	}
	b.rows++
	b.reset()
}

func (b *builder) reset() {
	clear(b.set)
	clear(b.strs) // drop references to the row's strings
}

// keep moves cell i of the current row into its store.
func (b *builder) keep(i int) {
	s := &b.store[i]
	set := b.set[i]
	switch b.types[i] {
	case table.String:
		s.appendString(b.strs[i])
	case table.GUID, table.Dynamic:
		if !set {
			s.setNull(b.rows)
		}
		s.appendString(b.strs[i])
	case table.Real, table.Decimal:
		if !set {
			s.setNull(b.rows)
		}
		s.reals = append(s.reals, b.reals[i])
	default:
		if !set {
			s.setNull(b.rows)
			b.ints[i] = 0
		}
		s.ints = append(s.ints, b.ints[i])
	}
}

func (s *colStore) setNull(row int) {
	w := row >> 6
	for len(s.nulls) <= w {
		s.nulls = append(s.nulls, 0)
	}
	s.nulls[w] |= 1 << (uint(row) & 63)
}

func (s *colStore) isNull(row int) bool {
	w := row >> 6
	return w < len(s.nulls) && s.nulls[w]&(1<<(uint(row)&63)) != 0
}

func (s *colStore) appendString(v string) {
	s.lens = append(s.lens, uint32(len(v)))
	s.bytes += len(v)
	if len(v) == 0 {
		return
	}
	n := len(s.chunks)
	if n == 0 || cap(s.chunks[n-1])-len(s.chunks[n-1]) < len(v) {
		size := firstChunk
		if n > 0 {
			size = min(2*cap(s.chunks[n-1]), maxChunk)
		}
		s.chunks = append(s.chunks, make([]byte, 0, max(size, len(v))))
		n++
	}
	s.chunks[n-1] = append(s.chunks[n-1], v...)
}

// table returns the built table, each column allocated once at its
// final size. The builder must not be used afterwards.
func (b *builder) table() *table.Table {
	cols := make([]*table.Column, len(b.store))
	for i := range b.store {
		cols[i] = b.column(i)
		b.store[i] = colStore{} // let it go before the next column
	}
	return table.New(cols...)
}

func (b *builder) column(i int) *table.Column {
	s := &b.store[i]
	c := table.NewColumn(b.names[i], b.types[i], b.rows)
	switch b.types[i] {
	case table.String, table.GUID, table.Dynamic:
		c.Grow(0, s.bytes)
		chunk, off := 0, 0
		for row, n := range s.lens {
			if s.isNull(row) {
				c.AppendNull()
				continue
			}
			if n > 0 && off+int(n) > len(s.chunks[chunk]) {
				chunk, off = chunk+1, 0
			}
			if n == 0 {
				c.AppendString("")
				continue
			}
			c.AppendBytes(s.chunks[chunk][off : off+int(n)])
			off += int(n)
		}
	case table.Real, table.Decimal:
		for row, v := range s.reals {
			if s.isNull(row) {
				c.AppendNull()
			} else {
				c.AppendReal(v)
			}
		}
	default:
		for row, v := range s.ints {
			if s.isNull(row) {
				c.AppendNull()
			} else {
				c.AppendInt(v)
			}
		}
	}
	return c
}
