package eval

import "testing"

// The cases below follow the examples of Microsoft's KQL documentation
// in spirit, over the hand-made tables of fixture_test.go. Each want is
// the result's schema and then its rows, cells separated by " | ".

// joinData holds two small tables with duplicate keys on both sides.
const joinData = `let L = datatable(k:string, l:long)
	["a", 1, "a", 2, "b", 3, "c", 4];
let R = datatable(k:string, r:string)
	["a", "x", "a", "y", "b", "z", "d", "w"];
`

func TestStringOperators(t *testing.T) {
	runCases(t, []queryCase{
		{
			name: "a number in a list of text compares as text",
			query: `range p from 443 to 446 step 1
					| where p in ("445", "446") | project p`,
			want: `
				(p:long)
				445
				446`,
		},
		{
			name:  "has on term boundaries",
			query: `Proc | where ProcessCommandLine has "exe" | project FileName`,
			want: `
				(FileName:string)
				PowerShell.EXE
				certutil.exe`,
		},
		{
			name: "has needs a whole term",
			query: `Proc | where ProcessCommandLine has "power"
					| project FileName`,
			want: `
				(FileName:string)`,
		},
		{
			name: "has_cs is case-sensitive",
			query: `Proc | where ProcessCommandLine has_cs "PowerShell"
					| project FileName`,
			want: `
				(FileName:string)
				PowerShell.EXE`,
		},
		{
			name: "!has",
			query: `Proc | where ProcessCommandLine !has "exe"
					| project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				cmd.exe
				svchost.exe`,
		},
		{
			name: "hasprefix and hassuffix",
			query: `Proc
					| where ProcessCommandLine hasprefix "url"
						or ProcessCommandLine hassuffix "cache"
					| project FileName`,
			want: `
				(FileName:string)
				certutil.exe`,
		},
		{
			name:  "contains inside terms",
			query: `Proc | where FileName contains "SHELL" | project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				PowerShell.EXE`,
		},
		{
			name: "contains_cs and !contains",
			query: `Proc
					| where FileName contains_cs "Shell" or FileName !contains "e"
					| project FileName`,
			want: `
				(FileName:string)
				PowerShell.EXE`,
		},
		{
			name: "startswith and endswith",
			query: `Proc
					| where FileName startswith "power" and FileName endswith ".exe"
					| project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				PowerShell.EXE`,
		},
		{
			name: "startswith_cs and !endswith",
			query: `Proc
					| where FileName startswith_cs "Power" or FileName !endswith "exe"
					| project FileName`,
			want: `
				(FileName:string)
				PowerShell.EXE`,
		},
		{
			name: "equality is case-sensitive, =~ is not",
			query: `Proc
					| where FileName == "powershell.exe" or FileName =~ "CMD.EXE"
					| project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				cmd.exe`,
		},
		{
			name: "!~ and !=",
			query: `Proc
					| where FileName !~ "POWERSHELL.EXE" and FileName != "cmd.exe"
					| project FileName`,
			want: `
				(FileName:string)
				certutil.exe
				svchost.exe`,
		},
		{
			name: "in is case-sensitive",
			query: `Proc | where FileName in ("PowerShell.EXE", "CMD.exe")
					| project FileName`,
			want: `
				(FileName:string)
				PowerShell.EXE`,
		},
		{
			name: "in~ and !in~",
			query: `Proc
					| where FileName in~ ("POWERSHELL.EXE") and DeviceName !in~ ("WS1")
					| project FileName, DeviceName`,
			want: `
				(FileName:string, DeviceName:string)
				PowerShell.EXE | ws2`,
		},
		{
			name: "in with a dynamic array and a let",
			query: `let names = dynamic(["cmd.exe", "svchost.exe"]); Proc
					| where FileName in (names) | project FileName`,
			want: `
				(FileName:string)
				cmd.exe
				svchost.exe`,
		},
		{
			name: "in with a tabular list",
			query: `Proc | where DeviceName in ((Net | where RemotePort == 443
					| project DeviceName)) | project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				cmd.exe
				PowerShell.EXE
				certutil.exe`,
		},
		{
			name: "has_any and has_all",
			query: `Proc
					| where ProcessCommandLine has_any ("whoami",
					"nop") or ProcessCommandLine has_all ("certutil",
					"urlcache")
					| project FileName`,
			want: `
				(FileName:string)
				cmd.exe
				PowerShell.EXE
				certutil.exe`,
		},
		{
			name: "has_all needs every term",
			query: `Proc
					| where ProcessCommandLine has_all ("powershell", "whoami")
					| count`,
			want: `
				(Count:long)
				0`,
		},
		{
			name: "matches regex",
			query: `Proc | where ProcessCommandLine matches regex @"-\w{3}\b"
					| project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				PowerShell.EXE`,
		},
		{
			name: "empty strings",
			query: `Proc | where isempty(ProcessCommandLine)
					| project FileName, e = isnotempty(ProcessCommandLine),
					n = isnull(ProcessCommandLine)`,
			want: `
				(FileName:string, e:bool, n:bool)
				svchost.exe | false | false`,
		},
		{
			name: "between numbers and dates",
			query: `Proc
					| where Size between (20 .. 100)
						and Timestamp between (datetime(2026-11-20) .. 1d)
					| project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				cmd.exe`,
		},
		{
			name: "!between",
			query: `Proc | where Size !between (20 .. 100)
					| project FileName, Size`,
			want: `
				(FileName:string, Size:long)
				PowerShell.EXE | 300
				svchost.exe | 5`,
		},
		{
			name: "string functions",
			query: `print a = tolower("AbC"), b = toupper("x"),
					c = strlen("héllo"), d = substring("abcdef",
					2, 3), e = substring("abc", 1), f = strcat("a",
					1, true), g = trim(" ", "  x  "), h = trim_start("0",
					"007"), i = replace_string("a.b.c", ".", "/")`,
			want: `
				(a:string, b:string, c:long, d:string, e:string, f:string, g:string, h:string, i:string)
				abc | X | 5 | cde | bc | a1true | x | 7 | a/b/c`,
		},
		{
			name: "regex functions",
			query: `print a = extract("(\\d+)-(\\d+)", 2, "10-20"),
					b = extract("z(\\d)", 1, "abc"), c = replace_regex("a1b22",
					@"\d+", "#"), d = extract_all(@"(\d)",
					"a1b2"), e = countof("aaa", "aa"), f = countof("a1b2",
					@"\d", "regex"), g = indexof("abcabc",
					"c"), h = indexof("abc", "z")`,
			want: `
				(a:string, b:string, c:string, d:dynamic, e:long, f:long, g:long, h:long)
				20 | "" | # | ["1","2"] | 2 | 2 | 2 | -1`,
		},
		{
			name: "split and arrays",
			query: `print a = split("a,b,c", ","), b = split("a,b,c",
					",", 1), c = array_length(split("a,b",
					",")), d = strcat_array(dynamic(["x",
					1]), "-"), e = pack_array(1, "a"), f = array_index_of(dynamic(["a","b"]),
					"b"), g = array_slice(dynamic([1,2,3,4]),
					1, 2), h = set_has_element(dynamic([1,2]), 2)`,
			want: `
				(a:dynamic, b:dynamic, c:long, d:string, e:dynamic, f:long, g:dynamic, h:bool)
				["a","b","c"] | ["b"] | 2 | x-1 | [1,"a"] | 1 | [2,3] | true`,
		},
		{
			name: "base64 and urls",
			query: `print a = base64_decode_tostring("SGVsbG8="),
					b = base64_encode_tostring("Hi"), c = url_decode("a%20b"),
					d = parse_url("https://u:p@host.example:8443/p/a?q=1#f").Host,
					e = parse_url("https://host.example:8443/p?q=1")["Query Parameters"].q,
					f = parse_path(@"C:\Windows\System32\cmd.exe").Filename`,
			want: `
				(a:string, b:string, c:string, d:dynamic, e:dynamic, f:dynamic)
				Hello | SGk= | a b | "host.example" | "1" | "cmd.exe"`,
		},
		{
			name:  "parse_command_line",
			query: `print a = parse_command_line(@'cmd.exe /c "echo hi" a\"b', "windows")`,
			want: `
				(a:dynamic)
				["cmd.exe","/c","echo hi","a\"b"]`,
		},
		{
			name: "ip functions",
			query: `print a = ipv4_is_private("10.1.2.3"), b = ipv4_is_private("8.8.8.8"),
					c = ipv4_is_in_range("192.168.1.7", "192.168.1.0/24"),
					d = ipv4_is_private("not an ip")`,
			want: `
				(a:bool, b:bool, c:bool, d:bool)
				true | false | true | null`,
		},
		{
			name: "more string functions",
			query: `print a = indexof_regex("abc123", @"\d"),
					b = has_any_index("a quick fox", dynamic(["slow",
					"fox"])), c = format_bytes(20010332, 2),
					d = format_bytes(1536, 1, "KB"), e = make_string(72,
					105), f = unicode_codepoints_from_string("Hé")`,
			want: `
				(a:long, b:long, c:string, d:string, e:string, f:dynamic)
				3 | 1 | 19.08 MB | 1.5 KB | Hi | [72,233]`,
		},
		{
			name:  "pack_all",
			query: `Net | take 1 | project p = pack_all()`,
			want: `
				(p:dynamic)
				{"DeviceName":"ws1","RemoteIP":"10.0.0.5","RemotePort":443,"Timestamp":"2026-11-20T10:01:00Z"}`,
		},
		{
			name: "base64 to bytes and set similarity",
			query: `print a = base64_decode_toarray("AQID"), b = jaccard_index(dynamic([1,
					2, 3]), dynamic([2, 3, 4])), c = jaccard_index(dynamic([]),
					dynamic([]))`,
			want: `
				(a:dynamic, b:real, c:real)
				[1,2,3] | 0.5 | 0`,
		},
	})
}

