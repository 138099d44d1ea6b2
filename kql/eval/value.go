package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// value is one scalar during evaluation: a small tagged struct that is
// passed by value, so evaluating a row allocates nothing for numbers,
// dates and strings read from a column.
//
// The field holding the value follows table.Value: I for bool, int, long,
// datetime and timespan (ticks of 100 ns); F for real; S for string and
// guid. A dynamic value holds either its JSON text in S, not yet parsed,
// or its parsed form in D (nil, bool, json.Number, string, []any or
// map[string]any). Strings are never null in KQL: an absent string is "".
type value struct {
	Type table.Type
	Null bool
	I    int64
	F    float64
	S    string
	D    any
}

// nullOf returns a null of type t; a null string is the empty string.
func nullOf(t table.Type) value {
	if t == table.String {
		return value{Type: t}
	}
	return value{Type: t, Null: true}
}

func boolVal(b bool) value {
	v := value{Type: table.Bool}
	if b {
		v.I = 1
	}
	return v
}

func longVal(i int64) value   { return value{Type: table.Long, I: i} }
func realVal(f float64) value { return value{Type: table.Real, F: f} }
func strVal(s string) value   { return value{Type: table.String, S: s} }
func timeVal(t int64) value   { return value{Type: table.DateTime, I: t} }
func spanVal(t int64) value   { return value{Type: table.TimeSpan, I: t} }
func dynVal(d any) value {
	if d == nil {
		return value{Type: table.Dynamic, Null: true}
	}
	return value{Type: table.Dynamic, D: d}
}

// truthy reports whether v is a non-null true bool, as where wants it.
func (v value) truthy() bool {
	v = unwrap(v)
	return !v.Null && v.Type == table.Bool && v.I != 0
}

// isInteger reports whether t is stored as a whole number.
func isInteger(t table.Type) bool { return t == table.Int || t == table.Long }

// num returns a numeric value as a float64.
func (v value) num() float64 {
	if v.Type == table.Real || v.Type == table.Decimal {
		return v.F
	}
	return float64(v.I)
}

// readCell boxes value i of c as a value without copying strings.
func readCell(c *table.Column, i int) value {
	v := value{Type: c.Type}
	if c.IsNull(i) {
		if c.Type != table.String {
			v.Null = true
		}
		return v
	}
	switch c.Type {
	case table.Real, table.Decimal:
		v.F = c.Real(i)
	case table.String, table.GUID, table.Dynamic, table.Invalid:
		v.S = c.Str(i)
		if c.Type == table.Dynamic && v.S == "" {
			v.Null = true
		}
	default:
		v.I = c.Int(i)
	}
	return v
}

// appendCell appends v to c, converting it to c's type first.
func appendCell(c *table.Column, v value) {
	v = convert(v, c.Type)
	if v.Null {
		c.AppendNull()
		return
	}
	switch c.Type {
	case table.Real, table.Decimal:
		c.AppendReal(v.F)
	case table.String, table.GUID:
		c.AppendString(v.S)
	case table.Dynamic:
		c.AppendString(dynText(v))
	default:
		c.AppendInt(v.I)
	}
}

// dynMember returns the parsed form of a value used as an object or
// array: dynamic as it is, and text that holds JSON parsed, since the
// Device* tables keep AdditionalFields as JSON text that queries index
// directly.
func dynMember(v value) any {
	if v.Type == table.String && len(v.S) > 0 &&
		(v.S[0] == '{' || v.S[0] == '[') {
		if d, ok := parseJSON(v.S); ok {
			return d
		}
	}
	return dyn(v)
}

// dyn returns the parsed form of a dynamic value, parsing its JSON text
// if needed. Values of other types become their dynamic equivalents.
func dyn(v value) any {
	if v.Null {
		return nil
	}
	switch v.Type {
	case table.Dynamic:
		if v.D != nil || v.S == "" {
			return v.D
		}
		d, ok := parseJSON(v.S)
		if !ok {
			return v.S
		}
		return d
	case table.Bool:
		return v.I != 0
	case table.Int, table.Long:
		return json.Number(strconv.FormatInt(v.I, 10))
	case table.Real, table.Decimal:
		if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
			return table.FormatReal(v.F)
		}
		return json.Number(table.FormatReal(v.F))
	case table.DateTime:
		return table.FormatDateTime(v.I)
	case table.TimeSpan:
		return table.FormatTimeSpan(v.I)
	}
	return v.S
}

// parseJSON decodes text keeping numbers exact; ok is false when text is
// not one JSON value.
func parseJSON(text string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var d any
	if err := dec.Decode(&d); err != nil {
		return nil, false
	}
	if dec.More() {
		return nil, false
	}
	return d, true
}

