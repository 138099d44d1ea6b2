package sample

// The applications beyond Microsoft 365 that the IT team and partners
// sign in to.
var (
	azurePortal = signInApp{"Azure Portal",
		"c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
		"Windows Azure Service Management API"}
	azurePowerShell = signInApp{"Microsoft Azure PowerShell",
		"1950a258-227b-4e31-a9cf-717495945fc2",
		"Windows Azure Service Management API"}
	guestApps = []signInApp{signInApps[1], signInApps[3],
		{"Microsoft Invitation Acceptance Portal",
			"4660504c-45b3-4674-a709-71951a6b0763",
			"Microsoft Graph"},
		{"Power BI Service", "871c010f-5e61-4fb1-83ac-98610a7e9110",
			"Power BI Service"},
		{"Dynamics CRM Online", "00000007-0000-0000-c000-000000000000",
			"Dynamics CRM Online"}}
)

// guests are the partner staff invited into the tenant's Teams and
// SharePoint sites.
var guests = []*Account{
	guest("Priya Raman", "priya.raman", "fabrikam.com", 1),
	guest("Tom Becker", "tom.becker", "fabrikam.com", 2),
	guest("Ana Souza", "ana.souza", "northwind.com", 3),
}

// guest returns an external account invited into the tenant.
func guest(display, name, domain string, n int) *Account {
	upn := name + "_" + domain + "#EXT#@" + Domain
	return &Account{Name: name, UPN: upn, DisplayName: display,
		ObjectID: nameGUID(0, upn), HomeIP: publicIP(9000 + n)}
}

// moreSignIns writes the sign-ins beside the staff's daily ones: the
// admins in the Azure portal and PowerShell, the phones that still use
// Exchange ActiveSync, and partner guests, some of whom conditional
// access turns away from apps they are not meant to use.
func moreSignIns(g *gen, b *builder) {
	r := newRNG(g.seed, "AADSignInEventsBeta/more")
	var phones []*Account
	for _, u := range g.f.users {
		if keyNumber(u.ObjectID+"/eas", 0, 15) == 0 {
			phones = append(phones, u)
		}
	}
	for day := dayStart(g.from); day < g.to; day += tDay {
		if isWeekend(day) {
			continue
		}
		at := func() int64 { return day + 8*tHour + r.span(9*tHour) }
		for _, a := range g.f.admins {
			app := azurePortal
			if r.chance(0.3) {
				app = azurePowerShell
			}
			emitSignIn(b, r, signIn{at: at(), u: a, app: app, ip: officeIP,
				country: "GB", city: "London", agent: userAgent,
				client: "Mobile Apps and Desktop clients"})
		}
		for _, u := range phones {
			emitSignIn(b, r, signIn{at: at(), u: u, app: signInApps[0],
				ip: u.HomeIP, country: "GB", city: "London",
				agent: "Apple-iPhone15C2/2104.51", client: "Exchange ActiveSync"})
		}
		for _, u := range guests {
			if !r.chance(0.6) {
				continue
			}
			s := signIn{at: at(), u: u, ip: u.HomeIP, country: "GB",
				city: "London", agent: userAgent, guest: true}
			for k := r.between(1, 4); k > 0; k-- {
				s.app = pick(r, guestApps)
				s.errorCode, s.caFailed = 0, false
				if s.app.name == "Power BI Service" ||
					s.app.name == "Dynamics CRM Online" {
					s.errorCode, s.caFailed = 53003, true
				}
				emitSignIn(b, r, s)
				s.at += tMinute + r.span(20*tMinute)
			}
		}
	}
}

// passwordChanged is when u last changed their password before t: every
// account changes it on its own 90-day cycle.
func passwordChanged(u *Account, t int64) int64 {
	cycle := 90 * tDay
	phase := keyNumber(u.ObjectID+"/pwd", 0, 89) * tDay
	return t - (t+phase)%cycle
}

// caPolicies is the ConditionalAccessPolicies of a sign-in.
func caPolicies(failed bool) string {
	result := "success"
	if failed {
		result = "failure"
	}
	return `[{"id":"7c1f9e2a-1d3b-4a6e-9b0c-3f5e8d2a4b61",` +
		`"displayName":"Block guests from line-of-business apps",` +
		`"result":"` + result + `"}]`
}

// boolInt is 1 for true, as the integer flags of sign-in tables.
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
