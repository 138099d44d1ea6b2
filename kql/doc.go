// Package kql is ahunt's understanding of the Kusto Query Language as
// Microsoft Defender advanced hunting uses it: a lexer for highlighting,
// a parser that builds a syntax tree with byte positions, and
// diagnostics worded for an analyst.
//
// Lex never fails; Parse always returns a tree and reports each mistake
// once, keeping the rest of the query. What Parse accepts follows
// Microsoft's own parser (Kusto.Language): on the public hunting-query
// corpus the two agree on every query, and kql/oracle holds the Node.js
// helper the tests use to compare them.
//
// The checker (kql/check) and the local engine (kql/eval) walk the tree;
// Inspect visits it in source order.
package kql
