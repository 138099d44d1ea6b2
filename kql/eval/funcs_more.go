package eval

import (
	"crypto/rand"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/ahunt/ahunt/kql/table"
)

func init() {
	def("indexof_regex", 2, 5, fixed(table.Long), indexOfRegex)
	def("has_any_index", 2, 2, fixed(table.Long),
		func(_ *fnCtx, a []value) value {
			s := toString(a[0])
			arr, ok := dyn(a[1]).([]any)
			if !ok {
				return nullOf(table.Long)
			}
			for i, x := range arr {
				if has(s, toString(fromDyn(x)), false) {
					return longVal(int64(i))
				}
			}
			return longVal(-1)
		})
	def("format_bytes", 1, 3, fixed(table.String), formatBytes)
	def("make_string", 1, -1, fixed(table.String), makeString)
	def("unicode_codepoints_from_string", 1, 1, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value {
			out := []any{}
			for _, r := range toString(a[0]) {
				out = append(out, dyn(longVal(int64(r))))
			}
			return dynVal(out)
		})
	def("new_guid", 0, 0, fixed(table.GUID), func(*fnCtx, []value) value {
		var b [16]byte
		_, _ = rand.Read(b[:])
		b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
		return value{Type: table.GUID, S: fmt.Sprintf("%x-%x-%x-%x-%x",
			b[0:4], b[4:6], b[6:8], b[8:10], b[10:])}
	})
	def("base64_decode_toarray", 1, 1, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value {
			b, err := decodeBase64(toString(a[0]))
			if err != nil {
				return nullOf(table.Dynamic)
			}
			out := make([]any, len(b))
			for i, c := range b {
				out[i] = dyn(longVal(int64(c)))
			}
			return dynVal(out)
		})
	def("jaccard_index", 2, 2, fixed(table.Real), jaccardIndex)
	def("rand", 0, 1, randType, func(_ *fnCtx, a []value) value {
		if len(a) == 1 {
			n := toLong(a[0])
			if n.Null || n.I <= 0 {
				return nullOf(table.Long)
			}
			return longVal(mrand.Int64N(n.I))
		}
		return realVal(mrand.Float64())
	})
}

func randType(a []table.Type) table.Type {
	if len(a) == 1 {
		return table.Long
	}
	return table.Real
}

// indexOfRegex is indexof_regex(s, re [, start [, length [, nth]]]):
// the byte index of the nth match at or after start, or -1.
func indexOfRegex(c *fnCtx, a []value) value {
	re := c.regexp(toString(a[1]))
	if re == nil {
		return nullOf(table.Long)
	}
	s := toString(a[0])
	start, _ := intArg(a, 2)
	if start < 0 || start > int64(len(s)) {
		return longVal(-1)
	}
	end := int64(len(s))
	if n, ok := intArg(a, 3); ok && n >= 0 {
		end = min(end, start+n)
	}
	nth := int64(1)
	if n, ok := intArg(a, 4); ok {
		nth = n
	}
	ms := re.FindAllStringIndex(s[start:end], -1)
	if nth < 1 || int64(len(ms)) < nth {
		return longVal(-1)
	}
	return longVal(start + int64(ms[nth-1][0]))
}

// byteUnits are format_bytes' units, in powers of 1024.
var byteUnits = []string{"Bytes", "KB", "MB", "GB", "TB", "PB"}

// formatBytes is format_bytes(n [, precision [, unit]]), as in
// "19.08 MB"; without a unit the largest that keeps the number >= 1.
func formatBytes(_ *fnCtx, a []value) value {
	v := toReal(a[0])
	if v.Null {
		return strVal("")
	}
	prec, _ := intArg(a, 1)
	unit := 0
	if u := strings.ToUpper(strArg(a, 2)); u != "" {
		unit = -1
		for i, name := range byteUnits {
			if strings.ToUpper(name) == u || u == "B" && i == 0 {
				unit = i
			}
		}
		if unit < 0 {
			return strVal("")
		}
	} else {
		for unit+1 < len(byteUnits) &&
			math.Abs(v.F) >= math.Pow(1024, float64(unit+1)) {
			unit++
		}
	}
	n := v.F / math.Pow(1024, float64(unit))
	return strVal(fmt.Sprintf("%.*f %s", max(prec, 0), n, byteUnits[unit]))
}

// makeString is make_string(codepoints...), each argument a number or
// an array of numbers.
func makeString(_ *fnCtx, a []value) value {
	var b strings.Builder
	for _, v := range flattenValues(a) {
		n := toLong(v)
		if n.Null || n.I < 0 || n.I > utf8.MaxRune {
			return strVal("")
		}
		b.WriteRune(rune(n.I))
	}
	return strVal(b.String())
}

// flattenValues expands dynamic arrays among a.
func flattenValues(a []value) []value {
	var out []value
	for _, v := range a {
		if arr, ok := dyn(v).([]any); ok && v.Type == table.Dynamic {
			for _, x := range arr {
				out = append(out, fromDyn(x))
			}
			continue
		}
		out = append(out, v)
	}
	return out
}

// jaccardIndex is |A ∩ B| / |A ∪ B| of two arrays taken as sets; two
// empty sets give 0.
func jaccardIndex(_ *fnCtx, a []value) value {
	x, ok1 := dyn(a[0]).([]any)
	y, ok2 := dyn(a[1]).([]any)
	if !ok1 || !ok2 {
		return nullOf(table.Real)
	}
	sx, sy := map[vkey]bool{}, map[vkey]bool{}
	for _, v := range x {
		sx[keyOf(fromDyn(v))] = true
	}
	for _, v := range y {
		sy[keyOf(fromDyn(v))] = true
	}
	inter := 0
	for k := range sx {
		if sy[k] {
			inter++
		}
	}
	union := len(sx) + len(sy) - inter
	if union == 0 {
		return realVal(0)
	}
	return realVal(float64(inter) / float64(union))
}
