package table

import "slices"

// Grow makes room in c for n more values and, for a String, GUID or
// Dynamic column, bytes more bytes of text, so that appending them does
// not reallocate. A caller that knows the final size of a column, such as
// a generator copying finished data in, saves the repeated copying of
// append growth and leaves no unused capacity.
func (c *Column) Grow(n, bytes int) {
	switch c.Type.store() {
	case storeInts:
		c.ints = slices.Grow(c.ints, n)
	case storeReals:
		c.reals = slices.Grow(c.reals, n)
	default:
		c.ends = slices.Grow(c.ends, n)
		c.data = slices.Grow(c.data, bytes)
	}
}
