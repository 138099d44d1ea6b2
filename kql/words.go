package kql

import "strings"

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
	"notcontainscs", "containscs",
}

// reservedWords cannot be names without quoting, as ['where']; other
// keywords, such as on, with, count or extend, can. The list follows what
// Microsoft's parser accepts.
var reservedWords = map[string]bool{}

func init() {
	const words = `and as asc between boolean by contains contains_cs
		containscs datatable date datetime decimal desc double dynamic
		endswith endswith_cs execute-and-cache external_data externaldata
		find first graph-match graph-shortest-paths graph-to-table has
		has_all has_any has_cs hasprefix hasprefix_cs hassuffix
		hassuffix_cs in int int32 int64 invoke isfuzzy last like likecs
		long macro-expand make-graph make-series materialize mv-apply
		mv-expand notcontains notcontainscs notlike notlikecs of or others
		parse-kv parse-where print project project-away project-by-names
		project-keep project-rename project-reorder project-smart real
		sample sample-distinct search set startswith startswith_cs string
		time timespan title to top-hitters top-nested toscalar union
		uniqueid where`
	for _, w := range strings.Fields(words) {
		reservedWords[w] = true
	}
}

// isReserved reports whether word cannot be a name without quoting.
func isReserved(word string) bool {
	return reservedWords[word] || isNegated(word)
}

// isNegated reports whether word is an operator such as !has or in~.
func isNegated(word string) bool {
	return strings.HasPrefix(word, "!") || strings.HasSuffix(word, "~")
}

// softReserved are the reserved words that may still name a column
// being declared, as in `extend where = 1` or `datatable(by:string)`.
var softReserved = map[string]bool{}

func init() {
	const words = `as by contains datatable externaldata find has in invoke
		materialize of print sample sample-distinct search set title to
		top-hitters top-nested toscalar where`
	for _, w := range strings.Fields(words) {
		softReserved[w] = true
	}
}

// declReserved are the words that may name a column in an expression
// but cannot be declared as a name with let or as a parameter.
var declReserved = map[string]bool{
	"kind": true, "withsource": true, "true": true, "false": true,
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
	"containscs": true, "!like": true, "!likecs": true,
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
	"execute-and-cache": true, "graph-match": true,
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

// operatorWords are the names of the tabular operators.
var operatorWords = map[string]bool{}

func init() {
	const words = `where filter project extend print serialize project-away
		project-keep project-rename project-reorder summarize join lookup
		union sort order top take limit sample distinct count getschema
		consume mv-expand mvexpand mv-apply parse parse-where parse-kv
		make-series evaluate invoke render search find sample-distinct
		top-hitters top-nested as facet partition scan range reduce fork`
	for _, w := range strings.Fields(words) {
		operatorWords[w] = true
	}
}

// listOptions are the `with (...)` options whose value is a list of
// column names.
var listOptions = map[string]bool{
	"ycolumns": true, "anomalycolumns": true,
}

// renderProperties are the option names of `render ... with (...)`.
var renderProperties = map[string]bool{
	"accumulate": true, "kind": true, "legend": true, "series": true,
	"ymin": true, "ymax": true, "title": true, "xcolumn": true,
	"xtitle": true, "xaxis": true, "ycolumns": true, "ytitle": true,
	"yaxis": true, "anomalycolumns": true, "ysplit": true, "xmin": true,
	"xmax": true,
}
