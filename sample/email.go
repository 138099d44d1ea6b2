package sample

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// mail is one message as it reached one recipient.
type mail struct {
	at         int64
	id         string // NetworkMessageId
	internetID string
	from       string // SenderFromAddress
	display    string
	fromDomain string
	senderIP   string
	to         *Account // nil for outbound mail
	toAddress  string
	subject    string
	direction  string // Inbound, Outbound, Intra-org
	action     string // DeliveryAction
	location   string // DeliveryLocation
	threats    string // ThreatTypes
	detection  string // DetectionMethods
	auth       string // AuthenticationDetails
	bulk       int64
	attach     []attachment
	urls       []string
	click      *click
	zap        bool // removed after delivery
}

type attachment struct {
	name, typ, sha256 string
	size              int64
}

type click struct {
	at     int64
	action string // ClickAllowed, ClickBlocked
}

type sender struct{ addr, display, ip string }

var externalSenders = []sender{
	{"newsletter@news.linkedin.com", "LinkedIn", "108.174.3.20"},
	{"no-reply@zoom.us", "Zoom", "170.114.10.82"},
	{"billing@fabrikam-supplies.com", "Fabrikam Billing", "52.101.68.3"},
	{"orders@northwind-traders.com", "Northwind Orders", "40.107.22.114"},
	{"events@woodgrovebank.com", "Woodgrove Bank", "198.2.180.14"},
	{"support@github.com", "GitHub", "192.30.252.201"},
	{"team@adatum-consulting.com", "Adatum Consulting", "40.107.8.92"},
	{"hr@litware-recruiting.com", "Litware Recruiting", "52.101.73.40"},
}

var spamSenders = []sender{
	{"promo@deals-unlimited.biz", "Deals Unlimited", "91.215.85.12"},
	{"winner@lottery-claims.info", "Prize Department", "45.95.147.8"},
	{"security@rnicrosoft-support.com", "Microsoft Account Team",
		"194.26.29.113"},
}

var subjects = []string{
	"Weekly update", "Re: Project timeline", "Invoice attached",
	"Meeting notes", "Your order has shipped", "Action required: review",
	"Re: Budget question", "Quarterly results", "Lunch on Friday?",
	"Contract renewal", "Updated proposal", "Training reminder",
}

const authPass = `{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}`

// planMail decides every message of the month once, so the five mail
// tables, built in parallel, agree with each other.
func (g *gen) planMail() {
	r := newRNG(g.seed, "mail")
	for day := dayStart(g.from); day < g.to; day += tDay {
		perUser := 12
		if isWeekend(day) {
			perUser = 2
		}
		for _, u := range g.f.users[:int(float64(len(g.f.users))*min(g.scale, 1))] {
			for k := r.between(perUser/2, perUser+perUser/2); k > 0; k-- {
				at := day + 7*tHour + r.span(11*tHour)
				g.mails = append(g.mails, g.randomMail(r, u, at))
			}
		}
	}
	g.mails = append(g.mails, g.atk.phishMails()...)
}

func (g *gen) randomMail(r *rng, u *Account, at int64) mail {
	m := mail{at: at, id: r.guid(), subject: pick(r, subjects),
		auth: authPass, action: "Delivered", location: "Inbox/folder"}
	switch x := r.intn(100); {
	case x < 45:
		peer := pick(r, g.f.users)
		m.from, m.display, m.senderIP = peer.UPN, peer.DisplayName, "10.10.1.20"
		m.to, m.direction = u, "Intra-org"
	case x < 60:
		s := pick(r, externalSenders)
		m.from, m.display, m.senderIP = u.UPN, u.DisplayName, officeIP
		m.toAddress, m.direction = strings.Replace(s.addr, "no-reply",
			"contact", 1), "Outbound"
	case x < 94:
		s := pick(r, externalSenders)
		m.from, m.display, m.senderIP = s.addr, s.display, s.ip
		m.to, m.direction = u, "Inbound"
		m.bulk = int64(r.intn(5))
	default:
		s := pick(r, spamSenders)
		m.from, m.display, m.senderIP = s.addr, s.display, s.ip
		m.to, m.direction = u, "Inbound"
		m.threats, m.action, m.location = "Spam", "Junked", "Junk folder"
		m.detection = `{"Spam":["Mixed analysis detection"]}`
		m.auth = `{"SPF":"fail","DKIM":"none","DMARC":"fail","CompAuth":"fail"}`
		m.bulk = 7
		if strings.Contains(s.addr, "rnicrosoft") {
			m.threats, m.action, m.location = "Phish", "Blocked", "Quarantine"
			m.detection = `{"Phish":["Impersonation domain"]}`
		}
	}
	m.fromDomain = m.from[strings.IndexByte(m.from, '@')+1:]
	if m.to != nil {
		m.toAddress = m.to.UPN
	}
	m.internetID = fmt.Sprintf("<%s@%s>", strings.ToUpper(m.id[:18]),
		m.fromDomain)
	links := 0
	switch {
	case m.direction == "Inbound" && m.bulk > 0:
		links = r.between(8, 24) // a newsletter
	case r.chance(0.5):
		links = 1
	}
	for ; links > 0; links-- {
		host := pick(r, webSites).host
		m.urls = append(m.urls, hostURL(host, fmt.Sprintf("p/%d",
			r.intn(99999))))
	}
	if len(m.urls) > 0 {
		if m.to != nil && m.direction == "Inbound" && r.chance(0.1) {
			m.click = &click{at: at + r.span(3*tHour), action: "ClickAllowed"}
		}
	}
	if r.chance(0.18) {
		name := pick(r, downloads).name
		m.attach = []attachment{{name: name, typ: name[strings.LastIndexByte(name, '.')+1:],
			sha256: fileHashes(name).SHA256, size: keyNumber(name, 20_000, 3_000_000)}}
	}
	return m
}

