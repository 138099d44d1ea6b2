package sample

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

const (
	tenantID  = "4f1c2a7e-3b8d-4c5e-9a61-2d7b0e8f9c13"
	homeISP   = "British Telecommunications PLC"
	officeISP = "Virgin Media Business"
)

// identityCols are the columns the Identity*Events tables share.
type identityCols struct {
	ts, action, app, proto, name, domain, upn, sid, object, display     int
	device, ip, port, dstDevice, dstIP, dstPort, location, report, addl int
}

func newIdentityCols(b *builder) identityCols {
	return identityCols{
		ts: b.col("Timestamp"), action: b.col("ActionType"),
		app: b.col("Application"), proto: b.col("Protocol"),
		name: b.col("AccountName"), domain: b.col("AccountDomain"),
		upn: b.col("AccountUpn"), sid: b.col("AccountSid"),
		object: b.col("AccountObjectId"), display: b.col("AccountDisplayName"),
		device: b.col("DeviceName"), ip: b.col("IPAddress"),
		port: b.col("Port"), dstDevice: b.col("DestinationDeviceName"),
		dstIP:   b.col("DestinationIPAddress"),
		dstPort: b.col("DestinationPort"), location: b.col("Location"),
		report: b.col("ReportId"), addl: b.col("AdditionalFields"),
	}
}

// set fills the shared columns for an event by a from device src
// (nil for a cloud event) against domain controller dc.
func (c *identityCols) set(b *builder, r *rng, at int64, action string,
	a *Account, src, dc *Device, proto string) {
	b.time(c.ts, at)
	b.str(c.action, action)
	b.str(c.app, "Active Directory")
	b.str(c.proto, proto)
	b.str(c.name, a.Name)
	b.str(c.domain, Domain)
	b.str(c.upn, a.UPN)
	b.str(c.sid, a.SID)
	b.str(c.object, a.ObjectID)
	b.str(c.display, a.DisplayName)
	if src != nil {
		b.str(c.device, src.Short())
		b.str(c.ip, src.IP)
		b.long(c.port, int64(r.between(49152, 65535)))
	}
	if dc != nil {
		b.str(c.dstDevice, dc.Short())
		b.str(c.dstIP, dc.IP)
	}
	b.str(c.report, r.guid())
	b.str(c.addl, "{}")
}

func genIdentityLogonEvents(g *gen) *table.Table {
	l := &idLogons{b: newBuilder("IdentityLogonEvents", 1<<15, g.from, g.to),
		r: newRNG(g.seed, "IdentityLogonEvents")}
	l.c = newIdentityCols(l.b)
	l.typ, l.failure = l.b.col("LogonType"), l.b.col("FailureReason")
	l.target = l.b.col("TargetDeviceName")
	l.sessions(g)
	machineLogons(g, l.b, l.r, l.c)
	app, sql := g.f.byRole["app"], g.f.byRole["sql"]
	svc := g.f.service("svc-web")
	for t := g.from; t < g.to; t += 10*tMinute + l.r.span(10*tMinute) {
		l.kerberos(t, "", svc, app, g.f.servers[t%2], "Resource access",
			sql.Short())
	}
	l.cloud(g)
	l.cleartextLDAP(g)
	g.atk.identityLogons(l.b, l.r, l.c)
	return l.b.table()
}

// cleartextLDAP writes the print server's address-book lookups: the
// multifunction printers' scan-to-email binds to the directory with a
// simple, cleartext LDAP bind as the scanning service account.
func (l *idLogons) cleartextLDAP(g *gen) {
	printer, svc := g.f.byRole["print"], g.f.service("svc-scan")
	r := newRNG(g.seed, "IdentityLogonEvents/ldap")
	for day := dayStart(g.from); day < g.to; day += tDay {
		if isWeekend(day) {
			continue
		}
		for t := day + 8*tHour + r.span(tHour); t < day+18*tHour; t += 20*tMinute + r.span(40*tMinute) {
			l.c.set(l.b, r, t, "LogonSuccess", svc, printer,
				g.f.servers[t%2], "LDAP")
			l.b.str(l.typ, "LDAP cleartext")
			l.b.long(l.c.dstPort, 389)
			l.b.end()
		}
	}
}

// idLogons writes IdentityLogonEvents rows.
type idLogons struct {
	b                    *builder
	r                    *rng
	c                    identityCols
	typ, failure, target int
}

