package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/schema"
)

// check parses src, which must have no syntax error, and checks it
// against the Defender schema.
func check(t *testing.T, src string) []kql.Diagnostic {
	t.Helper()
	script, perrs := kql.Parse(src)
	if len(perrs) > 0 {
		t.Fatalf("parse %q: %v", src, perrs)
	}
	return Check(script, src, schema.Defender())
}

// summary writes each diagnostic as "CODE text", text being the source
// it spans.
func summary(src string, ds []kql.Diagnostic) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code + " " + src[d.Pos:d.End]
	}
	return out
}

// A time filter, so that cases about other rules get no warning.
const recent = "| where Timestamp > ago(1d) "

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "CODE text" per diagnostic, in order
	}{
		// Tables.
		{"known table", "DeviceProcessEvents " + recent, nil},
		{"unknown table", "DeviceProcesEvents | take 1",
			[]string{"KQL101 DeviceProcesEvents"}},
		{"sentinel table", "SigninLogs | take 1",
			[]string{"KQL101 SigninLogs"}},
		{"legacy table", "ProcessCreationEvents | where EventTime > ago(1d)",
			nil},
		{"table()", "table('DeviceInf') | take 1",
			[]string{"KQL101 'DeviceInf'"}},

		// Columns.
		{"unknown column", "DeviceProcessEvents " + recent +
			"| where FileNme == 'a'", []string{"KQL102 FileNme"}},
		{"case matters", "IdentityInfo | where AccountUPN == 'a'",
			[]string{"KQL102 AccountUPN"}},
		{"sentinel column", "DeviceProcessEvents " +
			"| where TimeGenerated > ago(1d)",
			[]string{"KQL103 TimeGenerated"}},
		{"computer", "DeviceInfo | project Computer",
			[]string{"KQL103 Computer"}},
		{"billing columns", "DeviceInfo | where _IsBillable " +
			"| summarize sum(_BilledSize)",
			[]string{"KQL103 _IsBillable", "KQL103 _BilledSize"}},
		{"tenant column of a Defender table", "IdentityInfo " +
			"| project TenantId", nil},
		{"reported once per place", "DeviceInfo | where Foo == 1 or Foo == 2",
			[]string{"KQL102 Foo", "KQL102 Foo"}},
		{"quoted name", "DeviceInfo | extend ['Device name'] = DeviceName " +
			"| project ['Device name']", nil},
		{"unknown name without rows", "print y",
			[]string{"KQL102 y"}},
		{"not dynamic", "DeviceEvents " + recent +
			"| where AdditionalFields.IsAudit == true",
			[]string{"KQL106 IsAudit"}},
		{"dynamic property", "CloudAppEvents " + recent +
			"| where RawEventData.Workload == 'x'", nil},

		// Operators that make or drop columns.
		{"extend", "DeviceInfo | extend A = 1, B = A + 1 | where B > 1",
			nil},
		{"extend unnamed", "DeviceInfo | extend tostring(DeviceId), " +
			"tolower(DeviceName) | project Column1", nil},
		{"project drops", "DeviceInfo | project DeviceName " +
			"| where OSPlatform == 'a'", []string{"KQL102 OSPlatform"}},
		{"project member names", "CloudAppEvents " + recent +
			"| project RawEventData.Workload | project RawEventData_Workload",
			nil},
		{"project-away", "DeviceInfo | project-away OSPlatform, Device* " +
			"| project OSPlatform, DeviceName",
			[]string{"KQL102 OSPlatform", "KQL102 DeviceName"}},
		{"project-away unknown", "DeviceInfo | project-away Nope",
			[]string{"KQL102 Nope"}},
		{"project-keep", "DeviceInfo | project-keep Device* " +
			"| project DeviceId, OSPlatform", []string{"KQL102 OSPlatform"}},
		{"project-rename", "DeviceInfo | project-rename Name = DeviceName " +
			"| project Name, DeviceName", []string{"KQL102 DeviceName"}},
		{"project-reorder", "DeviceInfo | project-reorder Nope, OS* asc",
			[]string{"KQL102 Nope"}},
		{"summarize names", "DeviceProcessEvents " + recent +
			"| summarize count(), dcount(DeviceId), make_set(FileName), " +
			"countif(FileSize > 0) by bin(Timestamp, 1h) " +
			"| project Timestamp, count_, dcount_DeviceId, set_FileName, " +
			"countif_", nil},
		{"summarize drops", "DeviceInfo | summarize n = count() by DeviceId " +
			"| where count_ > 1", []string{"KQL102 count_"}},
		{"arg_max star", "DeviceInfo | summarize arg_max(Timestamp, *) " +
			"by DeviceId | project Timestamp, DeviceId, OSPlatform", nil},
		{"arg_max named", "DeviceInfo | summarize Last = arg_max(Timestamp, " +
			"OSPlatform) by DeviceId | project Last, OSPlatform, DeviceName",
			[]string{"KQL102 DeviceName"}},
		{"legacy argmax", "DeviceInfo | summarize argmax(Timestamp, " +
			"OSPlatform) | project max_Timestamp, max_Timestamp_OSPlatform",
			nil},
		{"percentiles", "DeviceInfo | summarize percentiles(ExposureLevel, " +
			"50, 95) | project percentile_ExposureLevel_50, " +
			"percentile_ExposureLevel_95", nil},
		{"tuple assign", "DeviceInfo | summarize (Last, Os) = " +
			"arg_max(Timestamp, OSPlatform) | project Last, Os", nil},
		{"aggregate inside", "DeviceInfo | summarize tostring(make_set(" +
			"DeviceName)), toint(n = count()) | project set_DeviceName, n",
			nil},
		{"distinct", "DeviceInfo | distinct DeviceName | project OSPlatform",
			[]string{"KQL102 OSPlatform"}},
		{"top", "DeviceInfo | top 5 by Timestamp | project Nope",
			[]string{"KQL102 Nope"}},
		{"count", "DeviceInfo | count | project Count", nil},
		{"mv-expand", "DeviceInfo | extend D = dynamic([1]) " +
			"| mv-expand with_itemindex = I X = D to typeof(long) " +
			"| project I, X", nil},
		{"parse", "DeviceInfo | parse OSVersion with Major:long '.' Minor " +
			"| project Major, Minor", nil},
		{"parse-kv", "DeviceInfo | parse-kv OSVersion as (A:string, B:long) " +
			"with (pair_delimiter=',', kv_delimiter='=') | project A, B", nil},
		{"make-series", "DeviceProcessEvents " + recent + "| make-series " +
			"n = count() default = 0 on Timestamp step 1h by DeviceId " +
			"| project n, Timestamp, DeviceId, FileName",
			[]string{"KQL102 FileName"}},
		{"render", "DeviceInfo | summarize count() by OSPlatform " +
			"| render piechart", nil},
		{"as", "DeviceInfo | project DeviceId | as X | join (X) on " +
			"DeviceId | project DeviceId1, Nope", []string{"KQL102 Nope"}},
		{"getschema", "DeviceInfo | getschema | project ColumnName, DataType",
			nil},

		// Joins, lookups and unions.
		{"join suffixes", "DeviceInfo | join (DeviceNetworkInfo) on DeviceId " +
			"| project DeviceId, DeviceId1, Timestamp1, IPAddresses", nil},
		{"join keys", "DeviceInfo | join (DeviceNetworkInfo) " +
			"on $left.DeviceId == $right.DeviceNme",
			[]string{"KQL102 DeviceNme"}},
		{"join key both sides", "DeviceInfo | join (DeviceNetworkInfo) " +
			"on OSPlatform", []string{"KQL102 OSPlatform"}},
		{"leftanti keeps left", "DeviceInfo | join kind=leftanti " +
			"(DeviceNetworkInfo) on DeviceId | project IPAddresses",
			[]string{"KQL102 IPAddresses"}},
		{"rightsemi keeps right", "DeviceInfo | join kind=rightsemi " +
			"(DeviceNetworkInfo) on DeviceId | project IPAddresses", nil},
		{"lookup", "DeviceInfo | lookup (DeviceNetworkInfo) on DeviceId " +
			"| project DeviceId, Timestamp1, IPAddresses", nil},
		{"union withsource", "union withsource=Src DeviceProcessEvents, " +
			"DeviceFileEvents " + recent + "| project Src, ProcessId, " +
			"FileOriginUrl", nil},
		{"union unknown", "union DeviceInfo, DeviceInf",
			[]string{"KQL101 DeviceInf"}},
		{"union fuzzy", "union isfuzzy=true DeviceInfo, DeviceInf", nil},
		{"union wildcard", "union DeviceTvmSoftware* | project Nope",
			[]string{"KQL102 Nope"}},
		{"union inner", "union kind=inner DeviceInfo, DeviceNetworkInfo " +
			"| project DeviceId, OSPlatform", []string{"KQL102 OSPlatform"}},
		{"print", "print 1, x = 2 | project print_0, x, y",
			[]string{"KQL102 y"}},
		{"range", "range n from 1 to 5 step 1 | project n, m",
			[]string{"KQL102 m"}},
		{"partition", "DeviceInfo | partition by OSPlatform (top 1 by " +
			"Timestamp) | project Nope", []string{"KQL102 Nope"}},
		{"scan", "DeviceInfo | sort by Timestamp | scan with_match_id=m " +
			"declare (n:long) with (step s: true => n = s.n + 1;) " +
			"| project m, n, Nope", []string{"KQL102 Nope"}},
		{"search in", "search in (DeviceInfo) Nope == 1",
			[]string{"KQL102 Nope"}},
		{"search output", "search in (DeviceInfo) 'x' | project $table, " +
			"DeviceName, Nope", []string{"KQL102 Nope"}},
		{"search input", "DeviceInfo | search 'x' | project Nope",
			[]string{"KQL102 Nope"}},
		{"search all", "search 'x' | project Anything", nil},
		{"find project", "find in (DeviceInfo, DeviceNetworkInfo) " +
			"where DeviceId == 'x' project DeviceName | project source_, " +
			"DeviceName, OSPlatform", []string{"KQL102 OSPlatform"}},
		{"fuzzy leg", "union isfuzzy=true DeviceInfo, " +
			"(DeviceInf | where X == 1)", nil},

		// Where columns cannot be known.
		{"bag_unpack", "DeviceInfo | extend D = dynamic({}) " +
			"| evaluate bag_unpack(D) | project Anything", nil},
		{"bag_unpack arg", "DeviceInfo | evaluate bag_unpack(Nope)",
			[]string{"KQL102 Nope"}},
		{"ipv4_lookup", "let nets = datatable(Net:string, Name:string)" +
			"['10.0.0.0/8', 'lan']; DeviceNetworkInfo | mv-expand IP = " +
			"IPAddresses | extend Ip = tostring(IP.IPAddress) | evaluate " +
			"ipv4_lookup(nets, Ip, Nett) | project Ip, Name, Nope",
			[]string{"KQL102 Nett", "KQL102 Nope"}},
		{"unknown plugin", "DeviceInfo | evaluate some_plugin(1) " +
			"| project X", []string{"KQL105 some_plugin"}},
		{"unknown function opens", "DeviceInfo | extend tostrin(DeviceId) " +
			"| project DeviceId_, X", []string{"KQL105 tostrin"}},
		{"column_ifexists", "DeviceInfo | extend A = column_ifexists('B', 0) " +
			"| project Anything", nil},
		{"series columns", "DeviceInfo | make-series n = count() on " +
			"Timestamp step 1d | extend series_decompose_anomalies(n) " +
			"| project n_ad_flag", nil},
		{"unknown table opens", "Nope | project Anything",
			[]string{"KQL101 Nope"}},
		{"cross-cluster", "cluster('c').database('d').T | project X", nil},

		// Let bindings and functions.
		{"let scalar", "let n = 5; DeviceInfo | take n", nil},
		{"let table", "let t = DeviceInfo | project DeviceId; " +
			"t | project DeviceName", []string{"KQL102 DeviceName"}},
		{"let table typo", "let t = DeviceInfo; tt | take 1",
			[]string{"KQL101 tt"}},
		{"materialize", "let t = materialize(DeviceInfo | project DeviceId); " +
			"t | project OSPlatform", []string{"KQL102 OSPlatform"}},
		{"datatable", "datatable(A:string, B:long)['x', 1] | project A, C",
			[]string{"KQL102 C"}},
		{"externaldata", "externaldata(Sha:string)['https://x/y.csv'] " +
			"with (format='csv') | project Sha, Md5",
			[]string{"KQL102 Md5"}},
		{"function", "let f = (n:long) { n + 1 }; " +
			"DeviceInfo | extend x = f(1) | project x", nil},
		{"tabular function", "let f = (T:(DeviceName:string)) " +
			"{ T | where DeviceNme == 'a' }; DeviceInfo | invoke f() " +
			"| project OSPlatform", []string{"KQL102 DeviceNme"}},
		{"view without parentheses", "let v = view () { DeviceInfo " +
			"| project DeviceId }; union v, DeviceNetworkInfo " +
			"| project DeviceId, Nope", []string{"KQL102 Nope"}},
		{"declare", "declare query_parameters(n:long = 5); " +
			"DeviceInfo | take n", nil},
		{"let shadows table", "let DeviceInfo = DeviceInfo " +
			"| project DeviceId; DeviceInfo | project OSPlatform",
			[]string{"KQL102 OSPlatform"}},
		{"recursive function", "let f = (n:long) { f(n) }; print f(1)",
			[]string{"KQL105 f"}},
		{"unknown scalar function", "DeviceInfo | extend x = " +
			"tostrin(DeviceId)", []string{"KQL105 tostrin"}},
		{"function returns table", "let f = () { DeviceInfo " +
			"| project DeviceId }; f() | project DeviceName",
			[]string{"KQL102 DeviceName"}},
		{"unknown function", "DeviceInfo | invoke FileProfil()",
			[]string{"KQL105 FileProfil"}},
		{"toscalar", "let n = toscalar(DeviceInfo | count); print n", nil},
		{"in subquery", "DeviceInfo | where DeviceId in " +
			"((DeviceNetworkInfo | project DeviceId)) | take 1", nil},
		{"mv-apply", "DeviceInfo | extend D = dynamic([1]) " +
			"| mv-apply D on (summarize S = make_list(D)) | project S, " +
			"DeviceId", nil},

		// Defender functions.
		{"FileProfile", "DeviceProcessEvents " + recent +
			"| invoke FileProfile(SHA1, 1000) | where GlobalPrevalence < 5",
			nil},
		{"FileProfile argument", "DeviceProcessEvents " + recent +
			"| invoke FileProfile(SHA2)", []string{"KQL102 SHA2"}},
		{"SeenBy", "DeviceInfo | invoke SeenBy() | project SeenBy", nil},
		{"DeviceFromIP", "DeviceFromIP('10.0.0.1') | project DeviceId, Nope",
			[]string{"KQL102 Nope"}},
		{"AssignedIPAddresses", "AssignedIPAddresses('pc1') " +
			"| project IPAddress, IPType", nil},

		// Time filters.
		{"no time filter", "DeviceProcessEvents | take 10",
			[]string{"KQL104 DeviceProcessEvents"}},
		{"between", "DeviceProcessEvents | where Timestamp between " +
			"(ago(2d) .. ago(1d))", nil},
		{"reversed", "DeviceProcessEvents | where ago(1d) < Timestamp", nil},
		{"other datetime column", "DeviceProcessEvents " +
			"| where ProcessCreationTime > ago(1d)", nil},
		{"ingestion time", "DeviceProcessEvents " +
			"| where ingestion_time() > ago(1h)", nil},
		{"not a time filter", "DeviceProcessEvents " +
			"| where ProcessId > 4",
			[]string{"KQL104 DeviceProcessEvents"}},
		{"filter downstream", "let t = DeviceFileEvents; t " + recent, nil},
		{"filter after summarize", "DeviceFileEvents | summarize " +
			"arg_max(Timestamp, *) by DeviceId " + recent, nil},
		{"small table", "DeviceInfo | take 1", nil},
		{"join right unfiltered", "DeviceProcessEvents " + recent +
			"| join (DeviceNetworkEvents) on DeviceId",
			[]string{"KQL104 DeviceNetworkEvents"}},
		{"subquery unfiltered", "DeviceInfo | where DeviceId in " +
			"((DeviceNetworkEvents | project DeviceId))",
			[]string{"KQL104 DeviceNetworkEvents"}},
		{"legacy unfiltered", "MiscEvents | take 1",
			[]string{"KQL104 MiscEvents"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summary(tt.src, check(t, tt.src))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Check(%q):\ngot  %q\nwant %q", tt.src, got,
					tt.want)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the first diagnostic, as "line:col: sev: message"
	}{
		{"table suggestion", "DeviceProcesEvents | take 1",
			"1:1: error: unknown table 'DeviceProcesEvents'; " +
				"did you mean 'DeviceProcessEvents'?"},
		{"sentinel table", "SigninLogs | take 1",
			"1:1: error: unknown table 'SigninLogs'; it exists only in " +
				"Microsoft Sentinel (Defender has EntraIdSignInEvents)"},
		{"column suggestion", "DeviceInfo\n| where  OSPlatfrom == 'a'",
			"2:10: error: unknown column 'OSPlatfrom'; " +
				"did you mean 'OSPlatform'?"},
		{"case suggestion", "IdentityInfo | where AccountUPN == 'a'",
			"1:22: error: unknown column 'AccountUPN'; " +
				"did you mean 'AccountUpn'?"},
		{"sentinel column", "DeviceInfo | where TimeGenerated > ago(1d)",
			"1:20: error: TimeGenerated exists only in Microsoft " +
				"Sentinel; Defender uses Timestamp"},
		{"billing column", "DeviceInfo | where _IsBillable",
			"1:20: error: _IsBillable exists only in Microsoft Sentinel"},
		{"time filter", "let x = 1;\nDeviceEvents | take 1",
			"2:1: warning: DeviceEvents is read with no time filter; " +
				"add '| where Timestamp > ago(7d)' or similar to scan " +
				"less data"},
		{"not dynamic", "DeviceEvents " + recent + "| extend x = " +
			"AdditionalFields.IsAudit",
			"1:72: warning: AdditionalFields is a string, not dynamic, so " +
				"'IsAudit' cannot be read from it; parse it first: " +
				"parse_json(AdditionalFields).IsAudit"},
		{"unknown function", "DeviceInfo | invoke SeenB()",
			"1:21: error: unknown function 'SeenB'; did you mean 'SeenBy'?"},
		{"join key one side", "DeviceInfo | join (DeviceNetworkInfo) " +
			"on OSPlatform",
			"1:42: error: join key 'OSPlatform' is no column of the " +
				"right side"},
		{"function typo", "print tostrin(1)",
			"1:7: warning: unknown function 'tostrin'; " +
				"did you mean 'tostring'?"},
		{"no row", "let x = y; print x",
			"1:9: error: unknown name 'y'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := check(t, tt.src)
			if len(ds) == 0 {
				t.Fatalf("Check(%q): got no diagnostic, want %q", tt.src,
					tt.want)
			}
			if got := ds[0].String(); got != tt.want {
				t.Errorf("Check(%q):\ngot  %q\nwant %q", tt.src, got,
					tt.want)
			}
		})
	}
}

