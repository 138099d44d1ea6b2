package ui

// Diagnostic is one finding of the query checker, placed in the text. It
// has the fields of kql.Diagnostic.
//
// TODO: make this an alias of kql.Diagnostic once the kql package with
// its diagnostics is merged, so main can pass the parser directly.
type Diagnostic struct {
	Severity uint8 // 0 error, 1 warning, 2 info
	Code     string
	Message  string
	Pos, End int // byte span in the source
	Line     int // 1-based
	Col      int // 1-based, in characters
}