// phishMails are the planted phishing message's copies, one per
// recipient.
func (a *Attack) phishMails() []mail {
	t := attackDays(a.g.to)[0] + 9*tHour + 41*tMinute + 17*tSecond
	var out []mail
	for i, u := range a.Recipients {
		m := mail{at: t + int64(i)*tSecond, id: a.PhishMessageID,
			internetID: "<" + table.TicksToTime(t).Format("20060102150405") +
				".7A1F2C@contoso-billing.net>",
			from: a.PhishSender, display: "Contoso Accounts Payable",
			fromDomain: a.PhishDomain, senderIP: "185.225.73.40", to: u,
			toAddress: u.UPN, subject: a.PhishSubject, direction: "Inbound",
			action: "Delivered", location: "Inbox/folder",
			auth: `{"SPF":"pass","DKIM":"none","DMARC":"none","CompAuth":"softpass"}`,
			urls: []string{a.PhishURL}, zap: true,
			attach: []attachment{{name: a.Attachment, typ: "docm",
				sha256: a.AttachmentSHA256, size: 48_213}}}
		switch u {
		case a.Victim:
			m.click = &click{at: attackDays(a.g.to)[0] + 10*tHour +
				2*tMinute + 44*tSecond, action: "ClickAllowed"}
		case a.Clicker:
			m.click = &click{at: attackDays(a.g.to)[0] + 12*tHour +
				15*tMinute, action: "ClickBlocked"}
		}
		out = append(out, m)
	}
	return out
}

func genEmailEvents(g *gen) *table.Table {
	b := newBuilder("EmailEvents", len(g.mails), g.from, g.to)
	c := b.col
	for _, m := range g.mails {
		b.time(c("Timestamp"), m.at)
		b.str(c("NetworkMessageId"), m.id)
		b.str(c("InternetMessageId"), m.internetID)
		b.str(c("SenderMailFromAddress"), m.from)
		b.str(c("SenderFromAddress"), m.from)
		b.str(c("SenderDisplayName"), m.display)
		b.str(c("SenderMailFromDomain"), m.fromDomain)
		b.str(c("SenderFromDomain"), m.fromDomain)
		b.str(c("SenderIPv4"), m.senderIP)
		b.str(c("RecipientEmailAddress"), m.toAddress)
		if m.to != nil {
			b.str(c("RecipientObjectId"), m.to.ObjectID)
		}
		b.str(c("Subject"), m.subject)
		b.long(c("EmailClusterId"), keyNumber(m.subject+m.from, 1e9, 9e9))
		b.str(c("EmailDirection"), m.direction)
		b.str(c("DeliveryAction"), m.action)
		b.str(c("DeliveryLocation"), m.location)
		b.str(c("ThreatTypes"), m.threats)
		b.str(c("DetectionMethods"), m.detection)
		b.str(c("ConfidenceLevel"), confidence(m))
		b.long(c("BulkComplaintLevel"), m.bulk)
		b.str(c("AuthenticationDetails"), m.auth)
		b.long(c("AttachmentCount"), int64(len(m.attach)))
		b.long(c("UrlCount"), int64(len(m.urls)))
		b.str(c("EmailLanguage"), "en")
		b.str(c("Connectors"), "")
		b.str(c("ReportId"), m.id+"-"+itoa(m.at%1e6))
		b.str(c("AdditionalFields"), "{}")
		latest, latestAction := m.location, m.action
		if m.zap {
			latest, latestAction = "Quarantine", "Blocked"
		}
		b.str(c("LatestDeliveryLocation"), latest)
		b.str(c("LatestDeliveryAction"), latestAction)
		b.end()
	}
	return b.table()
}

func confidence(m mail) string {
	switch m.threats {
	case "Spam":
		return `{"Spam":"High"}`
	case "Phish":
		return `{"Phish":"High"}`
	}
	return ""
}

