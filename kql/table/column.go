package table

import (
	"math"
	"time"
	"unsafe"
)

// Column is one named, typed column of values. Values are held in one
// backing store chosen by the type, never as boxed values:
//
//   - Bool, Int, Long, DateTime and TimeSpan in a []int64 (DateTime and
//     TimeSpan as ticks of 100 ns, the precision of KQL);
//   - Real and Decimal in a []float64 (XXX: decimal loses digits beyond
//     float64; no Defender table has a decimal column);
//   - String, GUID and Dynamic as bytes in one arena with end offsets, so a
//     column of 100,000 strings is two allocations, not 100,000.
//
// Nulls are a bitset that stays nil until the first null. A Column only
// grows: values already appended never change, which is what lets Str
// return strings that share the arena without copying.
type Column struct {
	Name string
	Type Type

	n     int
	nulls []uint64
	ints  []int64
	reals []float64
	data  []byte
	ends  []uint32
}

// NewColumn returns an empty column with room for capacity values.
func NewColumn(name string, typ Type, capacity int) *Column {
	c := &Column{Name: name, Type: typ}
	switch typ.store() {
	case storeInts:
		c.ints = make([]int64, 0, capacity)
	case storeReals:
		c.reals = make([]float64, 0, capacity)
	default:
		c.ends = make([]uint32, 0, capacity)
	}
	return c
}

// Len returns the number of values in c.
func (c *Column) Len() int { return c.n }

// IsNull reports whether value i is null.
func (c *Column) IsNull(i int) bool {
	w := i >> 6
	return w < len(c.nulls) && c.nulls[w]&(1<<(uint(i)&63)) != 0
}

// HasNulls reports whether any value of c is null.
func (c *Column) HasNulls() bool { return c.nulls != nil }

// Int returns value i of a Bool, Int, Long, DateTime or TimeSpan column.
// A null reads as 0.
func (c *Column) Int(i int) int64 { return c.ints[i] }

// Real returns value i of a Real or Decimal column. A null reads as 0.
func (c *Column) Real(i int) float64 { return c.reals[i] }

// Bool returns value i of a Bool column. A null reads as false.
func (c *Column) Bool(i int) bool { return c.ints[i] != 0 }

// Str returns value i of a String, GUID or Dynamic column (the JSON text
// for Dynamic). A null reads as "". The string shares the column's memory.
func (c *Column) Str(i int) string {
	b := c.Bytes(i)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Bytes returns value i of a String, GUID or Dynamic column as bytes that
// must not be modified.
func (c *Column) Bytes(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.data[start:c.ends[i]:c.ends[i]]
}

// Time returns value i of a DateTime column as a time in UTC.
func (c *Column) Time(i int) time.Time { return TicksToTime(c.ints[i]) }

// Duration returns value i of a TimeSpan column.
func (c *Column) Duration(i int) time.Duration {
	return TicksToDuration(c.ints[i])
}

// Value returns value i boxed as a Value.
func (c *Column) Value(i int) Value {
	v := Value{Type: c.Type}
	if c.IsNull(i) {
		v.Null = true
		return v
	}
	switch c.Type.store() {
	case storeInts:
		v.I = c.ints[i]
	case storeReals:
		v.F = c.reals[i]
	default:
		v.S = c.Str(i)
	}
	return v
}

// AppendNull appends a null.
func (c *Column) AppendNull() {
	w := c.n >> 6
	for len(c.nulls) <= w {
		c.nulls = append(c.nulls, 0)
	}
	c.nulls[w] |= 1 << (uint(c.n) & 63)
	switch c.Type.store() {
	case storeInts:
		c.ints = append(c.ints, 0)
	case storeReals:
		c.reals = append(c.reals, 0)
	default:
		c.ends = append(c.ends, uint32(len(c.data)))
	}
	c.n++
}

// AppendInt appends to a Bool, Int, Long, DateTime or TimeSpan column.
func (c *Column) AppendInt(v int64) {
	c.ints = append(c.ints, v)
	c.n++
}

// AppendBool appends to a Bool column.
func (c *Column) AppendBool(v bool) {
	var i int64
	if v {
		i = 1
	}
	c.AppendInt(i)
}

// AppendReal appends to a Real or Decimal column.
func (c *Column) AppendReal(v float64) {
	c.reals = append(c.reals, v)
	c.n++
}

// AppendTime appends to a DateTime column.
func (c *Column) AppendTime(t time.Time) { c.AppendInt(TimeToTicks(t)) }

// AppendString appends to a String, GUID or Dynamic column.
func (c *Column) AppendString(s string) {
	c.data = append(c.data, s...)
	c.appendEnd()
}

// AppendBytes appends to a String, GUID or Dynamic column; b is copied.
func (c *Column) AppendBytes(b []byte) {
	c.data = append(c.data, b...)
	c.appendEnd()
}

func (c *Column) appendEnd() {
	if uint64(len(c.data)) > math.MaxUint32 {
		// XXX: a single column over 4 GiB cannot be held; the API caps
		// results far below that, so this only guards against misuse.
		panic("table: string column over 4 GiB")
	}
	c.ends = append(c.ends, uint32(len(c.data)))
	c.n++
}

// AppendValue appends v, which must be null or of the column's storage
// kind (an integer for Long, a string for String, and so on).
func (c *Column) AppendValue(v Value) {
	if v.Null {
		c.AppendNull()
		return
	}
	switch c.Type.store() {
	case storeInts:
		c.AppendInt(v.I)
	case storeReals:
		c.AppendReal(v.F)
	default:
		c.AppendString(v.S)
	}
}

// AppendFrom appends value i of src, which must have the same storage kind.
func (c *Column) AppendFrom(src *Column, i int) {
	if src.IsNull(i) {
		c.AppendNull()
		return
	}
	switch c.Type.store() {
	case storeInts:
		c.AppendInt(src.ints[i])
	case storeReals:
		c.AppendReal(src.reals[i])
	default:
		c.AppendBytes(src.Bytes(i))
	}
}

// Gather returns a new column holding the values at rows, in that order.
// Sorting and filtering a result are a Gather per column.
func (c *Column) Gather(rows []int) *Column {
	out := NewColumn(c.Name, c.Type, len(rows))
	if c.Type.store() == storeStrs {
		size := 0
		for _, r := range rows {
			size += len(c.Bytes(r))
		}
		out.data = make([]byte, 0, size)
	}
	for _, r := range rows {
		out.AppendFrom(c, r)
	}
	return out
}

// Size returns the approximate bytes c holds, for caches and limits.
func (c *Column) Size() int {
	return 8*len(c.ints) + 8*len(c.reals) + len(c.data) + 4*len(c.ends) +
		8*len(c.nulls)
}
