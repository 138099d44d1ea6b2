package table

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"unicode/utf8"
	"unsafe"
)

// The binary encoding of a Table is columnar, so that saving and loading a
// cached result copies each column's stores in bulk instead of walking
// cells. All integers are little-endian; counts are uvarints.
//
//	magic "AHTB", version byte
//	uvarint rows, uvarint columns
//	per column:
//	  uvarint name length, name bytes, type byte, flags byte (1 = nulls)
//	  if nulls: (rows+63)/64 words of the null bitset, 8 bytes each
//	  ints and reals: rows values, 8 bytes each
//	  strings: rows end offsets, 4 bytes each, then the arena
//	  (its length is the last end offset)
//	CRC-32C of everything before it, 4 bytes
const (
	binaryMagic   = "AHTB"
	binaryVersion = 1
	flagNulls     = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// littleEndian is true on the machines where a column's stores are laid
// out in memory exactly as the encoding wants them.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// ErrBinaryFormat is wrapped by every error UnmarshalBinary returns for
// input that is not a valid encoding.
var ErrBinaryFormat = errors.New("invalid table encoding")

// MarshalBinary encodes t in ahunt's versioned columnar binary format.
func (t *Table) MarshalBinary() ([]byte, error) {
	return t.AppendBinary(make([]byte, 0, t.binarySize()))
}

// AppendBinary appends the encoding of MarshalBinary to dst. It fails
// when the columns differ in length or a name is not valid UTF-8.
func (t *Table) AppendBinary(dst []byte) ([]byte, error) {
	if err := t.Validate(); err != nil {
		return dst, fmt.Errorf("encode table: %w", err)
	}
	start := len(dst)
	dst = append(dst, binaryMagic...)
	dst = append(dst, binaryVersion)
	dst = binary.AppendUvarint(dst, uint64(t.Rows()))
	dst = binary.AppendUvarint(dst, uint64(len(t.Columns)))
	for _, c := range t.Columns {
		if !utf8.ValidString(c.Name) {
			return dst[:start], fmt.Errorf(
				"encode table: column name %q is not UTF-8", c.Name)
		}
		dst = c.appendBinary(dst)
	}
	sum := crc32.Checksum(dst[start:], castagnoli)
	return binary.LittleEndian.AppendUint32(dst, sum), nil
}

// binarySize returns the length of t's encoding, give or take a few bytes
// of varints.
func (t *Table) binarySize() int {
	n := len(binaryMagic) + 1 + 2*binary.MaxVarintLen64 + 4
	for _, c := range t.Columns {
		n += binary.MaxVarintLen64 + len(c.Name) + 2 + c.Size()
	}
	return n
}

func (c *Column) appendBinary(dst []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(c.Name)))
	dst = append(dst, c.Name...)
	dst = append(dst, byte(c.Type))
	if c.nulls == nil {
		dst = append(dst, 0)
	} else {
		dst = append(dst, flagNulls)
		words := make([]uint64, nullWords(c.n))
		copy(words, c.nulls)
		dst = appendWords(dst, words)
	}
	switch c.Type.store() {
	case storeInts:
		return appendWords(dst, c.ints[:c.n])
	case storeReals:
		return appendWords(dst, c.reals[:c.n])
	}
	dst = appendEnds(dst, c.ends[:c.n])
	end := 0
	if c.n > 0 {
		end = int(c.ends[c.n-1])
	}
	return append(dst, c.data[:end]...)
}

func nullWords(rows int) int { return (rows + 63) / 64 }

// appendWords appends 64-bit values little-endian: one copy of their
// memory where the machine is little-endian.
func appendWords[T int64 | uint64 | float64](dst []byte, v []T) []byte {
	if littleEndian {
		if len(v) == 0 {
			return dst
		}
		b := unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 8*len(v))
		return append(dst, b...)
	}
	for _, x := range v {
		dst = binary.LittleEndian.AppendUint64(dst, word(x))
	}
	return dst
}

func word[T int64 | uint64 | float64](x T) uint64 {
	switch x := any(x).(type) {
	case float64:
		return math.Float64bits(x)
	case int64:
		return uint64(x)
	}
	return uint64(x)
}

func appendEnds(dst []byte, ends []uint32) []byte {
	if littleEndian {
		if len(ends) == 0 {
			return dst
		}
		b := unsafe.Slice((*byte)(unsafe.Pointer(&ends[0])), 4*len(ends))
		return append(dst, b...)
	}
	for _, e := range ends {
		dst = binary.LittleEndian.AppendUint32(dst, e)
	}
	return dst
}

// UnmarshalBinary replaces t's columns with those decoded from data, an
// encoding made by MarshalBinary. It copies what it keeps of data. Input
// that is truncated, corrupt or of an unknown version is rejected with an
// error wrapping ErrBinaryFormat that says what is wrong and at which byte
// offset; t is left unchanged then.
func (t *Table) UnmarshalBinary(data []byte) error {
	cols, err := decodeTable(data)
	if err != nil {
		return fmt.Errorf("decode table: %w", err)
	}
	t.Columns = cols
	return nil
}

// decoder reads an encoding front to back and remembers the first error.
type decoder struct {
	buf []byte
	off int
}

func (d *decoder) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s at byte %d", ErrBinaryFormat,
		fmt.Sprintf(format, args...), d.off)
}

func (d *decoder) left() int { return len(d.buf) - d.off }

func (d *decoder) take(n int, what string) ([]byte, error) {
	if n < 0 || n > d.left() {
		return nil, d.fail("truncated %s: need %d bytes, have %d",
			what, n, d.left())
	}
	b := d.buf[d.off : d.off+n : d.off+n]
	d.off += n
	return b, nil
}

