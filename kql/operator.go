package kql

// This file holds the tabular operators, one node type each. Params hold
// the operator's `name=value` parameters (kind=, hint.*=, withsource=,
// isfuzzy=, ...) in the order written. A column list item is an Expr: an
// *Assign for `Name = Value`, else the expression itself.

// WhereOp is `where Predicate`; Keyword is "where" or "filter". KQL
// parses `where A = 1` as a named expression, so Predicate may be an
// *Assign, which the checker reports.
type WhereOp struct {
	Loc
	Keyword   string
	Params    []*NamedParam
	Predicate Expr
}

// ProjectOp is `project Columns...`.
type ProjectOp struct {
	Loc
	Columns []Expr
}

// ProjectAwayOp is `project-away Columns...`; each is an *Ident or a
// *Pattern.
type ProjectAwayOp struct {
	Loc
	Columns []Expr
}

// ProjectKeepOp is `project-keep Columns...`; each is an *Ident or a
// *Pattern.
type ProjectKeepOp struct {
	Loc
	Columns []Expr
}

// ProjectRenameOp is `project-rename New = Old, ...`; each is an *Assign.
type ProjectRenameOp struct {
	Loc
	Columns []Expr
}

// ProjectReorderOp is `project-reorder Columns... [asc|desc]`.
type ProjectReorderOp struct {
	Loc
	Columns []*SortKey // X is an *Ident or a *Pattern
}

// ExtendOp is `extend Columns...`.
type ExtendOp struct {
	Loc
	Columns []Expr
}

// SummarizeOp is `summarize Aggs... [by Keys...]`. Aggs is empty for
// `summarize by X`.
type SummarizeOp struct {
	Loc
	Params []*NamedParam
	Aggs   []Expr
	By     []Expr
}

// JoinOp is `join [kind=...] [hint.*=...] Right on Keys...`. A key is an
// *Ident (the same column on both sides) or a comparison such as
// `$left.A == $right.B`. On is empty when the query leaves out `on`,
// which KQL's grammar allows and the checker reports.
type JoinOp struct {
	Loc
	Params []*NamedParam
	Right  Expr
	On     []Expr
}

// LookupOp is `lookup [kind=...] Right on Keys...`, keyed like JoinOp.
type LookupOp struct {
	Loc
	Params []*NamedParam
	Right  Expr
	On     []Expr
}

// UnionOp is `union [kind=...] [withsource=Name] [isfuzzy=...] Tables...`.
// A table is a tabular expression or a *Pattern such as `Device*`.
type UnionOp struct {
	Loc
	Params []*NamedParam
	Tables []Expr
}

// SortOp is `sort by Keys...`; Keyword is "sort" or "order".
type SortOp struct {
	Loc
	Keyword string
	Params  []*NamedParam
	By      []*SortKey
}

// TopOp is `top Count by Key`.
type TopOp struct {
	Loc
	Params []*NamedParam
	Count  Expr
	By     []*SortKey
}

// TakeOp is `take Count`; Keyword is "take" or "limit".
type TakeOp struct {
	Loc
	Keyword string
	Params  []*NamedParam
	Count   Expr
}

// DistinctOp is `distinct Columns...` (or `distinct *`).
type DistinctOp struct {
	Loc
	Params  []*NamedParam
	Columns []Expr
}

// CountOp is `count`.
type CountOp struct {
	Loc
	Params []*NamedParam
}

// MvExpandOp is `mv-expand [kind=...] [with_itemindex=Name] Columns...
// [limit N]`; Keyword is "mv-expand" or "mvexpand".
type MvExpandOp struct {
	Loc
	Keyword string
	Params  []*NamedParam
	Columns []*ExpandColumn
	Limit   Expr
}

// ExpandColumn is one column of mv-expand or mv-apply: `X` or
// `Name = X`, with an optional `to typeof(Type)` (To, else nil).
type ExpandColumn struct {
	Loc
	X  Expr // an *Assign when renamed
	To *TypeRef
}

