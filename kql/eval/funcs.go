package eval

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// fnCtx is what scalar functions share during one query: the clock, the
// compiled regular expressions, and the first error a function hit.
type fnCtx struct {
	now     int64 // ticks
	regexps map[string]*regexp.Regexp
	err     error
}

// regexp returns the compiled pattern, compiling it once per query. A bad
// pattern is recorded as the query's error.
func (c *fnCtx) regexp(pattern string) *regexp.Regexp {
	if re, ok := c.regexps[pattern]; ok {
		return re
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		if c.err == nil {
			c.err = fmt.Errorf("bad regular expression %q: %w", pattern, err)
		}
		return nil
	}
	if c.regexps == nil {
		c.regexps = make(map[string]*regexp.Regexp)
	}
	c.regexps[pattern] = re
	return re
}

// scalarFn is one built-in scalar function.
type scalarFn struct {
	min, max int // argument counts; max < 0 is unbounded
	// typ returns the result type for the argument types.
	typ func(args []table.Type) table.Type
	// call evaluates the function on one row's arguments.
	call func(c *fnCtx, a []value) value
}

func fixed(t table.Type) func([]table.Type) table.Type {
	return func([]table.Type) table.Type { return t }
}

func argType(i int) func([]table.Type) table.Type {
	return func(a []table.Type) table.Type {
		if i < len(a) {
			return a[i]
		}
		return table.Invalid
	}
}

// strArg returns argument i as text, "" when absent.
func strArg(a []value, i int) string {
	if i >= len(a) {
		return ""
	}
	return toString(a[i])
}

// intArg returns argument i as a long and whether it was present and
// not null.
func intArg(a []value, i int) (int64, bool) {
	if i >= len(a) {
		return 0, false
	}
	v := toLong(a[i])
	return v.I, !v.Null
}

// scalars holds the scalar functions by name. Functions that need the
// query's structure (column_ifexists, toscalar, materialize) are handled
// by the compiler instead.
var scalars map[string]*scalarFn

func init() {
	scalars = map[string]*scalarFn{}
	addConversionFuncs()
	addStringFuncs()
	addTimeFuncs()
	addDynamicFuncs()
	addMathFuncs()
	addNetFuncs()
}

func def(names string, min, max int, typ func([]table.Type) table.Type,
	call func(c *fnCtx, a []value) value) {
	f := &scalarFn{min: min, max: max, typ: typ, call: call}
	for _, n := range strings.Fields(names) {
		scalars[n] = f
	}
}

func addConversionFuncs() {
	def("tostring", 1, 1, fixed(table.String),
		func(_ *fnCtx, a []value) value { return strVal(toString(a[0])) })
	def("toint", 1, 1, fixed(table.Int), func(_ *fnCtx, a []value) value {
		v := toLong(a[0])
		v.Type = table.Int
		if !v.Null {
			v.I = int64(int32(v.I))
		}
		return v
	})
	def("tolong", 1, 1, fixed(table.Long),
		func(_ *fnCtx, a []value) value { return toLong(a[0]) })
	def("todouble toreal", 1, 1, fixed(table.Real),
		func(_ *fnCtx, a []value) value { return toReal(a[0]) })
	def("tobool toboolean", 1, 1, fixed(table.Bool),
		func(_ *fnCtx, a []value) value { return toBool(a[0]) })
	def("todatetime datetime", 1, 1, fixed(table.DateTime),
		func(_ *fnCtx, a []value) value { return toDateTime(a[0]) })
	def("totimespan timespan", 1, 1, fixed(table.TimeSpan),
		func(_ *fnCtx, a []value) value { return toTimeSpan(a[0]) })
	def("toguid", 1, 1, fixed(table.GUID), func(_ *fnCtx, a []value) value {
		return value{Type: table.GUID, S: strings.ToLower(toString(a[0]))}
	})
	def("parse_json todynamic parsejson", 1, 1, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value { return parseJSONValue(a[0]) })
	def("isnull", 1, 1, fixed(table.Bool),
		func(_ *fnCtx, a []value) value { return boolVal(a[0].Null) })
	def("isnotnull notnull", 1, 1, fixed(table.Bool),
		func(_ *fnCtx, a []value) value { return boolVal(!a[0].Null) })
	def("isempty", 1, 1, fixed(table.Bool),
		func(_ *fnCtx, a []value) value { return boolVal(isEmpty(a[0])) })
	def("isnotempty notempty", 1, 1, fixed(table.Bool),
		func(_ *fnCtx, a []value) value { return boolVal(!isEmpty(a[0])) })
	def("not", 1, 1, fixed(table.Bool), func(_ *fnCtx, a []value) value {
		v := toBool(a[0])
		if v.Null {
			return v
		}
		return boolVal(v.I == 0)
	})
	def("iff iif", 3, 3, branchType(1), func(_ *fnCtx, a []value) value {
		if a[0].truthy() {
			return a[1]
		}
		return a[2]
	})
	def("case", 3, -1, branchType(1), func(_ *fnCtx, a []value) value {
		for i := 0; i+1 < len(a); i += 2 {
			if a[i].truthy() {
				return a[i+1]
			}
		}
		return a[len(a)-1]
	})
	def("coalesce", 1, -1, branchType(0), func(_ *fnCtx, a []value) value {
		for _, v := range a {
			if !v.Null && !(v.Type == table.String && v.S == "") {
				return v
			}
		}
		return a[len(a)-1]
	})
}