func TestScalarSemantics(t *testing.T) {
	runCases(t, []queryCase{
		{
			name: "null arithmetic and comparisons",
			query: `Proc
					| project FileName, Size, p = Size + 1,
					gt = Size > 50, c = coalesce(Size, -1)`,
			want: `
				(FileName:string, Size:long, p:long, gt:bool, c:long)
				powershell.exe | 100 | 101 | true | 100
				cmd.exe | 20 | 21 | false | 20
				PowerShell.EXE | 300 | 301 | true | 300
				certutil.exe | null | null | null | -1
				svchost.exe | 5 | 6 | false | 5`,
		},
		{
			name:  "where drops null predicates",
			query: `Proc | where Size > 10 | count`,
			want: `
				(Count:long)
				3`,
		},
		{
			name: "isnull and isnotnull",
			query: `Proc | where isnull(Size) or isnotnull(Extra.tags)
					| project FileName`,
			want: `
				(FileName:string)
				powershell.exe
				certutil.exe`,
		},
		{
			name: "iff and case",
			query: `Proc
					| project FileName, big = iff(Size > 50,
					"big", "small"), k = case(Size < 10, "tiny",
					Size < 200, "mid", "huge")`,
			want: `
				(FileName:string, big:string, k:string)
				powershell.exe | big | mid
				cmd.exe | small | mid
				PowerShell.EXE | big | huge
				certutil.exe | small | huge
				svchost.exe | small | tiny`,
		},
		{
			name: "dynamic member access",
			query: `Proc
					| project a = Extra.a, t = Extra.tags[0],
					final = Extra.tags[-1], n = array_length(Extra.tags),
					b = Extra["a"]`,
			want: `
				(a:dynamic, t:dynamic, final:dynamic, n:long, b:dynamic)
				1 | "x" | "y" | 2 | 1
				2 | null | null | null | 2
				null | null | null | null | null
				null | null | null | 0 | null
				"3" | null | null | null | "3"`,
		},
		{
			name: "dynamic values compare as their scalars",
			query: `Proc | where Extra.a == 2 or tostring(Extra.a) == "3"
					| project FileName`,
			want: `
				(FileName:string)
				cmd.exe
				svchost.exe`,
		},
		{
			name: "parse_json of text",
			query: `print a = parse_json('{"k":[1,2]}').k[1],
					b = todynamic("[]"), c = parse_json("not json"),
					d = tostring(parse_json('{"x":"y"}').x),
					e = extractjson("$.a.b", '{"a":{"b":7}}', typeof(long))`,
			want: `
				(a:dynamic, b:dynamic, c:dynamic, d:string, e:long)
				2 | [] | "not json" | y | 7`,
		},
		{
			name:  "pack and bags",
			query: `print a = pack("k", 1, "j", "v"), b = bag_keys(dynamic({"b":1,"a":2}))`,
			want: `
				(a:dynamic, b:dynamic)
				{"j":"v","k":1} | ["a","b"]`,
		},
		{
			name: "conversions",
			query: `print a = toint("42"), b = tolong("x"), c = todouble("1.5"),
					d = tobool("TRUE"), e = todatetime("2026-01-02 03:04:05"),
					f = totimespan("01:30:00"), g = tostring(1.5),
					h = toint(2.9)`,
			want: `
				(a:int, b:long, c:real, d:bool, e:datetime, f:timespan, g:string, h:int)
				42 | null | 1.5 | true | 2026-01-02T03:04:05Z | 01:30:00 | 1.5 | 2`,
		},
		{
			name: "datetime arithmetic",
			query: `print a = datetime(2026-11-20 12:00) - datetime(2026-11-19),
					b = datetime(2026-11-20) + 90m, c = 1d / 1h,
					d = 2h * 3, e = ago(1d), f = now(-1h)`,
			want: `
				(a:timespan, b:datetime, c:real, d:timespan, e:datetime, f:datetime)
				1.12:00:00 | 2026-11-20T01:30:00Z | 24 | 06:00:00 | 2026-11-19T12:00:00Z | 2026-11-20T11:00:00Z`,
		},
		{
			name: "bin rounds down",
			query: `print a = bin(datetime(2026-11-20 13:47:10),
					1h), b = bin(17, 5), c = bin(1.7, 0.5),
					d = bin(-3, 2), e = bin(datetime(2026-11-20 13:00), 7d)`,
			want: `
				(a:datetime, b:long, c:real, d:long, e:datetime)
				2026-11-20T13:00:00Z | 15 | 1.5 | -4 | 2026-11-16T00:00:00Z`,
		},
		{
			name: "start and end of periods",
			query: `print a = startofday(datetime(2026-11-20 13:47)),
					b = startofmonth(datetime(2026-11-20)),
					c = endofday(datetime(2026-11-20 01:00)),
					d = startofweek(datetime(2026-11-20)),
					e = startofyear(datetime(2026-11-20), 1)`,
			want: `
				(a:datetime, b:datetime, c:datetime, d:datetime, e:datetime)
				2026-11-20T00:00:00Z | 2026-11-01T00:00:00Z | 2026-11-20T23:59:59.9999999Z | 2026-11-15T00:00:00Z | 2027-01-01T00:00:00Z`,
		},
		{
			name: "datetime_diff and datetime_add",
			query: `print a = datetime_diff("day", datetime(2026-11-20 01:00),
					datetime(2026-11-19 23:00)), b = datetime_diff("hour",
					datetime(2026-11-20 01:00), datetime(2026-11-19 23:59)),
					c = datetime_diff("month", datetime(2026-01-01),
					datetime(2025-11-30)), d = datetime_add("month",
					1, datetime(2026-01-31)), e = datetime_part("hour",
					datetime(2026-11-20 13:47)), f = dayofweek(datetime(2026-11-20)),
					g = hourofday(datetime(2026-11-20 13:47))`,
			want: `
				(a:long, b:long, c:long, d:datetime, e:int, f:timespan, g:int)
				1 | 2 | 2 | 2026-02-28T00:00:00Z | 13 | 5.00:00:00 | 13`,
		},
		{
			name: "format_datetime and format_timespan",
			query: `print a = format_datetime(datetime(2026-11-20 13:47:05.123),
					"yyyy-MM-dd HH:mm:ss.fff"), b = format_datetime(datetime(2026-11-20 13:47),
					"M/d/yy h:mm tt"), c = format_timespan(1d + 2h + 3m + 4s,
					"d.hh:mm:ss")`,
			want: `
				(a:string, b:string, c:string)
				2026-11-20 13:47:05.123 | 11/20/26 1:47 PM | 1.02:03:04`,
		},
		{
			name: "arithmetic types",
			query: `print a = 7 / 2, b = 7 / 2.0, c = 7 % 3, d = -(2),
					e = 1 / 0, f = abs(-3), g = round(2.567,
					2), h = round(2.5), i = 2 * 3 + 1`,
			want: `
				(a:long, b:real, c:long, d:long, e:long, f:long, g:real, h:real, i:long)
				3 | 3.5 | 1 | -2 | null | 3 | 2.57 | 3 | 7`,
		},
		{
			name: "logic with nulls",
			query: `print a = true and bool(null), b = false and bool(null),
					c = true or bool(null), d = not(true),
					e = bool(null) or false`,
			want: `
				(a:bool, b:bool, c:bool, d:bool, e:bool)
				null | false | true | false | null`,
		},
		{
			name: "member access on JSON text",
			query: `print j = '{"IsAudit":true,"n":[1,2]}'
					| project a = j.IsAudit, n = j.n[1], bad = "x".k`,
			want: `
				(a:dynamic, n:dynamic, bad:dynamic)
				true | 2 | null`,
		},
	})
}