// MvApplyOp is `mv-apply Columns... [limit N] on (Body)`. Body is a
// *Pipeline whose Source is nil: its operators apply to the expanded rows
// of each input row.
type MvApplyOp struct {
	Loc
	Params  []*NamedParam
	Columns []*ExpandColumn
	Limit   Expr
	Body    Expr
}

// ParseOp is `parse [kind=...] [flags=...] Source with Pattern...`;
// Keyword is "parse" or "parse-where".
type ParseOp struct {
	Loc
	Keyword string
	Params  []*NamedParam
	Source  Expr
	Pattern []*ParseItem
}

// ParseItem is one element of a parse pattern: a string literal (Literal
// set), a column to extract `Name` or `Name:type` (Column set, Type the
// type name or ""), or `*` (Star set).
type ParseItem struct {
	Loc
	Literal *Literal
	Column  *Ident
	Type    string
	Star    bool
}

// ParseKvOp is `parse-kv Source as (Columns...) [with (Params)]`.
type ParseKvOp struct {
	Loc
	Source  Expr
	Columns []*ColumnDecl
	With    []*NamedParam
}

// MakeSeriesOp is `make-series [kind=...] Aggs... on Axis [from From]
// [to To] step Step [by Keys...]`, or with `in range(From, To, Step)`.
type MakeSeriesOp struct {
	Loc
	Params []*NamedParam
	Aggs   []*SeriesAgg
	On     Expr
	From   Expr
	To     Expr
	Step   Expr
	By     []Expr
}

// SeriesAgg is one make-series aggregate: `[Name =] Agg [default = X]`.
type SeriesAgg struct {
	Loc
	X       Expr // an *Assign when named
	Default Expr
}

// EvaluateOp is `evaluate [hint.*=...] Plugin(Args...) [: (Schema)]`.
type EvaluateOp struct {
	Loc
	Params []*NamedParam
	Call   *CallExpr
	Schema *TypeRef // the declared output schema, or nil
}

// InvokeOp is `invoke Function(Args...)`.
type InvokeOp struct {
	Loc
	Call *CallExpr
}

// RenderOp is `render Chart [with (Params)]`. Params also holds the
// older `render Chart name=value` form.
type RenderOp struct {
	Loc
	Chart  *Ident
	Params []*NamedParam
}

// SearchOp is `search [kind=...] [in (Tables...)] Predicate`.
type SearchOp struct {
	Loc
	Params    []*NamedParam
	Tables    []Expr
	Predicate Expr
}

// FindOp is `find [withsource=Name] [in (Tables...)] where Predicate
// [project Columns...]`.
type FindOp struct {
	Loc
	Params    []*NamedParam
	Tables    []Expr
	Predicate Expr
	Project   []Expr
}

// SerializeOp is `serialize [Columns...]`.
type SerializeOp struct {
	Loc
	Params  []*NamedParam
	Columns []Expr
}

// SampleOp is `sample Count`.
type SampleOp struct {
	Loc
	Params []*NamedParam
	Count  Expr
}

// SampleDistinctOp is `sample-distinct Count of Column`.
type SampleDistinctOp struct {
	Loc
	Params []*NamedParam
	Count  Expr
	Of     Expr
}

// TopNestedOp is `top-nested Levels...` joined by commas.
type TopNestedOp struct {
	Loc
	Levels []*TopNestedLevel
}

// TopNestedLevel is `[N] of Of [with others = Others] by Agg [asc|desc]`.
type TopNestedLevel struct {
	Loc
	Count  Expr // nil when omitted
	Of     Expr
	Others Expr
	By     *SortKey
}

// TopHittersOp is `top-hitters Count of Column [by Sum]`.
type TopHittersOp struct {
	Loc
	Count Expr
	Of    Expr
	By    Expr
}

// GetSchemaOp is `getschema`.
type GetSchemaOp struct {
	Loc
}

// AsOp is `as [hint.materialized=true] Name`.
type AsOp struct {
	Loc
	Params []*NamedParam
	Name   *Ident
}

