package api

import (
	"fmt"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// parseDateTime parses an API datetime, "2024-03-26T09:39:50.7688641Z",
// into ticks: 0 to 9 fractional digits (beyond 7 truncated), "Z", a
// "+hh:mm" offset or no zone at all (UTC), and "T" or a space between
// date and time.
func parseDateTime(s string) (int64, error) {
	bad := func() (int64, error) {
		return 0, fmt.Errorf("%q is not a datetime", s)
	}
	if len(s) < 19 || s[4] != '-' || s[7] != '-' ||
		(s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return bad()
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
		sec > 59 {
		return bad()
	}
	frac, rest := fraction(s[19:])
	offset, ok := zone(rest)
	if !ok {
		return bad()
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0,
		time.UTC)
	if t.Day() != day {
		return bad() // February 30th and the like
	}
	return table.TimeToTicks(t) + frac - offset*table.TicksPerSecond, nil
}

// digits parses a short run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// fraction parses an optional ".ddd" (up to 9 digits) into ticks and
// returns what follows it.
func fraction(s string) (ticks int64, rest string) {
	if len(s) == 0 || s[0] != '.' {
		return 0, s
	}
	i, scale := 1, int64(1_000_000)
	for ; i < len(s) && i <= 9 && s[i] >= '0' && s[i] <= '9'; i++ {
		ticks += int64(s[i]-'0') * scale
		scale /= 10
	}
	if i == 1 {
		return 0, s // a lone dot: let zone reject it
	}
	return ticks, s[i:]
}

// zone parses "", "Z" or "+hh:mm" / "-hh:mm" into an offset in seconds.
func zone(s string) (int64, bool) {
	switch {
	case s == "" || s == "Z" || s == "z":
		return 0, true
	case len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		h, ok1 := digits(s[1:3])
		m, ok2 := digits(s[4:6])
		if !ok1 || !ok2 || h > 23 || m > 59 {
			return 0, false
		}
		off := int64(h*3600 + m*60)
		if s[0] == '-' {
			off = -off
		}
		return off, true
	}
	return 0, false
}

// parseTimeSpan parses a .NET / KQL timespan, "[-][d.]hh:mm:ss[.fffffff]",
// into ticks.
func parseTimeSpan(s string) (int64, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var days int
	if i := indexByteBefore(s, '.', ':'); i >= 0 {
		d, ok := digits(s[:i])
		if !ok {
			return 0, false
		}
		days, s = d, s[i+1:]
	}
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return 0, false
	}
	h, ok1 := digits(s[0:2])
	m, ok2 := digits(s[3:5])
	sec, ok3 := digits(s[6:8])
	frac, rest := fraction(s[8:])
	if !(ok1 && ok2 && ok3) || rest != "" || h > 23 || m > 59 || sec > 59 {
		return 0, false
	}
	secs := int64(days)*86400 + int64(h*3600+m*60+sec)
	ticks := secs*table.TicksPerSecond + frac
	if neg {
		ticks = -ticks
	}
	return ticks, true
}

// indexByteBefore returns the index of c in s if it comes before the first
// stop, else -1.
func indexByteBefore(s string, c, stop byte) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			return i
		case stop:
			return -1
		}
	}
	return -1
}
