package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/ahunt/ahunt/kql/table"
)

// DefaultMaxBody is the default cap on a response body: twice the largest
// result size any version of the APIs allowed (124 MB).
const DefaultMaxBody = 256 << 20

// Decode reads one hunting response body (any of the three shapes) into a
// table and the optional stats. Keys are matched in any letter case; rows
// may come before or after the schema. It reads r as it streams and keeps
// no copy of the body, unless the rows come first.
func Decode(r io.Reader) (*table.Table, *Stats, error) {
	d := &decoder{dec: newJSONDecoder(r)}
	if err := d.decode(); err != nil {
		return nil, nil, err
	}
	return table.New(d.cols...), d.stats, nil
}

func newJSONDecoder(r io.Reader) *jsontext.Decoder {
	// Duplicate names inside a row are caught by the decoder itself, with
	// a better message and without the cost of the generic check.
	return jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true))
}

// decoder holds the state of one Decode.
type decoder struct {
	dec   *jsontext.Decoder
	cols  []*table.Column
	index map[string]int
	// seen[i] is the last row that set column i; a column not set by the
	// end of a row gets a null.
	seen []int
	row  int
	// rawRows holds the results array when it came before the schema.
	rawRows jsontext.Value
	stats   *Stats
	scratch []byte
}

func (d *decoder) decode() error {
	if err := d.expect('{', "response"); err != nil {
		return err
	}
	for {
		tok, err := d.dec.ReadToken()
		if err != nil {
			return err
		}
		if tok.Kind() == '}' {
			break
		}
		if err := d.member(tok.String()); err != nil {
			return err
		}
	}
	if d.cols == nil {
		return errors.New("response has no schema")
	}
	if d.rawRows != nil {
		d.dec = newJSONDecoder(bytes.NewReader(d.rawRows))
		return d.readRows()
	}
	return nil
}

// member reads the value of one top-level key.
func (d *decoder) member(name string) error {
	switch strings.ToLower(name) {
	case "schema":
		return d.readSchema()
	case "results":
		if d.cols == nil {
			v, err := d.dec.ReadValue()
			d.rawRows = v.Clone()
			return err
		}
		return d.readRows()
	case "stats":
		return d.readStats()
	}
	return d.dec.SkipValue()
}

// expect reads a token of kind k, or says what came instead.
func (d *decoder) expect(k jsontext.Kind, what string) error {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != k {
		return fmt.Errorf("%s: got %s, want %s", what, tok.Kind(),
			jsontext.Kind(k))
	}
	return nil
}

// schemaColumn is one entry of a schema; encoding/json matches the keys
// in any case.
type schemaColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func (d *decoder) readSchema() error {
	v, err := d.dec.ReadValue()
	if err != nil {
		return err
	}
	var sc []schemaColumn
	if err := json.Unmarshal(v, &sc); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	d.cols = make([]*table.Column, len(sc))
	d.index = make(map[string]int, len(sc))
	d.seen = make([]int, len(sc))
	for i, c := range sc {
		if _, dup := d.index[c.Name]; dup || c.Name == "" {
			return fmt.Errorf("schema: column %d: empty or repeated name %q",
				i+1, c.Name)
		}
		t, ok := table.ParseType(c.Type)
		if !ok {
			// Unknown type names hold text; other JSON kinds keep
			// their JSON text.
			t = table.String
		}
		d.cols[i] = table.NewColumn(c.Name, t, 0)
		d.index[c.Name] = i
	}
	return nil
}

func (d *decoder) readRows() error {
	if d.dec.PeekKind() == 'n' {
		_, err := d.dec.ReadToken() // "results": null holds no rows
		return err
	}
	if err := d.expect('[', "results"); err != nil {
		return err
	}
	for {
		tok, err := d.dec.ReadToken()
		if err != nil {
			return fmt.Errorf("results: row %d: %w", d.row+1, err)
		}
		switch tok.Kind() {
		case ']':
			return nil
		case '{':
			if err := d.readRow(); err != nil {
				return fmt.Errorf("results: row %d: %w", d.row, err)
			}
		default:
			return fmt.Errorf("results: row %d: got %s, want an object",
				d.row+1, tok.Kind())
		}
	}
}

// readRow reads the members of one row object after its '{'.
func (d *decoder) readRow() error {
	d.row++
	for d.dec.PeekKind() == '"' {
		name, err := d.dec.ReadValue()
		if err != nil {
			return err
		}
		i, ok := d.index[d.unquote(name)]
		v, err := d.dec.ReadValue()
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if d.seen[i] == d.row {
			return fmt.Errorf("column %q appears twice", d.cols[i].Name)
		}
		d.seen[i] = d.row
		if err := d.appendValue(d.cols[i], v); err != nil {
			return fmt.Errorf("column %q: %w", d.cols[i].Name, err)
		}
	}
	if err := d.expect('}', "row"); err != nil {
		return err
	}
	for i, c := range d.cols {
		if d.seen[i] != d.row {
			c.AppendNull()
		}
	}
	return nil
}

// unquote returns the text of a JSON string value. The result is only
// valid until the next read: it may share the decoder's buffer.
func (d *decoder) unquote(v jsontext.Value) string {
	b := v[1 : len(v)-1]
	if bytes.IndexByte(b, '\\') >= 0 {
		d.scratch, _ = jsontext.AppendUnquote(d.scratch[:0], v)
		b = d.scratch
	}
	return bytesString(b)
}

