package table

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Value is one scalar boxed with its type, for the places that handle a
// single cell: the detail view, a sort key, a literal. Which field holds
// the value follows the column stores: I for bool, int, long, datetime and
// timespan; F for real and decimal; S for string, guid and dynamic (JSON).
type Value struct {
	Type Type
	Null bool
	I    int64
	F    float64
	S    string
}

// Null returns a null of type t.
func Null(t Type) Value { return Value{Type: t, Null: true} }

// TicksPerSecond is the number of 100 ns ticks in a second.
const TicksPerSecond = 10_000_000

// TimeToTicks converts t to ticks of 100 ns since the Unix epoch.
func TimeToTicks(t time.Time) int64 {
	return t.Unix()*TicksPerSecond + int64(t.Nanosecond()/100)
}

// TicksToTime converts ticks of 100 ns since the Unix epoch to a UTC time.
func TicksToTime(ticks int64) time.Time {
	sec, rem := ticks/TicksPerSecond, ticks%TicksPerSecond
	if rem < 0 {
		sec--
		rem += TicksPerSecond
	}
	return time.Unix(sec, rem*100).UTC()
}

// DurationToTicks converts d to ticks of 100 ns, truncating.
func DurationToTicks(d time.Duration) int64 { return int64(d / 100) }

// TicksToDuration converts ticks of 100 ns to a Duration, saturating at
// the Duration range (about 292 years).
func TicksToDuration(ticks int64) time.Duration {
	if ticks > math.MaxInt64/100 {
		return math.MaxInt64
	}
	if ticks < math.MinInt64/100 {
		return math.MinInt64
	}
	return time.Duration(ticks * 100)
}

// FormatDateTime renders ticks as ISO 8601 in UTC with as many fractional
// digits as needed (at most 7), as in "2026-11-05T10:20:30.1234567Z".
func FormatDateTime(ticks int64) string {
	return string(AppendDateTime(nil, ticks))
}

// AppendDateTime appends FormatDateTime(ticks) to dst.
func AppendDateTime(dst []byte, ticks int64) []byte {
	t := TicksToTime(ticks)
	dst = t.AppendFormat(dst, "2006-01-02T15:04:05")
	if frac := ticks % TicksPerSecond; frac != 0 {
		if frac < 0 {
			frac += TicksPerSecond
		}
		dst = appendFraction(dst, frac)
	}
	return append(dst, 'Z')
}

// appendFraction appends "." and frac (0 < frac < 1e7) as seven digits
// with trailing zeros trimmed.
func appendFraction(dst []byte, frac int64) []byte {
	var buf [8]byte
	buf[0] = '.'
	for i := 7; i >= 1; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := 8
	for buf[n-1] == '0' {
		n--
	}
	return append(dst, buf[:n]...)
}

// FormatTimeSpan renders ticks the way KQL does: "[-][d.]hh:mm:ss[.fffffff]",
// as in "1.02:03:04.5" or "00:00:30".
func FormatTimeSpan(ticks int64) string {
	return string(AppendTimeSpan(nil, ticks))
}

// AppendTimeSpan appends FormatTimeSpan(ticks) to dst.
func AppendTimeSpan(dst []byte, ticks int64) []byte {
	u := uint64(ticks)
	if ticks < 0 {
		dst = append(dst, '-')
		u = uint64(-(ticks + 1)) + 1 // safe for MinInt64
	}
	frac := u % TicksPerSecond
	secs := u / TicksPerSecond
	days := secs / 86400
	secs %= 86400
	if days > 0 {
		dst = strconv.AppendUint(dst, days, 10)
		dst = append(dst, '.')
	}
	dst = append2(dst, secs/3600)
	dst = append(dst, ':')
	dst = append2(dst, secs/60%60)
	dst = append(dst, ':')
	dst = append2(dst, secs%60)
	if frac != 0 {
		dst = appendFraction(dst, int64(frac))
	}
	return dst
}

func append2(dst []byte, v uint64) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// FormatReal renders f the shortest way that reads back the same; NaN
// and the infinities as KQL prints them.
func FormatReal(f float64) string {
	return string(AppendReal(nil, f))
}

// AppendReal appends FormatReal(f) to dst.
func AppendReal(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

// Text renders v for display: ISO datetimes, KQL timespans, JSON for
// dynamic, "" for null. Callers that must tell null from "" check Null.
func (v Value) Text() string {
	if v.Null {
		return ""
	}
	switch v.Type {
	case Bool:
		return strconv.FormatBool(v.I != 0)
	case Int, Long:
		return strconv.FormatInt(v.I, 10)
	case Real, Decimal:
		return FormatReal(v.F)
	case DateTime:
		return FormatDateTime(v.I)
	case TimeSpan:
		return FormatTimeSpan(v.I)
	}
	return v.S
}

// Format renders value i of c as Value.Text does, without boxing.
func (c *Column) Format(i int) string {
	if c.IsNull(i) {
		return ""
	}
	switch c.Type {
	case Bool:
		return strconv.FormatBool(c.ints[i] != 0)
	case Int, Long:
		return strconv.FormatInt(c.ints[i], 10)
	case Real, Decimal:
		return FormatReal(c.reals[i])
	case DateTime:
		return FormatDateTime(c.ints[i])
	case TimeSpan:
		return FormatTimeSpan(c.ints[i])
	}
	return c.Str(i)
}

// AppendJSON appends value i of c as a JSON value, in the encoding the
// hunting APIs use: numbers for int, long and real (NaN and infinities as
// strings), strings for datetime (7 fractional digits), timespan, guid and
// text, the JSON itself for dynamic, null for null.
func (c *Column) AppendJSON(dst []byte, i int) []byte {
	if c.IsNull(i) {
		return append(dst, "null"...)
	}
	switch c.Type {
	case Bool:
		return strconv.AppendBool(dst, c.ints[i] != 0)
	case Int, Long:
		return strconv.AppendInt(dst, c.ints[i], 10)
	case Real, Decimal:
		f := c.reals[i]
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return strconv.AppendQuote(dst, FormatReal(f))
		}
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	case DateTime:
		t := TicksToTime(c.ints[i])
		dst = append(dst, '"')
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05.0000000Z")
		return append(dst, '"')
	case TimeSpan:
		dst = append(dst, '"')
		dst = AppendTimeSpan(dst, c.ints[i])
		return append(dst, '"')
	case Dynamic:
		if b := c.Bytes(i); json.Valid(b) {
			return append(dst, b...)
		}
	}
	// Invalid UTF-8 becomes U+FFFD; the error only reports that it did.
	dst, _ = jsontext.AppendQuote(dst, c.Bytes(i))
	return dst
}
