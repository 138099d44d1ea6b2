package ui

import "github.com/ahunt/ahunt/kql"

// Diagnostic is one finding of the query checker, placed in the text.
type Diagnostic = kql.Diagnostic