// branchType types iff, case and coalesce: the type of the first value
// branch, or real when branches mix integers and reals.
func branchType(first int) func([]table.Type) table.Type {
	return func(a []table.Type) table.Type {
		if first >= len(a) {
			return table.Invalid
		}
		t := a[first]
		for i := first; i < len(a); i++ {
			if i != len(a)-1 && first == 1 && (i-first)%2 == 1 {
				continue // a predicate of case()
			}
			switch {
			case a[i] == t || a[i] == table.Invalid:
			case t == table.Invalid:
				t = a[i]
			case t.Numeric() && a[i].Numeric():
				if a[i] == table.Real || t == table.Real {
					t = table.Real
				} else {
					t = table.Long
				}
			}
		}
		return t
	}
}

// isEmpty is true for null and for the empty string.
func isEmpty(v value) bool {
	if v.Null {
		return true
	}
	switch v.Type {
	case table.String, table.GUID:
		return v.S == ""
	case table.Dynamic:
		d := dyn(v)
		s, ok := d.(string)
		return d == nil || ok && s == ""
	}
	return false
}

// parseJSONValue implements parse_json: text that is JSON becomes that
// value, other text becomes a dynamic string, dynamic stays as it is.
func parseJSONValue(v value) value {
	if v.Null || v.Type == table.Dynamic {
		return convert(v, table.Dynamic)
	}
	if v.Type != table.String {
		return dynVal(dyn(v))
	}
	if v.S == "" {
		return nullOf(table.Dynamic)
	}
	d, ok := parseJSON(v.S)
	if !ok {
		return dynVal(v.S)
	}
	return dynVal(d)
}

func addStringFuncs() {
	def("tolower", 1, 1, fixed(table.String), func(_ *fnCtx, a []value) value {
		return strVal(strings.ToLower(toString(a[0])))
	})
	def("toupper", 1, 1, fixed(table.String), func(_ *fnCtx, a []value) value {
		return strVal(strings.ToUpper(toString(a[0])))
	})
	def("strcat", 1, 64, fixed(table.String), func(_ *fnCtx, a []value) value {
		var b strings.Builder
		for _, v := range a {
			b.WriteString(toString(v))
		}
		return strVal(b.String())
	})
	def("strcat_delim", 2, 64, fixed(table.String),
		func(_ *fnCtx, a []value) value {
			parts := make([]string, 0, len(a)-1)
			for _, v := range a[1:] {
				parts = append(parts, toString(v))
			}
			return strVal(strings.Join(parts, toString(a[0])))
		})
	def("strlen", 1, 1, fixed(table.Long), func(_ *fnCtx, a []value) value {
		return longVal(int64(len([]rune(toString(a[0])))))
	})
	def("string_size", 1, 1, fixed(table.Long),
		func(_ *fnCtx, a []value) value {
			return longVal(int64(len(toString(a[0]))))
		})
	def("substring", 2, 3, fixed(table.String), substring)
	def("indexof", 2, 5, fixed(table.Long), indexOf)
	def("countof", 2, 3, fixed(table.Long), countOf)
	def("trim", 2, 2, fixed(table.String), trimFunc(true, true))
	def("trim_start", 2, 2, fixed(table.String), trimFunc(true, false))
	def("trim_end", 2, 2, fixed(table.String), trimFunc(false, true))
	def("replace_string", 3, 3, fixed(table.String),
		func(_ *fnCtx, a []value) value {
			return strVal(strings.ReplaceAll(toString(a[0]),
				toString(a[1]), toString(a[2])))
		})
	def("replace replace_regex", 3, 3, fixed(table.String), replaceRegex)
	def("extract", 3, 4, extractType, extract)
	def("extract_all", 2, 3, fixed(table.Dynamic), extractAll)
	def("split", 2, 3, fixed(table.Dynamic), split)
	def("reverse", 1, 1, fixed(table.String), func(_ *fnCtx, a []value) value {
		r := []rune(toString(a[0]))
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return strVal(string(r))
	})
	def("base64_decode_tostring base64_decodestring", 1, 1,
		fixed(table.String), func(_ *fnCtx, a []value) value {
			b, err := decodeBase64(toString(a[0]))
			if err != nil {
				return strVal("")
			}
			return strVal(strings.ToValidUTF8(string(b), "\uFFFD"))
		})
	def("base64_encode_tostring base64_encodestring", 1, 1,
		fixed(table.String), func(_ *fnCtx, a []value) value {
			return strVal(base64.StdEncoding.EncodeToString(
				[]byte(toString(a[0]))))
		})
	def("url_decode", 1, 1, fixed(table.String),
		func(_ *fnCtx, a []value) value {
			s, err := url.QueryUnescape(toString(a[0]))
			if err != nil {
				return strVal("")
			}
			return strVal(s)
		})
	def("url_encode url_encode_component", 1, 1, fixed(table.String),
		func(_ *fnCtx, a []value) value {
			return strVal(url.QueryEscape(toString(a[0])))
		})
	def("parse_command_line", 2, 2, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value {
			return dynVal(toAnySlice(splitCommandLine(toString(a[0]))))
		})
	def("parse_path", 1, 1, fixed(table.Dynamic), parsePath)
	def("parse_url", 1, 1, fixed(table.Dynamic), parseURL)
}

