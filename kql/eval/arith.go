package eval

import (
	"math"

	"github.com/ahunt/ahunt/kql/table"
)

// arithType returns the result type of a op b, or Invalid when KQL does
// not define it.
func arithType(op string, a, b table.Type) table.Type {
	if a == table.Dynamic || b == table.Dynamic {
		return table.Dynamic
	}
	switch {
	case isInteger(a) && isInteger(b):
		return table.Long
	case a.Numeric() && b.Numeric():
		return table.Real
	}
	switch op {
	case "+":
		switch {
		case a == table.DateTime && b == table.TimeSpan,
			a == table.TimeSpan && b == table.DateTime:
			return table.DateTime
		case a == table.TimeSpan && b == table.TimeSpan:
			return table.TimeSpan
		}
	case "-":
		switch {
		case a == table.DateTime && b == table.DateTime:
			return table.TimeSpan
		case a == table.DateTime && b == table.TimeSpan:
			return table.DateTime
		case a == table.TimeSpan && b == table.TimeSpan:
			return table.TimeSpan
		}
	case "*":
		if a == table.TimeSpan && b.Numeric() ||
			a.Numeric() && b == table.TimeSpan {
			return table.TimeSpan
		}
	case "/":
		switch {
		case a == table.TimeSpan && b == table.TimeSpan:
			return table.Real
		case a == table.TimeSpan && b.Numeric():
			return table.TimeSpan
		}
	case "%":
		if a == table.TimeSpan && b == table.TimeSpan {
			return table.TimeSpan
		}
	}
	return table.Invalid
}

// arith evaluates a op b for +, -, *, / and %. Nulls, and integer
// division by zero, give null.
func arith(op string, a, b value) value {
	a, b = unwrap(a), unwrap(b)
	t := arithType(op, a.Type, b.Type)
	if a.Null || b.Null || t == table.Invalid || t == table.Dynamic {
		return nullOf(t)
	}
	switch {
	case t == table.Long:
		return intArith(op, a.I, b.I)
	case t == table.Real && a.Type.Numeric() && b.Type.Numeric():
		return realVal(realArith(op, a.num(), b.num()))
	case op == "*" && a.Type == table.TimeSpan:
		return spanVal(int64(float64(a.I) * b.num()))
	case op == "*":
		return spanVal(int64(a.num() * float64(b.I)))
	case op == "/" && b.Type == table.TimeSpan:
		if b.I == 0 {
			return nullOf(table.Real)
		}
		return realVal(float64(a.I) / float64(b.I))
	case op == "/":
		return spanVal(int64(float64(a.I) / b.num()))
	}
	r := intArith(op, a.I, b.I)
	r.Type = t
	return r
}

func intArith(op string, a, b int64) value {
	switch op {
	case "+":
		return longVal(a + b)
	case "-":
		return longVal(a - b)
	case "*":
		return longVal(a * b)
	case "/":
		if b == 0 {
			return nullOf(table.Long)
		}
		return longVal(a / b)
	case "%":
		if b == 0 {
			return nullOf(table.Long)
		}
		return longVal(a % b)
	}
	return nullOf(table.Long)
}

func realArith(op string, a, b float64) float64 {
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	case "%":
		return math.Mod(a, b)
	}
	return math.NaN()
}

// negate evaluates unary minus.
func negate(v value) value {
	v = unwrap(v)
	if v.Null {
		return v
	}
	switch v.Type {
	case table.Real, table.Decimal:
		v.F = -v.F
	case table.Int, table.Long, table.TimeSpan:
		v.I = -v.I
	default:
		return nullOf(v.Type)
	}
	return v
}

// binFloor rounds v down to a multiple of size, as bin() and floor() do.
// Dates are binned from 0001-01-01, as KQL does, so that 7d bins start
// on a Monday.
func binFloor(v, size value) value {
	v, size = unwrap(v), unwrap(size)
	if v.Null || size.Null {
		return nullOf(v.Type)
	}
	switch v.Type {
	case table.DateTime:
		step := size.I
		if size.Type.Numeric() {
			step = int64(size.num() * 864_000_000_000)
		}
		if step <= 0 {
			return nullOf(v.Type)
		}
		t := v.I + unixEpochTicks
		return timeVal(floorDiv(t, step)*step - unixEpochTicks)
	case table.TimeSpan:
		step := size.I
		if step <= 0 {
			return nullOf(v.Type)
		}
		return spanVal(floorDiv(v.I, step) * step)
	case table.Int, table.Long:
		if isInteger(size.Type) {
			if size.I <= 0 {
				return nullOf(v.Type)
			}
			return value{Type: v.Type, I: floorDiv(v.I, size.I) * size.I}
		}
		s := size.num()
		if s <= 0 {
			return nullOf(table.Real)
		}
		return realVal(math.Floor(float64(v.I)/s) * s)
	case table.Real, table.Decimal:
		s := size.num()
		if s <= 0 {
			return nullOf(table.Real)
		}
		return realVal(math.Floor(v.F/s) * s)
	}
	return nullOf(v.Type)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
