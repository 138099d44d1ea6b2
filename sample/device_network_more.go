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
	mgmt := g.f.byRole["mgmt"]
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