func substring(_ *fnCtx, a []value) value {
	r := []rune(toString(a[0]))
	start, ok := intArg(a, 1)
	if !ok {
		return strVal("")
	}
	if start < 0 {
		start = 0
	}
	if start > int64(len(r)) {
		return strVal("")
	}
	end := int64(len(r))
	if n, ok := intArg(a, 2); ok && len(a) > 2 {
		if n < 0 {
			return strVal("")
		}
		end = min(end, start+n)
	}
	return strVal(string(r[start:end]))
}

func indexOf(_ *fnCtx, a []value) value {
	s, needle := toString(a[0]), toString(a[1])
	start, _ := intArg(a, 2)
	r := []rune(s)
	if start < 0 {
		start += int64(len(r))
	}
	if start < 0 || start > int64(len(r)) {
		return longVal(-1)
	}
	i := strings.Index(string(r[start:]), needle)
	if i < 0 {
		return longVal(-1)
	}
	prefix := string(r[start:])[:i]
	return longVal(start + int64(len([]rune(prefix))))
}

func countOf(c *fnCtx, a []value) value {
	s, needle := toString(a[0]), toString(a[1])
	if strArg(a, 2) == "regex" {
		re := c.regexp(needle)
		if re == nil {
			return nullOf(table.Long)
		}
		return longVal(int64(len(re.FindAllStringIndex(s, -1))))
	}
	if needle == "" {
		return longVal(0)
	}
	// Occurrences may overlap, as KQL counts them.
	n := 0
	for i := 0; ; n++ {
		j := strings.Index(s[i:], needle)
		if j < 0 {
			break
		}
		i += j + 1
	}
	return longVal(int64(n))
}

// trimFunc removes matches of a regular expression from either end.
func trimFunc(start, end bool) func(*fnCtx, []value) value {
	return func(c *fnCtx, a []value) value {
		pattern, s := toString(a[0]), toString(a[1])
		if start {
			re := c.regexp("^(?:" + pattern + ")+")
			if re == nil {
				return strVal("")
			}
			s = re.ReplaceAllString(s, "")
		}
		if end {
			re := c.regexp("(?:" + pattern + ")+$")
			if re == nil {
				return strVal("")
			}
			s = re.ReplaceAllString(s, "")
		}
		return strVal(s)
	}
}

// replaceRegex replaces every match; the rewrite names groups as \1.
func replaceRegex(c *fnCtx, a []value) value {
	re := c.regexp(toString(a[0]))
	if re == nil {
		return strVal("")
	}
	rewrite := backrefs.ReplaceAllString(toString(a[1]), "$${$1}")
	return strVal(re.ReplaceAllString(toString(a[2]), rewrite))
}

var backrefs = regexp.MustCompile(`\\(\d)`)

func extractType(a []table.Type) table.Type {
	if len(a) == 4 && a[3] != table.Invalid {
		return a[3]
	}
	return table.String
}

func extractJSONType(a []table.Type) table.Type {
	if len(a) == 3 && a[2] != table.Invalid {
		return a[2]
	}
	return table.String
}

// extract returns capture group n of the first match, or "" (null for a
// typed result) when there is none.
func extract(c *fnCtx, a []value) value {
	re := c.regexp(toString(a[0]))
	n, ok := intArg(a, 1)
	if re == nil || !ok || n < 0 || int(n) > re.NumSubexp() {
		return strVal("")
	}
	m := re.FindStringSubmatchIndex(toString(a[2]))
	if m == nil || m[2*n] < 0 {
		return strVal("")
	}
	return strVal(toString(a[2])[m[2*n]:m[2*n+1]])
}

// extractAll returns every match: its one group, or an array of groups.
func extractAll(c *fnCtx, a []value) value {
	re := c.regexp(toString(a[0]))
	if re == nil {
		return nullOf(table.Dynamic)
	}
	s := toString(a[len(a)-1])
	var out []any
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		switch {
		case len(m) == 1:
			out = append(out, m[0])
		case len(m) == 2:
			out = append(out, m[1])
		default:
			out = append(out, toAnySlice(m[1:]))
		}
	}
	if out == nil {
		return nullOf(table.Dynamic)
	}
	return dynVal(out)
}