func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// appendValue appends one JSON value to c, converting it to c's type.
func (d *decoder) appendValue(c *table.Column, v jsontext.Value) error {
	k := v.Kind()
	if k == 'n' {
		c.AppendNull()
		return nil
	}
	switch c.Type {
	case table.String, table.GUID:
		if k == '"' {
			c.AppendString(d.unquote(v))
			return nil
		}
		return d.appendJSON(c, v)
	case table.Dynamic:
		return d.appendJSON(c, v)
	case table.Real, table.Decimal:
		return d.appendReal(c, v)
	case table.Bool:
		return d.appendBool(c, v)
	case table.DateTime:
		return d.appendTime(c, v)
	case table.TimeSpan:
		return d.appendSpan(c, v)
	}
	return d.appendInt(c, v)
}

// appendJSON appends v as compact JSON text.
func (d *decoder) appendJSON(c *table.Column, v jsontext.Value) error {
	if bytes.ContainsAny(v, " \t\r\n") {
		var err error
		d.scratch, err = jsontext.AppendFormat(d.scratch[:0], v)
		if err != nil {
			return err
		}
		v = d.scratch
	}
	c.AppendBytes(v)
	return nil
}

// number returns the text of a JSON number or of a string holding one.
func (d *decoder) number(v jsontext.Value) (string, bool) {
	switch v.Kind() {
	case '0':
		return bytesString(v), true
	case '"':
		return strings.TrimSpace(d.unquote(v)), true
	}
	return "", false
}

func (d *decoder) appendInt(c *table.Column, v jsontext.Value) error {
	s, ok := d.number(v)
	if !ok {
		return kindError(c.Type, v)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// 1.0 and 1e3 are integers too, as long as they are exact.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
			return fmt.Errorf("%q is not a %s", s, c.Type)
		}
		n = int64(f)
	}
	c.AppendInt(n)
	return nil
}

func (d *decoder) appendReal(c *table.Column, v jsontext.Value) error {
	s, ok := d.number(v)
	if !ok {
		return kindError(c.Type, v)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		switch s {
		case "NaN":
			f = math.NaN()
		case "Infinity":
			f = math.Inf(1)
		case "-Infinity":
			f = math.Inf(-1)
		default:
			return fmt.Errorf("%q is not a %s", s, c.Type)
		}
	}
	c.AppendReal(f)
	return nil
}

func (d *decoder) appendBool(c *table.Column, v jsontext.Value) error {
	switch v.Kind() {
	case 't', 'f':
		c.AppendBool(v.Kind() == 't')
		return nil
	}
	s, ok := d.number(v)
	if !ok {
		return kindError(c.Type, v)
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not a bool", s)
	}
	c.AppendBool(b)
	return nil
}

func (d *decoder) appendTime(c *table.Column, v jsontext.Value) error {
	if v.Kind() != '"' {
		return kindError(c.Type, v)
	}
	s := d.unquote(v)
	ticks, err := parseDateTime(s)
	if err != nil {
		return err
	}
	c.AppendInt(ticks)
	return nil
}

func (d *decoder) appendSpan(c *table.Column, v jsontext.Value) error {
	if v.Kind() != '"' {
		return kindError(c.Type, v)
	}
	s := d.unquote(v)
	ticks, ok := parseTimeSpan(s)
	if !ok {
		return fmt.Errorf("%q is not a timespan", s)
	}
	c.AppendInt(ticks)
	return nil
}

func kindError(t table.Type, v jsontext.Value) error {
	return fmt.Errorf("got a JSON %s, want a %s", kindName(v.Kind()), t)
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "bool"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "null"
}

// wireStats is the XDR Stats object; encoding/json matches its keys in
// any case.
type wireStats struct {
	ExecutionTime *float64 `json:"ExecutionTime"`
	ResourceUsage struct {
		CPU struct {
			Total string `json:"total cpu"`
		} `json:"cpu"`
		Memory struct {
			PeakPerNode int64 `json:"peak_per_node"`
		} `json:"memory"`
	} `json:"resource_usage"`
	Datasets []struct {
		Rows int64 `json:"table_row_count"`
		Size int64 `json:"table_size"`
	} `json:"dataset_statistics"`
}

// readStats reads the optional Stats object. Stats only inform the meter,
// so a shape ahunt does not know leaves them out rather than failing the
// whole result.
func (d *decoder) readStats() error {
	v, err := d.dec.ReadValue()
	if err != nil {
		return err
	}
	var ws wireStats
	if v.Kind() != '{' || json.Unmarshal(v, &ws) != nil {
		return nil
	}
	st := &Stats{PeakMemory: ws.ResourceUsage.Memory.PeakPerNode}
	if ws.ExecutionTime != nil {
		st.ExecutionTime = secondsDuration(*ws.ExecutionTime)
	}
	if t, ok := parseTimeSpan(ws.ResourceUsage.CPU.Total); ok {
		st.CPUTime = table.TicksToDuration(t)
	}
	for _, ds := range ws.Datasets {
		st.RowsScanned += ds.Rows
		st.BytesScanned += ds.Size
	}
	d.stats = st
	return nil
}

// secondsDuration converts seconds to a Duration; zero for negative, NaN
// or absurdly large values.
func secondsDuration(s float64) time.Duration {
	if !(s > 0) || s > 1e9 {
		return 0
	}
	return time.Duration(math.Round(s * 1e9))
}