// dynText renders a dynamic value as compact JSON.
func dynText(v value) string {
	if v.Type == table.Dynamic && v.D == nil && v.S != "" {
		return v.S
	}
	return jsonText(dyn(v))
}

// jsonText renders a parsed dynamic value as compact JSON with object
// keys in sorted order.
func jsonText(d any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return "null"
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// fromDyn turns a parsed dynamic scalar into a typed value; arrays,
// objects and JSON null stay dynamic.
func fromDyn(d any) value {
	switch x := d.(type) {
	case nil:
		return value{Type: table.Dynamic, Null: true}
	case bool:
		return boolVal(x)
	case string:
		return strVal(x)
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return longVal(i)
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return realVal(f)
	case float64:
		return realVal(x)
	}
	return value{Type: table.Dynamic, D: d}
}

// unwrap turns a dynamic scalar into its typed value, so that operators
// compare dynamic numbers and strings as KQL does. Other values are
// returned as they are.
func unwrap(v value) value {
	if v.Type != table.Dynamic || v.Null {
		return v
	}
	return fromDyn(dyn(v))
}

// toString renders v as tostring() does: "" for null, the text of a
// dynamic string without quotes, JSON for arrays and objects.
func toString(v value) string {
	if v.Null {
		return ""
	}
	switch v.Type {
	case table.String, table.GUID:
		return v.S
	case table.Dynamic:
		d := dyn(v)
		if s, ok := d.(string); ok {
			return s
		}
		if n, ok := d.(json.Number); ok {
			return string(n)
		}
		return jsonText(d)
	}
	return table.Value{Type: v.Type, I: v.I, F: v.F, S: v.S}.Text()
}

// convert changes v to type t where KQL converts implicitly (numbers to
// numbers, anything to string or dynamic); a value that cannot be
// converted becomes null.
func convert(v value, t table.Type) value {
	if v.Type == t || t == table.Invalid {
		return v
	}
	if v.Null {
		return nullOf(t)
	}
	switch t {
	case table.String:
		return strVal(toString(v))
	case table.Dynamic:
		return dynVal(dyn(v))
	case table.GUID:
		return value{Type: t, S: toString(v)}
	}
	v = unwrap(v)
	if v.Type == t {
		return v
	}
	switch t {
	case table.Bool:
		return toBool(v)
	case table.Int, table.Long:
		r := toLong(v)
		r.Type = t
		return r
	case table.Real, table.Decimal:
		r := toReal(v)
		r.Type = t
		return r
	case table.DateTime:
		return toDateTime(v)
	case table.TimeSpan:
		return toTimeSpan(v)
	}
	return nullOf(t)
}

// compare orders two non-null values of comparable types: numbers with
// numbers, strings with strings, and so on. ok is false when they cannot
// be compared.
func compare(a, b value) (c int, ok bool) {
	a, b = unwrap(a), unwrap(b)
	switch {
	case isText(a.Type) && isText(b.Type):
		return strings.Compare(a.S, b.S), true
	case isText(a.Type) && b.Type != table.Dynamic:
		if a = convert(a, b.Type); a.Null {
			return 0, false
		}
	case isText(b.Type) && a.Type != table.Dynamic:
		if b = convert(b, a.Type); b.Null {
			return 0, false
		}
	}
	switch {
	case intLike(a.Type) && intLike(b.Type):
		return cmpInt(a.I, b.I), true
	case family(a.Type) == 1 && family(b.Type) == 1:
		return cmpFloat(a.num(), b.num()), true
	case a.Type == b.Type && a.Type != table.Dynamic:
		return cmpInt(a.I, b.I), true
	case a.Type == table.Dynamic && b.Type == table.Dynamic:
		return strings.Compare(dynText(a), dynText(b)), true
	}
	return 0, false
}

// intLike reports whether t is held as an exact integer: int, long, bool.
func intLike(t table.Type) bool {
	return t == table.Int || t == table.Long || t == table.Bool
}

func isText(t table.Type) bool { return t == table.String || t == table.GUID }

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// equal reports KQL equality; the result is null when either side is.
func equal(a, b value) value {
	if a.Null || b.Null {
		return nullOf(table.Bool)
	}
	c, ok := compare(a, b)
	return boolVal(ok && c == 0)
}

// sortLess orders values for sort and top: nulls compare lowest.
func sortLess(a, b value) int {
	switch {
	case a.Null && b.Null:
		return 0
	case a.Null:
		return -1
	case b.Null:
		return 1
	}
	c, ok := compare(a, b)
	if !ok {
		return strings.Compare(toString(a), toString(b))
	}
	return c
}

// sortedKeys returns the keys of a property bag in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
