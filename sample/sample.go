// Package sample generates the demo tenant: Defender advanced hunting
// tables for a small fictional organisation, with a month of ordinary
// activity and one planted intrusion that real hunting queries find.
//
// The data is deterministic: the same Options give the same rows, byte
// for byte. Every table follows the embedded Defender schema (all
// columns, in order, with their types); tables the generator does not
// fill are present and empty, so queries over them run and return
// nothing.
package sample

import (
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
)

// Window is how far back the generated data goes from Options.Now.
const Window = 30 * 24 * time.Hour

// Options configure Generate.
type Options struct {
	// Seed selects the tenant: the same Seed and Now give the same rows.
	Seed int64
	// Now is the clock: data covers the Window before Now, and nothing
	// is later than Now. The zero value means time.Now().
	Now time.Time
	// Scale sizes the fleet and its activity: 1 (or 0, the default) is
	// the full tenant of 48 workstations and 12 servers, over 500,000
	// rows; tests may use a smaller tenant such as 0.1. The planted
	// intrusion is the same at every scale.
	Scale float64
}

// Tenant is the generated data.
type Tenant struct {
	// Tables holds every table of the Defender schema by name.
	Tables map[string]*table.Table
	// Devices lists the fleet: workstations, servers and domain
	// controllers.
	Devices []*Device
	// Users lists the people of the organisation.
	Users []*Account
	// Attack is the planted intrusion, for tests and demos that check
	// a hunt finds it.
	Attack *Attack
	// From and To bound the data: From <= Timestamp < To.
	From, To time.Time
}

// Rows returns the number of rows over all tables.
func (t *Tenant) Rows() int {
	n := 0
	for _, tb := range t.Tables {
		n += tb.Rows()
	}
	return n
}

// gen is what every table generator reads: the fleet with its process
// histories and the planted intrusion, all fixed before any table is
// built and never written afterwards.
type gen struct {
	seed     int64
	from, to int64
	scale    float64
	f        *fleet
	cat      catalog
	atk      *Attack
	// rdsVisits are the staff's remote desktop logons from home.
	rdsVisits []rdsVisit
	// mails are the month's messages, one per recipient.
	mails []mail
}

// rdsVisit is one remote desktop logon to the gateway from home.
type rdsVisit struct {
	at   int64
	acct *Account
}

// planVisits picks the staff's remote desktop logons from home; both
// the network and the logon tables report them.
func (g *gen) planVisits() {
	r := newRNG(g.seed, "rds")
	for day := dayStart(g.from); day < g.to; day += tDay {
		for k := r.between(0, 4); k > 0; k-- {
			g.rdsVisits = append(g.rdsVisits, rdsVisit{
				at: day + 8*tHour + r.span(10*tHour), acct: pick(r, g.f.users)})
		}
	}
}

// tableGen builds one table.
type tableGen struct {
	name string
	fn   func(*gen) *table.Table
}

// Generate builds the demo tenant.
func Generate(opt Options) *Tenant {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	scale := opt.Scale
	if scale <= 0 {
		scale = 1
	}
	to := table.TimeToTicks(now.UTC())
	from := to - int64(Window/100)
	g := &gen{seed: opt.Seed, from: from, to: to, scale: scale,
		cat: newCatalog()}
	g.f = newFleet(opt.Seed, 80, max(6, int(48*scale+0.5)))
	g.simulate()
	g.planVisits()
	g.atk = plant(g)
	g.planMail()

	tables := g.buildTables()
	g.release()
	return &Tenant{
		Tables:  tables,
		Devices: g.f.devices,
		Users:   g.f.users,
		Attack:  g.atk,
		From:    table.TicksToTime(from),
		To:      table.TicksToTime(to),
	}
}

// release drops the process histories and plans once the tables are
// built: the tenant keeps only the tables and the facts it exports.
func (g *gen) release() {
	for _, d := range g.f.devices {
		d.procs, d.sim, d.byName = nil, nil, nil
	}
	g.atk.g, g.atk.events = nil, nil
	g.mails = nil
}