func TestCheckSpansAndOrder(t *testing.T) {
	src := "DeviceInfo\n| where Zed == 1\n| where ['A b'] == 2 and Alpha == 3"
	ds := check(t, src)
	want := []struct {
		text      string
		line, col int
	}{{"Zed", 2, 9}, {"['A b']", 3, 9}, {"Alpha", 3, 26}}
	if len(ds) != len(want) {
		t.Fatalf("got %d diagnostics %v, want %d", len(ds), ds, len(want))
	}
	for i, w := range want {
		d := ds[i]
		if got := src[d.Pos:d.End]; got != w.text || d.Line != w.line ||
			d.Col != w.col {
			t.Errorf("diagnostic %d: got %q at %d:%d, want %q at %d:%d",
				i, got, d.Line, d.Col, w.text, w.line, w.col)
		}
	}
}

func TestCheckNil(t *testing.T) {
	if got := Check(nil, "", schema.Defender()); got != nil {
		t.Errorf("Check(nil): got %v, want nil", got)
	}
}

func TestDidYouMean(t *testing.T) {
	cands := []string{"DeviceName", "DeviceId", "DeviceType", "OSPlatform",
		"Device1", "Device2"}
	tests := []struct {
		name, in, want string
	}{
		{"one", "DeviceNme", "; did you mean 'DeviceName'?"},
		{"closest only", "DeviceTyp", "; did you mean 'DeviceType'?"},
		{"ties", "Device3", "; did you mean 'Device1' or 'Device2'?"},
		{"case", "osplatform", "; did you mean 'OSPlatform'?"},
		{"none", "Completely", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := didYouMean(tt.in, cands); got != tt.want {
				t.Errorf("didYouMean(%q): got %q, want %q", tt.in, got,
					tt.want)
			}
		})
	}
}