func TestTabularOperators(t *testing.T) {
	runCases(t, []queryCase{
		{
			name:  "summarize count by key",
			query: `Proc | summarize count() by DeviceName`,
			want: `
				(DeviceName:string, count_:long)
				ws1 | 2
				ws2 | 2
				srv1 | 1`,
		},
		{
			name: "summarize aggregates",
			query: `Proc
					| summarize n = count(), d = dcount(AccountName),
					s = sum(Size), a = avg(Size), mn = min(Size),
					mx = max(Size), c = countif(Size > 50),
					di = dcountif(DeviceName, Size > 10)`,
			want: `
				(n:long, d:long, s:long, a:real, mn:long, mx:long, c:long, di:long)
				5 | 3 | 425 | 106.25 | 5 | 300 | 2 | 2`,
		},
		{
			name: "summarize default names",
			query: `Proc
					| summarize count(), dcount(DeviceName),
					sum(Size), make_set(AccountName), make_list(DeviceName),
					max(Timestamp)`,
			want: `
				(count_:long, dcount_DeviceName:long, sum_Size:long, set_AccountName:dynamic, list_DeviceName:dynamic, max_Timestamp:datetime)
				5 | 3 | 425 | ["alice","bob","system"] | ["ws1","ws1","ws2","ws2","srv1"] | 2026-11-20T10:00:00Z`,
		},
		{
			name: "summarize over no rows",
			query: `Proc | where Size > 1000
					| summarize count(), sum(Size), make_set(FileName)`,
			want: `
				(count_:long, sum_Size:long, set_FileName:dynamic)
				0 | null | []`,
		},
		{
			name:  "summarize by with no rows",
			query: `Proc | where Size > 1000 | summarize count() by DeviceName`,
			want: `
				(DeviceName:string, count_:long)`,
		},
		{
			name: "summarize by bin",
			query: `Proc | summarize count() by bin(Timestamp, 1d)
					| sort by Timestamp asc`,
			want: `
				(Timestamp:datetime, count_:long)
				2026-11-10T00:00:00Z | 1
				2026-11-18T00:00:00Z | 1
				2026-11-19T00:00:00Z | 1
				2026-11-20T00:00:00Z | 2`,
		},
		{
			name: "make_set, make_list and make_set_if",
			query: `Proc
					| summarize s = make_set(DeviceName),
					l = make_list(DeviceName, 2), si = make_set_if(FileName,
					Size > 50) by AccountName`,
			want: `
				(AccountName:string, s:dynamic, l:dynamic, si:dynamic)
				alice | ["ws1"] | ["ws1","ws1"] | ["powershell.exe"]
				bob | ["ws2"] | ["ws2","ws2"] | ["PowerShell.EXE"]
				system | ["srv1"] | ["srv1"] | []`,
		},
		{
			name:  "make_set expands arrays",
			query: `Proc | summarize make_set(Extra.tags)`,
			want: `
				(set_Extra_tags:dynamic)
				["x","y"]`,
		},
		{
			name: "arg_max with star",
			query: `Proc | summarize arg_max(Timestamp, *) by DeviceName
					| project DeviceName, Timestamp, FileName`,
			want: `
				(DeviceName:string, Timestamp:datetime, FileName:string)
				ws1 | 2026-11-20T10:00:00Z | powershell.exe
				ws2 | 2026-11-19T08:00:00Z | PowerShell.EXE
				srv1 | 2026-11-10T12:00:00Z | svchost.exe`,
		},
		{
			name: "arg_min with columns",
			query: `Proc
					| summarize arg_min(Size, FileName, AccountName) by DeviceName`,
			want: `
				(DeviceName:string, Size:long, FileName:string, AccountName:string)
				ws1 | 20 | cmd.exe | alice
				ws2 | 300 | PowerShell.EXE | bob
				srv1 | 5 | svchost.exe | system`,
		},
		{
			name: "any and take_any",
			query: `Proc | where DeviceName == "ws1"
					| summarize any(AccountName), take_any(DeviceName)`,
			want: `
				(any_AccountName:string, any_DeviceName:string)
				alice | ws1`,
		},
		{
			name: "percentiles",
			query: `Proc
					| summarize percentile(Size, 50), percentiles(Size, 25, 100)`,
			want: `
				(percentile_Size_50:long, percentile_Size_25:long, percentile_Size_100:long)
				20 | 5 | 300`,
		},
		{
			name: "aggregate expressions",
			query: `Proc
					| summarize ratio = todouble(countif(Size > 50)) / count(),
					total = sum(Size) * 2`,
			want: `
				(ratio:real, total:long)
				0.4 | 850`,
		},
		{
			name: "summarize by a computed key",
			query: `Proc | summarize n = count() by lower = tolower(FileName)
					| sort by lower asc`,
			want: `
				(lower:string, n:long)
				certutil.exe | 1
				cmd.exe | 1
				powershell.exe | 2
				svchost.exe | 1`,
		},
		{
			name:  "make_bag",
			query: `Proc | summarize make_bag(Extra)`,
			want: `
				(bag_Extra:dynamic)
				{"a":1,"tags":["x","y"]}`,
		},
		{
			name:  "distinct",
			query: `Proc | distinct DeviceName, AccountName`,
			want: `
				(DeviceName:string, AccountName:string)
				ws1 | alice
				ws2 | bob
				srv1 | system`,
		},
		{
			name:  "sort with nulls",
			query: `Proc | sort by Size asc | project FileName, Size`,
			want: `
				(FileName:string, Size:long)
				certutil.exe | null
				svchost.exe | 5
				cmd.exe | 20
				powershell.exe | 100
				PowerShell.EXE | 300`,
		},
		{
			name:  "sort descending by default",
			query: `Proc | order by Size | project Size`,
			want: `
				(Size:long)
				300
				100
				20
				5
				null`,
		},
		{
			name: "sort by two keys",
			query: `Proc | sort by DeviceName asc, Timestamp desc
					| project DeviceName, Timestamp`,
			want: `
				(DeviceName:string, Timestamp:datetime)
				srv1 | 2026-11-10T12:00:00Z
				ws1 | 2026-11-20T10:00:00Z
				ws1 | 2026-11-20T09:30:00Z
				ws2 | 2026-11-19T08:00:00Z
				ws2 | 2026-11-18T23:59:59Z`,
		},
		{
			name:  "top",
			query: `Proc | top 2 by Size desc | project FileName, Size`,
			want: `
				(FileName:string, Size:long)
				PowerShell.EXE | 300
				powershell.exe | 100`,
		},
		{
			name:  "take and limit",
			query: `Proc | take 2 | limit 1 | project FileName`,
			want: `
				(FileName:string)
				powershell.exe`,
		},
		{
			name:  "count",
			query: `Proc | count`,
			want: `
				(Count:long)
				5`,
		},
		{
			name: "project variants",
			query: `Proc | project-away Extra, Size, Process*
					| project-rename Who = AccountName
					| project-reorder FileName, Who | take 1`,
			want: `
				(FileName:string, Who:string, Timestamp:datetime, DeviceName:string)
				powershell.exe | alice | 2026-11-20T10:00:00Z | ws1`,
		},
		{
			name:  "project-keep with a pattern",
			query: `Proc | project-keep *Name | take 1`,
			want: `
				(DeviceName:string, FileName:string, AccountName:string)
				ws1 | powershell.exe | alice`,
		},
		{
			name: "extend replaces a column in place",
			query: `Proc | extend Size = Size * 10 | project FileName, Size
					| take 2`,
			want: `
				(FileName:string, Size:long)
				powershell.exe | 1000
				cmd.exe | 200`,
		},
		{
			name: "extend default names",
			query: `Proc | extend tostring(Extra.a), strlen(FileName)
					| project Extra_a, Column2 | take 2`,
			want: `
				(Extra_a:string, Column2:long)
				1 | 14
				2 | 7`,
		},
		{
			name:  "mv-expand an array",
			query: `Proc | mv-expand tag = Extra.tags | project FileName, tag`,
			want: `
				(FileName:string, tag:dynamic)
				powershell.exe | "x"
				powershell.exe | "y"
				cmd.exe | null
				PowerShell.EXE | null
				svchost.exe | null`,
		},
		{
			name:  "mv-expand a bag",
			query: `print b = dynamic({"x":1,"y":"z"}) | mv-expand b`,
			want: `
				(b:dynamic)
				{"x":1}
				{"y":"z"}`,
		},
		{
			name: "mv-expand two arrays in parallel",
			query: `print a = dynamic([1,2,3]), b = dynamic(["x"])
					| mv-expand a, b`,
			want: `
				(a:dynamic, b:dynamic)
				1 | "x"
				2 | null
				3 | null`,
		},
		{
			name: "mv-expand with typeof and limit",
			query: `print a = dynamic([1,"two",3])
					| mv-expand with_itemindex=i a to typeof(long) limit 2`,
			want: `
				(a:long, i:long)
				1 | 0
				null | 1`,
		},
		{
			name: "parse simple",
			query: `print s = "user=alice id=42 rest"
					| parse s with "user=" user " id=" id:long " " rest`,
			want: `
				(s:string, user:string, id:long, rest:string)
				user=alice id=42 rest | alice | 42 | rest`,
		},
		{
			name: "parse regex",
			query: `print s = "a1b22c"
					| parse kind=regex s with "a" x:long "b" y:long "c"`,
			want: `
				(s:string, x:long, y:long)
				a1b22c | 1 | 22`,
		},
		{
			name: "parse-where",
			query: `Proc | parse-where ProcessCommandLine with * "-" flag " " *
					| project FileName, flag`,
			want: `
				(FileName:string, flag:string)
				powershell.exe | enc
				certutil.exe | urlcache`,
		},
		{
			name:  "print and range",
			query: `range x from 1 to 7 step 3 | extend y = x * 2`,
			want: `
				(x:long, y:long)
				1 | 2
				4 | 8
				7 | 14`,
		},
		{
			name:  "range of dates",
			query: `range d from datetime(2026-11-01) to datetime(2026-11-03) step 1d`,
			want: `
				(d:datetime)
				2026-11-01T00:00:00Z
				2026-11-02T00:00:00Z
				2026-11-03T00:00:00Z`,
		},
		{
			name:  "datatable",
			query: `datatable(a:long, b:string) [1, "x", 2, "y"] | where a > 1`,
			want: `
				(a:long, b:string)
				2 | y`,
		},
		{
			name:  "getschema",
			query: `Net | getschema`,
			want: `
				(ColumnName:string, ColumnOrdinal:int, DataType:string, ColumnType:string)
				Timestamp | 0 | System.DateTime | datetime
				DeviceName | 1 | System.String | string
				RemoteIP | 2 | System.String | string
				RemotePort | 3 | System.Int32 | int`,
		},
		{
			name:  "render is ignored",
			query: `Net | count | render timechart`,
			want: `
				(Count:long)
				4`,
		},
		{
			name: "extend sees the columns it computed before",
			query: `Proc
					| extend big = Size > 50, label = iff(big,
					"big", "small"), Size = Size * 2, twice = Size
					| project FileName, label, Size, twice | take 2`,
			want: `
				(FileName:string, label:string, Size:long, twice:long)
				powershell.exe | big | 200 | 200
				cmd.exe | small | 40 | 40`,
		},
		{
			name:  "project sees the columns it computed before",
			query: `Proc | where Size > 50 | project a = Size + 1, b = a * 2`,
			want: `
				(a:long, b:long)
				101 | 202
				301 | 602`,
		},
		{
			name: "project after where reads a renamed column again",
			query: `Proc | where Size > 50
					| project s = Size, t = s + 1, FileName`,
			want: `
				(s:long, t:long, FileName:string)
				100 | 101 | powershell.exe
				300 | 301 | PowerShell.EXE`,
		},
		{
			name: "make_list keeps arrays whole",
			query: `Proc | where isnotnull(Extra.tags)
					| summarize make_list(Extra.tags)`,
			want: `
				(list_Extra_tags:dynamic)
				[["x","y"],[]]`,
		},
		{
			name: "search a term in listed tables",
			query: `search in (Proc, Net) "ws2"
					| project $table, DeviceName, FileName, RemoteIP`,
			want: `
				($table:string, DeviceName:string, FileName:string, RemoteIP:string)
				Proc | ws2 | PowerShell.EXE | ""
				Proc | ws2 | certutil.exe | ""
				Net | ws2 | "" | 203.0.113.7`,
		},
		{
			name: "search a column term",
			query: `search in (Proc) "powershell" and AccountName:"bob"
					| project FileName`,
			want: `
				(FileName:string)
				PowerShell.EXE`,
		},
		{
			name:  "piped search",
			query: `Net | search "8.8.8.8" | project RemoteIP`,
			want: `
				(RemoteIP:string)
				8.8.8.8`,
		},
		{
			name: "find with project",
			query: `find in (Proc, Net) where DeviceName == "ws2" project DeviceName,
					FileName, RemoteIP`,
			want: `
				(source_:string, DeviceName:string, FileName:string, RemoteIP:string)
				Proc | ws2 | PowerShell.EXE | ""
				Proc | ws2 | certutil.exe | ""
				Net | ws2 | "" | 203.0.113.7`,
		},
		{
			name: "find skips tables without the predicate's columns",
			query: `find withsource=T in (Proc, Net) where RemotePort == 80
					| project T, DeviceName, pack_`,
			want: `
				(T:string, DeviceName:string, pack_:dynamic)
				Net | ws3 | {}`,
		},
		{
			name: "names of wrapped aggregates and multi-name arg_max",
			query: `Proc
					| summarize tostring(make_set(AccountName)),
					count_distinct(FileName), (Last, LastFile) = arg_max(Timestamp,
					FileName) by DeviceName`,
			want: `
				(DeviceName:string, set_AccountName:string, count_distinct_FileName:long, Last:datetime, LastFile:string)
				ws1 | ["alice"] | 2 | 2026-11-20T10:00:00Z | powershell.exe
				ws2 | ["bob"] | 2 | 2026-11-19T08:00:00Z | PowerShell.EXE
				srv1 | ["system"] | 1 | 2026-11-10T12:00:00Z | svchost.exe`,
		},
		{
			name: "names of by expressions",
			query: `Proc
					| summarize count() by format_datetime(Timestamp,
					"yyyy-MM-dd"), startofday(Timestamp)
					| project Timestamp, Timestamp1 | take 1`,
			want: `
				(Timestamp:string, Timestamp1:datetime)
				2026-11-20 | 2026-11-20T00:00:00Z`,
		},
		{
			name: "TimeGenerated stands for Timestamp on both sides of a join",
			query: `Proc | where DeviceName == "ws2"
					| join kind=inner (Net) on DeviceName
					| project TimeGenerated, TimeGenerated1`,
			want: `
				(TimeGenerated:datetime, TimeGenerated1:datetime)
				2026-11-19T08:00:00Z | 2026-11-19T08:01:00Z
				2026-11-18T23:59:59Z | 2026-11-19T08:01:00Z`,
		},
		{
			name: "mv-expand filters the expanded rows",
			query: `Proc | mv-expand with_itemindex=i t = Extra.tags
					| where t == "y" or (FileName has "cmd" and isnull(t))
					| where TimeGenerated > datetime(2026-11-20)
					| project FileName, t, i, Size`,
			want: `
				(FileName:string, t:dynamic, i:long, Size:long)
				powershell.exe | "y" | 1 | 100
				cmd.exe | null | 0 | 20`,
		},
		{
			name: "mv-expand then a filter on the whole row",
			query: `Proc | mv-expand Extra.tags
					| where column_ifexists("Extra_tags", "") == "x"
					| project FileName`,
			want: `
				(FileName:string)
				powershell.exe`,
		},
		{
			name:  "extend moves a recomputed column to the end",
			query: `Net | extend RemoteIP = strcat("ip:", RemoteIP) | take 1`,
			want: `
				(Timestamp:datetime, DeviceName:string, RemotePort:int, RemoteIP:string)
				2026-11-20T10:01:00Z | ws1 | 443 | ip:10.0.0.5`,
		},
	})
}

