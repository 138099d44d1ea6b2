package kql

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ahunt/ahunt/kql/table"
)

// literal decodes a Number, TimeSpan or TypedLiteral token. A value that
// cannot be read, such as datetime(2024-13-45), becomes a typed null with
// a warning: KQL's grammar accepts any text there, and the service
// rejects the query when it runs.
func (p *parser) literal(t Token) Expr {
	text := t.Text(p.src)
	v, err := decodeLiteral(t.Kind, text)
	if err != nil {
		v = table.Null(v.Type)
		p.warnAt(t, CodeBadLiteral, fmt.Sprintf("invalid literal %s: %v; "+
			"the service will reject it", p.quoteText(text), err))
	}
	return &Literal{Loc: Loc{t.Pos, t.End()}, Value: v}
}

func decodeLiteral(kind TokenKind, text string) (table.Value, error) {
	switch kind {
	case Number:
		return decodeNumber(text)
	case TimeSpan:
		ticks, err := decodeTimeSpanUnit(text)
		return table.Value{Type: table.TimeSpan, I: ticks}, err
	}
	switch text {
	case "true", "True", "TRUE":
		return table.Value{Type: table.Bool, I: 1}, nil
	case "false", "False", "FALSE":
		return table.Value{Type: table.Bool}, nil
	}
	return decodeTyped(text)
}

// decodeNumber decodes an integer (a long) or a real.
func decodeNumber(text string) (table.Value, error) {
	if strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0X") {
		u, err := strconv.ParseUint(text[2:], 16, 64)
		if err != nil {
			return table.Value{Type: table.Long}, errors.New("out of range")
		}
		return table.Value{Type: table.Long, I: int64(u)}, nil
	}
	if !strings.ContainsAny(text, ".eE") {
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return table.Value{Type: table.Long, I: i}, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return table.Value{Type: table.Real}, errors.New("not a number")
	}
	return table.Value{Type: table.Real, F: f}, nil
}

// decodeTimeSpanUnit decodes a timespan such as 1.5h into ticks.
func decodeTimeSpanUnit(text string) (int64, error) {
	i := strings.IndexFunc(text, func(r rune) bool {
		return r != '.' && (r < '0' || r > '9')
	})
	if i <= 0 {
		return 0, errors.New("not a timespan")
	}
	n, err := strconv.ParseFloat(text[:i], 64)
	if err != nil {
		return 0, errors.New("not a timespan")
	}
	unit := text[i:]
	ticks, ok := timespanUnits[unit]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q", unit)
	}
	if ticks == 0 { // nanoseconds: a tick is 100 ns
		return int64(math.Round(n / 100)), nil
	}
	return int64(math.Round(n * float64(ticks))), nil
}

// decodeTyped decodes `type(value)`, such as datetime(2024-01-01).
func decodeTyped(text string) (table.Value, error) {
	open := strings.IndexByte(text, '(')
	if open < 0 || !strings.HasSuffix(text, ")") {
		return table.Value{}, errors.New("expected type(value)")
	}
	typ := strings.TrimSpace(text[:open])
	arg := strings.TrimSpace(text[open+1 : len(text)-1])
	if len(arg) >= 2 && (arg[0] == '\'' || arg[0] == '"') {
		arg = arg[1 : len(arg)-1]
	}
	canon := scalarTypes[typ]
	t, _ := table.ParseType(canon)
	if arg == "null" {
		return table.Null(t), nil
	}
	v := table.Value{Type: t}
	var err error
	switch canon {
	case "datetime":
		v.I, err = decodeDateTime(arg)
	case "timespan":
		v.I, err = decodeTimeSpan(arg)
	case "guid":
		v.S, err = decodeGUID(arg)
	case "long", "int":
		v.I, err = strconv.ParseInt(arg, 0, 64)
	case "real", "decimal":
		v.F, err = decodeReal(arg)
	case "bool":
		var b bool
		b, err = strconv.ParseBool(arg)
		if b {
			v.I = 1
		}
	default:
		err = fmt.Errorf("unknown type %q", typ)
	}
	if err != nil {
		return v, fmt.Errorf("not a %s value", canon)
	}
	return v, nil
}

// dateTimeLayouts are the datetime forms KQL accepts; fractional seconds
// are accepted after the seconds of any of them.
var dateTimeLayouts = [...]string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02T15",
	"2006-01-02",
	"2006-1-2 15:04:05",
	"2006-1-2 15:04",
	"2006-1-2",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006 3:04:05 PM",
	"1/2/2006",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 MST",
	"2006-01-02T15:04:05.0000000Z",
}