func split(_ *fnCtx, a []value) value {
	parts := strings.Split(toString(a[0]), toString(a[1]))
	if len(a) == 3 {
		i, ok := intArg(a, 2)
		if !ok || i < 0 || i >= int64(len(parts)) {
			return dynVal([]any{})
		}
		return dynVal([]any{parts[i]})
	}
	return dynVal(toAnySlice(parts))
}

func toAnySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding,
		base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("not base64")
}

// splitCommandLine splits a Windows command line as CommandLineToArgvW
// does: spaces separate, quotes group, 2n backslashes before a quote
// are n backslashes.
func splitCommandLine(s string) []string {
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					quoted = !quoted
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			inArg = true
		case ch == '"':
			quoted = !quoted
			inArg = true
		case (ch == ' ' || ch == '\t') && !quoted:
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(ch)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}

func parsePath(_ *fnCtx, a []value) value {
	p := toString(a[0])
	i := strings.LastIndexAny(p, `\/`)
	dir, file := "", p
	if i >= 0 {
		dir, file = p[:i], p[i+1:]
	}
	ext := ""
	if j := strings.LastIndexByte(file, '.'); j >= 0 {
		ext = file[j+1:]
	}
	return dynVal(map[string]any{
		"Scheme": "", "RootPath": rootPath(p), "DirectoryPath": dir,
		"DirectoryName": lastElem(dir), "Filename": file,
		"Extension": ext, "AlternateDataStreamName": "",
	})
}

func rootPath(p string) string {
	if len(p) >= 2 && p[1] == ':' {
		return p[:2]
	}
	return ""
}

func lastElem(dir string) string {
	i := strings.LastIndexAny(dir, `\/`)
	return dir[i+1:]
}

func parseURL(_ *fnCtx, a []value) value {
	u, err := url.Parse(toString(a[0]))
	if err != nil || u.Scheme == "" {
		return dynVal(map[string]any{})
	}
	params := map[string]any{}
	for k, v := range u.Query() {
		params[k] = v[len(v)-1]
	}
	pass, _ := u.User.Password()
	return dynVal(map[string]any{
		"Scheme": u.Scheme, "Host": u.Hostname(), "Port": u.Port(),
		"Path": u.Path, "Username": u.User.Username(), "Password": pass,
		"Query Parameters": params, "Fragment": u.Fragment,
	})
}

func addTimeFuncs() {
	def("now", 0, 1, fixed(table.DateTime), func(c *fnCtx, a []value) value {
		off := value{}
		if len(a) == 1 {
			off = toTimeSpan(a[0])
		}
		return timeVal(c.now + off.I)
	})
	def("ago", 1, 1, fixed(table.DateTime), func(c *fnCtx, a []value) value {
		d := toTimeSpan(a[0])
		if d.Null {
			return nullOf(table.DateTime)
		}
		return timeVal(c.now - d.I)
	})
	def("bin floor", 2, 2, binType, func(_ *fnCtx, a []value) value {
		return binFloor(a[0], a[1])
	})
	def("bin_at", 3, 3, binType, func(_ *fnCtx, a []value) value {
		at := unwrap(a[2])
		shifted := arith("-", a[0], at)
		if shifted.Type == table.TimeSpan && a[0].Type == table.DateTime {
			b := binFloor(shifted, a[1])
			return arith("+", at, b)
		}
		return arith("+", binFloor(shifted, a[1]), at)
	})
	for _, p := range []string{"day", "week", "month", "year"} {
		def("startof"+p, 1, 2, fixed(table.DateTime), startOf(p, false))
		def("endof"+p, 1, 2, fixed(table.DateTime), startOf(p, true))
	}
	def("datetime_diff", 3, 3, fixed(table.Long), datetimeDiff)
	def("datetime_add", 3, 3, fixed(table.DateTime), datetimeAdd)
	def("datetime_part datepart", 2, 2, fixed(table.Int), datetimePart)
	def("dayofweek", 1, 1, fixed(table.TimeSpan),
		func(_ *fnCtx, a []value) value {
			t := toDateTime(a[0])
			if t.Null {
				return nullOf(table.TimeSpan)
			}
			wd := int64(table.TicksToTime(t.I).Weekday())
			return spanVal(wd * 864_000_000_000)
		})
	for _, p := range []string{"hour", "day", "month", "year", "week"} {
		name := map[string]string{"hour": "hourofday", "day": "dayofmonth",
			"month": "monthofyear", "year": "getyear",
			"week": "week_of_year"}[p]
		part := p
		def(name, 1, 1, fixed(table.Int), func(c *fnCtx, a []value) value {
			return datetimePart(c, []value{strVal(part), a[0]})
		})
	}
	def("dayofyear", 1, 1, fixed(table.Int), func(_ *fnCtx, a []value) value {
		t := toDateTime(a[0])
		if t.Null {
			return nullOf(table.Int)
		}
		return value{Type: table.Int,
			I: int64(table.TicksToTime(t.I).YearDay())}
	})
	def("format_datetime", 2, 2, fixed(table.String), formatDateTime)
	def("format_timespan", 2, 2, fixed(table.String), formatTimeSpan)
	def("unixtime_seconds_todatetime", 1, 1, fixed(table.DateTime),
		func(_ *fnCtx, a []value) value {
			f := toReal(a[0])
			if f.Null {
				return nullOf(table.DateTime)
			}
			return timeVal(int64(f.F * table.TicksPerSecond))
		})
	def("unixtime_milliseconds_todatetime", 1, 1, fixed(table.DateTime),
		func(_ *fnCtx, a []value) value {
			f := toReal(a[0])
			if f.Null {
				return nullOf(table.DateTime)
			}
			return timeVal(int64(f.F * 10_000))
		})
}

