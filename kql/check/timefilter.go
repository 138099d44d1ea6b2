package check

import (
	"fmt"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// warnUnfiltered warns about each large table that feeds rows with no
// time filter on the way.
func (c *checker) warnUnfiltered(rows *rowset) {
	for _, id := range rows.unfiltered {
		col := "Timestamp"
		if t, ok := c.schema.Table(id.Name); ok {
			if _, ok := t.Column("Timestamp"); !ok {
				col = "EventTime"
			}
		}
		msg := fmt.Sprintf("%s is read with no time filter; add "+
			"'| where %s > ago(7d)' or similar to scan less data",
			id.Name, col)
		c.report(kql.Warning, CodeNoTimeFilter, id.Pos, id.End, msg)
	}
}

// hasTimeFilter reports whether a where predicate on the rows in
// compares a time column (Timestamp, EventTime or any other datetime
// column) with anything: `Timestamp > ago(7d)`,
// `Timestamp between (start .. end)`, `ago(1d) < ProcessCreationTime`.
func hasTimeFilter(pred kql.Expr, in *rowset) bool {
	found := false
	walk(pred, func(e kql.Expr) bool {
		switch e := e.(type) {
		case *kql.BinaryExpr:
			switch e.Op {
			case ">", ">=", "<", "<=", "==":
				found = found || isTimeColumn(e.X, in) ||
					isTimeColumn(e.Y, in)
			}
		case *kql.BetweenExpr:
			found = found || (!e.Not && isTimeColumn(e.X, in))
		}
		return !found
	})
	return found
}

// isTimeColumn reports whether e names a time column of in, or is
// ingestion_time(). TimeGenerated counts too: it is reported as a
// Sentinel column, and a second report about the same filter would only
// confuse.
func isTimeColumn(e kql.Expr, in *rowset) bool {
	for {
		p, ok := e.(*kql.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	switch e := e.(type) {
	case *kql.Ident:
		col, found := in.find(e.Name)
		return timeColumns[e.Name] || e.Name == "TimeGenerated" ||
			found && col.typ == table.DateTime
	case *kql.CallExpr:
		return e.Name() == "ingestion_time"
	}
	return false
}

// walk calls f for e and, while f returns true, for the scalar
// expressions inside it. It does not enter tabular expressions.
func walk(e kql.Expr, f func(kql.Expr) bool) {
	if e == nil || !f(e) {
		return
	}
	switch e := e.(type) {
	case *kql.BinaryExpr:
		walk(e.X, f)
		walk(e.Y, f)
	case *kql.UnaryExpr:
		walk(e.X, f)
	case *kql.ParenExpr:
		walk(e.X, f)
	case *kql.InExpr:
		walk(e.X, f)
	case *kql.BetweenExpr:
		walk(e.X, f)
		walk(e.Lo, f)
		walk(e.Hi, f)
	case *kql.CallExpr:
		for _, a := range e.Args {
			walk(a, f)
		}
	case *kql.NamedArg:
		walk(e.Value, f)
	case *kql.MemberExpr:
		walk(e.X, f)
	case *kql.IndexExpr:
		walk(e.X, f)
		walk(e.Index, f)
	}
}