func TestJoinsUnionsAndLets(t *testing.T) {
	runCases(t, []queryCase{
		{
			name:  "join innerunique by default",
			query: joinData + `L | join R on k`,
			want: `
				(k:string, l:long, k1:string, r:string)
				a | 1 | a | x
				a | 1 | a | y
				b | 3 | b | z`,
		},
		{
			name:  "join kind=inner",
			query: joinData + `L | join kind=inner R on k`,
			want: `
				(k:string, l:long, k1:string, r:string)
				a | 1 | a | x
				a | 1 | a | y
				a | 2 | a | x
				a | 2 | a | y
				b | 3 | b | z`,
		},
		{
			name:  "join kind=leftouter",
			query: joinData + `L | join kind=leftouter R on k`,
			want: `
				(k:string, l:long, k1:string, r:string)
				a | 1 | a | x
				a | 1 | a | y
				a | 2 | a | x
				a | 2 | a | y
				b | 3 | b | z
				c | 4 | "" | ""`,
		},
		{
			name:  "join kind=rightouter",
			query: joinData + `L | join kind=rightouter R on k`,
			want: `
				(k:string, l:long, k1:string, r:string)
				a | 1 | a | x
				a | 1 | a | y
				a | 2 | a | x
				a | 2 | a | y
				b | 3 | b | z
				"" | null | d | w`,
		},
		{
			name:  "join kind=fullouter",
			query: joinData + `L | join kind=fullouter R on k`,
			want: `
				(k:string, l:long, k1:string, r:string)
				a | 1 | a | x
				a | 1 | a | y
				a | 2 | a | x
				a | 2 | a | y
				b | 3 | b | z
				c | 4 | "" | ""
				"" | null | d | w`,
		},
		{
			name: "join semi and anti kinds",
			query: joinData + `union (L | join kind=leftsemi R on k
					| extend how = "leftsemi"), (L | join kind=leftanti R on k
					| extend how = "leftanti"), (L | join kind=rightsemi R on k
					| extend how = "rightsemi"), (L
					| join kind=rightanti R on k | extend how = "rightanti")
					| project how, k, l, r`,
			want: `
				(how:string, k:string, l:long, r:string)
				leftsemi | a | 1 | ""
				leftsemi | a | 2 | ""
				leftsemi | b | 3 | ""
				leftanti | c | 4 | ""
				rightsemi | a | null | x
				rightsemi | a | null | y
				rightsemi | b | null | z
				rightanti | d | null | w`,
		},
		{
			name: "join on $left and $right",
			query: `Proc | join kind=inner (Net
					| project Host = DeviceName, RemoteIP) on $left.DeviceName == $right.Host
					| project FileName, RemoteIP`,
			want: `
				(FileName:string, RemoteIP:string)
				powershell.exe | 10.0.0.5
				powershell.exe | 8.8.8.8
				cmd.exe | 10.0.0.5
				cmd.exe | 8.8.8.8
				PowerShell.EXE | 203.0.113.7
				certutil.exe | 203.0.113.7`,
		},
		{
			name: "join keys are case-sensitive",
			query: `let L = datatable(k:string) ["A", "a"]; let R = datatable(k:string,
					v:long) ["a", 1]; L
					| join kind=inner R on k`,
			want: `
				(k:string, k1:string, v:long)
				a | a | 1`,
		},
		{
			name: "null keys never match",
			query: `let L = datatable(k:long, l:string) [long(null),
					"x", 1, "y"]; let R = datatable(k:long,
					r:string) [long(null), "p", 1, "q"]; L
					| join kind=inner R on k`,
			want: `
				(k:long, l:string, k1:long, r:string)
				1 | y | 1 | q`,
		},
		{
			name: "lookup",
			query: `Proc
					| lookup (datatable(AccountName:string,
					Dept:string) ["alice", "IT", "bob", "Sales"]) on AccountName
					| project FileName, AccountName, Dept`,
			want: `
				(FileName:string, AccountName:string, Dept:string)
				powershell.exe | alice | IT
				cmd.exe | alice | IT
				PowerShell.EXE | bob | Sales
				certutil.exe | bob | Sales
				svchost.exe | system | ""`,
		},
		{
			name: "lookup kind=inner",
			query: `Proc
					| lookup kind=inner (datatable(AccountName:string,
					Dept:string) ["alice", "IT"]) on AccountName
					| project FileName, Dept`,
			want: `
				(FileName:string, Dept:string)
				powershell.exe | IT
				cmd.exe | IT`,
		},
		{
			name: "union outer keeps all columns",
			query: `union (Proc | project DeviceName, Size | take 1), (Net
					| project DeviceName, RemotePort | take 1)`,
			want: `
				(DeviceName:string, Size:long, RemotePort:int)
				ws1 | 100 | null
				ws1 | null | 443`,
		},
		{
			name:  "union kind=inner keeps common columns",
			query: `union kind=inner (Proc | take 1), (Net | take 1)`,
			want: `
				(Timestamp:datetime, DeviceName:string)
				2026-11-20T10:00:00Z | ws1
				2026-11-20T10:01:00Z | ws1`,
		},
		{
			name:  "union with withsource and a pattern",
			query: `union withsource=Source P*, N* | summarize count() by Source`,
			want: `
				(Source:string, count_:long)
				Proc | 5
				Net | 4`,
		},
		{
			name:  "union isfuzzy skips missing tables",
			query: `union isfuzzy=true Net, NoSuchTable | count`,
			want: `
				(Count:long)
				4`,
		},
		{
			name:  "union of columns with different types",
			query: `union (print x = 1), (print x = "a")`,
			want: `
				(x_long:long, x_string:string)
				1 | ""
				null | a`,
		},
		{
			name:  "piped union",
			query: `Net | take 1 | union (Net | take 1) | count`,
			want: `
				(Count:long)
				2`,
		},
		{
			name: "let scalar, tabular and function",
			query: `let min_size = 50; let big = (n:long) { Proc
					| where Size > n }; let f = (s:string) { strcat(s,
					"!") }; big(min_size)
					| project x = f(FileName)`,
			want: `
				(x:string)
				powershell.exe!
				PowerShell.EXE!`,
		},
		{
			name:  "function with default parameter",
			query: `let f = (a:long, b:long = 10) { a + b }; print f(1), f(1, 2)`,
			want: `
				(print_0:long, print_1:long)
				11 | 3`,
		},
		{
			name: "function over a tabular parameter",
			query: `let g = (T:(DeviceName:string)) { T
					| summarize n = count() by DeviceName }; g(Net)`,
			want: `
				(DeviceName:string, n:long)
				ws1 | 2
				ws2 | 1
				ws3 | 1`,
		},
		{
			name: "materialize and toscalar",
			query: `let m = materialize(Proc
					| summarize c = count()); let n = toscalar(m); print n,
					doubled = toscalar(m
					| project c * 2)`,
			want: `
				(n:long, doubled:long)
				5 | 10`,
		},
		{
			name:  "toscalar of no rows is null",
			query: `print x = toscalar(Proc | where Size > 1000 | project Size)`,
			want: `
				(x:long)
				null`,
		},
		{
			name: "nested lets in a function body",
			query: `let f = (x:long) { let y = x * 2; y + 1 }; Proc
					| project v = f(Size) | take 2`,
			want: `
				(v:long)
				201
				41`,
		},
		{
			name: "as binds a name",
			query: `Net | take 2 | as T | join kind=inner (T) on DeviceName
					| count`,
			want: `
				(Count:long)
				4`,
		},
		{
			name: "evaluate bag_unpack",
			query: `print d = dynamic({"a":1,"b":"x"}), k = 1
					| evaluate bag_unpack(d)`,
			want: `
				(k:long, a:dynamic, b:dynamic)
				1 | 1 | "x"`,
		},
		{
			name: "prev and row_number",
			query: `range x from 1 to 3 step 1 | serialize
					| extend p = prev(x), n = next(x, 1, 0), r = row_number()`,
			want: `
				(x:long, p:long, n:long, r:long)
				1 | null | 2 | 1
				2 | 1 | 3 | 2
				3 | 2 | 0 | 3`,
		},
		{
			name: "column_ifexists",
			query: `Net
					| project a = column_ifexists("RemotePort",
					0), b = column_ifexists("Nope", "default")
					| take 1`,
			want: `
				(a:int, b:string)
				443 | default`,
		},
		{
			name: "union filters run on each input",
			query: `union Proc, Net | where DeviceName == "ws2"
					| where Timestamp > datetime(2026-11-19)
					| project DeviceName, FileName, RemoteIP`,
			want: `
				(DeviceName:string, FileName:string, RemoteIP:string)
				ws2 | PowerShell.EXE | ""
				ws2 | "" | 203.0.113.7`,
		},
		{
			name: "union filters on a column only one input has",
			query: `union withsource=S Proc, Net
					| where RemotePort == 443 or S == "Proc"
					| summarize count() by S`,
			want: `
				(S:string, count_:long)
				Proc | 5
				Net | 2`,
		},
		{
			name: "piped union with a filter",
			query: `Net | where RemotePort == 53 | union (Proc | take 1)
					| where DeviceName == "ws1" | count`,
			want: `
				(Count:long)
				2`,
		},
		{
			name: "join on two conditions joined by and",
			query: `let A = datatable(x:string, y:long) ["a",
					1, "a", 2, "b", 1]; let B = datatable(x:string,
					y:long, v:string) ["a", 1, "p", "a", 2, "q", "b", 2, "r"]; A
					| join kind=inner B on $left.x == $right.x and $left.y == $right.y
					| project x, y, v`,
			want: `
				(x:string, y:long, v:string)
				a | 1 | p
				a | 2 | q`,
		},
		{
			name:  "sample keeps the asked number of rows",
			query: `Proc | sample 3 | count`,
			want: `
				(Count:long)
				3`,
		},
		{
			name: "union filters read missing columns as null",
			query: `union withsource=S Proc, Net
					| where RemotePort == 443 or S == "Proc"
					| where isnull(RemotePort) or DeviceName == "ws1"
					| summarize count() by S`,
			want: `
				(S:string, count_:long)
				Proc | 5
				Net | 1`,
		},
		{
			name: "materialize inside a function follows its arguments",
			query: `let f = (name:string) { let m = materialize(Proc
					| where DeviceName == name); m }; print a = toscalar(f("ws1")
					| count), b = toscalar(f("srv1") | count)`,
			want: `
				(a:long, b:long)
				2 | 1`,
		},
	})
}

