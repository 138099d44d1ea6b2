package kql

import "github.com/ahunt/ahunt/kql/table"

// This file holds the syntax tree. Every node records the byte offsets of
// its first byte (Pos) and one past its last byte (End) in the source.
//
// A query is a Script of statements. Tabular and scalar expressions share
// one Expr interface, as they do in the language: `let x = 5;` and
// `let t = T | where A > 1;` have the same shape, and a tabular expression
// can stand where a scalar is expected (`toscalar(...)`, `in (T | ...)`).
// A pipeline `T | where ... | project ...` is a *Pipeline whose operators
// implement Operator.

// Node is any node of the syntax tree.
type Node interface {
	// Span returns the byte offsets of the node's first byte and of the
	// byte after its last one.
	Span() (pos, end int)
}

// Expr is a scalar or tabular expression.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement of a script or of a function body.
type Stmt interface {
	Node
	stmtNode()
}

// Operator is a tabular operator: one stage of a pipeline.
type Operator interface {
	Node
	operatorNode()
}

// Loc is the byte span of a node; every node embeds it.
type Loc struct {
	Pos int // offset of the first byte
	End int // offset of the byte after the last one
}

// Span returns l.Pos and l.End.
func (l Loc) Span() (pos, end int) { return l.Pos, l.End }

// Script is a whole query: statements separated by semicolons.
type Script struct {
	Loc
	Stmts []Stmt
}

// Query returns the script's last expression statement, the tabular
// expression whose result the query returns, or nil if there is none.
func (s *Script) Query() *ExprStmt {
	for i := len(s.Stmts) - 1; i >= 0; i-- {
		if q, ok := s.Stmts[i].(*ExprStmt); ok {
			return q
		}
	}
	return nil
}

// Statements.

// LetStmt binds a name: `let Name = Value;`. Value is a scalar or tabular
// expression, or a *FuncLit for a function, lambda or view.
type LetStmt struct {
	Loc
	Name  *Ident
	Value Expr
}

// SetStmt sets a request option: `set Name = Value;` or `set Name;`
// (Value nil).
type SetStmt struct {
	Loc
	Name  *Ident // may hold dots, such as "query_now" or "hint.x"
	Value Expr
}

// ExprStmt is an expression used as a statement, usually the query's
// final tabular expression.
type ExprStmt struct {
	Loc
	X Expr
}

// DeclareStmt declares query parameters:
// `declare query_parameters(Name:type = default, ...);`.
type DeclareStmt struct {
	Loc
	Params []*Param
}

func (*LetStmt) stmtNode()     {}
func (*SetStmt) stmtNode()     {}
func (*ExprStmt) stmtNode()    {}
func (*DeclareStmt) stmtNode() {}

// Scalar and tabular expressions.

// Ident is a name: of a table, column, function, variable or option.
// Name is the name as the language sees it: `['My Col']` has the Name
// "My Col" and Quoted set. `$left` and `$right` are Idents named "$left"
// and "$right".
type Ident struct {
	Loc
	Name   string
	Quoted bool
}

// Literal is a constant with its decoded value. Value.Type is one of the
// table types: Long, Int, Real, Decimal, Bool, String, DateTime (ticks of
// 100 ns since the Unix epoch), TimeSpan (ticks of 100 ns), GUID
// (canonical text in Value.S), Dynamic (compact JSON text in Value.S).
// A typed null such as `long(null)` or `dynamic(null)` has Value.Null set.
// Adjacent string literals are joined into one Literal, as KQL does.
type Literal struct {
	Loc
	Value table.Value
}

// Star is `*`: all columns (in `project-away *`, `arg_max(T, *)`,
// `union *`, `search *`) or any characters (in a parse pattern).
type Star struct {
	Loc
}

// Pattern is a column-name wildcard such as `Device*` (in project-away,
// project-keep, project-reorder, union and find), or `*` alone.
type Pattern struct {
	Loc
	Text string // as written, with its '*'s
}

// BinaryExpr is `X Op Y`. Op is the operator in lower case as written,
// such as "+", "==", "<>", "=~", "and", "or", "has", "!has", "has_cs",
// "contains", "!startswith_cs", "matches regex", "like", ":". KQL's
// precedence, loosest first: or; and; == != <> in between; < <= > >=;
// + -; * / %; the string operators; a sign; member access and calls.
type BinaryExpr struct {
	Loc
	X     Expr
	Op    string
	OpPos int
	Y     Expr
}

// UnaryExpr is `Op X`, with Op "-" or "+".
type UnaryExpr struct {
	Loc
	Op string
	X  Expr
}

// InExpr is `X Op (List...)` with Op one of "in", "!in", "in~", "!in~",
// "has_any", "has_all", "has_any_cs", "has_all_cs". A list item may be a
// tabular expression (its first column), or a dynamic array.
type InExpr struct {
	Loc
	X    Expr
	Op   string
	List []Expr
}

// BetweenExpr is `X between (Lo .. Hi)` or, with Not set,
// `X !between (Lo .. Hi)`.
type BetweenExpr struct {
	Loc
	X   Expr
	Not bool
	Lo  Expr
	Hi  Expr
}

// ParenExpr is `(X)`.
type ParenExpr struct {
	Loc
	X Expr
}

// CallExpr is `Func(Args...)`. Func is usually an *Ident; it is a
// *MemberExpr for calls such as `cluster('c').database('d')`. An argument
// is an expression, a *Star, or a *NamedArg.
type CallExpr struct {
	Loc
	Func Expr
	Args []Expr
}

// Name returns the called function's name, or "" when Func is not an
// *Ident.
func (c *CallExpr) Name() string {
	if id, ok := c.Func.(*Ident); ok {
		return id.Name
	}
	return ""
}

