package sample

import "github.com/ahunt/ahunt/kql/table"

// deviceCols are the columns every device table starts with.
type deviceCols struct{ ts, id, name, action, report int }

func newDeviceCols(b *builder) deviceCols {
	return deviceCols{
		ts: b.col("Timestamp"), id: b.col("DeviceId"),
		name: b.col("DeviceName"), action: b.opt("ActionType"),
		report: b.opt("ReportId"),
	}
}

// set fills the common columns; report numbers rise per table.
func (c *deviceCols) set(b *builder, d *Device, t int64, action string,
	report *int64) {
	b.time(c.ts, t)
	b.str(c.id, d.ID)
	b.str(c.name, d.Name)
	b.str(c.action, action)
	*report++
	b.long(c.report, *report)
}

// estimate sizes a column's capacity from the number of processes.
func (g *gen) procCount() int {
	n := 0
	for _, d := range g.f.devices {
		n += len(d.procs)
	}
	return n
}

func genProcessEvents(g *gen) *table.Table {
	b := newBuilder("DeviceProcessEvents", g.procCount(), g.from, g.to)
	dc := newDeviceCols(b)
	self, init := processCols(b), initiatingCols(b)
	initUID := b.col("InitiatingProcessUniqueId")
	addl := b.col("AdditionalFields")
	var report int64
	for _, d := range g.f.devices {
		var lastDay int64
		for i := range d.procs {
			p := &d.procs[i]
			if p.parent < 0 {
				continue // the kernel is not a process creation
			}
			action := "ProcessCreated"
			// The sensor reports the day's background task hosts once,
			// aggregated.
			if p.img.Name == "backgroundTaskHost.exe" {
				if dayStart(p.start) == lastDay {
					action = ""
				} else {
					lastDay = dayStart(p.start)
					action = "ProcessCreatedAggregatedReport"
					b.str(addl, `{"uniqueEventsAggregated":`+
						itoa(int64(keyNumber(p.cmd+itoa(p.uid), 2, 9)))+`}`)
				}
			}
			if action == "" {
				continue
			}
			dc.set(b, d, p.start, action, &report)
			setProc(b, &self, d, int32(i))
			setProc(b, &init, d, p.parent)
			b.str(initUID, itoa(d.procs[p.parent].uid))
			b.end()
		}
	}
	return b.table()
}