func (d *decoder) uvarint(what string, max uint64) (int, error) {
	v, n := binary.Uvarint(d.buf[d.off:])
	if n <= 0 {
		return 0, d.fail("truncated or overlong %s", what)
	}
	if v > max {
		return 0, d.fail("%s %d over the limit of %d", what, v, max)
	}
	d.off += n
	return int(v), nil
}

func decodeTable(data []byte) ([]*Column, error) {
	d := &decoder{buf: data}
	if err := d.header(); err != nil {
		return nil, err
	}
	// Each value takes at least 4 bytes and each column at least 3, which
	// bounds the counts by the input size before anything is allocated.
	rows, err := d.uvarint("row count", uint64(d.left()/4))
	if err != nil {
		return nil, err
	}
	ncols, err := d.uvarint("column count", uint64(d.left()/3))
	if err != nil {
		return nil, err
	}
	if ncols == 0 && rows != 0 {
		return nil, d.fail("%d rows but no columns", rows)
	}
	if ncols > 0 && rows > d.left()/4/ncols {
		return nil, d.fail("%d rows of %d columns exceed the input size",
			rows, ncols)
	}
	cols := make([]*Column, ncols)
	seen := make(map[string]bool, ncols)
	for i := range cols {
		c, err := d.column(rows)
		if err != nil {
			return nil, fmt.Errorf("column %d: %w", i, err)
		}
		if seen[c.Name] {
			return nil, d.fail("column %q appears twice", c.Name)
		}
		seen[c.Name] = true
		cols[i] = c
	}
	return cols, d.trailer()
}

func (d *decoder) header() error {
	b, err := d.take(len(binaryMagic)+1, "header")
	if err != nil {
		return err
	}
	if string(b[:len(binaryMagic)]) != binaryMagic {
		d.off = 0
		return d.fail("not a table encoding (magic %q)", b[:4])
	}
	if v := b[len(binaryMagic)]; v != binaryVersion {
		d.off = len(binaryMagic)
		return d.fail("unknown version %d (this build reads %d)",
			v, binaryVersion)
	}
	return nil
}

func (d *decoder) trailer() error {
	end := d.off
	b, err := d.take(4, "checksum")
	if err != nil {
		return err
	}
	if d.left() != 0 {
		return d.fail("%d bytes after the checksum", d.left())
	}
	want := binary.LittleEndian.Uint32(b)
	if got := crc32.Checksum(d.buf[:end], castagnoli); got != want {
		d.off = end
		return d.fail("checksum mismatch: data %08x, stored %08x", got, want)
	}
	return nil
}

func (d *decoder) column(rows int) (*Column, error) {
	nameLen, err := d.uvarint("name length", uint64(d.left()))
	if err != nil {
		return nil, err
	}
	name, err := d.take(nameLen, "name")
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(name) {
		return nil, d.fail("column name is not UTF-8")
	}
	tf, err := d.take(2, "type and flags")
	if err != nil {
		return nil, err
	}
	typ, flags := Type(tf[0]), tf[1]
	if typ == Invalid || typ.String() == "invalid" {
		d.off -= 2
		return nil, d.fail("unknown column type %d", tf[0])
	}
	if flags&^flagNulls != 0 {
		d.off--
		return nil, d.fail("unknown column flags %#x", flags)
	}
	c := &Column{Name: string(name), Type: typ, n: rows}
	if flags&flagNulls != 0 {
		if c.nulls, err = d.nulls(rows); err != nil {
			return nil, err
		}
	}
	return c, d.values(c)
}

func (d *decoder) nulls(rows int) ([]uint64, error) {
	b, err := d.take(8*nullWords(rows), "null bitset")
	if err != nil {
		return nil, err
	}
	words := decodeWords[uint64](b)
	if tail := rows & 63; tail != 0 && words[len(words)-1]>>tail != 0 {
		d.off -= 8
		return nil, d.fail("null bits set beyond the last row")
	}
	return words, nil
}

func (d *decoder) values(c *Column) error {
	switch c.Type.store() {
	case storeInts:
		b, err := d.take(8*c.n, "values")
		c.ints = decodeWords[int64](b)
		return err
	case storeReals:
		b, err := d.take(8*c.n, "values")
		c.reals = decodeWords[float64](b)
		return err
	}
	b, err := d.take(4*c.n, "string offsets")
	if err != nil {
		return err
	}
	c.ends = make([]uint32, c.n)
	prev := uint32(0)
	for i := range c.ends {
		e := binary.LittleEndian.Uint32(b[4*i:])
		if e < prev {
			d.off -= 4 * (c.n - i)
			return d.fail("string offset %d goes back (%d after %d)",
				i, e, prev)
		}
		c.ends[i], prev = e, e
	}
	arena, err := d.take(int(prev), "string data")
	if err != nil {
		return err
	}
	c.data = append([]byte(nil), arena...)
	return nil
}

// decodeWords copies little-endian 64-bit values out of b, whose length
// is a multiple of 8.
func decodeWords[T int64 | uint64 | float64](b []byte) []T {
	v := make([]T, len(b)/8)
	if littleEndian {
		if len(v) > 0 {
			dst := unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(b))
			copy(dst, b)
		}
		return v
	}
	for i := range v {
		v[i] = fromWord[T](binary.LittleEndian.Uint64(b[8*i:]))
	}
	return v
}

func fromWord[T int64 | uint64 | float64](w uint64) T {
	var zero T
	switch any(zero).(type) {
	case float64:
		return any(math.Float64frombits(w)).(T)
	case int64:
		return any(int64(w)).(T)
	}
	return any(w).(T)
}