// kerberos writes one Kerberos authentication at a domain controller; a
// non-empty failure makes it a failed one.
func (l *idLogons) kerberos(at int64, failure string, a *Account,
	src, dc *Device, typ, target string) {
	action := "LogonSuccess"
	if failure != "" {
		action = "LogonFailed"
	}
	l.c.set(l.b, l.r, at, action, a, src, dc, "Kerberos")
	l.b.str(l.typ, typ)
	l.b.str(l.failure, failure)
	l.b.str(l.target, target)
	l.b.long(l.c.dstPort, 88)
	l.b.end()
}

// sessions writes the domain controllers' view of the workstation
// sessions: the logon (after a mistyped password now and then) and the
// tickets for the servers the user reaches.
func (l *idLogons) sessions(g *gen) {
	r, file := l.r, g.f.byRole["file"]
	for _, ws := range g.f.ws {
		for _, ss := range ws.sim.sessions {
			dc := g.f.servers[int(ss.logonID)%2]
			if r.chance(0.04) {
				l.kerberos(ss.start-15*tSecond, "WrongPassword", ss.acct, ws,
					dc, "Interactive", "")
			}
			l.kerberos(ss.start, "", ss.acct, ws, dc, "Interactive", "")
			l.kerberos(ss.start+tMinute, "", ss.acct, ws, dc,
				"Resource access", file.Short())
			for k := r.between(2, 8); k > 0; k-- {
				l.kerberos(ss.start+r.span(ss.end-ss.start), "", ss.acct, ws,
					dc, "Resource access", pick(r, g.f.servers[2:]).Short())
			}
		}
	}
}

// cloud writes the users' daily Office 365 sign-ins, from the office or
// from home.
func (l *idLogons) cloud(g *gen) {
	b, r, c := l.b, l.r, l.c
	isp, devType := b.col("Isp"), b.col("DeviceType")
	osPlat := b.col("OSPlatform")
	for _, u := range g.f.users {
		for day := dayStart(g.from); day < g.to; day += tDay {
			if isWeekend(day) || !r.chance(0.8) {
				continue
			}
			ip, provider := officeIP, officeISP
			if r.chance(0.25) {
				ip, provider = u.HomeIP, homeISP
			}
			c.set(b, r, day+7*tHour+r.span(3*tHour), "LogonSuccess", u, nil,
				nil, "")
			b.str(c.app, "Office 365")
			b.str(c.ip, ip)
			b.str(c.location, "GB")
			b.str(isp, provider)
			b.str(l.typ, "Login:login")
			b.str(devType, "Desktop")
			b.str(osPlat, "Windows")
			b.end()
		}
	}
}

// identityLogons writes the domain controller's view of the password
// spray, and the attacker's cloud sign-in with the phished password.
func (a *Attack) identityLogons(b *builder, r *rng, c identityCols) {
	typ, failure := b.col("LogonType"), b.col("FailureReason")
	isp := b.col("Isp")
	t := attackDays(a.g.to)[1] + 14*tHour + 5*tMinute
	dc := a.g.f.servers[0]
	for i, name := range a.SprayAccounts {
		acct := a.g.f.account(name)
		action := "LogonFailed"
		if acct == a.SprayedAccount {
			action = "LogonSuccess"
		}
		c.set(b, r, t+int64(i)*13*tSecond, action, acct, a.VictimDevice, dc,
			"Ntlm")
		b.str(typ, "Credentials validation")
		if action == "LogonFailed" {
			b.str(failure, "WrongPassword")
		}
		b.long(c.dstPort, 445)
		b.end()
	}
	at := attackDays(a.g.to)[0] + 16*tHour + 40*tMinute
	c.set(b, r, at, "LogonSuccess", a.Victim, nil, nil, "")
	b.str(c.app, "Office 365")
	b.str(c.ip, a.AttackerIP)
	b.str(c.location, "NL")
	b.str(isp, "Stark Industries Solutions Ltd")
	b.str(typ, "Login:login")
	b.end()
}

