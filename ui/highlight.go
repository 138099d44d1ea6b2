package ui

import "github.com/ahunt/ahunt/kql"

// tokenKind is how the editor colours a stretch of query text.
type tokenKind uint8

const (
	tokPlain tokenKind = iota
	tokKeyword
	tokString
	tokNumber
	tokTimespan
	tokComment
	tokOperator
	tokError
	tokenKinds
)

// span is a coloured stretch of the query: byte offsets into the text.
type span struct {
	Kind     tokenKind
	Pos, Len int
}

// tokenColours maps the lexer's kinds to the editor's colours; names and
// punctuation stay plain.
var tokenColours = map[kql.TokenKind]tokenKind{
	kql.Invalid:         tokError,
	kql.Comment:         tokComment,
	kql.Keyword:         tokKeyword,
	kql.OperatorKeyword: tokOperator,
	kql.String:          tokString,
	kql.Number:          tokNumber,
	kql.TimeSpan:        tokTimespan,
	kql.TypedLiteral:    tokNumber,
	kql.Symbol:          tokOperator,
}

// highlight splits src into coloured spans with the kql lexer, in order
// and not overlapping; plain tokens are left out.
func highlight(src string) []span {
	toks := kql.Lex(src)
	out := make([]span, 0, len(toks))
	for _, t := range toks {
		if k, ok := tokenColours[t.Kind]; ok {
			out = append(out, span{Kind: k, Pos: t.Pos, Len: t.Len})
		}
	}
	return out
}
