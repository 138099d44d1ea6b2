package eval

import (
	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/table"
)

// invoke runs one of Defender's built-in tabular functions.
func (ev *evaluator) invoke(t *table.Table, op *kql.InvokeOp) (
	*table.Table, error) {
	switch op.Call.Name() {
	case "FileProfile":
		return ev.fileProfile(t, op.Call)
	}
	return nil, notSupported(op.Call.Func, "invoke "+op.Call.Name())
}

// profileColumns are the columns FileProfile adds, in Microsoft's order.
var profileColumns = []struct {
	name string
	typ  table.Type
}{
	{"SHA1", table.String}, {"SHA256", table.String},
	{"MD5", table.String}, {"FileSize", table.Long},
	{"GlobalPrevalence", table.Long}, {"GlobalFirstSeen", table.DateTime},
	{"GlobalLastSeen", table.DateTime}, {"Signer", table.String},
	{"Issuer", table.String}, {"SignerHash", table.String},
	{"IsCertificateValid", table.Bool},
	{"IsRootSignerMicrosoft", table.Bool},
	{"SignatureState", table.String}, {"IsExecutable", table.Bool},
	{"ThreatName", table.String}, {"Publisher", table.String},
	{"SoftwareName", table.String}, {"ProfileAvailability", table.String},
}

// certFields maps FileProfile columns to DeviceFileCertificateInfo.
var certFields = map[string]string{
	"Signer": "Signer", "Issuer": "Issuer", "SignerHash": "SignerHash",
	"IsCertificateValid":    "IsTrusted",
	"IsRootSignerMicrosoft": "IsRootSignerMicrosoft",
}

// fileProfile is invoke FileProfile([Column [, MaxRecords]]). It adds
// the profile columns to each row, filling the signature columns from
// the tenant's DeviceFileCertificateInfo by SHA1.
// TODO: the Global* columns, threat names and software names come from
// Microsoft's file intelligence, which the demo tenant has no copy of;
// they are null, as they are for files Microsoft has never seen.
func (ev *evaluator) fileProfile(t *table.Table, call *kql.CallExpr) (
	*table.Table, error) {
	key := "SHA1"
	if len(call.Args) > 0 {
		switch a := call.Args[0].(type) {
		case *kql.Ident:
			key = a.Name
		case *kql.Literal:
			key = toString(literal(a.Value))
		default:
			return nil, errAt(a, "FileProfile() needs a column name")
		}
	}
	keyCol, _ := t.Column(key)
	if keyCol == nil {
		return nil, errAt(call, "unknown column %q", key)
	}
	certs := ev.certificates()
	out := &table.Table{Columns: append([]*table.Column(nil),
		t.Columns...)}
	for _, pc := range profileColumns {
		if hasColumn(out.Columns, pc.name) {
			continue
		}
		col := table.NewColumn(pc.name, pc.typ, t.Rows())
		src := certs.cols[certFields[pc.name]]
		for row := range t.Rows() {
			r, ok := certs.rows[keyCol.Str(row)]
			if src == nil || !ok || key == "SHA256" || key == "MD5" {
				col.AppendNull()
				continue
			}
			col.AppendFrom(src, r)
		}
		out.Columns = append(out.Columns, col)
	}
	return out, nil
}

// certIndex is the newest certificate row per SHA1.
type certIndex struct {
	rows map[string]int
	cols map[string]*table.Column
}

func (ev *evaluator) certificates() certIndex {
	idx := certIndex{rows: map[string]int{}, cols: map[string]*table.Column{}}
	ct := ev.db.Tables["DeviceFileCertificateInfo"]
	if ct == nil {
		return idx
	}
	sha, _ := ct.Column("SHA1")
	ts, _ := ct.Column("Timestamp")
	if sha == nil || ts == nil {
		return idx
	}
	for _, name := range certFields {
		if c, _ := ct.Column(name); c != nil {
			idx.cols[name] = c
		}
	}
	for r := range ct.Rows() {
		k := sha.Str(r)
		if old, ok := idx.rows[k]; !ok || ts.Int(r) > ts.Int(old) {
			idx.rows[k] = r
		}
	}
	return idx
}