func genIdentityQueryEvents(g *gen) *table.Table {
	b := newBuilder("IdentityQueryEvents", 1<<14, g.from, g.to)
	r := newRNG(g.seed, "IdentityQueryEvents")
	c := newIdentityCols(b)
	qtype, qtarget, query := b.col("QueryType"), b.col("QueryTarget"),
		b.col("Query")
	emit := func(at int64, a *Account, src, dc *Device, action, proto,
		qt, target, q string, port int64) {
		c.set(b, r, at, action, a, src, dc, proto)
		b.str(qtype, qt)
		b.str(qtarget, target)
		b.str(query, q)
		b.long(c.dstPort, port)
		b.end()
	}
	for _, ws := range g.f.ws {
		for _, ss := range ws.sim.sessions {
			dc := g.f.servers[int(ss.logonID)%2]
			emit(ss.start+20*tSecond, ss.acct, ws, dc, "DNS query", "Dns",
				"A", "srv-file01."+Domain, "srv-file01."+Domain, 53)
			for k := r.between(10, 30); k > 0; k-- {
				host := pick(r, webSites).host
				emit(ss.start+r.span(ss.end-ss.start), ss.acct, ws, dc,
					"DNS query", "Dns", "A", host, host, 53)
			}
			emit(ss.start+25*tSecond, ss.acct, ws, dc, "LDAP query", "Ldap",
				"AllObjects", "", "(&(objectClass=groupPolicyContainer)(cn={31B2F340-016D-11D2-945F-00C04FB984F9}))", 389)
		}
	}
	for i, d := range g.f.servers {
		dc := g.f.servers[(i+1)%2]
		for t := g.from + r.span(tHour); t < g.to; t += 20*tMinute +
			r.span(20*tMinute) {
			host := pick(r, serverLookups)
			emit(t, g.f.system, d, dc, "DNS query", "Dns", "A", host, host, 53)
		}
	}
	a := g.atk
	t := attackDays(g.to)[0] + 10*tHour + 31*tMinute
	dc := g.f.servers[0]
	emit(t+20*tSecond, a.Victim, a.VictimDevice, dc, "SAMR query", "Samr",
		"QueryGroup", "Domain Admins", "QueryGroup", 445)
	emit(t+21*tSecond, a.Victim, a.VictimDevice, dc, "SAMR query", "Samr",
		"QueryUser", "Administrator", "QueryUser", 445)
	emit(t+60*tSecond, a.Victim, a.VictimDevice, dc, "LDAP query", "Ldap",
		"AllDomainControllers", "", "(&(objectCategory=computer)(userAccountControl:1.2.840.113556.1.4.803:=8192))", 389)
	return b.table()
}

func genIdentityDirectoryEvents(g *gen) *table.Table {
	b := newBuilder("IdentityDirectoryEvents", 256, g.from, g.to)
	r := newRNG(g.seed, "IdentityDirectoryEvents")
	c := newIdentityCols(b)
	tUPN, tName := b.col("TargetAccountUpn"), b.col("TargetAccountDisplayName")
	tDev := b.col("TargetDeviceName")
	dc := g.f.servers[0]
	for i, u := range g.f.users {
		at := g.from + r.span(g.to-g.from)
		c.set(b, r, at, "Account Password changed", u, g.f.ws[i%len(g.f.ws)],
			dc, "")
		b.str(tUPN, u.UPN)
		b.str(tName, u.DisplayName)
		b.str(c.addl, `{"TARGET_OBJECT.USER":"`+u.DisplayName+`"}`)
		b.end()
	}
	for k := 0; k < 6; k++ {
		adm := pick(r, g.f.admins)
		u := pick(r, g.f.users)
		at := g.from + r.span(g.to-g.from)
		c.set(b, r, at, "Group Membership changed", adm,
			g.f.byRole["mgmt"], dc, "")
		b.str(tUPN, u.UPN)
		b.str(tName, u.DisplayName)
		b.str(c.addl, fmt.Sprintf(`{"TO.GROUP":"%s","ACTOR.ACCOUNT":"%s",`+
			`"TARGET_OBJECT.USER":"%s"}`, u.Department+" Team", adm.Name,
			u.DisplayName))
		b.end()
	}
	moreDirChanges(g, b, &c)
	a := g.atk
	at := attackDays(g.to)[2] + 9*tHour + 50*tMinute
	c.set(b, r, at, "Service creation", a.SprayedAccount, a.FileServer, dc, "")
	b.str(tDev, a.FileServer.Short())
	b.str(c.addl, `{"ServiceName":"`+a.ServiceName+
		`","ServiceCommand":"C:\\Windows\\Temp\\svchelper.exe"}`)
	b.end()
	return b.table()
}

