package eval

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// toBool converts as tobool() does: numbers are true when non-zero,
// strings "true"/"false" in any case (and "1"/"0"); anything else null.
func toBool(v value) value {
	v = unwrap(v)
	if v.Null {
		return nullOf(table.Bool)
	}
	switch v.Type {
	case table.Bool:
		return v
	case table.Int, table.Long:
		return boolVal(v.I != 0)
	case table.Real, table.Decimal:
		return boolVal(v.F != 0)
	case table.String:
		switch strings.ToLower(strings.TrimSpace(v.S)) {
		case "true", "1":
			return boolVal(true)
		case "false", "0":
			return boolVal(false)
		}
	}
	return nullOf(table.Bool)
}

// toLong converts as tolong() does; reals are truncated toward zero and
// text that is not a number is null.
func toLong(v value) value {
	v = unwrap(v)
	if v.Null {
		return nullOf(table.Long)
	}
	switch v.Type {
	case table.Int, table.Long, table.Bool, table.DateTime, table.TimeSpan:
		return longVal(v.I)
	case table.Real, table.Decimal:
		if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
			return nullOf(table.Long)
		}
		return longVal(int64(v.F))
	case table.String:
		s := strings.TrimSpace(v.S)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return longVal(i)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil &&
			!math.IsNaN(f) && !math.IsInf(f, 0) {
			return longVal(int64(f))
		}
	}
	return nullOf(table.Long)
}

// toReal converts as todouble() does.
func toReal(v value) value {
	v = unwrap(v)
	if v.Null {
		return nullOf(table.Real)
	}
	switch v.Type {
	case table.Real, table.Decimal:
		return realVal(v.F)
	case table.Int, table.Long, table.Bool, table.DateTime, table.TimeSpan:
		return realVal(float64(v.I))
	case table.String:
		s := strings.TrimSpace(v.S)
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return realVal(f)
		}
	}
	return nullOf(table.Real)
}

// unixEpochTicks is 1970-01-01 in .NET ticks (since 0001-01-01), which
// KQL bins dates against.
const unixEpochTicks = 621355968000000000

// dateLayouts are the text forms todatetime() accepts, tried in order.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02 15:04:05.9999999Z07:00",
	"2006-01-02 15:04:05.9999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"01/02/2006 15:04:05",
	"1/2/2006 3:04:05 PM",
	"01/02/2006",
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006",
	"Jan 2 2006",
}

// toDateTime converts as todatetime() does; text is read in the usual
// ISO 8601 and RFC forms, as UTC unless it names a zone.
func toDateTime(v value) value {
	v = unwrap(v)
	if v.Null {
		return nullOf(table.DateTime)
	}
	switch v.Type {
	case table.DateTime:
		return v
	case table.Int, table.Long:
		// KQL reads a number as .NET ticks.
		return timeVal(v.I - unixEpochTicks)
	case table.String:
		if t, ok := parseDateTime(v.S); ok {
			return timeVal(t)
		}
	}
	return nullOf(table.DateTime)
}

// parseDateTime reads s as a date in one of dateLayouts, returning ticks.
func parseDateTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return table.TimeToTicks(t), true
		}
	}
	return 0, false
}

// toTimeSpan converts as totimespan() does: "[-][d.]hh:mm[:ss[.f]]", a
// literal such as "1.5h", or a number of ticks.
func toTimeSpan(v value) value {
	v = unwrap(v)
	if v.Null {
		return nullOf(table.TimeSpan)
	}
	switch v.Type {
	case table.TimeSpan:
		return v
	case table.Int, table.Long:
		return spanVal(v.I)
	case table.Real:
		return spanVal(int64(v.F))
	case table.String:
		if t, ok := parseTimeSpan(v.S); ok {
			return spanVal(t)
		}
	}
	return nullOf(table.TimeSpan)
}

// parseTimeSpan reads a timespan in clock form or literal form, in ticks.
func parseTimeSpan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if t, ok := parseClockSpan(s); ok {
		return t, true
	}
	return parseSpanLiteral(s)
}

// parseClockSpan reads "[-][d.]hh:mm[:ss[.fffffff]]".
func parseClockSpan(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var days int64
	if d, h, ok := strings.Cut(parts[0], "."); ok {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			return 0, false
		}
		days, parts[0] = n, h
	}
	h, err1 := strconv.ParseInt(parts[0], 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	var sec float64
	if len(parts) == 3 {
		f, err := strconv.ParseFloat(parts[2], 64)
		if err != nil {
			return 0, false
		}
		sec = f
	}
	t := ((days*24+h)*60+m)*60*table.TicksPerSecond +
		int64(math.Round(sec*table.TicksPerSecond))
	if neg {
		t = -t
	}
	return t, true
}

// spanUnits maps timespan literal suffixes to ticks.
var spanUnits = map[string]int64{
	"d": 864_000_000_000, "day": 864_000_000_000, "days": 864_000_000_000,
	"h": 36_000_000_000, "hr": 36_000_000_000, "hrs": 36_000_000_000,
	"hour": 36_000_000_000, "hours": 36_000_000_000,
	"m": 600_000_000, "min": 600_000_000, "minute": 600_000_000,
	"minutes": 600_000_000,
	"s":       10_000_000, "sec": 10_000_000, "second": 10_000_000,
	"seconds": 10_000_000,
	"ms":      10_000, "milli": 10_000, "millis": 10_000,
	"millisecond": 10_000, "milliseconds": 10_000,
	"microsecond": 10, "microseconds": 10,
	"tick": 1, "ticks": 1,
}

// parseSpanLiteral reads a KQL timespan literal such as "7d", "1.5h" or
// "30min" and returns its ticks of 100 ns.
func parseSpanLiteral(s string) (int64, bool) {
	i := 0
	for i < len(s) && (s[i] == '.' || s[i] == '-' ||
		(s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	unit, ok := spanUnits[strings.ToLower(s[i:])]
	if !ok || i == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, false
	}
	return int64(math.Round(f * float64(unit))), true
}
