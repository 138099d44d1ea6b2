package ui

// highlight splits src into coloured spans, in order and not overlapping.
//
// TODO: call kql.Lex here once the kql lexer is merged; until then the
// editor shows the query uncoloured, because the UI must not grow a
// second KQL lexer of its own.
func highlight(src string) []span {
	_ = src
	return nil
}