func genIdentityInfo(g *gen) *table.Table {
	all := g.f.allAccounts()
	b := newBuilder("IdentityInfo", len(all)*31, g.from, g.to)
	c := b.col
	created := g.from - 400*tDay
	for day := dayStart(g.from) + tDay; day < g.to; day += tDay {
		for i, a := range all {
			b.time(c("Timestamp"), day+int64(i)*tSecond)
			b.str(c("ReportId"), nameGUID(day, a.Name))
			b.str(c("AccountObjectId"), a.ObjectID)
			b.str(c("AccountUpn"), a.UPN)
			b.str(c("OnPremSid"), a.SID)
			b.str(c("AccountDisplayName"), a.DisplayName)
			b.str(c("AccountName"), a.Name)
			b.str(c("AccountDomain"), Domain)
			b.long(c("CriticalityLevel"), criticality(a))
			b.str(c("Type"), "User")
			b.str(c("DistinguishedName"), distinguishedName(a))
			b.str(c("GivenName"), a.GivenName)
			b.str(c("Surname"), a.Surname)
			b.str(c("Department"), a.Department)
			b.str(c("JobTitle"), a.JobTitle)
			b.str(c("EmailAddress"), a.Email())
			b.str(c("City"), "London")
			b.str(c("Country"), "GB")
			b.boolean(c("IsAccountEnabled"), true)
			b.time(c("CreatedDateTime"), created+int64(i)*tDay)
			b.str(c("ChangeSource"), "ActiveDirectory")
			b.str(c("CompanyName"), "Contoso Ltd")
			b.str(c("RiskLevel"), riskOf(g, a, day))
			b.str(c("Tags"), tagsOf(a))
			b.str(c("AssignedRoles"), rolesOf(a))
			b.str(c("TenantId"), tenantID)
			b.str(c("SourceSystem"), "Hybrid")
			b.str(c("TenantMembershipType"), "Member")
			b.str(c("IdentityEnvironment"), "Hybrid")
			b.str(c("SourceProviders"), `["ActiveDirectory","AzureActiveDirectory"]`)
			b.str(c("GroupMembership"), groupsOf(a))
			b.end()
		}
	}
	return b.table()
}

func criticality(a *Account) int64 {
	if a.Admin {
		return 4
	}
	return 0
}

func distinguishedName(a *Account) string {
	ou := "Users"
	switch {
	case a.Service:
		ou = "ServiceAccounts"
	case a.Admin:
		ou = "Admins"
	}
	return fmt.Sprintf("CN=%s,OU=%s,OU=London,DC=contoso,DC=com",
		a.DisplayName, ou)
}

func riskOf(g *gen, a *Account, day int64) string {
	if a == g.atk.Victim && day > attackDays(g.to)[0] {
		return "High"
	}
	return "Low"
}

func tagsOf(a *Account) string {
	if a.Admin || a.Service {
		return `["Sensitive"]`
	}
	return "[]"
}

func rolesOf(a *Account) string {
	if a.Admin {
		return `["Global Reader","Security Operator"]`
	}
	return "[]"
}

func groupsOf(a *Account) string {
	groups := []string{"Domain Users"}
	switch {
	case a.Admin:
		groups = append(groups, "Domain Admins")
	case a.Service:
		groups = append(groups, "Backup Operators")
	default:
		groups = append(groups, a.Department+" Team")
	}
	return `["` + strings.Join(groups, `","`) + `"]`
}

// machineLogons writes the Kerberos logons of the computer accounts:
// every machine renews its tickets with a domain controller about once
// an hour while it runs.
func machineLogons(g *gen, b *builder, r *rng, c identityCols) {
	typ := b.col("LogonType")
	for i, d := range g.f.devices {
		acct := &Account{Name: strings.ToUpper(d.Short()) + "$",
			Domain: NetBIOSDomain, SID: domainSID + "-" + itoa(int64(3100+i)),
			DisplayName: strings.ToUpper(d.Short()) + "$"}
		dc := g.f.servers[i%2]
		if d == dc {
			dc = g.f.servers[(i+1)%2]
		}
		for t := g.from + r.span(tHour); t < g.to; t += tHour +
			r.span(10*tMinute) {
			if d.Kind == Workstation && !poweredOn(d, t) {
				continue
			}
			c.set(b, r, t, "LogonSuccess", acct, d, dc, "Kerberos")
			b.str(typ, "Resource access")
			b.long(c.dstPort, 88)
			b.end()
		}
	}
}

// poweredOn reports whether workstation d was running at t.
func poweredOn(d *Device, t int64) bool {
	for _, i := range d.byName["System"] {
		if p := &d.procs[i]; p.start <= t && t < p.end {
			return true
		}
	}
	return false
}

// serverLookups are the names servers resolve in the background.
var serverLookups = []string{
	"dc01." + Domain, "dc02." + Domain, "srv-file01." + Domain,
	"srv-sql01." + Domain, "time.windows.com", "ctldl.windowsupdate.com",
	"winatp-gw-weu.microsoft.com", "login.microsoftonline.com",
	"_ldap._tcp.dc._msdcs." + Domain, "wpad." + Domain,
}
