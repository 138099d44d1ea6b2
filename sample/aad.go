package sample

import (
	"github.com/ahunt/ahunt/kql/table"
)

// signInApp is an Entra ID application users sign in to.
type signInApp struct{ name, id, resource string }

var signInApps = []signInApp{
	{"Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000",
		"Office 365 Exchange Online"},
	{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
		"Microsoft Teams Services"},
	{"OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca",
		"OfficeHome"},
	{"Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000",
		"Office 365 SharePoint Online"},
	{"Microsoft Edge", "ecd6b820-32c2-49b6-98a6-444530e5a77a",
		"Microsoft Graph"},
	{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c",
		"Microsoft Graph"},
}

// signIn is one Entra ID sign-in.
type signIn struct {
	at        int64
	u         *Account
	app       signInApp
	errorCode int64
	ip        string
	country   string
	city      string
	device    *Device // nil for an unmanaged device
	agent     string
	risk      int64
	guest     bool
	client    string // ClientAppUsed; "" means "Browser"
	caFailed  bool   // a conditional access policy refused it
}

func genAADSignIns(g *gen) *table.Table {
	b := newBuilder("AADSignInEventsBeta", 1<<14, g.from, g.to)
	r := newRNG(g.seed, "AADSignInEventsBeta")
	devOf := map[*Account]*Device{}
	for _, d := range g.f.ws {
		devOf[d.User] = d
	}
	for day := dayStart(g.from); day < g.to; day += tDay {
		for _, u := range g.f.users {
			n := r.between(4, 9)
			if isWeekend(day) {
				n = r.between(0, 1)
			}
			ip := officeIP
			if r.chance(0.2) {
				ip = u.HomeIP
			}
			for ; n > 0; n-- {
				s := signIn{at: day + 7*tHour + r.span(11*tHour), u: u,
					app: pick(r, signInApps), ip: ip, country: "GB",
					city: "London", device: devOf[u], agent: userAgent}
				if r.chance(0.03) {
					s.errorCode = 50126 // wrong password
				} else if r.chance(0.03) {
					s.errorCode = 50074 // MFA required
				}
				emitSignIn(b, r, s)
			}
		}
	}
	moreSignIns(g, b)
	g.atk.signIns(b, r)
	return b.table()
}

func emitSignIn(b *builder, r *rng, s signIn) {
	c := b.col
	b.time(c("Timestamp"), s.at)
	b.str(c("Application"), s.app.name)
	b.str(c("ApplicationId"), s.app.id)
	b.str(c("LogonType"), `["interactiveUser"]`)
	b.long(c("ErrorCode"), s.errorCode)
	b.str(c("CorrelationId"), r.guid())
	b.str(c("SessionId"), r.guid())
	b.str(c("AccountDisplayName"), s.u.DisplayName)
	b.str(c("AccountObjectId"), s.u.ObjectID)
	b.str(c("AccountUpn"), s.u.UPN)
	b.long(c("IsExternalUser"), boolInt(s.guest))
	b.boolean(c("IsGuestUser"), s.guest)
	b.time(c("LastPasswordChangeTimestamp"), passwordChanged(s.u, s.at))
	b.str(c("ResourceDisplayName"), s.app.resource)
	b.str(c("ResourceId"), s.app.id)
	b.str(c("ResourceTenantId"), tenantID)
	if d := s.device; d != nil {
		b.str(c("DeviceName"), d.Short())
		b.str(c("AadDeviceId"), d.AADID)
		b.str(c("EntraIdDeviceId"), d.AADID)
		b.str(c("OSPlatform"), "Windows10")
		b.str(c("DeviceTrustType"), "Hybrid Azure AD joined")
		b.long(c("IsManaged"), 1)
		b.long(c("IsCompliant"), 1)
	} else {
		b.str(c("OSPlatform"), "Linux")
		b.long(c("IsManaged"), 0)
		b.long(c("IsCompliant"), 0)
	}
	auth := "singleFactorAuthentication"
	if s.errorCode == 50074 || s.device == nil {
		auth = "multiFactorAuthentication"
	}
	b.str(c("AuthenticationRequirement"), auth)
	b.long(c("TokenIssuerType"), 0)
	b.long(c("RiskLevelAggregated"), s.risk)
	b.long(c("RiskDetails"), 0)
	b.long(c("RiskState"), 0)
	b.str(c("UserAgent"), s.agent)
	client := s.client
	if client == "" {
		client = "Browser"
	}
	b.str(c("ClientAppUsed"), client)
	b.str(c("Browser"), "Edge 131.0.0")
	b.long(c("ConditionalAccessStatus"), boolInt(s.caFailed))
	b.str(c("ConditionalAccessPolicies"), caPolicies(s.caFailed))
	b.str(c("IPAddress"), s.ip)
	b.str(c("Country"), s.country)
	b.str(c("City"), s.city)
	if s.country == "GB" {
		b.str(c("State"), "England")
		b.str(c("Latitude"), "51.50853")
		b.str(c("Longitude"), "-0.12574")
	} else {
		b.str(c("State"), "Noord-Holland")
		b.str(c("Latitude"), "52.37403")
		b.str(c("Longitude"), "4.88969")
	}
	b.str(c("RequestId"), r.guid())
	b.str(c("ReportId"), r.guid())
	b.end()
}

// signIns writes the attacker's sign-in to the victim's account with the
// password the phishing page took: first a failed try, then a success
// from an unmanaged device abroad.
func (a *Attack) signIns(b *builder, r *rng) {
	t := attackDays(a.g.to)[0] + 16*tHour + 39*tMinute
	s := signIn{at: t, u: a.Victim, app: signInApps[2], errorCode: 50126,
		ip: a.AttackerIP, country: "NL", city: "Amsterdam", risk: 50,
		agent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
	emitSignIn(b, r, s)
	s.at, s.errorCode = t+tMinute, 0
	emitSignIn(b, r, s)
}
