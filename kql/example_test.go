package kql_test

import (
	"fmt"

	"github.com/ahunt/ahunt/kql"
)

func ExampleParse() {
	src := "DeviceProcessEvents\n| where FileName =~ 'cmd.exe'\n| take 10"
	script, diags := kql.Parse(src)
	fmt.Println(len(diags), "diagnostics")
	for _, op := range script.Query().X.(*kql.Pipeline).Ops {
		fmt.Printf("%T\n", op)
	}
	// Output:
	// 0 diagnostics
	// *kql.WhereOp
	// *kql.TakeOp
}

func ExampleParse_diagnostic() {
	_, diags := kql.Parse("DeviceEvents\n| summarize count(\n| take 10")
	for _, d := range diags {
		fmt.Println(d)
	}
	// Output:
	// 3:1: error: expected ')' to close the call to 'count' opened at line 2, column 18, found '|'
}

func ExampleLex() {
	src := "T | where A !has 'x' // note"
	for _, t := range kql.Lex(src) {
		fmt.Printf("%-15v %s\n", t.Kind, t.Text(src))
	}
	// Output:
	// Identifier      T
	// Punctuation     |
	// Keyword         where
	// Identifier      A
	// OperatorKeyword !has
	// String          'x'
	// Comment         // note
}
