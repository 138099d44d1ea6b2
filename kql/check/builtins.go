package check

import (
	_ "embed"
	"strings"

	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
)

//go:generate sh -c "cd ../oracle && node semantic.js --builtins > ../check/builtins.txt"
//go:generate sh -c "cd ../oracle && node semantic.js --plugins > ../check/plugins.txt"

// builtinsText lists the builtin scalar and aggregate functions, one a
// line, as Kusto.Language (npm @kusto/language-service-next) knows them;
// go generate refreshes it.
//
//go:embed builtins.txt
var builtinsText string

// builtins are the names of the builtin functions. A call of any other
// name that is no let function gets a warning, not an error: the
// service may know functions newer than this list.
var builtins = setOf(builtinsText + serviceFunctions)

// pluginsText lists the plugins of evaluate, one a line, as
// Kusto.Language knows them; go generate refreshes it.
//
//go:embed plugins.txt
var pluginsText string

// plugins are the names of the evaluate plugins. Another name gets a
// warning, as for functions.
var plugins = setOf(pluginsText)

// serviceFunctions are functions of the hunting service that
// Kusto.Language does not list: arg("") and adx(...) start cross-service
// queries to Azure Resource Graph and Azure Data Explorer.
const serviceFunctions = " arg adx"

// scalarType maps a type name such as "long" or "boolean" to its Type,
// or Invalid.
func scalarType(name string) table.Type {
	t, _ := table.ParseType(name)
	return t
}

// resultTypes lists, for each result type, the builtin scalar functions
// and aggregates that return it. "arg0", "arg1" and "arg2" mean the type
// of that argument. A function missing here has an unknown result type,
// which only weakens typing: the checker does not report unknown
// functions outside invoke, since the builtin library is large.
const resultTypes = `
string: tostring strcat strcat_delim strcat_array tolower toupper trim
  trim_start trim_end extract replace replace_string replace_regex
  substring format_datetime format_timespan url_decode url_encode
  base64_decode_tostring base64_encode_tostring base64_decodestring
  reverse strrep translate hash_sha256 hash_md5 hash_sha1 format_bytes
  parse_ipv6 tohex extract_json extractjson gettype new_guid
  make_string
long: tolong strlen array_length indexof indexof_regex countof
  datetime_diff hash binary_and binary_or binary_xor
  binary_shift_left binary_shift_right array_index_of row_number
  dcount dcountif count countif count_distinct count_distinctif
  estimate_data_size string_size ipv4_compare hourofday getyear
  getmonth dayofmonth dayofyear week_of_year datetime_part
int: toint
real: todouble toreal rand log log10 log2 exp sqrt pow avg avgif stdev
  stdevif variance varianceif pi
decimal: todecimal
bool: tobool toboolean isempty isnotempty isnull isnotnull notempty
  isnotnull isnan isinf ipv4_is_private ipv4_is_match ipv4_is_in_range
  ipv6_is_match has_any_index set_has_element array_iff not isascii
  isutf8 ipv4_is_in_any_range
datetime: ago now todatetime startofday startofweek startofmonth
  startofyear endofday endofweek endofmonth endofyear datetime_add
  make_datetime unixtime_seconds_todatetime
  unixtime_milliseconds_todatetime unixtime_microseconds_todatetime
  unixtime_nanoseconds_todatetime ingestion_time
timespan: totimespan make_timespan dayofweek
guid: toguid
dynamic: todynamic toobject parse_json parsejson split extract_all pack
  pack_array pack_all bag_pack pack_dictionary parse_url parse_path
  parse_command_line parse_user_agent parse_xml parse_csv
  geo_info_from_ip_address array_concat array_slice array_sort_asc
  array_sort_desc array_reverse bag_keys bag_merge bag_remove_keys
  set_difference set_intersect set_union zip range
  base64_decode_toarray unicode_codepoints_from_string make_set makeset
  make_set_if make_list makelist make_list_if make_list_with_nulls
  make_bag make_bag_if series_decompose_anomalies series_fit_2lines
  series_decompose series_outliers series_stats_dynamic parse_version
  hll hll_merge tdigest percentiles_array
arg0: bin floor round ceiling abs coalesce min max minif maxif sum
  sumif any take_any take_anyif anyif arg_max arg_min argmax argmin
  percentile bin_at min_of max_of prev next sign
arg1: iff iif case
`

// resultType maps a function name to its result type, or to a negative
// argument index meaning "the type of argument -n-1".
var resultType = func() map[string]int {
	m := make(map[string]int)
	var cur int
	for _, f := range strings.Fields(resultTypes) {
		if kind, ok := strings.CutSuffix(f, ":"); ok {
			switch kind {
			case "arg0":
				cur = -1
			case "arg1":
				cur = -2
			default:
				cur = int(scalarType(kind))
			}
			continue
		}
		m[f] = cur
	}
	return m
}()

// aggregateNames gives the prefix of the column an aggregate names when
// it is not assigned: count() is count_, dcount(A) is dcount_A,
// make_set(A) is set_A. An aggregate not listed uses its own name.
var aggregateNames = map[string]string{
	"make_set": "set", "makeset": "set", "make_set_if": "set",
	"make_list": "list", "makelist": "list", "make_list_if": "list",
	"make_list_with_nulls": "list", "make_bag": "bag",
	"make_bag_if": "bag", "argmax": "max", "argmin": "min",
}

