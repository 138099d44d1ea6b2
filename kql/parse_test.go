package kql

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// sexpr renders the tree as nested (Type detail ...) groups.
func sexpr(n Node) string {
	var b strings.Builder
	Inspect(n, func(n Node) bool {
		if n == nil {
			b.WriteByte(')')
			return false
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("(" + label(n))
		return true
	})
	return b.String()
}

// label names a node with the detail that tells it apart.
func label(n Node) string {
	name := strings.TrimPrefix(fmt.Sprintf("%T", n), "*kql.")
	switch n := n.(type) {
	case *Ident:
		return name + " " + n.Name
	case *Literal:
		if n.Value.Null {
			return name + " " + n.Value.Type.String() + " null"
		}
		return fmt.Sprintf("%s %v %q", name, n.Value.Type, n.Value.Text())
	case *BinaryExpr:
		return name + " " + n.Op
	case *InExpr:
		return name + " " + n.Op
	case *NamedParam:
		return name + " " + n.Name
	case *SortKey:
		return strings.TrimSpace(name + " " + n.Order + " " + n.Nulls)
	case *ColumnDecl:
		return name + " " + n.Type
	case *TypeRef:
		return name + " " + n.Scalar
	case *Pattern:
		return name + " " + n.Text
	case *ParseItem:
		return strings.TrimSpace(name + " " + n.Type)
	}
	return name
}

func TestParseTree(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"precedence", "print a + b * c == d and e or f",
			"(Script (ExprStmt (Pipeline (PrintOp (BinaryExpr or " +
				"(BinaryExpr and (BinaryExpr == (BinaryExpr + (Ident a) " +
				"(BinaryExpr * (Ident b) (Ident c))) (Ident d)) (Ident e)) " +
				"(Ident f))))))"},
		{"string operators bind tighter than ==",
			"T | where a has 'x' == b",
			"(Script (ExprStmt (Pipeline (Ident T) (WhereOp (BinaryExpr == " +
				"(BinaryExpr has (Ident a) (Literal string \"x\")) " +
				"(Ident b))))))"},
		{"string operators bind tighter than arithmetic",
			"print a has b + c, d < e =~ f",
			"(Script (ExprStmt (Pipeline (PrintOp (BinaryExpr + (BinaryExpr " +
				"has (Ident a) (Ident b)) (Ident c)) (BinaryExpr < (Ident d) " +
				"(BinaryExpr =~ (Ident e) (Ident f)))))))"},
		{"in list and between",
			"T | where a in~ ('x', 'y') and b !between (1 .. 2)",
			"(Script (ExprStmt (Pipeline (Ident T) (WhereOp (BinaryExpr and " +
				"(InExpr in~ (Ident a) (Literal string \"x\") " +
				"(Literal string \"y\")) (BetweenExpr (Ident b) " +
				"(Literal long \"1\") (Literal long \"2\")))))))"},
		{"let scalar and function",
			"let n = 5; let f = (x:long, y:string = 'a') { x + n }; f(1)",
			"(Script (LetStmt (Ident n) (Literal long \"5\")) (LetStmt " +
				"(Ident f) (FuncLit (Param (Ident x) (TypeRef long)) " +
				"(Param (Ident y) (TypeRef string) (Literal string \"a\")) " +
				"(ExprStmt (BinaryExpr + (Ident x) (Ident n))))) " +
				"(ExprStmt (CallExpr (Ident f) (Literal long \"1\"))))"},
		{"tabular parameter", "let f = (T:(A:string, *)) { T }; f(X)",
			"(Script (LetStmt (Ident f) (FuncLit (Param (Ident T) " +
				"(TypeRef  (ColumnDecl string (Ident A)))) " +
				"(ExprStmt (Ident T)))) (ExprStmt (CallExpr (Ident f) " +
				"(Ident X))))"},
		{"join on left and right",
			"A | join kind=leftouter (B | where x) on $left.K == $right.K, Id",
			"(Script (ExprStmt (Pipeline (Ident A) (JoinOp (NamedParam kind " +
				"(Ident leftouter)) (ParenExpr (Pipeline (Ident B) " +
				"(WhereOp (Ident x)))) (BinaryExpr == (MemberExpr " +
				"(Ident $left) (Ident K)) (MemberExpr (Ident $right) " +
				"(Ident K))) (Ident Id)))))"},
		{"summarize by bin",
			"T | summarize n = count(), dcount(D) by bin(Timestamp, 1h)",
			"(Script (ExprStmt (Pipeline (Ident T) (SummarizeOp (Assign " +
				"(Ident n) (CallExpr (Ident count))) (CallExpr (Ident dcount) " +
				"(Ident D)) (CallExpr (Ident bin) (Ident Timestamp) " +
				"(Literal timespan \"01:00:00\"))))))"},
		{"union with patterns",
			"union withsource=Src isfuzzy=true Device*, (T)",
			"(Script (ExprStmt (Pipeline (UnionOp (NamedParam withsource " +
				"(Ident Src)) (NamedParam isfuzzy (Literal bool \"true\")) " +
				"(Pattern Device*) (ParenExpr (Ident T))))))"},
		{"mv-expand to typeof",
			"T | mv-expand kind=array x = A to typeof(long) limit 5",
			"(Script (ExprStmt (Pipeline (Ident T) (MvExpandOp (NamedParam " +
				"kind (Ident array)) (ExpandColumn (Assign (Ident x) " +
				"(Ident A)) (TypeRef long)) (Literal long \"5\")))))"},
		{"parse pattern",
			"T | parse kind=regex Line with * 'user ' U:string ' ' *",
			"(Script (ExprStmt (Pipeline (Ident T) (ParseOp (NamedParam kind " +
				"(Ident regex)) (Ident Line) (ParseItem) (ParseItem " +
				"(Literal string \"user \")) (ParseItem string (Ident U)) " +
				"(ParseItem (Literal string \" \")) (ParseItem)))))"},
		{"datatable", "datatable(a:long, b:string)[1, 'x', -2, 'y',]",
			"(Script (ExprStmt (DatatableExpr (ColumnDecl long (Ident a)) " +
				"(ColumnDecl string (Ident b)) (Literal long \"1\") " +
				"(Literal string \"x\") (Literal long \"-2\") " +
				"(Literal string \"y\"))))"},
		{"externaldata",
			"externaldata(h:string)['https://x/y.csv'] with (format='csv')",
			"(Script (ExprStmt (ExternalDataExpr (ColumnDecl string " +
				"(Ident h)) (Literal string \"https://x/y.csv\") " +
				"(NamedParam format (Literal string \"csv\")))))"},
		{"operators without a source",
			"T | mv-apply x to typeof(long) on (top 1 by x desc)",
			"(Script (ExprStmt (Pipeline (Ident T) (MvApplyOp (ExpandColumn " +
				"(Ident x) (TypeRef long)) (Pipeline (TopOp " +
				"(Literal long \"1\") (SortKey desc (Ident x))))))))"},
		{"make-series",
			"T | make-series n = count() default = 0 on Ts from a to b " +
				"step 1d by D",
			"(Script (ExprStmt (Pipeline (Ident T) (MakeSeriesOp (SeriesAgg " +
				"(Assign (Ident n) (CallExpr (Ident count))) (Literal long " +
				"\"0\")) (Ident Ts) (Ident a) (Ident b) (Literal timespan " +
				"\"1.00:00:00\") (Ident D)))))"},
		{"member and index", "print a.b['c'][0].d",
			"(Script (ExprStmt (Pipeline (PrintOp (MemberExpr (IndexExpr " +
				"(IndexExpr (MemberExpr (Ident a) (Ident b)) (Literal string " +
				"\"c\")) (Literal long \"0\")) (Ident d))))))"},
		{"quoted names", "T | project ['My Col'], ['a' 'b'] = 1",
			"(Script (ExprStmt (Pipeline (Ident T) (ProjectOp (Ident My Col) " +
				"(Assign (Ident ab) (Literal long \"1\"))))))"},
		{"materialize and toscalar",
			"let m = materialize(T); print toscalar(m | count)",
			"(Script (LetStmt (Ident m) (MaterializeExpr (Ident T))) " +
				"(ExprStmt (Pipeline (PrintOp (ToScalarExpr (Pipeline " +
				"(Ident m) (CountOp)))))))"},
		{"sort, top-nested, render",
			"T | sort by a asc nulls last | top-nested 3 of b by count() " +
				"| render timechart with (title='t')",
			"(Script (ExprStmt (Pipeline (Ident T) (SortOp (SortKey asc last " +
				"(Ident a))) (TopNestedOp (TopNestedLevel (Literal long " +
				"\"3\") (Ident b) (SortKey (CallExpr (Ident count))))) " +
				"(RenderOp (Ident timechart) (NamedParam title " +
				"(Literal string \"t\"))))))"},
		{"scan", "T | scan with (step s: x > 1 => y = x;)",
			"(Script (ExprStmt (Pipeline (Ident T) (ScanOp (ScanStep " +
				"(Ident s) (BinaryExpr > (Ident x) (Literal long \"1\")) " +
				"(Assign (Ident y) (Ident x)))))))"},
		{"search in tables",
			"search in (T, U) A == 1",
			"(Script (ExprStmt (Pipeline (SearchOp (Ident T) (Ident U) " +
				"(BinaryExpr == (Ident A) (Literal long \"1\"))))))"},
		{"find",
			"find withsource=S in (T) where A has 'x' project A",
			"(Script (ExprStmt (Pipeline (FindOp (NamedParam " +
				"withsource (Ident S)) (Ident T) (BinaryExpr has (Ident A) " +
				"(Literal string \"x\")) (Ident A)))))"},
		{"facet",
			"T | facet by A with (top 1 by B)",
			"(Script (ExprStmt (Pipeline (Ident T) (FacetOp (Ident A) " +
				"(Pipeline (TopOp (Literal long \"1\") (SortKey (Ident " +
				"B))))))))"},
		{"partition",
			"T | partition hint.strategy=native by A (summarize " +
				"count())",
			"(Script (ExprStmt (Pipeline (Ident T) (PartitionOp " +
				"(NamedParam hint.strategy (Ident native)) (Ident A) " +
				"(Pipeline (SummarizeOp (CallExpr (Ident count))))))))"},
		{"fork",
			"T | fork (where A == 1) b = (take 1)",
			"(Script (ExprStmt (Pipeline (Ident T) (ForkOp (Pipeline " +
				"(WhereOp (BinaryExpr == (Ident A) (Literal long \"1\")))) " +
				"(Assign (Ident b) (Pipeline (TakeOp (Literal long " +
				"\"1\"))))))))"},
		{"evaluate with schema",
			"T | evaluate bag_unpack(A) : (X:string)",
			"(Script (ExprStmt (Pipeline (Ident T) (EvaluateOp " +
				"(CallExpr (Ident bag_unpack) (Ident A)) (TypeRef  " +
				"(ColumnDecl string (Ident X)))))))"},
		{"invoke",
			"T | invoke FileProfile(SHA1, 1000)",
			"(Script (ExprStmt (Pipeline (Ident T) (InvokeOp (CallExpr " +
				"(Ident FileProfile) (Ident SHA1) (Literal long " +
				"\"1000\"))))))"},
		{"parse-kv",
			"T | parse-kv A as (K:string) with (pair_delimiter=',')",
			"(Script (ExprStmt (Pipeline (Ident T) (ParseKvOp (Ident " +
				"A) (ColumnDecl string (Ident K)) (NamedParam " +
				"pair_delimiter (Literal string \",\"))))))"},
		{"range",
			"range x from 1 to 10 step 2",
			"(Script (ExprStmt (Pipeline (RangeOp (Ident x) (Literal " +
				"long \"1\") (Literal long \"10\") (Literal long \"2\")))))"},
		{"small operators",
			"T | getschema | as X | serialize n = row_number() | " +
				"consume",
			"(Script (ExprStmt (Pipeline (Ident T) (GetSchemaOp) (AsOp " +
				"(Ident X)) (SerializeOp (Assign (Ident n) (CallExpr " +
				"(Ident row_number)))) (ConsumeOp))))"},
		{"set, declare and view",
			"set query_now = datetime(2024-01-01); declare " +
				"query_parameters(x:long = 1); let v = view () { T }; v",
			"(Script (SetStmt (Ident query_now) (Literal datetime " +
				"\"2024-01-01T00:00:00Z\")) (DeclareStmt (Param (Ident x) " +
				"(TypeRef long) (Literal long \"1\"))) (LetStmt (Ident v) " +
				"(FuncLit (ExprStmt (Ident T)))) (ExprStmt (Ident v)))"},
		{"project forms",
			"T | project-reorder B desc, A* | project-away C, D* | " +
				"project-rename E = F",
			"(Script (ExprStmt (Pipeline (Ident T) (ProjectReorderOp " +
				"(SortKey desc (Ident B)) (SortKey (Pattern A*))) " +
				"(ProjectAwayOp (Ident C) (Pattern D*)) (ProjectRenameOp " +
				"(Assign (Ident E) (Ident F))))))"},
		{"render list option",
			"T | render timechart with (ycolumns=A, B, title='t')",
			"(Script (ExprStmt (Pipeline (Ident T) (RenderOp (Ident " +
				"timechart) (NamedParam ycolumns (Ident A) (Ident B)) " +
				"(NamedParam title (Literal string \"t\"))))))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, diags := Parse(tt.src)
			if len(diags) > 0 {
				t.Fatalf("Parse(%q): unexpected diagnostic %v", tt.src,
					diags[0])
			}
			if got := sexpr(s); got != tt.want {
				t.Errorf("Parse(%q)\ngot  %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestParseLiterals(t *testing.T) {
	day := time.Date(2024, 1, 2, 3, 4, 5, 600_000_000, time.UTC)
	tests := []struct {
		src  string
		want table.Value
	}{
		{"42", table.Value{Type: table.Long, I: 42}},
		{"-42", table.Value{Type: table.Long, I: -42}},
		{"0x10", table.Value{Type: table.Long, I: 16}},
		{"1.5", table.Value{Type: table.Real, F: 1.5}},
		{"1.5h", table.Value{Type: table.TimeSpan, I: 90 * 60 * 1e7}},
		{"10ms", table.Value{Type: table.TimeSpan, I: 100_000}},
		{"-1d", table.Value{Type: table.TimeSpan, I: -864_000_000_000}},
		{"timespan(1.02:03:04.5)", table.Value{Type: table.TimeSpan,
			I: ((26*60+3)*60+4)*1e7 + 5e6}},
		{"datetime(2024-01-02T03:04:05.6Z)", table.Value{
			Type: table.DateTime, I: table.TimeToTicks(day)}},
		{"datetime(2024-01-02 03:04:05.6)", table.Value{
			Type: table.DateTime, I: table.TimeToTicks(day)}},
		{"datetime(null)", table.Null(table.DateTime)},
		{"long(null)", table.Null(table.Long)},
		{"int(7)", table.Value{Type: table.Int, I: 7}},
		{"real(nan)", table.Value{Type: table.Real, F: 0}},
		{"true", table.Value{Type: table.Bool, I: 1}},
		{"guid(0B9A7D1C-1111-2222-3333-444455556666)", table.Value{
			Type: table.GUID, S: "0b9a7d1c-1111-2222-3333-444455556666"}},
		{`'a\tb\u0041'`, table.Value{Type: table.String, S: "a\tbA"}},
		{`@'c:\x''y'`, table.Value{Type: table.String, S: `c:\x'y`}},
		{`'a' "b" h'c'`, table.Value{Type: table.String, S: "abc"}},
		{"```x\ny```", table.Value{Type: table.String, S: "x\ny"}},
		{`dynamic({"a": [1, 'x', true, null], 'b': -2.5})`, table.Value{
			Type: table.Dynamic, S: `{"a":[1,"x",true,null],"b":-2.5}`}},
		{"dynamic(null)", table.Null(table.Dynamic)},
		{"dynamic([1.0, 2, -0.5])", table.Value{Type: table.Dynamic,
			S: "[1.0,2,-0.5]"}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got := parseLiteral(t, tt.src)
			if tt.src == "real(nan)" {
				if got.F == got.F { // NaN is the only value unequal to itself
					t.Errorf("got %v, want NaN", got.F)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// parseLiteral parses `print src` and returns the printed literal's value.
func parseLiteral(t *testing.T, src string) table.Value {
	t.Helper()
	s, diags := Parse("print " + src)
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostic %v", diags[0])
	}
	op := s.Query().X.(*Pipeline).Ops[0].(*PrintOp)
	lit, ok := op.Columns[0].(*Literal)
	if !ok {
		t.Fatalf("got %T, want *Literal", op.Columns[0])
	}
	return lit.Value
}