// FacetOp is `facet by Columns... [with (Body)]`.
type FacetOp struct {
	Loc
	By   []Expr
	With Expr
}

// PartitionOp is `partition [hint.*=...] by Column (Body)`, or
// `partition by Column { Body }`. Body is a *Pipeline whose Source is nil
// or, in the brace form, any tabular expression.
type PartitionOp struct {
	Loc
	Params []*NamedParam
	By     Expr
	Body   Expr
}

// ScanOp is `scan [with_match_id=Name] [declare (Params)] with (Steps)`,
// optionally with `order by` and `partition by` clauses.
type ScanOp struct {
	Loc
	Params      []*NamedParam
	OrderBy     []*SortKey
	PartitionBy []Expr
	Declare     []*Param
	Steps       []*ScanStep
}

// ScanStep is `step Name [optional] : Condition [=> Assigns...];`.
type ScanStep struct {
	Loc
	Name      *Ident
	Optional  bool
	Condition Expr
	Assigns   []Expr
}

// PrintOp is `print Columns...`.
type PrintOp struct {
	Loc
	Columns []Expr
}

// RangeOp is `range Column from From to To step Step`.
type RangeOp struct {
	Loc
	Column *Ident
	From   Expr
	To     Expr
	Step   Expr
}

// ConsumeOp is `consume`.
type ConsumeOp struct {
	Loc
	Params []*NamedParam
}

// ReduceOp is `reduce [kind=...] by Column [with Params]`.
type ReduceOp struct {
	Loc
	Params []*NamedParam
	By     Expr
	With   []*NamedParam
}

// ForkOp is `fork (Body) (Body) ...`; each body is a *Pipeline whose
// Source is nil, optionally named with `Name = (...)` as an *Assign.
type ForkOp struct {
	Loc
	Branches []Expr
}

// BadOp stands in for an operator that could not be parsed; a Diagnostic
// describes the error.
type BadOp struct {
	Loc
}

func (*WhereOp) operatorNode()          {}
func (*ProjectOp) operatorNode()        {}
func (*ProjectAwayOp) operatorNode()    {}
func (*ProjectKeepOp) operatorNode()    {}
func (*ProjectRenameOp) operatorNode()  {}
func (*ProjectReorderOp) operatorNode() {}
func (*ExtendOp) operatorNode()         {}
func (*SummarizeOp) operatorNode()      {}
func (*JoinOp) operatorNode()           {}
func (*LookupOp) operatorNode()         {}
func (*UnionOp) operatorNode()          {}
func (*SortOp) operatorNode()           {}
func (*TopOp) operatorNode()            {}
func (*TakeOp) operatorNode()           {}
func (*DistinctOp) operatorNode()       {}
func (*CountOp) operatorNode()          {}
func (*MvExpandOp) operatorNode()       {}
func (*MvApplyOp) operatorNode()        {}
func (*ParseOp) operatorNode()          {}
func (*ParseKvOp) operatorNode()        {}
func (*MakeSeriesOp) operatorNode()     {}
func (*EvaluateOp) operatorNode()       {}
func (*InvokeOp) operatorNode()         {}
func (*RenderOp) operatorNode()         {}
func (*SearchOp) operatorNode()         {}
func (*FindOp) operatorNode()           {}
func (*SerializeOp) operatorNode()      {}
func (*SampleOp) operatorNode()         {}
func (*SampleDistinctOp) operatorNode() {}
func (*TopNestedOp) operatorNode()      {}
func (*TopHittersOp) operatorNode()     {}
func (*GetSchemaOp) operatorNode()      {}
func (*AsOp) operatorNode()             {}
func (*FacetOp) operatorNode()          {}
func (*PartitionOp) operatorNode()      {}
func (*ScanOp) operatorNode()           {}
func (*PrintOp) operatorNode()          {}
func (*RangeOp) operatorNode()          {}
func (*ConsumeOp) operatorNode()        {}
func (*ReduceOp) operatorNode()         {}
func (*ForkOp) operatorNode()           {}
func (*BadOp) operatorNode()            {}
