// Package schema is the Defender advanced hunting schema: the tables an
// analyst can query and their typed columns. The data is embedded from
// defender-tables.json (see SOURCES.md beside it for where it comes from).
package schema

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"sync"

	"github.com/ahunt/ahunt/kql/table"
)

//go:embed defender-tables.json
var tablesJSON []byte

// Table is one advanced hunting table.
type Table struct {
	Name        string
	Description string
	Columns     []Column
}

// Column is one column of a Table.
type Column struct {
	Name string
	Type table.Type
}

// Column returns the column named name, matched exactly, and whether it
// exists.
func (t *Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Schema is a set of tables, looked up by exact name.
type Schema struct {
	Tables []*Table
	byName map[string]*Table
}

// Table returns the table named name and whether it exists.
func (s *Schema) Table(name string) (*Table, bool) {
	t, ok := s.byName[name]
	return t, ok
}

// Names returns the table names in alphabetical order.
func (s *Schema) Names() []string {
	names := make([]string, 0, len(s.Tables))
	for _, t := range s.Tables {
		names = append(names, t.Name)
	}
	sort.Strings(names)
	return names
}

var (
	defenderOnce sync.Once
	defender     *Schema
)

// Defender returns the embedded Defender schema. It is built once and
// shared; callers must not modify it.
func Defender() *Schema {
	defenderOnce.Do(func() {
		s, err := Parse(tablesJSON)
		if err != nil {
			panic("schema: embedded defender-tables.json: " + err.Error())
		}
		defender = s
	})
	return defender
}

// Parse reads a schema in the defender-tables.json layout:
// {"tables":[{"name","description","columns":[{"name","type"}]}]}.
func Parse(data []byte) (*Schema, error) {
	var doc struct {
		Tables []struct {
			Name, Description string
			Columns           []struct{ Name, Type string }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse schema: %w", err)
	}
	s := &Schema{byName: make(map[string]*Table, len(doc.Tables))}
	for _, dt := range doc.Tables {
		t := &Table{Name: dt.Name, Description: dt.Description}
		for _, dc := range dt.Columns {
			typ, ok := table.ParseType(dc.Type)
			if !ok {
				return nil, fmt.Errorf("parse schema: table %s column %s: "+
					"unknown type %q", dt.Name, dc.Name, dc.Type)
			}
			t.Columns = append(t.Columns, Column{dc.Name, typ})
		}
		if _, dup := s.byName[t.Name]; dup {
			return nil, fmt.Errorf("parse schema: table %s appears twice",
				t.Name)
		}
		s.Tables = append(s.Tables, t)
		s.byName[t.Name] = t
	}
	return s, nil
}

// SentinelOnly lists columns that Microsoft Sentinel adds to every table
// but Defender advanced hunting does not have. Queries written for
// Sentinel use them; on Defender they fail to resolve.
var SentinelOnly = map[string]string{
	"TimeGenerated":   "Timestamp",
	"_ResourceId":     "",
	"_SubscriptionId": "",
	"Computer":        "DeviceName",
}

// IsSentinelOnly reports whether name is a Sentinel-only column and, when
// Defender has an equivalent, its name.
func IsSentinelOnly(name string) (instead string, ok bool) {
	instead, ok = SentinelOnly[name]
	return instead, ok
}