func TestMatchWildcard(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"Device*", "DeviceName", true},
		{"Device*", "OSPlatform", false},
		{"*Id", "DeviceId", true},
		{"*Id", "DeviceIdX", false},
		{"D*e*d", "DeviceId", true},
		{"*", "", true},
		{"A", "A", true},
	}
	for _, tt := range tests {
		got := matchWildcard(tt.pattern, tt.name)
		if got != tt.want {
			t.Errorf("matchWildcard(%q, %q): got %v, want %v", tt.pattern,
				tt.name, got, tt.want)
		}
	}
}

// TestCheckCorpusNoPanic checks every corpus query, including those with
// syntax errors, whose trees hold Bad nodes and nil fields.
func TestCheckCorpusNoPanic(t *testing.T) {
	qs := loadCorpus(t)
	for _, q := range qs {
		script, _ := kql.Parse(q.Text)
		ds := Check(script, q.Text, schema.Defender())
		for _, d := range ds {
			if d.Pos < 0 || d.End > len(q.Text) || d.Pos > d.End {
				t.Errorf("%s: diagnostic %v has span [%d, %d) outside "+
					"the text", q.Name, d, d.Pos, d.End)
			}
			if strings.TrimSpace(d.Message) == "" {
				t.Errorf("%s: diagnostic at %d has no message", q.Name,
					d.Pos)
			}
		}
	}
}

// TestTablesNameBuiltins checks that the checker's own function tables
// name only functions that exist.
func TestTablesNameBuiltins(t *testing.T) {
	lists := map[string][]string{
		"resultTypes":       keys(resultType),
		"aggregates":        keys(aggregates),
		"namesFromArgument": keys(namesFromArgument),
		"namesWithPrefix":   keys(namesWithPrefix),
		"expands":           keys(expands),
	}
	for list, names := range lists {
		for _, n := range names {
			if !builtins[n] {
				t.Errorf("%s names %s, which is no builtin function",
					list, n)
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
