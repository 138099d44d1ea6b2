package sample

import (
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// netCols are the columns of DeviceNetworkEvents.
type netCols struct {
	deviceCols
	init                                procCols
	rip, rport, rurl, lip, lport, proto int
	ltype, rtype, addl                  int
}

// netTable writes DeviceNetworkEvents rows.
type netTable struct {
	dcs    [2]string // the domain controllers' addresses
	b      *builder
	c      netCols
	r      *rng
	report int64
}

func newNetTable(g *gen) *netTable {
	b := newBuilder("DeviceNetworkEvents", g.procCount()*2, g.from, g.to)
	return &netTable{b: b, r: newRNG(g.seed, "DeviceNetworkEvents"),
		c: netCols{
			deviceCols: newDeviceCols(b), init: initiatingCols(b),
			rip: b.col("RemoteIP"), rport: b.col("RemotePort"),
			rurl: b.col("RemoteUrl"), lip: b.col("LocalIP"),
			lport: b.col("LocalPort"), proto: b.col("Protocol"),
			ltype: b.col("LocalIPType"), rtype: b.col("RemoteIPType"),
			addl: b.col("AdditionalFields"),
		}}
}

// conn is one network event: who, when, where to.
type conn struct {
	action string // ConnectionSuccess unless set
	rip    string
	rport  int64
	url    string
	proto  string // Tcp unless set
	lport  int64  // an ephemeral port unless set
	addl   string // AdditionalFields
}

// emit writes one connection made (or accepted) by process pi of d.
func (n *netTable) emit(d *Device, pi int32, t int64, c conn) {
	b, cc := n.b, &n.c
	if c.action == "" {
		c.action = "ConnectionSuccess"
	}
	if c.proto == "" {
		c.proto = "Tcp"
	}
	if c.lport == 0 {
		c.lport = int64(n.r.between(49152, 65535))
	}
	cc.set(b, d, t, c.action, &n.report)
	b.str(cc.rip, c.rip)
	if c.proto != "Icmp" { // ICMP has no ports
		b.long(cc.rport, c.rport)
		b.long(cc.lport, c.lport)
	}
	b.str(cc.rurl, c.url)
	b.str(cc.lip, d.IP)
	b.str(cc.proto, c.proto)
	b.str(cc.ltype, "Private")
	b.str(cc.rtype, ipType(c.rip))
	b.str(cc.addl, c.addl)
	setProc(b, &cc.init, d, pi)
	b.end()
}

// ipType classifies an address as Defender's RemoteIPType does.
func ipType(ip string) string {
	switch {
	case ip == "":
		return ""
	case strings.HasPrefix(ip, "127."), ip == "::1":
		return "Loopback"
	case strings.HasPrefix(ip, "10."), strings.HasPrefix(ip, "192.168."),
		strings.HasPrefix(ip, "172.16."):
		return "Private"
	case ip == "0.0.0.0", ip == "::":
		return "Reserved"
	}
	return "Public"
}

func genNetworkEvents(g *gen) *table.Table {
	n := newNetTable(g)
	n.dcs = [2]string{g.f.servers[0].IP, g.f.servers[1].IP}
	for _, d := range g.f.devices {
		for i := range d.procs {
			n.procConns(g, d, int32(i))
		}
	}
	n.inbound(g)
	n.internetScans(g)
	n.moreConns(g)
	g.atk.networkEvents(n)
	return n.b.table()
}

// visits spreads k connections to s over the first part of p's life.
func (n *netTable) visits(d *Device, pi int32, k int, s site, port int64) {
	p := &d.procs[pi]
	life := min(p.end-p.start, 8*tHour)
	for ; k > 0; k-- {
		n.emit(d, pi, p.start+tSecond+n.r.span(life),
			conn{rip: s.ip, rport: port, url: s.host})
	}
}

// procConns writes the connections process pi makes by its kind.
func (n *netTable) procConns(g *gen, d *Device, pi int32) {
	p := &d.procs[pi]
	r := n.r
	dc := g.f.byRole["dc"]
	switch p.kind {
	case kindBrowser:
		if strings.Contains(p.cmd, "--type=") {
			return
		}
		for k := r.between(4, 14); k > 0; k-- {
			n.visits(d, pi, 1, pick(r, webSites), 443)
		}
		n.visits(d, pi, 1, siteLogin, 443)
	case kindOutlook:
		n.visits(d, pi, r.between(3, 7), siteOutlook, 443)
	case kindOffice: // finance's workbook refreshes the ECB's rates
		if strings.Contains(p.cmd, ".xlsm") {
			n.visits(d, pi, r.between(1, 3), siteECB, 443)
		}
	case kindTeams:
		n.visits(d, pi, r.between(3, 8), siteTeams, 443)
	case kindOneDrive:
		n.visits(d, pi, r.between(2, 6), siteOneDrive, 443)
	case kindEdgeUpdate:
		n.visits(d, pi, 1, siteEdgeUpd, 443)
	case kindShell:
		if p.acct.Admin && r.chance(0.2) {
			n.visits(d, pi, 1, sitePSGallery, 443)
		}
	case kindSense:
		n.periodic(d, pi, 2*tHour, siteSense, 443)
		n.periodic(d, pi, 4*tHour, siteSenseCnc, 443)
	case kindDefender:
		n.periodic(d, pi, 4*tHour, siteWdcp, 443)
	case kindIdentity:
		n.periodic(d, pi, tHour, siteIdentity, 443)
	case kindSvcNet:
		n.periodic(d, pi, 6*tHour, siteUpdate, 443)
		n.certTrustList(d, pi)
		n.periodic(d, pi, 8*tHour, siteSettings, 443)
		if d.Kind != DomainController {
			n.periodic(d, pi, 4*tHour, site{"", dc.IP}, 389)
		}
	case kindLsass:
		if d.Kind != DomainController {
			n.periodic(d, pi, 3*tHour, site{"", dc.IP}, 88)
		}
	case kindSystem:
		n.listen(d, pi, 445)
		if d.Kind == Workstation {
			n.visits(d, pi, 1, site{"", g.f.byRole["file"].IP}, 445)
		}
	case kindServices:
		n.listen(d, pi, 135)
		if d.Kind != Workstation {
			n.listen(d, pi, 3389)
		}
	case kindBackup:
		n.visits(d, pi, 1, site{"", g.f.byRole["file"].IP}, 445)
	}
	if d.Kind == Workstation && p.img.Name == "git.exe" {
		n.visits(d, pi, 1, webSites[4], 443)
	}
	if p.img.Name == "dotnet.exe" {
		n.visits(d, pi, 1, siteNuget, 443)
	}
}

// periodic connects to s every interval, with a little jitter, while
// process pi runs.
func (n *netTable) periodic(d *Device, pi int32, every int64, s site,
	port int64) {
	p := &d.procs[pi]
	for t := p.start + n.r.span(every); t < p.end && t < n.b.to; t +=
		every - every/10 + n.r.span(every/5) {
		n.emit(d, pi, t, conn{rip: s.ip, rport: port, url: s.host})
	}
}

// certTrustList fetches the certificate trust lists over plain HTTP
// every few hours, as Windows does; network protection inspects the
// request, which is what HTTP inspection hunts see in a clean tenant.
func (n *netTable) certTrustList(d *Device, pi int32) {
	p := &d.procs[pi]
	const uri = "/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab"
	for t := p.start + n.r.span(8*tHour); t < p.end && t < n.b.to; t +=
		8*tHour + n.r.span(tHour) {
		n.dnsLookup(d, pi, t-tSecond/2, siteCTL)
		n.httpGet(d, pi, t, siteCTL, uri, "Microsoft-CryptoAPI/10.0")
	}
}

// dnsLookup writes the inspection of a DNS query process pi makes to its
// domain controller.
func (n *netTable) dnsLookup(d *Device, pi int32, t int64, s site) {
	dc := n.dcFor(d)
	n.emit(d, pi, t, conn{action: "DnsConnectionInspected", rip: dc,
		rport: 53, proto: "Udp", addl: `{"direction":"Out","qtype":1,` +
			`"qtype_name":"A","query":"` + s.host + `","rcode":0,` +
			`"rcode_name":"NOERROR","answers":["` + s.ip + `"]}`})
}

// httpGet writes a plain HTTP request by process pi and the inspection
// events network protection adds for it.
func (n *netTable) httpGet(d *Device, pi int32, t int64, s site, uri,
	agent string) {
	lport := int64(n.r.between(49152, 65535))
	c := conn{rip: s.ip, rport: 80, url: s.host, lport: lport}
	n.emit(d, pi, t, c)
	c.action = "HttpConnectionInspected"
	c.addl = `{"direction":"Out","host":"` + s.host + `","method":"GET",` +
		`"status_code":"200","uri":"` + uri + `","user_agent":"` + agent +
		`","version":"1.1"}`
	n.emit(d, pi, t+tSecond/10, c)
	c.action = "NetworkSignatureInspected"
	c.addl = `{"SignatureName":"HTTP_Client","SignatureMatchedContent":` +
		`"GET ` + uri + ` HTTP/1.1","SamplePacketContent":""}`
	n.emit(d, pi, t+tSecond/10, c)
}

// listen records a listening socket opened at the start of process pi.
func (n *netTable) listen(d *Device, pi int32, port int64) {
	p := &d.procs[pi]
	n.emit(d, pi, p.start+5*tSecond, conn{action: "ListeningConnectionCreated",
		rip: "0.0.0.0", lport: port})
}

// inbound writes the connections servers accept from clients: users'
// file shares, the app server's SQL, the web site's visitors and remote
// desktop users from home.
func (n *netTable) inbound(g *gen) {
	r := n.r
	file, sql := g.f.byRole["file"], g.f.byRole["sql"]
	for _, ws := range g.f.ws {
		for _, ss := range ws.sim.sessions {
			t := ss.start + tMinute + r.span(10*tMinute)
			n.accept(file, 0, t, ws.IP, 445)
		}
	}
	app := g.f.byRole["app"]
	for t := g.from + r.span(10*tMinute); t < g.to; t += 10*tMinute +
		r.span(5*tMinute) {
		n.accept(sql, procNamed(sql, "sqlservr.exe", t), t, app.IP, 1433)
	}
	web := g.f.byRole["web"]
	for t := g.from; t < g.to; t += 4*tMinute + r.span(8*tMinute) {
		n.accept(web, procNamed(web, "w3wp.exe", t), t,
			publicIP(r.intn(5000)), 443)
	}
	for _, ws := range g.f.ws {
		for i, ss := range ws.sim.sessions {
			dc := g.f.servers[i%2]
			t := ss.start + 2*tSecond
			n.accept(dc, procNamed(dc, "lsass.exe", t), t, ws.IP, 88)
		}
	}
	rds := g.f.byRole["rds"]
	for _, v := range g.rdsVisits {
		n.accept(rds, 0, v.at-5*tSecond, v.acct.HomeIP, 3389)
	}
}

// accept writes an inbound connection to port on d from ip, attributed
// to process pi, or to the System process when pi is 0 or negative.
func (n *netTable) accept(d *Device, pi int32, t int64, ip string,
	port int64) {
	if pi <= 0 {
		pi = procNamed(d, "System", t)
	}
	if pi < 0 {
		return
	}
	n.emit(d, pi, t, conn{action: "InboundConnectionAccepted", rip: ip,
		rport: int64(n.r.between(49152, 65535)), lport: port})
}

// procNamed returns the index of the process named name that was
// running on d at t, or -1.
func procNamed(d *Device, name string, t int64) int32 {
	if d.byName != nil {
		for _, i := range d.byName[name] {
			if p := &d.procs[i]; p.start <= t && t < p.end {
				return i
			}
		}
		return -1
	}
	for i := range d.procs {
		p := &d.procs[i]
		if p.start <= t && t < p.end && p.img.Name == name {
			return int32(i)
		}
	}
	return -1
}

// indexProcs builds d.byName; the history must not change afterwards.
func (d *Device) indexProcs() {
	d.byName = map[string][]int32{}
	for i := range d.procs {
		name := d.procs[i].img.Name
		d.byName[name] = append(d.byName[name], int32(i))
	}
}

// dcFor returns the address of the domain controller d asks.
func (n *netTable) dcFor(d *Device) string {
	return n.dcs[keyNumber(d.ID, 0, 1)]
}

// internetScans writes the weekly scans Microsoft runs from the internet
// against the fleet's public address, which find the gateway's remote
// desktop port open.
func (n *netTable) internetScans(g *gen) {
	rds := g.f.byRole["rds"]
	for t := g.from + 2*tDay; t < g.to; t += 7 * tDay {
		pi := procNamed(rds, "System", t)
		if pi < 0 {
			continue
		}
		n.emit(rds, pi, t, conn{action: "InboundInternetScanInspected",
			rip: "0.0.0.0", lport: 3389, addl: `{"PublicScannedIp":"` +
				rdsPublicIP + `","PublicScannedPort":3389,` +
				`"Protocol":"Tcp","IsInternetFacing":true}`})
	}
}
