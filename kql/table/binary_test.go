package table

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// sampleTable returns a table of every type with nulls, empty strings,
// NaN and the extremes of each store.
func sampleTable() *Table {
	cols := map[Type]*Column{}
	var order []*Column
	for _, typ := range []Type{Bool, Int, Long, Real, Decimal, String,
		DateTime, TimeSpan, GUID, Dynamic} {
		c := NewColumn(typ.String()+"Col", typ, 0)
		cols[typ] = c
		order = append(order, c)
	}
	for i := range 70 {
		for _, c := range order {
			if i%7 == 3 {
				c.AppendNull()
				continue
			}
			appendSample(c, i)
		}
	}
	return New(order...)
}

func appendSample(c *Column, i int) {
	switch c.Type {
	case Bool:
		c.AppendBool(i%2 == 0)
	case Int, Long, TimeSpan:
		vals := []int64{0, -1, math.MaxInt64, math.MinInt64, int64(i)}
		c.AppendInt(vals[i%len(vals)])
	case DateTime:
		t := time.Date(2026, 12, 3, 10, 0, i, 1234500, time.UTC)
		c.AppendTime(t)
	case Real, Decimal:
		vals := []float64{0, math.NaN(), math.Inf(-1), -0.5, float64(i)}
		c.AppendReal(vals[i%len(vals)])
	default:
		vals := []string{"", "é ünïcode", `{"a":[1,2]}`,
			strings.Repeat("x", i)}
		c.AppendString(vals[i%len(vals)])
	}
}

// equalTables reports the first difference between a and b, or "".
func equalTables(a, b *Table) string {
	if len(a.Columns) != len(b.Columns) || a.Rows() != b.Rows() {
		return fmt.Sprintf("shape %d×%d, want %d×%d",
			b.Rows(), len(b.Columns), a.Rows(), len(a.Columns))
	}
	for j, ca := range a.Columns {
		cb := b.Columns[j]
		if ca.Name != cb.Name || ca.Type != cb.Type {
			return fmt.Sprintf("column %d is %s:%s, want %s:%s",
				j, cb.Name, cb.Type, ca.Name, ca.Type)
		}
		for i := range ca.Len() {
			va, vb := ca.Value(i), cb.Value(i)
			if va.Null != vb.Null || va.I != vb.I || va.S != vb.S ||
				math.Float64bits(va.F) != math.Float64bits(vb.F) {
				return fmt.Sprintf("%s[%d] = %+v, want %+v",
					ca.Name, i, vb, va)
			}
		}
	}
	return ""
}

func TestBinaryRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		table *Table
	}{
		{"no columns", New()},
		{"no rows", New(NewColumn("A", String, 0), NewColumn("B", Long, 0))},
		{"every type with nulls", sampleTable()},
		{"64 rows exactly", sampleTable().Gather(seq(64))},
		{"one null row", func() *Table {
			c := NewColumn("", Dynamic, 1)
			c.AppendNull()
			return New(c)
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.table.MarshalBinary()
			if err != nil {
				t.Fatalf("MarshalBinary: %v", err)
			}
			var got Table
			if err := got.UnmarshalBinary(b); err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			if diff := equalTables(tt.table, &got); diff != "" {
				t.Error(diff)
			}
			// A decoded table must still grow like any other.
			for _, c := range got.Columns {
				appendSample(c, 5)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("after append: %v", err)
			}
		})
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestMarshalBinaryRejects(t *testing.T) {
	a, b := NewColumn("A", Long, 1), NewColumn("B", Long, 0)
	a.AppendInt(1)
	bad := NewColumn("\xff", Long, 0)
	tests := []struct {
		name  string
		table *Table
		want  string
	}{
		{"ragged", New(a, b), `column "B" has 0 rows, want 1`},
		{"bad name", New(bad), "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.table.MarshalBinary()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestUnmarshalBinaryRejects(t *testing.T) {
	good, err := sampleTable().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	patch := func(off int, b ...byte) []byte {
		out := bytes.Clone(good)
		copy(out[off:], b)
		return out
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated header"},
		{"magic", patch(0, 'X'), "not a table encoding"},
		{"version", patch(4, 9), "unknown version 9"},
		{"checksum", patch(len(good)-1, good[len(good)-1]^1),
			"checksum mismatch"},
		{"trailing", append(bytes.Clone(good), 0), "after the checksum"},
		{"rows over size", append([]byte("AHTB\x01"), 0xff, 0xff, 0x03),
			"row count"},
		{"type", patch(5+2+1+len("boolCol"), 0xee), "unknown column type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Table
			err := got.UnmarshalBinary(tt.data)
			if !errors.Is(err, ErrBinaryFormat) ||
				!strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want ErrBinaryFormat with %q",
					err, tt.want)
			}
		})
	}
}

// TestUnmarshalBinaryDamage checks every truncation and every single
// flipped byte of a valid encoding is an error.
func TestUnmarshalBinaryDamage(t *testing.T) {
	good, err := sampleTable().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(good) {
		var got Table
		if err := got.UnmarshalBinary(good[:n]); err == nil {
			t.Fatalf("prefix of %d of %d bytes: got no error", n, len(good))
		}
	}
	for i := range good {
		data := bytes.Clone(good)
		data[i] ^= 0x5a
		var got Table
		if err := got.UnmarshalBinary(data); !errors.Is(err, ErrBinaryFormat) {
			t.Fatalf("byte %d flipped: got %v, want ErrBinaryFormat", i, err)
		}
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	for _, tb := range []*Table{New(), sampleTable(),
		sampleTable().Gather([]int{3, 1})} {
		b, err := tb.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got Table
		if err := got.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrBinaryFormat) {
				t.Fatalf("error %v does not wrap ErrBinaryFormat", err)
			}
			return
		}
		again, err := got.MarshalBinary()
		if err != nil {
			t.Fatalf("re-encode a decoded table: %v", err)
		}
		var back Table
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("decode a re-encoded table: %v", err)
		}
		if diff := equalTables(&got, &back); diff != "" {
			t.Fatal(diff)
		}
	})
}

// wideTable returns rows rows of a 30-column table shaped like a
// DeviceProcessEvents result.
func wideTable(rows int) *Table {
	types := []Type{DateTime, String, String, Long, String, String, String,
		Long, String, GUID, String, String, Dynamic, Bool, Real}
	var cols []*Column
	for k := range 30 {
		typ := types[k%len(types)]
		cols = append(cols, NewColumn(fmt.Sprintf("Col%d", k), typ, rows))
	}
	base := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		for k, c := range cols {
			switch c.Type {
			case DateTime:
				c.AppendTime(base.Add(time.Duration(i) * time.Second))
			case Long:
				c.AppendInt(int64(i * (k + 1)))
			case Bool:
				c.AppendBool(i%3 == 0)
			case Real:
				c.AppendReal(float64(i) / 7)
			case GUID:
				c.AppendString(fmt.Sprintf(
					"%08x-1b2c-4d5e-8f90-%012x", i%977, i))
			case Dynamic:
				c.AppendString(fmt.Sprintf(`{"Pid":%d,"Tags":["a","b"]}`, i))
			default:
				c.AppendString(fmt.Sprintf(
					`C:\Windows\System32\proc%d.exe -k netsvcs %d`, i%113, k))
			}
		}
	}
	return New(cols...)
}

func BenchmarkMarshalBinary(b *testing.B) {
	tb := wideTable(100_000)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = tb.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkUnmarshalBinary(b *testing.B) {
	data, err := wideTable(100_000).MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var tb Table
		if err := tb.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}
