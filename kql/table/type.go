// Package table holds query results column by column: a schema of named,
// typed columns and their values. The remote hunting APIs, the local KQL
// engine, the history cache and the results grid all share it, so a result
// of 100,000 rows and 30 columns stays small and is never converted on the
// way from the wire to the screen.
package table

import "strings"

// Type is a KQL scalar type. The zero value is Invalid.
type Type uint8

// The KQL scalar types.
const (
	Invalid  Type = iota
	Bool          // stored as 0 or 1 in the integer store
	Int           // 32-bit in KQL; stored as int64
	Long          // 64-bit integer
	Real          // 64-bit float
	Decimal       // stored as float64; see Column
	String        // UTF-8 text
	DateTime      // ticks of 100 ns since the Unix epoch, UTC
	TimeSpan      // ticks of 100 ns
	GUID          // text in canonical form
	Dynamic       // compact JSON text
)

var typeNames = [...]string{
	Invalid:  "invalid",
	Bool:     "bool",
	Int:      "int",
	Long:     "long",
	Real:     "real",
	Decimal:  "decimal",
	String:   "string",
	DateTime: "datetime",
	TimeSpan: "timespan",
	GUID:     "guid",
	Dynamic:  "dynamic",
}

// String returns the KQL name of t, such as "datetime".
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// APIName returns the name the hunting APIs use for t in a result schema,
// such as "DateTime" or "Int64".
func (t Type) APIName() string {
	switch t {
	case Bool:
		return "Boolean"
	case Int:
		return "Int32"
	case Long:
		return "Int64"
	case Real:
		return "Double"
	case Decimal:
		return "Decimal"
	case String:
		return "String"
	case DateTime:
		return "DateTime"
	case TimeSpan:
		return "TimeSpan"
	case GUID:
		return "Guid"
	case Dynamic:
		return "Object"
	}
	return "String"
}

// ParseType maps a type name to a Type. It accepts KQL names ("long",
// "datetime", "boolean", "double", ...) and the .NET-style names the
// hunting APIs put in result schemas ("Int64", "DateTime", "Object", ...),
// in any letter case. ok is false for a name it does not know.
func ParseType(name string) (t Type, ok bool) {
	switch strings.ToLower(strings.TrimPrefix(name, "System.")) {
	case "bool", "boolean":
		return Bool, true
	case "int", "int32", "int16", "sbyte", "byte", "uint16":
		return Int, true
	case "long", "int64", "uint32", "uint64":
		return Long, true
	case "real", "double", "single", "float":
		return Real, true
	case "decimal":
		return Decimal, true
	case "string":
		return String, true
	case "datetime", "date":
		return DateTime, true
	case "timespan", "time":
		return TimeSpan, true
	case "guid", "uniqueid":
		return GUID, true
	case "dynamic", "object", "array", "dictionary":
		return Dynamic, true
	}
	return Invalid, false
}

// store says which backing slice of a Column holds values of type t.
type store uint8

const (
	storeInts store = iota
	storeReals
	storeStrs
)

func (t Type) store() store {
	switch t {
	case Real, Decimal:
		return storeReals
	case String, GUID, Dynamic, Invalid:
		return storeStrs
	}
	return storeInts
}

// Numeric reports whether t is a number type (int, long, real, decimal).
func (t Type) Numeric() bool {
	return t == Int || t == Long || t == Real || t == Decimal
}