func binType(a []table.Type) table.Type {
	if len(a) == 0 {
		return table.Invalid
	}
	if isInteger(a[0]) && len(a) > 1 && a[1] == table.Real {
		return table.Real
	}
	return a[0]
}

// startOf returns startofX, or endofX when end is set: the first (last)
// tick of the period holding the date, moved by an optional offset.
func startOf(period string, end bool) func(*fnCtx, []value) value {
	return func(_ *fnCtx, a []value) value {
		d := toDateTime(a[0])
		if d.Null {
			return d
		}
		off, _ := intArg(a, 1)
		t := table.TicksToTime(d.I)
		y, m, day := t.Date()
		var s time.Time
		switch period {
		case "day":
			s = time.Date(y, m, day+int(off), 0, 0, 0, 0, time.UTC)
			t = s.AddDate(0, 0, 1)
		case "week":
			s = time.Date(y, m, day-int(t.Weekday())+7*int(off), 0, 0, 0,
				0, time.UTC)
			t = s.AddDate(0, 0, 7)
		case "month":
			s = time.Date(y, m+time.Month(off), 1, 0, 0, 0, 0, time.UTC)
			t = s.AddDate(0, 1, 0)
		default:
			s = time.Date(y+int(off), 1, 1, 0, 0, 0, 0, time.UTC)
			t = s.AddDate(1, 0, 0)
		}
		if end {
			return timeVal(table.TimeToTicks(t) - 1)
		}
		return timeVal(table.TimeToTicks(s))
	}
}

// periodTicks are the fixed-length periods of datetime_diff and
// datetime_add.
var periodTicks = map[string]int64{
	"week": 7 * 864_000_000_000, "day": 864_000_000_000,
	"hour": 36_000_000_000, "minute": 600_000_000, "second": 10_000_000,
	"millisecond": 10_000, "microsecond": 10, "nanosecond": 1,
}

func datetimeDiff(_ *fnCtx, a []value) value {
	part := strings.ToLower(toString(a[0]))
	t1, t2 := toDateTime(a[1]), toDateTime(a[2])
	if t1.Null || t2.Null {
		return nullOf(table.Long)
	}
	d1, d2 := table.TicksToTime(t1.I), table.TicksToTime(t2.I)
	months := func(t time.Time) int64 {
		return int64(t.Year())*12 + int64(t.Month()) - 1
	}
	switch part {
	case "year":
		return longVal(int64(d1.Year() - d2.Year()))
	case "quarter":
		return longVal(months(d1)/3 - months(d2)/3)
	case "month":
		return longVal(months(d1) - months(d2))
	case "week":
		// Weeks start on Sunday; 0001-01-01 was a Monday.
		w := func(t int64) int64 {
			return floorDiv(t+unixEpochTicks+864_000_000_000,
				periodTicks["week"])
		}
		return longVal(w(t1.I) - w(t2.I))
	}
	step, ok := periodTicks[part]
	if !ok {
		return nullOf(table.Long)
	}
	return longVal(floorDiv(t1.I, step) - floorDiv(t2.I, step))
}

func datetimeAdd(_ *fnCtx, a []value) value {
	part := strings.ToLower(toString(a[0]))
	n, ok := intArg(a, 1)
	t := toDateTime(a[2])
	if !ok || t.Null {
		return nullOf(table.DateTime)
	}
	d := table.TicksToTime(t.I)
	switch part {
	case "year":
		return timeVal(table.TimeToTicks(addMonths(d, 12*int(n))))
	case "quarter":
		return timeVal(table.TimeToTicks(addMonths(d, 3*int(n))))
	case "month":
		return timeVal(table.TimeToTicks(addMonths(d, int(n))))
	}
	step, ok := periodTicks[part]
	if !ok {
		return nullOf(table.DateTime)
	}
	return timeVal(t.I + n*step)
}

// addMonths moves d by n months, clamping the day to the new month's
// last day as .NET does (January 31 plus a month is February 28).
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, d.Hour(), d.Minute(),
		d.Second(), d.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(day, last)-1)
}

