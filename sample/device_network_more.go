package sample

// githubSSH is GitHub's SSH endpoint, where developers push over git+ssh.
var githubSSH = site{host: "github.com", ip: "140.82.121.4"}

// siteECB publishes the euro reference rates a finance workbook reads.
var siteECB = site{host: "www.ecb.europa.eu", ip: "23.38.160.79"}

// moreConns writes the network traffic besides the processes' own: the
// developers' git over SSH, the build server's SSH daemon and the
// monitoring server's ping sweeps.
func (n *netTable) moreConns(g *gen) {
	r := newRNG(g.seed, "DeviceNetworkEvents/more")
	for _, d := range g.f.ws {
		for _, pi := range d.byName["git.exe"] {
			if r.chance(0.5) {
				n.emit(d, pi, d.procs[pi].start+tSecond/2,
					conn{rip: githubSSH.ip, rport: 22, url: githubSSH.host})
			}
		}
	}
	if build := g.f.byRole["build"]; build != nil {
		for _, pi := range build.byName["sshd.exe"] {
			n.emit(build, pi, build.procs[pi].start+40*tSecond,
				conn{action: "ListeningConnectionCreated", rip: "0.0.0.0",
					lport: 22})
		}
	}
	for _, d := range g.f.devices { // live response's channel
		for _, pi := range d.byName["SenseIR.exe"] {
			n.emit(d, pi, d.procs[pi].start+2*tMinute,
				conn{rip: siteSenseCnc.ip, rport: 443, url: siteSenseCnc.host})
		}
	}
	mgmt := g.f.byRole["mgmt"]
	n.inventory(g, mgmt)
	n.aggregated(g, r)
	for t := g.from + r.span(tHour); t < g.to; t += 2 * tHour {
		pi := procNamed(mgmt, "svchost.exe", t)
		if pi < 0 {
			continue
		}
		for i, s := range g.f.servers {
			if s == mgmt {
				continue
			}
			n.emit(mgmt, pi, t+int64(i)*tSecond/4, conn{
				action: "IcmpConnectionInspected", rip: s.IP, proto: "Icmp",
				addl: `{"direction":"Out","orig_bytes":64,` +
					`"resp_bytes":64,"duration":0,"conn_state":"OTH"}`})
		}
	}
}

// inventory writes the management server's weekly software inventory:
// one pass over every workstation's administrative share.
func (n *netTable) inventory(g *gen, mgmt *Device) {
	for _, t := range inventoryTimes(g) {
		pi := procNamed(mgmt, "svchost.exe", t)
		if pi < 0 {
			continue
		}
		for i, ws := range g.f.ws {
			n.emit(mgmt, pi, t+int64(i)*3*tSecond,
				conn{rip: ws.IP, rport: 445})
		}
	}
}

// aggregated writes each workstation's daily aggregated report of the
// repeated connections to the sign-in service, in the afternoon.
func (n *netTable) aggregated(g *gen, r *rng) {
	for _, d := range g.f.ws {
		for day := dayStart(g.from); day < g.to; day += tDay {
			at := day + 15*tHour + r.span(tHour)
			pi := procNamed(d, "svchost.exe", at)
			if pi < 0 {
				continue
			}
			n.emit(d, pi, at, conn{action: "ConnectionSuccessAggregatedReport",
				rip: siteLogin.ip, rport: 443, url: siteLogin.host,
				addl: `{"uniqueEventsAggregated":` +
					itoa(int64(r.between(5, 60))) + `}`})
		}
	}
}

// inventoryTimes are the starts of the management server's weekly
// inventory passes over the workstations, three seconds apart each, at
// lunchtime, when the workstations are on.
func inventoryTimes(g *gen) []int64 {
	r := newRNG(g.seed, "inventory")
	var out []int64
	for day := dayStart(g.from) + 2*tDay; day < g.to; day += 7 * tDay {
		d := day
		for isWeekend(d) {
			d += tDay
		}
		out = append(out, d+12*tHour+r.span(tHour))
	}
	return out
}
