package sample

import (
	"strconv"

	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
)

// legacyTables names the 2019 tables of advanced hunting after the
// current tables they are earlier names of.
var legacyTables = []struct{ old, cur string }{
	{"ProcessCreationEvents", "DeviceProcessEvents"},
	{"NetworkCommunicationEvents", "DeviceNetworkEvents"},
	{"FileCreationEvents", "DeviceFileEvents"},
	{"RegistryEvents", "DeviceRegistryEvents"},
	{"LogonEvents", "DeviceLogonEvents"},
	{"ImageLoadEvents", "DeviceImageLoadEvents"},
	{"MiscEvents", "DeviceEvents"},
	{"MachineInfo", "DeviceInfo"},
	{"MachineNetworkInfo", "DeviceNetworkInfo"},
}

// isInt reports whether t is stored as a 64-bit integer.
func isInt(t table.Type) bool { return t == table.Int || t == table.Long }

// intText returns c's numbers as text, in a column named name: the
// 2019 tables had logon ids and a few other numbers as strings.
func intText(name string, c *table.Column) *table.Column {
	out := table.NewColumn(name, table.String, c.Len())
	var buf []byte
	for i := range c.Len() {
		if c.IsNull(i) {
			out.AppendNull()
			continue
		}
		buf = strconv.AppendInt(buf[:0], c.Int(i), 10)
		out.AppendBytes(buf)
	}
	return out
}

// isLegacy reports whether name is one of the 2019 tables, whose
// columns are mostly those of a current table.
func isLegacy(name string) bool {
	for _, l := range legacyTables {
		if l.old == name {
			return true
		}
	}
	return false
}

// legacyNames maps the columns the 2019 tables named differently to
// their current names.
var legacyNames = map[string]string{
	"EventTime":          "Timestamp",
	"MachineId":          "DeviceId",
	"ComputerName":       "DeviceName",
	"RemoteComputerName": "RemoteDeviceName",
	"RegistryMachineTag": "RegistryDeviceTag",
}

// addLegacy fills the 2019 tables with the rows of the current tables
// they were renamed to, as the service still answers queries over the
// old names. The columns share the current tables' storage, which never
// changes once built, so the old names cost no memory but for the few
// numbers they had as text.
func addLegacy(tables map[string]*table.Table) {
	for _, l := range legacyTables {
		st, ok := schema.Defender().Table(l.old)
		cur := tables[l.cur]
		if !ok || cur == nil {
			continue
		}
		cols := make([]*table.Column, 0, len(st.Columns))
		for _, sc := range st.Columns {
			name := sc.Name
			if n, ok := legacyNames[name]; ok {
				name = n
			}
			c, _ := cur.Column(name)
			switch {
			case c == nil:
			case sameStore(c.Type, sc.Type):
				alias := *c
				alias.Name, alias.Type = sc.Name, sc.Type
				cols = append(cols, &alias)
			case isInt(c.Type) && sc.Type == table.String:
				cols = append(cols, intText(sc.Name, c))
			}
		}
		if len(cols) == len(st.Columns) {
			tables[l.old] = table.New(cols...)
		}
	}
}

// sameStore reports whether a column of type a can be read as type b:
// the same type, or int and long, which the 2019 tables used for some
// of today's long columns and which share one store.
func sameStore(a, b table.Type) bool {
	return a == b || isInt(a) && isInt(b)
}