func TestErrors(t *testing.T) {
	runCases(t, []queryCase{
		{
			name:  "unknown table",
			query: `Nope | take 1`,
			want: `
				error: 1:1: unknown table "Nope"`,
		},
		{
			name:  "unknown column",
			query: `Proc | where Nope == 1`,
			want: `
				error: 1:14: unknown column or name "Nope"`,
		},
		{
			name:  "unsupported operator at its position",
			query: `Proc | scan with (step s: true;)`,
			want: `
				error: 1:8: not supported: operator scan`,
		},
		{
			name:  "unsupported function at its position",
			query: `Proc | extend g = geo_info_from_ip_address("1.1.1.1")`,
			want: `
				error: 1:19: not supported: geo_info_from_ip_address (no geo database offline)`,
		},
		{
			name:  "externaldata needs the network",
			query: `externaldata(x:string) ["https://example.com/x.csv"] | take 1`,
			want: `
				error: 1:1: externaldata needs network access, which the demo tenant does not have`,
		},
		{
			name:  "parse error",
			query: `Proc | where (Size > 1`,
			want: `
				error: syntax error at 1:23: expected ')' to close the parenthesis opened at line 1, column 14, found the end of the query`,
		},
		{
			name:  "aggregate outside summarize",
			query: `Proc | extend c = count()`,
			want: `
				error: 1:19: aggregate count() can only be used in summarize`,
		},
		{
			name:  "incompatible comparison",
			query: `Proc | where Timestamp > 5`,
			want: `
				error: 1:14: cannot compare datetime with long`,
		},
		{
			name:  "bad regular expression",
			query: "Proc | where FileName matches regex \"(\"",
			want:  "error: 1:37: bad regular expression: error parsing regexp: missing closing ): `(`",
		},
		{
			name:  "wrong argument count",
			query: `print strlen("a", "b")`,
			want: `
				error: 1:7: strlen() takes 1 argument, got 2`,
		},
		{
			name:  "scalar query",
			query: `print 1 | project x = toscalar(1)`,
			want: `
				(x:long)
				1`,
		},
		{
			name:  "recursive function",
			query: `let f = (n:long) { f(n) }; print f(1)`,
			want: `
				error: 1:20: f() calls itself; KQL functions cannot be recursive`,
		},
	})
}

