package sample

import (
	"fmt"

	"github.com/ahunt/ahunt/kql/table"
)

// cloudApp is a Microsoft 365 workload as CloudAppEvents names it.
type cloudApp struct {
	name     string
	id       int64
	workload string
	actions  []cloudAction
}

type cloudAction struct{ action, activity, objectType string }

var cloudApps = []cloudApp{
	{"Microsoft Exchange Online", 20893, "Exchange", []cloudAction{
		{"MailItemsAccessed", "Basic", "Message"},
		{"Send", "Basic", "Message"},
		{"MoveToDeletedItems", "Delete", "Message"},
	}},
	{"Microsoft SharePoint Online", 20892, "SharePoint", []cloudAction{
		{"FileAccessed", "Basic", "File"},
		{"FileModified", "Edit", "File"},
		{"FileDownloaded", "Download", "File"},
		{"FileUploaded", "Upload", "File"},
	}},
	{"Microsoft OneDrive for Business", 15600, "OneDrive", []cloudAction{
		{"FileAccessed", "Basic", "File"},
		{"FileModified", "Edit", "File"},
		{"FileSyncUploadedFull", "Upload", "File"},
	}},
	{"Microsoft Teams", 11394, "MicrosoftTeams", []cloudAction{
		{"MessageSent", "Basic", "Message"},
		{"ChatCreated", "Create", "Chat"},
		{"ReactedToMessage", "Basic", "Message"},
		{"MeetingParticipantDetail", "Basic", "Meeting"},
	}},
	{"Microsoft 365", 11161, "AzureActiveDirectory", []cloudAction{
		{"UserLoggedIn", "Login", "User"},
	}},
}

const userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"

// cloudEvent is one CloudAppEvents row.
type cloudEvent struct {
	at       int64
	app      *cloudApp
	act      cloudAction
	acct     *Account
	ip       string
	country  string
	city     string
	isp      string
	object   string
	raw      string // RawEventData beyond the common keys, or ""
	uncommon bool
	admin    bool
	// impersonated: a delegate acted in another user's mailbox
	impersonated bool
}

func genCloudAppEvents(g *gen) *table.Table {
	b := newBuilder("CloudAppEvents", 1<<16, g.from, g.to)
	r := newRNG(g.seed, "CloudAppEvents")
	for _, u := range g.f.users[:int(float64(len(g.f.users))*min(g.scale, 1))] {
		for day := dayStart(g.from); day < g.to; day += tDay {
			n := r.between(10, 22)
			if isWeekend(day) {
				n = r.between(0, 2)
			}
			ip, isp := officeIP, officeISP
			if r.chance(0.2) {
				ip, isp = u.HomeIP, homeISP
			}
			for ; n > 0; n-- {
				app := &cloudApps[r.intn(len(cloudApps))]
				ev := cloudEvent{
					at: day + 7*tHour + r.span(11*tHour), app: app,
					act: pick(r, app.actions), acct: u, ip: ip,
					country: "GB", city: "London", isp: isp,
					object: pick(r, documents)}
				if ev.act.action == "MailItemsAccessed" {
					ev.raw = mailAccessRaw(r)
				}
				emitCloud(b, r, ev)
			}
		}
	}
	directoryChanges(g, b, r)
	adminChanges(g, b, newRNG(g.seed, "CloudAppEvents/admin"))
	delegation(g, b, newRNG(g.seed, "CloudAppEvents/delegation"))
	g.atk.cloudEvents(b, r)
	g.atk.response(b, r)
	return b.table()
}

var (
	entraApp = cloudApp{"Office 365", 11161, "AzureActiveDirectory",
		[]cloudAction{
			{"Add member to group.", "Edit", "Group"},
			{"Update user.", "Edit", "User"},
			{"Reset user password.", "Edit", "User"},
		}}
	defenderApp = cloudApp{"Microsoft 365 Defender", 61533,
		"MicrosoftDefenderForEndpoint", nil}
)

// directoryChanges writes the IT team's changes to Entra ID users and
// groups, a few a week.
func directoryChanges(g *gen, b *builder, r *rng) {
	for t := g.from + r.span(tDay); t < g.to; t += tDay + r.span(2*tDay) {
		if isWeekend(t) {
			continue
		}
		u := pick(r, g.f.users)
		emitCloud(b, r, cloudEvent{at: dayStart(t) + 9*tHour +
			r.span(8*tHour), app: &entraApp, act: pick(r, entraApp.actions),
			acct: pick(r, g.f.admins), ip: officeIP, country: "GB",
			city: "London", isp: officeISP, object: u.UPN, admin: true})
	}
}

