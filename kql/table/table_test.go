package table

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// sample builds a small table with every storage kind and a null in each
// column.
func sample() *Table {
	ts := NewColumn("Timestamp", DateTime, 3)
	name := NewColumn("FileName", String, 3)
	size := NewColumn("FileSize", Long, 3)
	score := NewColumn("Score", Real, 3)
	ok := NewColumn("Signed", Bool, 3)
	extra := NewColumn("AdditionalFields", Dynamic, 3)

	t0 := time.Date(2026, 11, 5, 10, 20, 30, 123456700, time.UTC)
	ts.AppendTime(t0)
	ts.AppendNull()
	ts.AppendTime(t0.Add(time.Hour))
	name.AppendString("cmd.exe")
	name.AppendString("")
	name.AppendNull()
	size.AppendInt(math.MaxInt64)
	size.AppendNull()
	size.AppendInt(-1)
	score.AppendReal(0.5)
	score.AppendReal(math.NaN())
	score.AppendNull()
	ok.AppendBool(true)
	ok.AppendBool(false)
	ok.AppendNull()
	extra.AppendString(`{"a":[1,2]}`)
	extra.AppendNull()
	extra.AppendString(`not json`)
	return New(ts, name, size, score, ok, extra)
}

func TestColumnValues(t *testing.T) {
	tb := sample()
	if err := tb.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		col, row int
		want     string
		null     bool
	}{
		{0, 0, "2026-11-05T10:20:30.1234567Z", false},
		{0, 1, "", true},
		{1, 0, "cmd.exe", false},
		{1, 1, "", false},
		{1, 2, "", true},
		{2, 0, "9223372036854775807", false},
		{3, 1, "NaN", false},
		{4, 1, "false", false},
		{5, 0, `{"a":[1,2]}`, false},
	}
	for _, tt := range tests {
		c := tb.Columns[tt.col]
		if got := c.Format(tt.row); got != tt.want {
			t.Errorf("%s[%d]: got %q, want %q", c.Name, tt.row, got, tt.want)
		}
		if got := c.IsNull(tt.row); got != tt.null {
			t.Errorf("%s[%d] null: got %v, want %v", c.Name, tt.row, got,
				tt.null)
		}
		if got := c.Value(tt.row).Text(); got != tt.want {
			t.Errorf("%s[%d] Value.Text: got %q, want %q", c.Name, tt.row,
				got, tt.want)
		}
	}
}

func TestFormatTimeSpan(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00:00"},
		{30 * time.Second, "00:00:30"},
		{26*time.Hour + 3*time.Minute + 4*time.Second + 500*time.Millisecond,
			"1.02:03:04.5"},
		{-90 * time.Minute, "-01:30:00"},
		{100 * time.Nanosecond, "00:00:00.0000001"},
	}
	for _, tt := range tests {
		if got := FormatTimeSpan(DurationToTicks(tt.d)); got != tt.want {
			t.Errorf("FormatTimeSpan(%v): got %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := FormatTimeSpan(math.MinInt64); !strings.HasPrefix(got, "-") {
		t.Errorf("FormatTimeSpan(MinInt64): got %q, want a negative span", got)
	}
}

func TestTicksRoundTrip(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999900, time.UTC),
		time.Date(2026, 12, 3, 16, 10, 0, 100, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	} {
		if got := TicksToTime(TimeToTicks(tm)); !got.Equal(tm) {
			t.Errorf("round trip of %v: got %v", tm, got)
		}
	}
}

func TestGather(t *testing.T) {
	tb := sample().Gather([]int{2, 0, 0})
	if got, want := tb.Rows(), 3; got != want {
		t.Fatalf("rows: got %d, want %d", got, want)
	}
	name, _ := tb.Column("FileName")
	if !name.IsNull(0) || name.Str(1) != "cmd.exe" || name.Str(2) != "cmd.exe" {
		t.Errorf("gathered FileName: got %q %q %q (null %v)", name.Str(0),
			name.Str(1), name.Str(2), name.IsNull(0))
	}
	size, _ := tb.Column("FileSize")
	if size.Int(0) != -1 || size.Int(1) != math.MaxInt64 {
		t.Errorf("gathered FileSize: got %d %d", size.Int(0), size.Int(1))
	}
}

func TestWriteJSONL(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), buf.String())
	}
	for i, l := range lines {
		var row map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
	}
	want := `{"Timestamp":"2026-11-05T10:20:30.1234567Z","FileName":"cmd.exe",` +
		`"FileSize":9223372036854775807,"Score":0.5,"Signed":true,` +
		`"AdditionalFields":{"a":[1,2]}}`
	if lines[0] != want {
		t.Errorf("line 1:\ngot  %s\nwant %s", lines[0], want)
	}
	if !strings.Contains(lines[2], `"AdditionalFields":"not json"`) {
		t.Errorf("invalid dynamic JSON must be a string: %s", lines[2])
	}
}

func TestWriteCSV(t *testing.T) {
	c := NewColumn("CommandLine", String, 2)
	c.AppendString(`cmd /c "echo a,b"`)
	c.AppendString("line1\nline2")
	var buf bytes.Buffer
	if err := WriteCSV(&buf, New(c)); err != nil {
		t.Fatal(err)
	}
	want := "CommandLine\r\n\"cmd /c \"\"echo a,b\"\"\"\r\n\"line1\r\nline2\"\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, sample(), 12); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if !strings.HasPrefix(lines[0], "Timestamp") {
		t.Errorf("header: got %q", lines[0])
	}
	if !strings.Contains(lines[2], "2026-11-05T…") {
		t.Errorf("a long cell must be cut with an ellipsis: %q", lines[2])
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want Type
	}{
		{"DateTime", DateTime}, {"Int64", Long}, {"Int32", Int},
		{"Object", Dynamic}, {"boolean", Bool}, {"Guid", GUID},
		{"System.Double", Real}, {"TimeSpan", TimeSpan}, {"String", String},
	}
	for _, tt := range tests {
		if got, ok := ParseType(tt.in); !ok || got != tt.want {
			t.Errorf("ParseType(%q): got %v %v, want %v", tt.in, got, ok,
				tt.want)
		}
	}
	if _, ok := ParseType("Blob"); ok {
		t.Error("ParseType(Blob): got ok, want not ok")
	}
}

func TestWriteJSONOddNames(t *testing.T) {
	c := NewColumn("a\x01\"b\u2028", String, 1)
	c.AppendString("x\x00y")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, New(c)); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if got := rows[0]["a\x01\"b\u2028"]; got != "x\x00y" {
		t.Errorf("got %q, want %q", got, "x\x00y")
	}
}

func TestWriteTextEscapes(t *testing.T) {
	c := NewColumn("s", String, 2)
	c.AppendString("x\x1b]0;PWNED\x07y\u009b2J")
	c.AppendString("bad \xff byte")
	var buf bytes.Buffer
	if err := WriteText(&buf, New(c), 60); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\xff"} {
		if strings.Contains(out, bad) {
			t.Errorf("output holds %q:\n%q", bad, out)
		}
	}
	if !strings.Contains(out, "x\uFFFD]0;PWNED\uFFFDy\uFFFD2J") {
		t.Errorf("control characters should show as U+FFFD: %q", out)
	}
}
