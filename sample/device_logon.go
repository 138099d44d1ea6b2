package sample

import (
	"github.com/ahunt/ahunt/kql/table"
)

// logonTable writes DeviceLogonEvents rows.
type logonTable struct {
	b                                       *builder
	dc                                      deviceCols
	init                                    procCols
	typ, domain, name, sid, proto, failure  int
	admin, logonID, rdev, rip, rtype, rport int
	addl                                    int
	r                                       *rng
	report                                  int64
}

// logonEvent is one logon attempt on a device.
type logonEvent struct {
	acct     *Account
	typ      string // LogonType
	proto    string
	failure  string // FailureReason; empty for a success
	logonID  int64
	remoteIP string
	remote   string // RemoteDeviceName
	local    bool   // AdditionalFields IsLocalLogon
	// aggregated is the count of an aggregated report's logons; 0 for
	// a single logon
	aggregated int
}

func newLogonTable(g *gen) *logonTable {
	b := newBuilder("DeviceLogonEvents", 1<<15, g.from, g.to)
	return &logonTable{
		b: b, dc: newDeviceCols(b), init: initiatingCols(b),
		typ: b.col("LogonType"), domain: b.col("AccountDomain"),
		name: b.col("AccountName"), sid: b.col("AccountSid"),
		proto: b.col("Protocol"), failure: b.col("FailureReason"),
		admin: b.col("IsLocalAdmin"), logonID: b.col("LogonId"),
		rdev: b.col("RemoteDeviceName"), rip: b.col("RemoteIP"),
		rtype: b.col("RemoteIPType"), rport: b.col("RemotePort"),
		addl: b.col("AdditionalFields"),
		r:    newRNG(g.seed, "DeviceLogonEvents"),
	}
}

// emit writes a logon on d handled by process pi (lsass or winlogon).
func (t *logonTable) emit(d *Device, pi int32, at int64, e logonEvent) {
	b := t.b
	action := "LogonSuccess"
	if e.failure != "" {
		action = "LogonFailed"
	}
	if e.aggregated > 0 {
		action += "AggregatedReport"
	}
	t.dc.set(b, d, at, action, &t.report)
	b.str(t.typ, e.typ)
	b.str(t.domain, e.acct.Domain)
	b.str(t.name, e.acct.Name)
	b.str(t.sid, e.acct.SID)
	b.str(t.proto, e.proto)
	b.str(t.failure, e.failure)
	b.boolean(t.admin, isLocalAdmin(e.acct))
	if e.failure == "" {
		b.long(t.logonID, e.logonID)
	}
	b.str(t.rdev, e.remote)
	b.str(t.rip, e.remoteIP)
	b.str(t.rtype, ipType(e.remoteIP))
	if e.remoteIP != "" {
		b.long(t.rport, int64(t.r.between(49152, 65535)))
	}
	switch {
	case e.aggregated > 0:
		b.str(t.addl, `{"IsLocalLogon":false,"uniqueEventsAggregated":`+
			itoa(int64(e.aggregated))+`}`)
	case e.local:
		b.str(t.addl, `{"IsLocalLogon":true}`)
	default:
		b.str(t.addl, `{"IsLocalLogon":false}`)
	}
	if pi >= 0 {
		setProc(b, &t.init, d, pi)
	}
	b.end()
}

func genLogonEvents(g *gen) *table.Table {
	t := newLogonTable(g)
	for _, d := range g.f.devices {
		t.sessionLogons(g, d)
		t.serviceLogons(d)
	}
	t.internetNoise(g)
	t.aggregated(g)
	g.atk.logonEvents(t)
	return t.b.table()
}

// sessionLogons writes each session's logon and unlocks on its device,
// and the network logons the session makes on the file server and a
// domain controller.
func (t *logonTable) sessionLogons(g *gen, d *Device) {
	for i := range d.sim.sessions {
		ss := &d.sim.sessions[i]
		ui := d.procs[ss.explorer].parent
		wl := d.procs[ui].parent
		e := logonEvent{acct: ss.acct, typ: ss.logonType, proto: "Kerberos",
			logonID: ss.logonID, remoteIP: ss.remoteIP, remote: ss.remoteFrom,
			local: ss.remoteIP == ""}
		if ss.remoteIP != "" {
			e.proto = "Negotiate"
		}
		// lsass handles the logon itself; winlogon reports unlocks.
		lsass := procNamed(d, "lsass.exe", ss.start)
		if lsass < 0 {
			lsass = wl
		}
		if t.r.chance(0.05) {
			bad := e
			bad.failure = "InvalidUserNameOrPassword"
			t.emit(d, lsass, ss.start-20*tSecond, bad)
		}
		t.emit(d, lsass, ss.start, e)
		for _, u := range ss.unlocks {
			e.typ, e.logonID = "Unlock", e.logonID+int64(t.r.between(1, 999))
			t.emit(d, wl, u, e)
		}
		if d.Kind == Workstation {
			t.networkLogon(g.f.byRole["file"], d, ss.acct, ss.start+tMinute)
			dc := g.f.servers[int(ss.logonID)%2]
			t.networkLogon(dc, d, ss.acct, ss.start+10*tSecond)
		}
	}
}