// response writes the security team's answer on the morning after the
// ransomware: both devices isolated, scanned, the tool collected.
func (a *Attack) response(b *builder, r *rng) {
	t := attackDays(a.g.to)[3] + 9*tHour + 5*tMinute
	adm := a.g.f.admins[0]
	steps := []struct {
		at     int64
		action string
		d      *Device
	}{
		{t, "IsolateDevice", a.FileServer},
		{t + tMinute, "IsolateDevice", a.VictimDevice},
		{t + 5*tMinute, "RunAntiVirusScan", a.FileServer},
		{t + 20*tMinute, "LiveResponseGetFile", a.FileServer},
	}
	for _, s := range steps {
		emitCloud(b, r, cloudEvent{at: s.at, app: &defenderApp,
			act: cloudAction{s.action, "Edit", "Machine"}, acct: adm,
			ip: officeIP, country: "GB", city: "London", isp: officeISP,
			object: s.d.Name, admin: true,
			raw: `,"DeviceName":"` + s.d.Name + `","DeviceId":"` + s.d.ID + `"`})
	}
}

func emitCloud(b *builder, r *rng, e cloudEvent) {
	c := b.col
	b.time(c("Timestamp"), e.at)
	b.str(c("ActionType"), e.act.action)
	b.str(c("Application"), e.app.name)
	b.long(c("ApplicationId"), e.app.id)
	b.long(c("AppInstanceId"), 0)
	b.str(c("AccountObjectId"), e.acct.ObjectID)
	b.str(c("AccountId"), e.acct.ObjectID)
	b.str(c("AccountDisplayName"), e.acct.DisplayName)
	b.boolean(c("IsAdminOperation"), e.admin)
	b.str(c("DeviceType"), "Desktop")
	b.str(c("OSPlatform"), "Windows")
	b.str(c("IPAddress"), e.ip)
	b.boolean(c("IsAnonymousProxy"), false)
	b.str(c("CountryCode"), e.country)
	b.str(c("City"), e.city)
	b.str(c("Isp"), e.isp)
	b.str(c("UserAgent"), userAgent)
	b.str(c("ActivityType"), e.act.activity)
	b.str(c("ActivityObjects"), fmt.Sprintf(`[{"Type":"%s","Name":%s}]`,
		e.act.objectType, jsonString(e.object)))
	b.str(c("ObjectName"), e.object)
	b.str(c("ObjectType"), e.act.objectType)
	b.str(c("ReportId"), r.guid())
	b.str(c("AccountType"), "Regular")
	b.boolean(c("IsExternalUser"), false)
	b.boolean(c("IsImpersonated"), e.impersonated)
	b.str(c("IPTags"), "[]")
	b.str(c("UserAgentTags"), "[]")
	raw := fmt.Sprintf(`{"Operation":"%s","Workload":"%s","UserId":"%s","ClientIP":"%s"%s}`,
		e.act.action, e.app.workload, e.acct.UPN, e.ip, e.raw)
	b.str(c("RawEventData"), raw)
	b.str(c("AdditionalFields"), "{}")
	if e.uncommon {
		b.str(c("UncommonForUser"), `["ISP","CountryCode","IPAddress"]`)
		b.str(c("LastSeenForUser"), `{"ISP":-1,"CountryCode":-1,"IPAddress":-1}`)
	} else {
		b.str(c("UncommonForUser"), "[]")
		b.str(c("LastSeenForUser"), "{}")
	}
	b.str(c("AuditSource"), "")
	b.end()
}

// cloudEvents writes the attacker's use of the phished password: a
// sign-in from abroad, a read of the mailbox and a rule that hides
// replies about invoices.
func (a *Attack) cloudEvents(b *builder, r *rng) {
	t := attackDays(a.g.to)[0] + 16*tHour + 40*tMinute
	exo, m365 := &cloudApps[0], &cloudApps[4]
	ev := cloudEvent{app: m365, act: m365.actions[0], acct: a.Victim,
		ip: a.AttackerIP, country: "NL", city: "Amsterdam",
		isp: "Stark Industries Solutions Ltd", object: a.Victim.UPN,
		uncommon: true}
	ev.at = t
	emitCloud(b, r, ev)
	ev.app, ev.act = exo, exo.actions[0]
	for i := int64(0); i < 3; i++ {
		ev.at = t + (4+i)*tMinute
		ev.object = "Inbox"
		emitCloud(b, r, ev)
	}
	ev.at = t + 12*tMinute
	ev.act = cloudAction{"New-InboxRule", "Create", "Inbox rule"}
	ev.object = a.InboxRule
	ev.raw = `,"Parameters":[{"Name":"Name","Value":".."},` +
		`{"Name":"SubjectOrBodyContainsWords","Value":"invoice;payment;transfer"},` +
		`{"Name":"MoveToFolder","Value":"RSS Feeds"},` +
		`{"Name":"MarkAsRead","Value":"True"},` +
		`{"Name":"StopProcessingRules","Value":"True"}]`
	emitCloud(b, r, ev)
}