func genEmailAttachmentInfo(g *gen) *table.Table {
	b := newBuilder("EmailAttachmentInfo", len(g.mails)/4, g.from, g.to)
	c := b.col
	for _, m := range g.mails {
		for _, at := range m.attach {
			b.time(c("Timestamp"), m.at)
			b.str(c("NetworkMessageId"), m.id)
			b.str(c("SenderFromAddress"), m.from)
			b.str(c("SenderDisplayName"), m.display)
			b.str(c("RecipientEmailAddress"), m.toAddress)
			if m.to != nil {
				b.str(c("RecipientObjectId"), m.to.ObjectID)
			}
			b.str(c("FileName"), at.name)
			b.str(c("FileType"), at.typ)
			b.str(c("SHA256"), at.sha256)
			b.long(c("FileSize"), at.size)
			b.str(c("ReportId"), m.id+"-a")
			b.end()
		}
	}
	return b.table()
}

func genEmailURLInfo(g *gen) *table.Table {
	b := newBuilder("EmailUrlInfo", len(g.mails), g.from, g.to)
	c := b.col
	for _, m := range g.mails {
		for _, u := range m.urls {
			b.time(c("Timestamp"), m.at)
			b.str(c("NetworkMessageId"), m.id)
			b.str(c("Url"), u)
			b.str(c("UrlDomain"), urlDomain(u))
			b.str(c("UrlLocation"), "Body")
			b.str(c("ReportId"), m.id+"-u")
			b.end()
		}
	}
	return b.table()
}

func urlDomain(u string) string {
	u = u[strings.Index(u, "://")+3:]
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return u
}

func genURLClickEvents(g *gen) *table.Table {
	b := newBuilder("UrlClickEvents", 2048, g.from, g.to)
	c := b.col
	for _, m := range g.mails {
		if m.click == nil {
			continue
		}
		b.time(c("Timestamp"), m.click.at)
		b.str(c("Url"), m.urls[0])
		b.str(c("ActionType"), m.click.action)
		b.str(c("AccountUpn"), m.to.UPN)
		b.str(c("Workload"), "Email")
		b.str(c("NetworkMessageId"), m.id)
		b.str(c("IPAddress"), officeIP)
		b.boolean(c("IsClickedThrough"), false)
		b.str(c("UrlChain"), `["`+m.urls[0]+`"]`)
		b.str(c("ReportId"), m.id+"-c")
		if m.click.action == "ClickBlocked" {
			b.str(c("ThreatTypes"), "Phish")
			b.str(c("DetectionMethods"), `["URL detonation reputation"]`)
		}
		b.end()
	}
	return b.table()
}

func genEmailPostDelivery(g *gen) *table.Table {
	b := newBuilder("EmailPostDeliveryEvents", 256, g.from, g.to)
	for _, m := range g.mails {
		if m.zap {
			postDelivery(b, m, m.at+110*tMinute, postAction{
				"Moved to quarantine", "Malware ZAP", "SpecialAction",
				"Quarantine", "Inbox", "Malware, Phish",
				`{"Malware":["File detonation"],"Phish":["URL detonation"]}`})
			continue
		}
		if m.direction != "Inbound" || m.action != "Delivered" {
			continue
		}
		// Verdicts that change after delivery, and the admins releasing
		// what the filters held back.
		switch keyNumber(m.id, 0, 599) {
		case 0, 1:
			postDelivery(b, m, m.at+40*tMinute, postAction{
				"Moved to quarantine", "Phish ZAP", "SpecialAction",
				"Quarantine", "Inbox", "Phish",
				`{"Phish":["URL detonation reputation"]}`})
		case 2:
			postDelivery(b, m, m.at+75*tMinute, postAction{
				"Moved to quarantine", "Malware ZAP", "SpecialAction",
				"Quarantine", "Inbox", "Malware",
				`{"Malware":["File detonation reputation"]}`})
		case 3, 4, 5:
			postDelivery(b, m, m.at+25*tMinute, postAction{
				"Moved to junk folder", "Spam ZAP", "SpecialAction",
				"Junk", "Inbox", "Spam", `{"Spam":["Advanced filter"]}`})
		case 6:
			postDelivery(b, m, m.at+3*tHour, postAction{
				"Quarantine release", "Quarantine Release", "AdminAction",
				"Inbox", "Quarantine", "", ""})
		}
	}
	return b.table()
}

// postAction is what happened to a message after delivery.
type postAction struct {
	action, actionType, trigger, location, source, threats, detection string
}

func postDelivery(b *builder, m mail, at int64, a postAction) {
	c := b.col
	b.time(c("Timestamp"), at)
	b.str(c("NetworkMessageId"), m.id)
	b.str(c("InternetMessageId"), m.internetID)
	b.str(c("Action"), a.action)
	b.str(c("ActionType"), a.actionType)
	b.str(c("ActionTrigger"), a.trigger)
	b.str(c("ActionResult"), "Success")
	b.str(c("RecipientEmailAddress"), m.toAddress)
	b.str(c("DeliveryLocation"), a.location)
	b.str(c("SourceLocation"), a.source)
	b.str(c("ThreatTypes"), a.threats)
	b.str(c("DetectionMethods"), a.detection)
	b.str(c("ReportId"), m.id+"-"+strings.ReplaceAll(a.actionType, " ", ""))
	b.end()
}