func datetimePart(_ *fnCtx, a []value) value {
	t := toDateTime(a[1])
	if t.Null {
		return nullOf(table.Int)
	}
	d := table.TicksToTime(t.I)
	var n int
	switch strings.ToLower(toString(a[0])) {
	case "year":
		n = d.Year()
	case "quarter":
		n = (int(d.Month())-1)/3 + 1
	case "month":
		n = int(d.Month())
	case "week_of_year", "week":
		_, n = d.ISOWeek()
	case "day":
		n = d.Day()
	case "dayofyear":
		n = d.YearDay()
	case "hour":
		n = d.Hour()
	case "minute":
		n = d.Minute()
	case "second":
		n = d.Second()
	case "millisecond":
		n = d.Nanosecond() / 1e6
	case "microsecond":
		n = d.Nanosecond() / 1e3
	case "nanosecond":
		n = d.Nanosecond()
	default:
		return nullOf(table.Int)
	}
	return value{Type: table.Int, I: int64(n)}
}

// dateFormatTokens maps KQL format specifiers to Go layout elements,
// longest first.
var dateFormatTokens = []struct{ kql, goLayout string }{
	{"yyyy", "2006"}, {"yy", "06"}, {"MM", "01"}, {"M", "1"},
	{"dd", "02"}, {"d", "2"}, {"HH", "15"}, {"H", "15"}, {"hh", "03"},
	{"h", "3"}, {"mm", "04"}, {"m", "4"}, {"ss", "05"}, {"s", "5"},
	{"fffffff", "0000000"}, {"ffffff", "000000"}, {"fffff", "00000"},
	{"ffff", "0000"}, {"fff", "000"}, {"ff", "00"}, {"f", "0"},
	{"tt", "PM"},
}

func formatDateTime(_ *fnCtx, a []value) value {
	t := toDateTime(a[0])
	if t.Null {
		return strVal("")
	}
	d := table.TicksToTime(t.I)
	f := toString(a[1])
	var b strings.Builder
	for i := 0; i < len(f); {
		matched := false
		for _, tok := range dateFormatTokens {
			if strings.HasPrefix(f[i:], tok.kql) {
				b.WriteString(formatToken(d, tok.kql, tok.goLayout))
				i += len(tok.kql)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(f[i])
			i++
		}
	}
	return strVal(b.String())
}

func formatToken(d time.Time, kql, layout string) string {
	switch {
	case kql == "H":
		return strconv.Itoa(d.Hour())
	case kql[0] == 'f':
		frac := fmt.Sprintf("%07d", d.Nanosecond()/100)
		return frac[:len(kql)]
	}
	return d.Format(layout)
}

func formatTimeSpan(_ *fnCtx, a []value) value {
	t := toTimeSpan(a[0])
	if t.Null {
		return strVal("")
	}
	ticks := t.I
	neg := ticks < 0
	if neg {
		ticks = -ticks
	}
	secs := ticks / table.TicksPerSecond
	parts := map[byte]int64{
		'd': secs / 86400, 'h': secs / 3600 % 24, 'H': secs / 3600 % 24,
		'm': secs / 60 % 60, 's': secs % 60,
	}
	f := toString(a[1])
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(f); {
		c := f[i]
		j := i
		for j < len(f) && f[j] == c {
			j++
		}
		width := j - i
		switch {
		case c == 'f' || c == 'F':
			frac := fmt.Sprintf("%07d", ticks%table.TicksPerSecond)
			b.WriteString(frac[:min(width, 7)])
		case parts[c] != 0 || c == 'd' || c == 'h' || c == 'H' ||
			c == 'm' || c == 's':
			fmt.Fprintf(&b, "%0*d", width, parts[c])
		default:
			b.WriteString(f[i:j])
		}
		i = j
	}
	return strVal(b.String())
}

func addDynamicFuncs() {
	def("array_length", 1, 1, fixed(table.Long),
		func(_ *fnCtx, a []value) value {
			arr, ok := dyn(a[0]).([]any)
			if !ok {
				return nullOf(table.Long)
			}
			return longVal(int64(len(arr)))
		})
	def("pack_array make_array", 0, -1, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value {
			out := make([]any, len(a))
			for i, v := range a {
				out[i] = dyn(v)
			}
			return dynVal(out)
		})
	def("pack bag_pack pack_dictionary", 0, -1, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value {
			out := make(map[string]any, len(a)/2)
			for i := 0; i+1 < len(a); i += 2 {
				out[toString(a[i])] = dyn(a[i+1])
			}
			return dynVal(out)
		})
	def("extractjson extract_json", 2, 3, extractJSONType, extractJSON)
	def("array_index_of", 2, 4, fixed(table.Long),
		func(_ *fnCtx, a []value) value {
			arr, ok := dyn(a[0]).([]any)
			if !ok {
				return nullOf(table.Long)
			}
			for i, x := range arr {
				if eq := equal(fromDyn(x), a[1]); eq.truthy() {
					return longVal(int64(i))
				}
			}
			return longVal(-1)
		})
	def("set_has_element", 2, 2, fixed(table.Bool),
		func(_ *fnCtx, a []value) value {
			arr, _ := dyn(a[0]).([]any)
			for _, x := range arr {
				if equal(fromDyn(x), a[1]).truthy() {
					return boolVal(true)
				}
			}
			return boolVal(false)
		})
	def("array_concat", 1, -1, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value {
			var out []any
			for _, v := range a {
				arr, _ := dyn(v).([]any)
				out = append(out, arr...)
			}
			if out == nil {
				out = []any{}
			}
			return dynVal(out)
		})
	def("array_slice", 3, 3, fixed(table.Dynamic), arraySlice)
	def("array_sort_asc", 1, 1, fixed(table.Dynamic), arraySort(false))
	def("array_sort_desc", 1, 1, fixed(table.Dynamic), arraySort(true))
	def("strcat_array", 2, 2, fixed(table.String),
		func(_ *fnCtx, a []value) value {
			arr, _ := dyn(a[0]).([]any)
			parts := make([]string, len(arr))
			for i, x := range arr {
				parts[i] = toString(fromDyn(x))
			}
			return strVal(strings.Join(parts, toString(a[1])))
		})
	def("bag_keys", 1, 1, fixed(table.Dynamic),
		func(_ *fnCtx, a []value) value {
			m, ok := dyn(a[0]).(map[string]any)
			if !ok {
				return nullOf(table.Dynamic)
			}
			return dynVal(toAnySlice(sortedKeys(m)))
		})
	def("set_union", 1, -1, fixed(table.Dynamic), setOp("union"))
	def("set_intersect", 1, -1, fixed(table.Dynamic), setOp("intersect"))
	def("set_difference", 1, -1, fixed(table.Dynamic),
		setOp("difference"))
}

func extractJSON(_ *fnCtx, a []value) value {
	path := toString(a[0])
	d, ok := parseJSON(toString(a[1]))
	if !ok {
		return strVal("")
	}
	x, ok := jsonPath(d, path)
	if !ok || x == nil {
		return strVal("")
	}
	return strVal(toString(fromDyn(x)))
}

// jsonPath follows a JSONPath of the form $.a.b[0]['c'].
func jsonPath(d any, path string) (any, bool) {
	path = strings.TrimPrefix(strings.TrimSpace(path), "$")
	for path != "" {
		switch {
		case path[0] == '.':
			path = path[1:]
			i := strings.IndexAny(path, ".[")
			if i < 0 {
				i = len(path)
			}
			m, ok := d.(map[string]any)
			if !ok {
				return nil, false
			}
			d, path = m[path[:i]], path[i:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return nil, false
			}
			key := strings.Trim(path[1:end], `'"`)
			path = path[end+1:]
			if n, err := strconv.Atoi(key); err == nil {
				arr, ok := d.([]any)
				if !ok || n < 0 || n >= len(arr) {
					return nil, false
				}
				d = arr[n]
				continue
			}
			m, ok := d.(map[string]any)
			if !ok {
				return nil, false
			}
			d = m[key]
		default:
			return nil, false
		}
	}
	return d, true
}

func arraySlice(_ *fnCtx, a []value) value {
	arr, ok := dyn(a[0]).([]any)
	start, ok1 := intArg(a, 1)
	end, ok2 := intArg(a, 2)
	if !ok || !ok1 || !ok2 {
		return nullOf(table.Dynamic)
	}
	n := int64(len(arr))
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), min(end, n-1)
	if start > end {
		return dynVal([]any{})
	}
	return dynVal(append([]any{}, arr[start:end+1]...))
}

