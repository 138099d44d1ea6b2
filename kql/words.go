package kql

// wordKinds classifies the reserved words; any other word is an
// Identifier. Words are case-sensitive, as in KQL.
var wordKinds = map[string]TokenKind{}

func init() {
	for _, w := range keywords {
		wordKinds[w] = Keyword
	}
	for _, w := range operatorKeywords {
		wordKinds[w] = OperatorKeyword
	}
	for w := range negatable {
		wordKinds[w] = OperatorKeyword
	}
	wordKinds["true"] = TypedLiteral
	wordKinds["false"] = TypedLiteral
	wordKinds["True"] = TypedLiteral
	wordKinds["False"] = TypedLiteral
	wordKinds["TRUE"] = TypedLiteral
	wordKinds["FALSE"] = TypedLiteral
	for w := range hyphenWords {
		wordKinds[w] = Keyword
	}
}

// keywords are the statement, operator and clause words.
var keywords = [...]string{
	"let", "set", "declare", "query_parameters", "alias", "pattern",
	"restrict", "access", "view", "database", "cluster",
	"where", "filter", "project", "extend", "summarize", "by", "join",
	"lookup", "on", "kind", "union", "withsource", "isfuzzy", "sort",
	"order", "asc", "desc", "nulls", "first", "last", "top", "take",
	"limit", "distinct", "count", "mvexpand", "parse", "evaluate",
	"invoke", "render", "search", "find", "serialize", "sample",
	"getschema", "as", "facet", "partition", "scan", "print", "range",
	"from", "to", "step", "with", "of", "others", "datatable",
	"externaldata", "external_data", "typeof", "dynamic", "fork",
	"consume", "reduce", "declare", "output", "default", "optional",
	"materialize", "toscalar", "title",
}

// operatorKeywords are the words that combine values.
var operatorKeywords = [...]string{
	"and", "or", "in", "between", "matches", "regex", "like", "likecs",
	"notlike", "notlikecs", "has_any", "has_all", "notcontains",
	"notcontainscs", "notbetween", "containscs", "notstartswith",
	"notendswith", "nothas",
}

// negatable are the string operators that also have a `!` form, such as
// has and !has.
var negatable = map[string]bool{
	"has": true, "has_cs": true, "hasprefix": true, "hasprefix_cs": true,
	"hassuffix": true, "hassuffix_cs": true, "contains": true,
	"contains_cs": true, "startswith": true, "startswith_cs": true,
	"endswith": true, "endswith_cs": true, "in": true, "between": true,
	"like": true, "likecs": true,
}

// stringOperators are the binary string operators, with their negations.
var stringOperators = map[string]bool{
	"matches regex": true, "like": true, "likecs": true, "notlike": true,
	"notlikecs": true, "notcontains": true, "notcontainscs": true,
	"containscs": true, "notstartswith": true, "notendswith": true,
	"nothas": true, "!like": true, "!likecs": true,
}

func init() {
	for w := range negatable {
		if w != "in" && w != "between" {
			stringOperators[w] = true
			stringOperators["!"+w] = true
		}
	}
}

// inOperators are the operators followed by a parenthesised list.
var inOperators = map[string]bool{
	"in": true, "!in": true, "in~": true, "!in~": true, "has_any": true,
	"has_all": true,
}

// hyphenWords are the operator names written with hyphens.
var hyphenWords = map[string]bool{
	"project-away": true, "project-keep": true, "project-rename": true,
	"project-reorder": true, "project-smart": true, "mv-expand": true,
	"mv-apply": true, "parse-where": true, "parse-kv": true,
	"make-series": true, "make-graph": true, "top-nested": true,
	"top-hitters": true, "sample-distinct": true,
	"execute-and-cache": true, "graph-match": true, "graph-merge": true,
	"graph-to-table": true, "graph-shortest-paths": true,
	"project-by-names": true,
}

// hyphenPrefixes are the unfinished prefixes of the longer hyphenWords.
var hyphenPrefixes = map[string]bool{
	"execute-and": true, "graph-to": true, "graph-shortest": true,
	"project-by": true,
}

// literalTypes are the type names written as `type(value)` literals.
var literalTypes = map[string]bool{
	"datetime": true, "date": true, "timespan": true, "time": true,
	"guid": true, "uniqueid": true, "long": true, "int": true,
	"int64": true, "int32": true, "real": true, "double": true,
	"decimal": true, "bool": true, "boolean": true,
}

// scalarTypes are the scalar type names of declarations, mapped to their
// canonical name.
var scalarTypes = map[string]string{
	"bool": "bool", "boolean": "bool", "int": "int", "int32": "int",
	"long": "long", "int64": "long", "real": "real", "double": "real",
	"decimal": "decimal", "string": "string", "datetime": "datetime",
	"date": "datetime", "timespan": "timespan", "time": "timespan",
	"guid": "guid", "uniqueid": "guid", "dynamic": "dynamic",
}

// timespanUnits maps a timespan literal's unit to its length in ticks
// of 100 ns.
var timespanUnits = map[string]int64{
	"d": day, "day": day, "days": day,
	"h": hour, "hr": hour, "hrs": hour, "hour": hour, "hours": hour,
	"m": minute, "min": minute, "minute": minute, "minutes": minute,
	"s": second, "sec": second, "second": second, "seconds": second,
	"ms": milli, "milli": milli, "millis": milli,
	"millisec": milli, "millisecond": milli, "milliseconds": milli,
	"micro": 10, "micros": 10, "microsecond": 10, "microseconds": 10,
	"tick": 1, "ticks": 1,
	"nano": 0, "nanos": 0, "nanosecond": 0, "nanoseconds": 0,
}

// Tick counts of the timespan units.
const (
	milli  = 10_000
	second = 1000 * milli
	minute = 60 * second
	hour   = 60 * minute
	day    = 24 * hour
)
