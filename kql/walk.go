package kql

import "reflect"

// Inspect walks the tree rooted at n in source order. It calls f(n) for
// each node; if f returns true, Inspect visits the node's children and
// then calls f(nil), as go/ast.Inspect does.
func Inspect(n Node, f func(Node) bool) {
	w := walker{f: f}
	w.node(n)
}

// walker carries the visit function through a walk.
type walker struct {
	f func(Node) bool
}

// node visits n and its children.
func (w walker) node(n Node) {
	if isNil(n) || !w.f(n) {
		return
	}
	w.children(n)
	w.f(nil)
}

// isNil reports whether n is nil or a typed nil pointer, as an absent
// optional child such as ExpandColumn.To is.
func isNil(n Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func (w walker) exprs(xs []Expr) {
	for _, x := range xs {
		w.node(x)
	}
}

func (w walker) params(ps []*NamedParam) {
	for _, p := range ps {
		w.node(p)
	}
}

func (w walker) sortKeys(ks []*SortKey) {
	for _, k := range ks {
		w.node(k)
	}
}

func (w walker) columnDecls(cs []*ColumnDecl) {
	for _, c := range cs {
		w.node(c)
	}
}

// children visits the children of n in source order.
func (w walker) children(n Node) {
	switch n := n.(type) {
	case *Script:
		for _, s := range n.Stmts {
			w.node(s)
		}
	case *LetStmt:
		w.node(n.Name)
		w.node(n.Value)
	case *SetStmt:
		w.node(n.Name)
		w.node(n.Value)
	case *ExprStmt:
		w.node(n.X)
	case *DeclareStmt:
		for _, p := range n.Params {
			w.node(p)
		}
	default:
		if !w.exprChildren(n) && !w.declChildren(n) {
			w.operatorChildren(n)
		}
	}
}

// exprChildren visits the children of an expression, reporting false if
// n is none.
func (w walker) exprChildren(n Node) bool {
	switch n := n.(type) {
	case *Ident, *Literal, *Star, *Pattern, *BadExpr:
	case *BinaryExpr:
		w.node(n.X)
		w.node(n.Y)
	case *UnaryExpr:
		w.node(n.X)
	case *InExpr:
		w.node(n.X)
		w.exprs(n.List)
	case *BetweenExpr:
		w.node(n.X)
		w.node(n.Lo)
		w.node(n.Hi)
	case *ParenExpr:
		w.node(n.X)
	case *CallExpr:
		w.node(n.Func)
		w.exprs(n.Args)
	case *NamedArg:
		w.node(n.Name)
		w.node(n.Value)
	case *MemberExpr:
		w.node(n.X)
		w.node(n.Name)
	case *IndexExpr:
		w.node(n.X)
		w.node(n.Index)
	case *Assign:
		for _, id := range n.Names {
			w.node(id)
		}
		w.node(n.Value)
	case *TypeofExpr:
		w.node(n.Type)
	case *MaterializeExpr:
		w.node(n.X)
	case *ToScalarExpr:
		w.params(n.Params)
		w.node(n.X)
	case *DatatableExpr:
		w.params(n.Params)
		w.columnDecls(n.Columns)
		w.exprs(n.Values)
	case *ExternalDataExpr:
		w.params(n.Params)
		w.columnDecls(n.Columns)
		w.exprs(n.URIs)
		w.params(n.With)
	case *FuncLit:
		for _, p := range n.Params {
			w.node(p)
		}
		for _, s := range n.Body {
			w.node(s)
		}
	case *Pipeline:
		w.node(n.Source)
		for _, op := range n.Ops {
			w.node(op)
		}
	default:
		return false
	}
	return true
}

// declChildren visits the children of a declaration or clause node,
// reporting false if n is none.
func (w walker) declChildren(n Node) bool {
	switch n := n.(type) {
	case *Param:
		w.node(n.Name)
		w.node(n.Type)
		w.node(n.Default)
	case *TypeRef:
		w.columnDecls(n.Columns)
	case *ColumnDecl:
		w.node(n.Name)
	case *NamedParam:
		if len(n.List) > 0 {
			w.exprs(n.List) // List starts with Value
		} else {
			w.node(n.Value)
		}
	case *SortKey:
		w.node(n.X)
	case *ExpandColumn:
		w.node(n.X)
		w.node(n.To)
	case *ParseItem:
		w.node(n.Literal)
		w.node(n.Column)
	case *SeriesAgg:
		w.node(n.X)
		w.node(n.Default)
	case *TopNestedLevel:
		w.node(n.Count)
		w.node(n.Of)
		w.node(n.Others)
		w.node(n.By)
	case *ScanStep:
		w.node(n.Name)
		w.node(n.Condition)
		w.exprs(n.Assigns)
	default:
		return false
	}
	return true
}

// operatorChildren visits the children of a tabular operator.
func (w walker) operatorChildren(n Node) {
	switch n := n.(type) {
	case *WhereOp:
		w.params(n.Params)
		w.node(n.Predicate)
	case *ProjectOp:
		w.exprs(n.Columns)
	case *ProjectAwayOp:
		w.exprs(n.Columns)
	case *ProjectKeepOp:
		w.exprs(n.Columns)
	case *ProjectRenameOp:
		w.exprs(n.Columns)
	case *ProjectReorderOp:
		w.sortKeys(n.Columns)
	case *ExtendOp:
		w.exprs(n.Columns)
	case *SummarizeOp:
		w.params(n.Params)
		w.exprs(n.Aggs)
		w.exprs(n.By)
	case *JoinOp:
		w.params(n.Params)
		w.node(n.Right)
		w.exprs(n.On)
	case *LookupOp:
		w.params(n.Params)
		w.node(n.Right)
		w.exprs(n.On)
	case *UnionOp:
		w.params(n.Params)
		w.exprs(n.Tables)
	case *SortOp:
		w.params(n.Params)
		w.sortKeys(n.By)
	case *TopOp:
		w.params(n.Params)
		w.node(n.Count)
		w.sortKeys(n.By)
	case *TakeOp:
		w.params(n.Params)
		w.node(n.Count)
	case *DistinctOp:
		w.params(n.Params)
		w.exprs(n.Columns)
	case *CountOp:
		w.params(n.Params)
	case *MvExpandOp:
		w.params(n.Params)
		for _, c := range n.Columns {
			w.node(c)
		}
		w.node(n.Limit)
	case *MvApplyOp:
		w.params(n.Params)
		for _, c := range n.Columns {
			w.node(c)
		}
		w.node(n.Limit)
		w.node(n.Body)
	default:
		w.moreOperatorChildren(n)
	}
}

// moreOperatorChildren visits the children of the less common operators.
func (w walker) moreOperatorChildren(n Node) {
	switch n := n.(type) {
	case *ParseOp:
		w.params(n.Params)
		w.node(n.Source)
		for _, it := range n.Pattern {
			w.node(it)
		}
	case *ParseKvOp:
		w.node(n.Source)
		w.columnDecls(n.Columns)
		w.params(n.With)
	case *MakeSeriesOp:
		w.params(n.Params)
		for _, a := range n.Aggs {
			w.node(a)
		}
		w.node(n.On)
		w.node(n.From)
		w.node(n.To)
		w.node(n.Step)
		w.exprs(n.By)
	case *EvaluateOp:
		w.params(n.Params)
		w.node(n.Call)
		w.node(n.Schema)
	case *InvokeOp:
		w.node(n.Call)
	case *RenderOp:
		w.node(n.Chart)
		w.params(n.Params)
	case *SearchOp:
		w.params(n.Params)
		w.exprs(n.Tables)
		w.node(n.Predicate)
	case *FindOp:
		w.params(n.Params)
		w.exprs(n.Tables)
		w.node(n.Predicate)
		w.exprs(n.Project)
	case *SerializeOp:
		w.params(n.Params)
		w.exprs(n.Columns)
	case *SampleOp:
		w.params(n.Params)
		w.node(n.Count)
	case *SampleDistinctOp:
		w.params(n.Params)
		w.node(n.Count)
		w.node(n.Of)
	case *TopNestedOp:
		for _, l := range n.Levels {
			w.node(l)
		}
	case *TopHittersOp:
		w.node(n.Count)
		w.node(n.Of)
		w.node(n.By)
	case *AsOp:
		w.params(n.Params)
		w.node(n.Name)
	case *FacetOp:
		w.exprs(n.By)
		w.node(n.With)
	case *PartitionOp:
		w.params(n.Params)
		w.node(n.By)
		w.node(n.Body)
	case *ScanOp:
		w.params(n.Params)
		w.sortKeys(n.OrderBy)
		w.exprs(n.PartitionBy)
		for _, p := range n.Declare {
			w.node(p)
		}
		for _, s := range n.Steps {
			w.node(s)
		}
	case *PrintOp:
		w.exprs(n.Columns)
	case *RangeOp:
		w.node(n.Column)
		w.node(n.From)
		w.node(n.To)
		w.node(n.Step)
	case *ConsumeOp:
		w.params(n.Params)
	case *ReduceOp:
		w.params(n.Params)
		w.node(n.By)
		w.params(n.With)
	case *ForkOp:
		w.exprs(n.Branches)
	}
}