// decodeDateTime decodes a datetime into ticks since the Unix epoch.
func decodeDateTime(s string) (int64, error) {
	s = strings.TrimSuffix(s, "Z")
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1]
	}
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return table.TimeToTicks(t), nil
		}
	}
	return 0, errors.New("unrecognised datetime")
}

// decodeTimeSpan decodes `[-][d.]hh:mm[:ss[.fffffff]]` or a unit form
// such as 2d into ticks.
func decodeTimeSpan(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var ticks int64
	var err error
	if !strings.Contains(s, ":") {
		ticks, err = decodeTimeSpanUnit(s)
		if err != nil {
			var n int64
			n, err = strconv.ParseInt(s, 10, 64)
			ticks = n * day
		}
	} else {
		ticks, err = decodeClock(s)
	}
	if neg {
		ticks = -ticks
	}
	return ticks, err
}

// decodeClock decodes `[d.]hh:mm[:ss[.fffffff]]`.
func decodeClock(s string) (int64, error) {
	var days int64
	head, rest, _ := strings.Cut(s, ":")
	if d, h, ok := strings.Cut(head, "."); ok {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			return 0, err
		}
		days, head = n, h
	}
	hours, err := strconv.ParseInt(head, 10, 64)
	if err != nil {
		return 0, err
	}
	mins, secs, _ := strings.Cut(rest, ":")
	m, err := strconv.ParseInt(mins, 10, 64)
	if err != nil {
		return 0, err
	}
	var sec float64
	if secs != "" {
		if sec, err = strconv.ParseFloat(secs, 64); err != nil {
			return 0, err
		}
	}
	return days*day + hours*hour + m*minute +
		int64(math.Round(sec*second)), nil
}

// decodeGUID checks a GUID's form and returns it in lower case.
func decodeGUID(s string) (string, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if len(s) != 36 {
		return "", errors.New("bad guid")
	}
	for i := 0; i < len(s); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return "", errors.New("bad guid")
			}
		} else if !isHex(s[i]) {
			return "", errors.New("bad guid")
		}
	}
	return strings.ToLower(s), nil
}

func decodeReal(s string) (float64, error) {
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), nil
	case "+inf", "inf":
		return math.Inf(1), nil
	case "-inf":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, 64)
}

// stringLiteral parses one or more adjacent string literals as one.
func (p *parser) stringLiteral() Expr {
	first := p.tok()
	s, err := unquote(first.Text(p.src))
	if err != nil {
		p.errorAt(first, CodeBadLiteral, err.Error())
	}
	p.advance()
	for p.tok().Kind == String {
		more, err := unquote(p.advance().Text(p.src))
		if err != nil {
			p.errorAt(p.peekAt(-1), CodeBadLiteral, err.Error())
		}
		s += more
	}
	v := table.Value{Type: table.String, S: s}
	return &Literal{Loc: p.loc(first.Pos), Value: v}
}

// unquote decodes a string literal token: 'x', "x", @'x', h'x', h@'x',
// or ```x```.
func unquote(text string) (string, error) {
	if len(text) > 0 && (text[0] == 'h' || text[0] == 'H') {
		text = text[1:]
	}
	if len(text) >= 6 && (strings.HasPrefix(text, "```") ||
		strings.HasPrefix(text, "~~~")) {
		return text[3 : len(text)-3], nil
	}
	verbatim := strings.HasPrefix(text, "@")
	if verbatim {
		text = text[1:]
	}
	if len(text) < 2 || text[len(text)-1] != text[0] {
		return "", errors.New("unterminated string")
	}
	q, body := text[0], text[1:len(text)-1]
	if verbatim {
		return strings.ReplaceAll(body, string([]byte{q, q}), string(q)), nil
	}
	if strings.IndexByte(body, '\\') < 0 {
		return body, nil
	}
	return unescape(body)
}

// unescape decodes the backslash escapes of a regular string literal.
func unescape(body string) (string, error) {
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'u', 'x', 'U':
			n := 4
			if e == 'x' {
				n = 2
			} else if e == 'U' {
				n = 8
			}
			if i+n >= len(body) {
				return "", fmt.Errorf("short escape \\%c in string", e)
			}
			r, err := strconv.ParseUint(body[i+1:i+1+n], 16, 32)
			if err != nil {
				return "", fmt.Errorf("bad escape \\%c in string", e)
			}
			b.WriteRune(rune(r))
			i += n
		default:
			b.WriteByte(e)
		}
	}
	s := b.String()
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s, nil
}