// NamedArg is `Name = Value` as a call argument.
type NamedArg struct {
	Loc
	Name  *Ident
	Value Expr
}

// MemberExpr is `X.Name`, such as `$left.DeviceId` or `Parsed.Field`.
type MemberExpr struct {
	Loc
	X    Expr
	Name *Ident
}

// IndexExpr is `X[Index]`, such as `Bag['key']` or `Array[0]`. X is nil
// for bare brackets `[Index]`, which KQL's grammar accepts.
type IndexExpr struct {
	Loc
	X     Expr
	Index Expr
}

// Assign is `Name = Value` or `(Name1, Name2) = Value` in a column list
// of project, extend, summarize, print, mv-expand and others.
type Assign struct {
	Loc
	Names []*Ident
	Value Expr
}

// TypeofExpr is `typeof(Type)`, a type used as a value (in parse,
// mv-expand ... to typeof(...), and make-series).
type TypeofExpr struct {
	Loc
	Type *TypeRef
}

// MaterializeExpr is `materialize(X)`, which KQL allows only as the whole
// value of a let statement.
type MaterializeExpr struct {
	Loc
	X Expr
}

// ToScalarExpr is `toscalar(X)`, optionally with `kind=...` parameters.
type ToScalarExpr struct {
	Loc
	Params []*NamedParam
	X      Expr
}

// DatatableExpr is `datatable(Columns...)[Values...]`. Values holds the
// cells row by row.
type DatatableExpr struct {
	Loc
	Params  []*NamedParam
	Columns []*ColumnDecl
	Values  []Expr
}

// ExternalDataExpr is `externaldata(Columns...)[URIs...] with (Params)`.
// The Kind is "externaldata" or "external_data".
type ExternalDataExpr struct {
	Loc
	Kind    string
	Params  []*NamedParam // parameters written before the columns
	Columns []*ColumnDecl
	URIs    []Expr
	With    []*NamedParam
}

// FuncLit is a function or lambda body with its parameters:
// `(a:string, b:long = 1) { ... }`. With View set it is
// `view (...) { ... }`.
type FuncLit struct {
	Loc
	View   bool
	Params []*Param
	Body   []Stmt // statements; the last one is usually an *ExprStmt
}

// Pipeline is `Source | Op1 | Op2 ...`. Source is nil when the pipeline
// starts with an operator: one that produces rows itself (union, print,
// range, search, find, evaluate), or, inside mv-apply, partition and facet
// bodies, an operator applied to the enclosing input.
type Pipeline struct {
	Loc
	Source Expr
	Ops    []Operator
}

// BadExpr stands in for an expression that could not be parsed; a
// Diagnostic describes the error.
type BadExpr struct {
	Loc
}

func (*Ident) exprNode()            {}
func (*Literal) exprNode()          {}
func (*Star) exprNode()             {}
func (*Pattern) exprNode()          {}
func (*BinaryExpr) exprNode()       {}
func (*UnaryExpr) exprNode()        {}
func (*InExpr) exprNode()           {}
func (*BetweenExpr) exprNode()      {}
func (*ParenExpr) exprNode()        {}
func (*CallExpr) exprNode()         {}
func (*NamedArg) exprNode()         {}
func (*MemberExpr) exprNode()       {}
func (*IndexExpr) exprNode()        {}
func (*Assign) exprNode()           {}
func (*TypeofExpr) exprNode()       {}
func (*MaterializeExpr) exprNode()  {}
func (*ToScalarExpr) exprNode()     {}
func (*DatatableExpr) exprNode()    {}
func (*ExternalDataExpr) exprNode() {}
func (*FuncLit) exprNode()          {}
func (*Pipeline) exprNode()         {}
func (*BadExpr) exprNode()          {}

// Declarations and parameters.

// Param is a function parameter: `Name:Type` or `Name:Type = Default`.
type Param struct {
	Loc
	Name    *Ident
	Type    *TypeRef
	Default Expr
}

// TypeRef is a type: a scalar type name such as "string" (Scalar, in
// canonical form: "long" for int64), or a tabular schema
// `(Col:type, ..., *)` (Columns, with Open set by `*`). After mv-expand's
// `to typeof(...)`, which KQL's grammar does not check, Scalar may be an
// unknown word or "".
type TypeRef struct {
	Loc
	Scalar  string
	Columns []*ColumnDecl
	Open    bool
}

// Tabular reports whether t is a tabular schema.
func (t *TypeRef) Tabular() bool { return len(t.Columns) > 0 || t.Open }

// ColumnDecl is `Name:Type` in datatable, externaldata, parse-kv and
// tabular parameter schemas.
type ColumnDecl struct {
	Loc
	Name *Ident
	Type string // scalar type name in lower case, such as "datetime"
}

// NamedParam is an operator parameter `Name=Value`, such as `kind=inner`,
// `hint.strategy=shuffle`, `withsource=TableName`, `isfuzzy=true`, or an
// option in a `with (...)` list. Name is as written, dots included.
// A word value such as `inner` is an *Ident.
type NamedParam struct {
	Loc
	Name  string
	Value Expr
	List  []Expr // all values of a list option such as ycolumns=A, B
}

// SortKey is `X [asc|desc] [nulls first|nulls last]`. Order is "",
// "asc" or "desc"; Nulls is "", "first" or "last".
type SortKey struct {
	Loc
	X     Expr
	Order string
	Nulls string
}

// ParamValue returns the value of the named parameter in ps, or nil.
func ParamValue(ps []*NamedParam, name string) Expr {
	for _, p := range ps {
		if p.Name == name {
			return p.Value
		}
	}
	return nil
}