func arraySort(desc bool) func(*fnCtx, []value) value {
	return func(_ *fnCtx, a []value) value {
		arr, ok := dyn(a[0]).([]any)
		if !ok {
			return nullOf(table.Dynamic)
		}
		out := append([]any{}, arr...)
		sortAny(out, desc)
		return dynVal(out)
	}
}

func setOp(kind string) func(*fnCtx, []value) value {
	return func(_ *fnCtx, a []value) value {
		sets := make([]map[string]bool, len(a))
		var order []any
		for i, v := range a {
			arr, _ := dyn(v).([]any)
			sets[i] = map[string]bool{}
			for _, x := range arr {
				k := jsonText(x)
				first := i == 0 && !sets[0][k]
				if first || kind == "union" && !seenIn(sets, k) {
					order = append(order, x)
				}
				sets[i][k] = true
			}
		}
		out := []any{}
		for _, x := range order {
			k := jsonText(x)
			if keepInSet(kind, sets, k) {
				out = append(out, x)
			}
		}
		return dynVal(dedupe(out))
	}
}

func seenIn(sets []map[string]bool, k string) bool {
	for _, s := range sets {
		if s[k] {
			return true
		}
	}
	return false
}

func keepInSet(kind string, sets []map[string]bool, k string) bool {
	switch kind {
	case "intersect":
		for _, s := range sets {
			if !s[k] {
				return false
			}
		}
	case "difference":
		for _, s := range sets[1:] {
			if s[k] {
				return false
			}
		}
	}
	return true
}