// simulate runs every device's process history, in parallel; each
// device has its own random source, so the order does not matter.
func (g *gen) simulate() {
	sims := make([]*sim, len(g.f.devices))
	parallel(len(sims), func(i int) {
		d := g.f.devices[i]
		s := newSim(g.f, g.cat, d, g.seed, g.from, g.to)
		s.run()
		sims[i] = s
	})
	for i, d := range g.f.devices {
		d.sim = sims[i]
		d.procs = sims[i].procs
	}
}

// buildTables runs every table generator in parallel and adds the
// schema's other tables empty.
func (g *gen) buildTables() map[string]*table.Table {
	gens := tableGens()
	built := make([]*table.Table, len(gens))
	parallel(len(gens), func(i int) { built[i] = gens[i].fn(g) })

	out := make(map[string]*table.Table, len(schema.Defender().Tables))
	for i, tg := range gens {
		out[tg.name] = built[i]
	}
	addLegacy(out)
	for _, st := range schema.Defender().Tables {
		if out[st.Name] == nil {
			out[st.Name] = newBuilder(st.Name, 0, g.from, g.to).table()
		}
	}
	return out
}

// tableGens lists the generators, largest first so the parallel run
// finishes evenly.
//
// The legacy tables (ProcessCreationEvents and the rest of the 2019
// names) share the columns of the current tables; see addLegacy.
//
// TODO: the newer EntraIdSignInEvents stays empty: filling it would
// copy AADSignInEventsBeta and break the memory budget.
func tableGens() []tableGen {
	gens := []tableGen{
		{"DeviceProcessEvents", genProcessEvents},
		{"DeviceNetworkEvents", genNetworkEvents},
		{"DeviceFileEvents", genFileEvents},
		{"DeviceRegistryEvents", genRegistryEvents},
		{"DeviceImageLoadEvents", genImageLoadEvents},
		{"DeviceLogonEvents", genLogonEvents},
		{"DeviceEvents", genDeviceEvents},
		{"DeviceInfo", genDeviceInfo},
		{"DeviceNetworkInfo", genDeviceNetworkInfo},
		{"DeviceFileCertificateInfo", genFileCertificateInfo},
		{"AlertInfo", genAlertInfo},
		{"AlertEvidence", genAlertEvidence},
		{"EmailEvents", genEmailEvents},
		{"EmailAttachmentInfo", genEmailAttachmentInfo},
		{"EmailUrlInfo", genEmailURLInfo},
		{"EmailPostDeliveryEvents", genEmailPostDelivery},
		{"UrlClickEvents", genURLClickEvents},
		{"IdentityLogonEvents", genIdentityLogonEvents},
		{"IdentityQueryEvents", genIdentityQueryEvents},
		{"IdentityDirectoryEvents", genIdentityDirectoryEvents},
		{"IdentityInfo", genIdentityInfo},
		{"CloudAppEvents", genCloudAppEvents},
		{"AADSignInEventsBeta", genAADSignIns},
		{"DeviceTvmSoftwareInventory", genTvmSoftwareInventory},
		{"DeviceTvmSoftwareVulnerabilities", genTvmSoftwareVulnerabilities},
		{"DeviceTvmSoftwareVulnerabilitiesKB", genTvmVulnerabilitiesKB},
		{"DeviceTvmSecureConfigurationAssessment", genTvmSecureConfig},
		{"DeviceTvmSecureConfigurationAssessmentKB", genTvmSecureConfigKB},
		{"DeviceTvmBrowserExtensions", genTvmBrowserExtensions},
		{"DeviceTvmBrowserExtensionsKB", genTvmBrowserExtensionsKB},
		{"ExposureGraphNodes", genExposureNodes},
		{"DeviceTvmInfoGathering", genTvmInfoGathering},
		{"OAuthAppInfo", genOAuthAppInfo},
		{"ExposureGraphEdges", genExposureEdges},
	}
	return gens
}

// parallel calls fn(0..n-1) on GOMAXPROCS workers.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// TableNames returns the names of t's tables in alphabetical order.
func (t *Tenant) TableNames() []string {
	names := make([]string, 0, len(t.Tables))
	for n := range t.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
