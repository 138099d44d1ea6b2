package kql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// dynamicLiteral parses `dynamic(value)`, where value is JSON written with
// KQL literals, and returns a Literal holding compact JSON text.
func (p *parser) dynamicLiteral() Expr {
	pos := p.advance().Pos
	open := p.advance()
	v := table.Value{Type: table.Dynamic}
	if p.is("null") {
		p.advance()
		v.Null = true
	} else {
		var b strings.Builder
		p.jsonValue(&b)
		v.S = b.String()
	}
	p.closer(")", open, "the dynamic literal")
	return &Literal{Loc: p.loc(pos), Value: v}
}

// jsonValue parses one value of a dynamic literal and writes it as JSON.
func (p *parser) jsonValue(b *strings.Builder) {
	if !p.enter() {
		p.tooDeep()
		return
	}
	defer p.leave()

	t := p.tok()
	switch {
	case p.is("{"):
		p.jsonObject(b)
	case p.is("["):
		p.jsonArray(b)
	case t.Kind == String:
		lit := p.stringLiteral().(*Literal)
		writeJSONString(b, lit.Value.S)
	case p.is("null"):
		p.advance()
		b.WriteString("null")
	case p.is("-") || p.is("+") || t.Kind == Number || t.Kind == TimeSpan ||
		t.Kind == TypedLiteral:
		p.jsonScalar(b)
	default:
		p.errorAt(t, CodeMissingExpr, fmt.Sprintf(
			"expected a value in the dynamic literal, found %s",
			p.describe()))
		b.WriteString("null")
		if !p.atEnd() && !p.is(",") {
			p.advance()
		}
	}
}

func (p *parser) jsonObject(b *strings.Builder) {
	open := p.advance()
	b.WriteByte('{')
	for n := 0; n > 0 || !p.is("}") && !p.atEnd(); n++ {
		if n > 0 {
			b.WriteByte(',')
		}
		p.jsonKey(b)
		b.WriteByte(':')
		p.expect(":", " after the key in the dynamic literal")
		p.jsonValue(b)
		if !p.accept(",") {
			break
		}
	}
	b.WriteByte('}')
	p.closer("}", open, "the object")
}

// jsonKey parses an object key, a string.
func (p *parser) jsonKey(b *strings.Builder) {
	if p.tok().Kind == String {
		writeJSONString(b, p.stringLiteral().(*Literal).Value.S)
		return
	}
	p.errorAt(p.tok(), CodeExpected, fmt.Sprintf("expected a quoted key "+
		"such as \"name\" in the dynamic literal, found %s", p.describe()))
	b.WriteString(`""`)
	if p.isWordAt(0) {
		p.advance()
	}
}

func (p *parser) jsonArray(b *strings.Builder) {
	open := p.advance()
	b.WriteByte('[')
	for n := 0; n > 0 || !p.is("]") && !p.atEnd(); n++ {
		if n > 0 {
			b.WriteByte(',')
		}
		p.jsonValue(b)
		if !p.accept(",") {
			break
		}
	}
	b.WriteByte(']')
	p.closer("]", open, "the array")
}

// jsonScalar writes a number, bool, datetime or timespan literal; a
// datetime or timespan becomes a JSON string as KQL shows it.
func (p *parser) jsonScalar(b *strings.Builder) {
	x := p.unaryExpr()
	lit, ok := x.(*Literal)
	if !ok {
		pos, end := x.Span()
		p.errorSpan(pos, end, CodeMissingExpr,
			"expected a constant in the dynamic literal")
		b.WriteString("null")
		return
	}
	v := lit.Value
	switch {
	case v.Null:
		b.WriteString("null")
	case v.Type == table.Long || v.Type == table.Int:
		b.WriteString(strconv.FormatInt(v.I, 10))
	case v.Type == table.Real || v.Type == table.Decimal:
		f := strconv.FormatFloat(v.F, 'g', -1, 64)
		if !strings.ContainsAny(f, ".eIN") {
			f += ".0" // keep 1.0 a real when the JSON is read back
		}
		b.WriteString(f)
	case v.Type == table.Bool:
		b.WriteString(strconv.FormatBool(v.I != 0))
	default:
		writeJSONString(b, v.Text())
	}
}

// writeJSONString writes s as a JSON string.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