// networkLogon writes a's network logon on target from device from.
func (t *logonTable) networkLogon(target, from *Device, a *Account,
	at int64) {
	pi := procNamed(target, "lsass.exe", at)
	t.emit(target, pi, at, logonEvent{acct: a, typ: "Network",
		proto: "Kerberos", logonID: int64(t.r.between(200_000, 90_000_000)),
		remoteIP: from.IP, remote: from.Short()})
}

// serviceLogons writes the logons of service accounts: a service started
// by services.exe or a task started by the scheduler runs under one.
func (t *logonTable) serviceLogons(d *Device) {
	for i := range d.procs {
		p := &d.procs[i]
		if !p.acct.Service || p.parent < 0 || !d.procs[p.parent].acct.System {
			continue
		}
		typ := "Batch"
		if d.procs[p.parent].kind == kindServices {
			typ = "Service"
		}
		lsass := procNamed(d, "lsass.exe", p.start)
		t.emit(d, lsass, p.start-tSecond, logonEvent{acct: p.acct, typ: typ,
			proto: "Negotiate", logonID: p.logonID, local: true})
	}
}

var scannedNames = []string{"administrator", "admin", "test", "user",
	"scanner", "backup", "guest", "sql", "support", "rdp"}

// internetNoise writes the failed logons every internet-facing remote
// desktop host collects from scanners, and the staff's own remote
// desktop logons from home.
func (t *logonTable) internetNoise(g *gen) {
	rds := g.f.byRole["rds"]
	for day := dayStart(g.from); day < g.to; day += tDay {
		for k := t.r.between(2, 8); k > 0; k-- {
			ip := publicIP(1000 + t.r.intn(4000))
			at := day + t.r.span(tDay)
			for a := t.r.between(1, 3); a > 0; a-- {
				acct := &Account{Name: pick(t.r, scannedNames),
					Domain: rds.Short()}
				t.emit(rds, procNamed(rds, "lsass.exe", at), at, logonEvent{
					acct: acct, typ: "Network", proto: "NTLM",
					failure: "InvalidUserNameOrPassword", remoteIP: ip})
				at += tSecond * int64(t.r.between(1, 30))
			}
		}
	}
	for _, v := range g.rdsVisits {
		t.emit(rds, procNamed(rds, "lsass.exe", v.at), v.at, logonEvent{
			acct: v.acct, typ: "RemoteInteractive", proto: "Negotiate",
			logonID:  int64(t.r.between(200_000, 90_000_000)),
			remoteIP: v.acct.HomeIP})
	}
}

// isLocalAdmin reports whether a is an administrator of the machines it
// logs on to: domain admins, built-in accounts, and the IT and
// engineering staff, who administer their own workstations.
func isLocalAdmin(a *Account) bool {
	return a.Admin || a.System || a.Department == "IT" ||
		a.Department == "Engineering"
}

// aggregated writes the sensor's daily aggregated report of the
// repetitive network logons the backup service makes on the file
// server, which it reports once instead of one by one.
func (t *logonTable) aggregated(g *gen) {
	file, svc := g.f.byRole["file"], g.f.service("svc-backup")
	backup := g.f.byRole["backup"]
	for day := dayStart(g.from); day < g.to; day += tDay {
		at := day + 23*tHour + 55*tMinute
		t.emit(file, procNamed(file, "lsass.exe", at), at, logonEvent{
			acct: svc, typ: "Network", proto: "Kerberos",
			logonID:  int64(t.r.between(200_000, 90_000_000)),
			remoteIP: backup.IP, remote: backup.Short(),
			aggregated: t.r.between(40, 120)})
	}
}