// aggregates are the aggregation functions of summarize and
// make-series.
var aggregates = setOf(`any anyif arg_max arg_min argmax argmin avg avgif
  binary_all_and binary_all_or binary_all_xor buildschema count countif
  count_distinct count_distinctif dcount dcountif hll hll_if hll_merge
  make_bag make_bag_if make_list make_list_if make_list_with_nulls
  make_set make_set_if makelist makeset max maxif min minif percentile
  percentiles percentiles_array percentilew percentilesw stdev stdevif
  stdevp sum sumif take_any take_anyif tdigest tdigest_merge variance
  varianceif variancep`)

// namesFromArgument are the functions whose unnamed result column takes
// the name of their first argument: project tostring(A) makes column A.
var namesFromArgument = setOf(`tostring toint tolong todouble toreal
  todecimal tobool toboolean todatetime totimespan toguid todynamic
  toobject parse_json parsejson bin floor round ceiling bin_at abs
  startofday format_datetime format_timespan`)

// namesWithPrefix are the functions whose unnamed result column is
// named like an aggregate's: strlen(A) makes strlen_A.
var namesWithPrefix = setOf("strlen string_size")

// setKeys returns the members of set.
func setKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	return out
}

// setOf returns the set of the words in words.
func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// defenderColumns are the columns the Defender functions that invoke
// runs on a table add to it (learn.microsoft.com,
// advanced-hunting-fileprofile-function and advanced-hunting-seenby-
// function).
var defenderColumns = map[string][]column{
	"FileProfile": {
		{"SHA1", table.String}, {"SHA256", table.String},
		{"MD5", table.String}, {"FileSize", table.Long},
		{"GlobalPrevalence", table.Long},
		{"GlobalFirstSeen", table.DateTime},
		{"GlobalLastSeen", table.DateTime}, {"Signer", table.String},
		{"Issuer", table.String}, {"SignerHash", table.String},
		{"IsCertificateValid", table.Bool},
		{"IsRootSignerMicrosoft", table.Bool},
		{"SignatureState", table.String},
		{"IsExecutable", table.Bool}, {"ThreatName", table.String},
		{"Publisher", table.String}, {"SoftwareName", table.String},
		{"ProfileAvailability", table.String},
	},
	"SeenBy": {{"SeenBy", table.Dynamic}},
}

// defenderTableFuncs are the Defender functions that return a table of
// their own (advanced-hunting-assignedipaddresses-function and
// advanced-hunting-devicefromip-function).
var defenderTableFuncs = map[string]func() *rowset{
	"AssignedIPAddresses": func() *rowset {
		return &rowset{cols: []column{
			{"Timestamp", table.DateTime}, {"IPAddress", table.String},
			{"IPType", table.String},
			{"NetworkAdapterType", table.String},
			{"ConnectedNetworks", table.String},
		}}
	},
	"DeviceFromIP": func() *rowset {
		return &rowset{cols: []column{
			{"IP", table.String}, {"DeviceId", table.String},
		}}
	},
}

// sentinelTables are Microsoft Sentinel tables that hunting queries
// written for Sentinel use, with the Defender table closest to each.
var sentinelTables = map[string]string{
	"SigninLogs":                      "EntraIdSignInEvents",
	"AADNonInteractiveUserSignInLogs": "EntraIdSignInEvents",
	"AADServicePrincipalSignInLogs":   "EntraIdSpnSignInEvents",
	"SecurityAlert":                   "AlertInfo",
	"SecurityIncident":                "",
	"SecurityEvent":                   "DeviceEvents",
	"AuditLogs":                       "CloudAuditEvents",
	"OfficeActivity":                  "CloudAppEvents",
	"AADUserRiskEvents":               "",
	"AADRiskyUsers":                   "",
	"ThreatIntelligenceIndicator":     "",
	"Usage":                           "",
	"Heartbeat":                       "DeviceInfo",
	"Syslog":                          "",
	"CommonSecurityLog":               "",
	"AzureActivity":                   "CloudAuditEvents",
	"AzureDiagnostics":                "",
	"Event":                           "DeviceEvents",
	"BehaviorAnalytics":               "BehaviorInfo",
	"MicrosoftGraphActivityLogs":      "",
	"InformationProtectionEvents":     "",
	"Watchlist":                       "",
}

// sentinelColumns add to schema.SentinelOnly the standard columns that
// Log Analytics gives every Sentinel table, which Defender tables lack
// (where a Defender table has one, such as IdentityInfo's TenantId, the
// column is found first).
var sentinelColumns = map[string]string{
	"_BilledSize": "", "_IsBillable": "", "_ItemId": "",
	"_TimeReceived": "", "_Internal_WorkspaceResourceId": "",
	"SourceSystem": "", "TenantId": "", "Type": "",
}

// timeColumns are the names of the time column of event tables: the
// current tables' Timestamp and the legacy tables' EventTime.
var timeColumns = map[string]bool{"Timestamp": true, "EventTime": true}

// isLarge reports whether t is a large event table, one that should not
// be read without a time filter: a table of events with a time column.
func isLarge(t *schema.Table) bool {
	if !strings.HasSuffix(t.Name, "Events") {
		return false
	}
	for _, col := range t.Columns {
		if timeColumns[col.Name] {
			return true
		}
	}
	return false
}
