package ui

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