func dedupe(xs []any) []any {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		k := jsonText(x)
		if !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

func addMathFuncs() {
	def("abs", 1, 1, argType(0), func(_ *fnCtx, a []value) value {
		v := unwrap(a[0])
		if v.Null {
			return v
		}
		if v.Type == table.Real {
			return realVal(math.Abs(v.F))
		}
		if v.I < 0 {
			v.I = -v.I
		}
		return v
	})
	def("round", 1, 2, fixed(table.Real), func(_ *fnCtx, a []value) value {
		f := toReal(a[0])
		if f.Null {
			return f
		}
		p, _ := intArg(a, 1)
		scale := math.Pow(10, float64(p))
		return realVal(math.Round(f.F*scale) / scale)
	})
	unary := map[string]func(float64) float64{
		"sqrt": math.Sqrt, "log": math.Log, "log10": math.Log10,
		"log2": math.Log2, "exp": math.Exp, "ceiling": math.Ceil,
	}
	for name, fn := range unary {
		fn := fn
		def(name, 1, 1, fixed(table.Real), func(_ *fnCtx, a []value) value {
			f := toReal(a[0])
			if f.Null {
				return f
			}
			return realVal(fn(f.F))
		})
	}
	def("pow", 2, 2, fixed(table.Real), func(_ *fnCtx, a []value) value {
		x, y := toReal(a[0]), toReal(a[1])
		if x.Null || y.Null {
			return nullOf(table.Real)
		}
		return realVal(math.Pow(x.F, y.F))
	})
	def("max_of", 1, -1, branchType(0), extremeOf(1))
	def("min_of", 1, -1, branchType(0), extremeOf(-1))
	def("binary_and", 2, 2, fixed(table.Long), bitOp(func(x, y int64) int64 {
		return x & y
	}))
	def("binary_or", 2, 2, fixed(table.Long), bitOp(func(x, y int64) int64 {
		return x | y
	}))
	def("binary_xor", 2, 2, fixed(table.Long), bitOp(func(x, y int64) int64 {
		return x ^ y
	}))
	def("binary_shift_left", 2, 2, fixed(table.Long),
		bitOp(func(x, y int64) int64 { return x << uint64(y&63) }))
	def("binary_shift_right", 2, 2, fixed(table.Long),
		bitOp(func(x, y int64) int64 { return x >> uint64(y&63) }))
}

func extremeOf(sign int) func(*fnCtx, []value) value {
	return func(_ *fnCtx, a []value) value {
		var best value
		found := false
		for _, v := range a {
			if v.Null {
				continue
			}
			if !found || sortLess(v, best)*sign > 0 {
				best, found = v, true
			}
		}
		if !found {
			return a[0]
		}
		return best
	}
}

func bitOp(f func(x, y int64) int64) func(*fnCtx, []value) value {
	return func(_ *fnCtx, a []value) value {
		x, ok1 := intArg(a, 0)
		y, ok2 := intArg(a, 1)
		if !ok1 || !ok2 {
			return nullOf(table.Long)
		}
		return longVal(f(x, y))
	}
}

func addNetFuncs() {
	def("ipv4_is_private", 1, 1, fixed(table.Bool),
		func(_ *fnCtx, a []value) value {
			ip, err := netip.ParseAddr(toString(a[0]))
			if err != nil || !ip.Is4() {
				return nullOf(table.Bool)
			}
			return boolVal(ip.IsPrivate())
		})
	def("ipv4_is_in_range ipv4_is_match", 2, 3, fixed(table.Bool),
		func(_ *fnCtx, a []value) value {
			ip, err := netip.ParseAddr(toString(a[0]))
			if err != nil || !ip.Is4() {
				return nullOf(table.Bool)
			}
			p, err := parsePrefix(toString(a[1]))
			if err != nil {
				return nullOf(table.Bool)
			}
			return boolVal(p.Contains(ip))
		})
	def("ipv4_is_in_any_range", 2, -1, fixed(table.Bool),
		func(_ *fnCtx, a []value) value {
			ip, err := netip.ParseAddr(toString(a[0]))
			if err != nil || !ip.Is4() {
				return nullOf(table.Bool)
			}
			for _, r := range rangesOf(a[1:]) {
				if p, err := parsePrefix(r); err == nil && p.Contains(ip) {
					return boolVal(true)
				}
			}
			return boolVal(false)
		})
}

// rangesOf flattens arguments that are strings or arrays of strings.
func rangesOf(a []value) []string {
	var out []string
	for _, v := range a {
		if arr, ok := dyn(v).([]any); ok {
			for _, x := range arr {
				out = append(out, toString(fromDyn(x)))
			}
			continue
		}
		out = append(out, toString(v))
	}
	return out
}

// parsePrefix reads "10.0.0.0/8" or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(ip, ip.BitLen()), nil
}

// sortAny sorts parsed dynamic scalars in KQL order.
func sortAny(xs []any, desc bool) {
	less := func(i, j int) bool {
		c := sortLess(fromDyn(xs[i]), fromDyn(xs[j]))
		if desc {
			return c > 0
		}
		return c < 0
	}
	sort.SliceStable(xs, less)
}
