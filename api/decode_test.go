package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/table"
)

// cells renders every cell of t as Format does, nulls as "<null>".
func cells(t *table.Table) [][]string {
	out := make([][]string, t.Rows())
	for r := range out {
		for _, c := range t.Columns {
			s := c.Format(r)
			if c.IsNull(r) {
				s = "<null>"
			}
			out[r] = append(out[r], s)
		}
	}
	return out
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		schema string
		rows   [][]string
	}{{
		name: "xdr pascal case",
		body: `{"Stats":{"ExecutionTime":1.5},"Schema":[
			{"Name":"Timestamp","Type":"DateTime"},
			{"Name":"FileName","Type":"String"}],
			"Results":[{"Timestamp":"2020-08-30T06:38:35.7664356Z",
			"FileName":"conhost.exe"}]}`,
		schema: "(Timestamp:datetime, FileName:string)",
		rows: [][]string{{"2020-08-30T06:38:35.7664356Z",
			"conhost.exe"}},
	}, {
		name: "graph lower case with odata",
		body: `{"@odata.context":"x#y","schema":[{"name":"FileSize",
			"type":"Int64"}],"results":[{"FileSize":9007199254740993}]}`,
		schema: "(FileSize:long)",
		rows:   [][]string{{"9007199254740993"}},
	}, {
		name: "results before schema",
		body: `{"Results":[{"B":2,"A":"x"},{"A":"y"}],
			"Schema":[{"Name":"A","Type":"String"},
			{"Name":"B","Type":"Int32"}]}`,
		schema: "(A:string, B:int)",
		rows:   [][]string{{"x", "2"}, {"y", "<null>"}},
	}, {
		name: "datetime digits and zones",
		body: `{"Schema":[{"Name":"T","Type":"DateTime"}],"Results":[
			{"T":"2018-07-09T07:16:26.8017265"},
			{"T":"2018-07-09T07:16:26Z"},
			{"T":"2018-07-09T07:16:26.123456789Z"},
			{"T":"2018-07-09T09:16:26.5+02:00"},
			{"T":null},{}]}`,
		schema: "(T:datetime)",
		rows: [][]string{{"2018-07-09T07:16:26.8017265Z"},
			{"2018-07-09T07:16:26Z"}, {"2018-07-09T07:16:26.1234567Z"},
			{"2018-07-09T07:16:26.5Z"}, {"<null>"}, {"<null>"}},
	}, {
		name: "numeric strings and exact integers",
		body: `{"Schema":[{"Name":"L","Type":"Int64"},
			{"Name":"R","Type":"Double"},{"Name":"B","Type":"Boolean"}],
			"Results":[{"L":"-9223372036854775808","R":"2.5","B":"true"},
			{"L":1e3,"R":"NaN","B":false}]}`,
		schema: "(L:long, R:real, B:bool)",
		rows: [][]string{{"-9223372036854775808", "2.5", "true"},
			{"1000", "NaN", "false"}},
	}, {
		name: "dynamic compacted and unknown types by kind",
		body: `{"Schema":[{"Name":"D","Type":"Object"},
			{"Name":"U","Type":"Weird"},{"Name":"S","Type":"String"}],
			"Results":[{"D":{"a": [1, 2]},"U":{"k":1},"S":"tab\there"},
			{"D":"text","U":"plain","S":7}]}`,
		schema: "(D:dynamic, U:string, S:string)",
		rows: [][]string{{`{"a":[1,2]}`, `{"k":1}`, "tab\there"},
			{`"text"`, "plain", "7"}},
	}, {
		name: "timespan and guid, extra keys ignored",
		body: `{"Schema":[{"Name":"S","Type":"TimeSpan"},
			{"Name":"G","Type":"Guid"}],"Extra":[1],"Results":[
			{"S":"1.02:03:04.5","G":"6c0f2b7e-0000-4000-8000-000000000001",
			"Other":{"x":1}}]}`,
		schema: "(S:timespan, G:guid)",
		rows: [][]string{{"1.02:03:04.5",
			"6c0f2b7e-0000-4000-8000-000000000001"}},
	}, {
		name:   "null results",
		body:   `{"Schema":[{"Name":"A","Type":"String"}],"Results":null}`,
		schema: "(A:string)",
		rows:   [][]string{},
	}, {
		name:   "schema only",
		body:   `{"Schema":[{"Name":"A","Type":"String"}]}`,
		schema: "(A:string)",
		rows:   [][]string{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, _, err := Decode(strings.NewReader(tt.body))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got := tab.String(); got != tt.schema {
				t.Errorf("schema: got %s, want %s", got, tt.schema)
			}
			got := fmt.Sprint(cells(tab))
			if want := fmt.Sprint(tt.rows); got != want {
				t.Errorf("rows: got %s, want %s", got, want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
		is               error
	}{
		{"not an object", `[1]`, "response: got [, want {", nil},
		{"no schema", `{"Results":[]}`, "no schema", nil},
		{"garbage", `<html>oops</html>`, "invalid character", nil},
		{"cut mid row",
			`{"Schema":[{"Name":"A","Type":"Int64"}],"Results":[{"A":1},{"A"`,
			"row 2", io.ErrUnexpectedEOF},
		{"wrong kind",
			`{"Schema":[{"Name":"A","Type":"Int64"}],"Results":[{"A":true}]}`,
			`row 1: column "A": got a JSON bool, want a long`, nil},
		{"bad datetime",
			`{"Schema":[{"Name":"T","Type":"DateTime"}],
			"Results":[{"T":"2020-02-30T00:00:00Z"}]}`,
			`"2020-02-30T00:00:00Z" is not a datetime`, nil},
		{"inexact long",
			`{"Schema":[{"Name":"A","Type":"Int64"}],"Results":[{"A":1.5}]}`,
			`"1.5" is not a long`, nil},
		{"duplicate key in row",
			`{"Schema":[{"Name":"A","Type":"String"}],
			"Results":[{"A":"x","A":"y"}]}`,
			`column "A" appears twice`, nil},
		{"duplicate column",
			`{"Schema":[{"Name":"A","Type":"String"},{"Name":"A"}]}`,
			`repeated name "A"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Decode(strings.NewReader(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("got %v, want it to match %v", err, tt.is)
			}
		})
	}
}

func TestDecodeStats(t *testing.T) {
	body := `{"Stats":{"ExecutionTime":4.621215,"resource_usage":{
		"cpu":{"user":"00:00:19.0468750","total cpu":"00:00:19.0625000"},
		"memory":{"peak_per_node":236822432}},
		"dataset_statistics":[{"table_row_count":2,"table_size":102},
		{"table_row_count":3,"table_size":8}]},
		"Schema":[],"Results":[]}`
	_, st, err := Decode(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{
		ExecutionTime: 4621215 * time.Microsecond,
		CPUTime:       19062500 * time.Microsecond,
		RowsScanned:   5, BytesScanned: 110, PeakMemory: 236822432,
	}
	if st == nil || *st != want {
		t.Errorf("got %+v, want %+v", st, want)
	}
}

func TestParseTimeSpan(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:00:19.0625000", 19062500 * time.Microsecond, true},
		{"-1.00:00:01", -(24*time.Hour + time.Second), true},
		{"10:61:00", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseTimeSpan(tt.in)
			if ok != tt.ok || table.TicksToDuration(got) != tt.want {
				t.Errorf("got %v %v, want %v %v",
					table.TicksToDuration(got), ok, tt.want, tt.ok)
			}
		})
	}
}

// benchBody builds an XDR response of rows rows and 30 columns of the
// kinds a DeviceProcessEvents projection has.
func benchBody(rows int) []byte {
	types := []string{"DateTime", "String", "String", "Int64", "String",
		"Guid", "Object", "Int32", "Boolean", "Double"}
	var b bytes.Buffer
	b.WriteString(`{"Stats":{"ExecutionTime":1.2},"Schema":[`)
	for i := 0; i < 30; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Name":"Col%d","Type":"%s"}`, i, types[i%10])
	}
	b.WriteString(`],"Results":[`)
	rng := rand.New(rand.NewPCG(1, 2))
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for i := 0; i < 30; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"Col%d":`, i)
			benchValue(&b, types[i%10], rng)
		}
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func benchValue(b *bytes.Buffer, typ string, rng *rand.Rand) {
	switch typ {
	case "DateTime":
		fmt.Fprintf(b, `"2026-11-%02dT%02d:%02d:%02d.%07dZ"`,
			1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60),
			rng.IntN(10_000_000))
	case "String":
		fmt.Fprintf(b, `"C:\\Windows\\System32\\proc%d.exe"`, rng.IntN(500))
	case "Int64":
		fmt.Fprintf(b, "%d", rng.Int64())
	case "Guid":
		fmt.Fprintf(b, `"%08x-0000-4000-8000-%012x"`, rng.Uint32(),
			rng.Uint64()&0xffffffffffff)
	case "Object":
		fmt.Fprintf(b, `{"Pid":%d,"Tags":["a","b"]}`, rng.IntN(1<<16))
	case "Int32":
		fmt.Fprintf(b, "%d", rng.IntN(1<<31))
	case "Boolean":
		fmt.Fprintf(b, "%t", rng.IntN(2) == 0)
	case "Double":
		fmt.Fprintf(b, "%g", rng.Float64()*1000)
	}
}

func BenchmarkDecode(b *testing.B) {
	body := benchBody(100_000)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		tab, _, err := Decode(bytes.NewReader(body))
		if err != nil || tab.Rows() != 100_000 {
			b.Fatalf("got %v rows, err %v", tab.Rows(), err)
		}
	}
}

// BenchmarkDecodeEncodingJSON is the baseline: encoding/json into a map
// per row.
func BenchmarkDecodeEncodingJSON(b *testing.B) {
	body := benchBody(100_000)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		var resp struct {
			Schema  []schemaColumn
			Results []map[string]any
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&resp); err != nil ||
			len(resp.Results) != 100_000 {
			b.Fatalf("got %d rows, err %v", len(resp.Results), err)
		}
	}
}

// FuzzDecode checks that no body makes Decode panic or return a table
// whose columns disagree in length.
func FuzzDecode(f *testing.F) {
	f.Add(pascalBody)
	f.Add(lowerBody)
	f.Add(`{"Results":[{"A":"x"}],"Schema":[{"Name":"A","Type":"Weird"}]}`)
	f.Add(`{"Schema":[{"Name":"T","Type":"DateTime"},{"Name":"S",` +
		`"Type":"TimeSpan"}],"Results":[{"T":"2020-01-01T00:00:00.1+01:00",` +
		`"S":"-1.02:03:04.5"}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		tab, _, err := Decode(strings.NewReader(body))
		if err != nil {
			return
		}
		if err := tab.Validate(); err != nil {
			t.Errorf("Decode(%q): %v", body, err)
		}
	})
}
