package kql

// TokenKind classifies a token for syntax colouring and for the parser.
type TokenKind uint8

// The token kinds. Whitespace is not a token: it is the gap between two.
const (
	// Invalid is input that is no token: a stray character, or an
	// unterminated string or typed literal.
	Invalid TokenKind = iota
	// Comment is `// ...` up to the end of the line.
	Comment
	// Keyword is a word of the language's structure: let, set, where,
	// project-away, by, on, with, kind, asc, ...
	Keyword
	// OperatorKeyword is a word or word-like symbol that combines
	// values: and, or, has, !has, has_cs, contains, in, !in, in~,
	// between, matches, regex, like, ...
	OperatorKeyword
	// Identifier is a name: a table, column, function or variable,
	// including $left and $right.
	Identifier
	// String is a string literal in any of its forms: 'x', "x", @'x',
	// h'x', ```x```.
	String
	// Number is an integer or real literal: 10, 1.5, 1e6, 0x1F.
	Number
	// TimeSpan is a timespan literal such as 7d, 1.5h, 30s or 10ms.
	TimeSpan
	// TypedLiteral is a literal written as type(value) or a boolean:
	// datetime(2024-01-01), timespan(1.00:00:00), guid(...),
	// long(null), true, false.
	TypedLiteral
	// Symbol is a symbol that combines values: + - * / % == != <> < <=
	// > >= =~ !~ = => ..
	Symbol
	// Punctuation is ( ) [ ] { } , ; : . |
	Punctuation
)

var tokenKindNames = [...]string{
	Invalid:         "Invalid",
	Comment:         "Comment",
	Keyword:         "Keyword",
	OperatorKeyword: "OperatorKeyword",
	Identifier:      "Identifier",
	String:          "String",
	Number:          "Number",
	TimeSpan:        "TimeSpan",
	TypedLiteral:    "TypedLiteral",
	Symbol:          "Symbol",
	Punctuation:     "Punctuation",
}

// String returns the kind's name, such as "Keyword".
func (k TokenKind) String() string {
	if int(k) < len(tokenKindNames) {
		return tokenKindNames[k]
	}
	return "TokenKind(?)"
}

// Token is one token of the source: its kind and its byte span.
type Token struct {
	Kind TokenKind
	Pos  int // byte offset of the first byte
	Len  int // length in bytes
}

// End returns the offset of the byte after the token.
func (t Token) End() int { return t.Pos + t.Len }

// Text returns the token's text in src, the source it was lexed from.
func (t Token) Text(src string) string { return src[t.Pos : t.Pos+t.Len] }
