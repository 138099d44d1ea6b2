package table

import "testing"

func TestGrowKeepsValuesAndAvoidsReallocation(t *testing.T) {
	tests := []struct {
		name   string
		typ    Type
		append func(c *Column)
	}{
		{"long", Long, func(c *Column) { c.AppendInt(7) }},
		{"real", Real, func(c *Column) { c.AppendReal(1.5) }},
		{"string", String, func(c *Column) { c.AppendString("abc") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewColumn("x", tt.typ, 0)
			tt.append(c)
			// AllocsPerRun calls the function once to warm up, then once.
			c.Grow(200, 600)
			before := c.Size()
			allocs := testing.AllocsPerRun(1, func() {
				for i := 0; i < 100; i++ {
					tt.append(c)
				}
			})
			if allocs != 0 {
				t.Errorf("got %v allocations after Grow, want 0", allocs)
			}
			if got, want := c.Len(), 201; got != want {
				t.Errorf("got %d values, want %d", got, want)
			}
			if got := c.Format(0); got == "" || c.Size() <= before {
				t.Errorf("first value %q, size %d then %d", got, before,
					c.Size())
			}
		})
	}
}
