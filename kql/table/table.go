package table

import (
	"fmt"
	"strings"
)

// Table is a schema of columns of equal length.
type Table struct {
	Columns []*Column
}

// New returns a table of the given columns, which must be of equal length.
func New(cols ...*Column) *Table { return &Table{Columns: cols} }

// Rows returns the number of rows.
func (t *Table) Rows() int {
	if t == nil || len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Column returns the column named name and its index, or nil and -1.
// Names are matched exactly, as KQL does.
func (t *Table) Column(name string) (*Column, int) {
	for i, c := range t.Columns {
		if c.Name == name {
			return c, i
		}
	}
	return nil, -1
}

// Gather returns a new table holding the given rows, in that order.
func (t *Table) Gather(rows []int) *Table {
	out := &Table{Columns: make([]*Column, len(t.Columns))}
	for i, c := range t.Columns {
		out.Columns[i] = c.Gather(rows)
	}
	return out
}

// Size returns the approximate bytes the table holds.
func (t *Table) Size() int {
	n := 0
	for _, c := range t.Columns {
		n += c.Size()
	}
	return n
}

// Validate reports the first column whose length differs from the first
// column's, or a duplicate column name.
func (t *Table) Validate() error {
	seen := make(map[string]bool, len(t.Columns))
	for _, c := range t.Columns {
		if c.Len() != t.Rows() {
			return fmt.Errorf("column %q has %d rows, want %d",
				c.Name, c.Len(), t.Rows())
		}
		if seen[c.Name] {
			return fmt.Errorf("column %q appears twice", c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// String renders the schema, as in "(Timestamp:datetime, FileName:string)".
func (t *Table) String() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
		b.WriteByte(':')
		b.WriteString(c.Type.String())
	}
	b.WriteByte(')')
	return b.String()
}