func TestReshaping(t *testing.T) {
	runCases(t, []queryCase{
		{
			name: "make-series counts per bin",
			query: `Proc
					| make-series n = count() default = 0 on Timestamp
						from datetime(2026-11-18) to datetime(2026-11-21)
						step 1d by DeviceName`,
			want: `
				(DeviceName:string, n:dynamic, Timestamp:dynamic)
				ws1 | [0,0,2] | ["2026-11-18T00:00:00Z","2026-11-19T00:00:00Z","2026-11-20T00:00:00Z"]
				ws2 | [1,1,0] | ["2026-11-18T00:00:00Z","2026-11-19T00:00:00Z","2026-11-20T00:00:00Z"]`,
		},
		{
			name: "make-series without by and with sum",
			query: `Proc
					| make-series total = sum(Size) on Timestamp
						from datetime(2026-11-19) to datetime(2026-11-21)
						step 1d`,
			want: `
				(total:dynamic, Timestamp:dynamic)
				[300,120] | ["2026-11-19T00:00:00Z","2026-11-20T00:00:00Z"]`,
		},
		{
			name: "make-series with in range",
			query: `Net
					| make-series count() on Timestamp in range(datetime(2026-11-19),
					datetime(2026-11-21), 1d)`,
			want: `
				(count_:dynamic, Timestamp:dynamic)
				[2,2] | ["2026-11-19T00:00:00Z","2026-11-20T00:00:00Z"]`,
		},
		{
			name: "pivot with count",
			query: `Proc | project DeviceName, AccountName
					| evaluate pivot(AccountName)`,
			want: `
				(DeviceName:string, alice:long, bob:long, system:long)
				ws1 | 2 | 0 | 0
				ws2 | 0 | 2 | 0
				srv1 | 0 | 0 | 1`,
		},
		{
			name:  "pivot with an aggregate and keys",
			query: `Proc | evaluate pivot(AccountName, sum(Size), DeviceName)`,
			want: `
				(DeviceName:string, alice:long, bob:long, system:long)
				ws1 | 120 | 0 | 0
				ws2 | 0 | 300 | 0
				srv1 | 0 | 0 | 5`,
		},
		{
			name: "mv-apply filters each row's items",
			query: `Proc | mv-apply t = Extra.tags on (where t == "y"
					| project picked = t) | project FileName, picked`,
			want: `
				(FileName:string, picked:dynamic)
				powershell.exe | "y"`,
		},
		{
			name: "mv-apply with summarize per row",
			query: `print id = 1, a = dynamic([3, 1, 2])
					| union (print id = 2, a = dynamic([5]))
					| mv-apply x = a to typeof(long) on (summarize s = sum(x))`,
			want: `
				(id:long, a:dynamic, s:long)
				1 | [3,1,2] | 6
				2 | [5] | 5`,
		},
		{
			name: "bag_unpack with a conflict",
			query: `print d = dynamic({"k":1,"z":2}), k = "orig"
					| evaluate bag_unpack(d, columnsConflict='keep_source')`,
			want: `
				(k:string, z:dynamic)
				orig | 2`,
		},
		{
			name:  "bag_unpack conflict is an error by default",
			query: `print d = dynamic({"k":1}), k = "orig" | evaluate bag_unpack(d)`,
			want: `
				error: 1:51: bag_unpack: the key "k" is already a column; set columnsConflict`,
		},
		{
			name: "parse-kv with quotes",
			query: `print s = 'netsh advfirewall firewall add rule name="Open 80" dir=in action=allow'
					| parse-kv s as (name:string, dir:string,
					missing:string) with (pair_delimiter=' ',
					kv_delimiter='=', quote='"')
					| project name, dir, missing`,
			want: `
				(name:string, dir:string, missing:string)
				Open 80 | in | ""`,
		},
		{
			name:  "top-nested one level",
			query: `Proc | top-nested 2 of DeviceName by count()`,
			want: `
				(DeviceName:string, aggregated_DeviceName:long)
				ws1 | 2
				ws2 | 2`,
		},
		{
			name: "top-nested two levels",
			query: `Proc
					| top-nested 2 of DeviceName by sum(Size) desc,
					top-nested 1 of FileName by max(Size)`,
			want: `
				(DeviceName:string, aggregated_DeviceName:long, FileName:string, aggregated_FileName:long)
				ws2 | 300 | PowerShell.EXE | 300
				ws1 | 120 | powershell.exe | 100`,
		},
		{
			name: "partition runs the body per value",
			query: `Proc | partition by DeviceName (top 1 by Timestamp)
					| project DeviceName, FileName`,
			want: `
				(DeviceName:string, FileName:string)
				ws1 | powershell.exe
				ws2 | PowerShell.EXE
				srv1 | svchost.exe`,
		},
	})
}
