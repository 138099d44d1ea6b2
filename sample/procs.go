package sample

import (
	"fmt"
	"strconv"
)

// procKind says how a process behaves once started: which connections,
// files and registry values the other tables give it.
type procKind uint8

const (
	kindOther procKind = iota
	kindSystem
	kindLsass
	kindServices
	kindSvcNet // svchost -k netsvcs: scheduled tasks, Windows Update
	kindSvcDcom
	kindExplorer
	kindBrowser
	kindOutlook
	kindTeams
	kindOneDrive
	kindOffice
	kindShell // cmd, powershell
	kindDefender
	kindSense
	kindEdgeUpdate
	kindSQL
	kindWeb
	kindBackup
	kindIdentity // the Defender for Identity sensor on a DC
	kindMalware  // the attacker's implant
)

// Integrity levels and token elevations as Defender reports them.
const (
	intSystem = "System"
	intHigh   = "High"
	intMedium = "Medium"
	intLow    = "Low"

	elevDefault = "TokenElevationTypeDefault"
	elevFull    = "TokenElevationTypeFull"
	elevLimited = "TokenElevationTypeLimited"
)

// proc is one process instance on a device. A device's processes form
// trees through parent, which is what fills the InitiatingProcess*
// columns of every device table.
type proc struct {
	img        *image
	cmd        string
	acct       *Account
	integ      string
	elev       string
	pid        int64
	start      int64 // ticks
	end        int64 // ticks; when the process exits
	logonID    int64
	uid        int64
	parent     int32 // index into the device's procs; -1 for none
	session    int32
	kind       procKind
	remoteIP   string // set for processes of a remote desktop session
	remoteFrom string
}

// session is a user's logon on a device, from logon to logoff.
type session struct {
	acct       *Account
	start, end int64
	logonType  string // "Interactive", "RemoteInteractive", ...
	logonID    int64
	remoteIP   string
	remoteFrom string // remote device name
	explorer   int32  // index of the session's explorer.exe
	unlocks    []int64
}

// sim builds the process history of one device over the window.
type sim struct {
	d        *Device
	f        *fleet
	cat      catalog
	r        *rng
	x        *rng // for the tools of procs_more.go
	from, to int64
	procs    []proc
	sessions []session
	nextUID  int64

	// The long-lived processes of the current boot.
	system, services, lsass, winlogon, svcNet, svcDcom, search int32
}

func newSim(f *fleet, cat catalog, d *Device, seed, from, to int64) *sim {
	return &sim{
		d: d, f: f, cat: cat, from: from, to: to,
		r:       newRNG(seed, "procs/"+d.Name),
		x:       newRNG(seed, "procs+/"+d.Name),
		nextUID: keyNumber(d.ID, 1, 9000) * 1_000_000,
	}
}

// spawn starts a process and returns its index.
func (s *sim) spawn(parent int32, name string, at, life int64,
	acct *Account, cmd string) int32 {
	p := proc{
		img: s.cat.get(name), cmd: cmd, acct: acct, pid: s.newPID(),
		start: at, end: at + life, parent: parent, uid: s.nextUID,
		integ: intMedium, elev: elevLimited,
	}
	s.nextUID += int64(s.r.between(1, 40))
	if parent >= 0 {
		pp := &s.procs[parent]
		p.logonID, p.session = pp.logonID, pp.session
		p.integ, p.elev = pp.integ, pp.elev
		p.remoteIP, p.remoteFrom = pp.remoteIP, pp.remoteFrom
		if p.end > pp.end && pp.end > at {
			// A child may outlive its parent, but not the boot.
			p.end = max(p.end, at+tSecond)
		}
	}
	if acct.System {
		p.integ, p.elev, p.session = intSystem, elevDefault, 0
		p.logonID = systemLogonID(acct)
	}
	p.kind = kindOf(name)
	s.procs = append(s.procs, p)
	return int32(len(s.procs) - 1)
}

func systemLogonID(a *Account) int64 {
	switch a.SID {
	case "S-1-5-19":
		return 997
	case "S-1-5-20":
		return 996
	}
	return 999
}

func (s *sim) newPID() int64 { return int64(s.r.between(25, 9000)) * 4 }

var kinds = map[string]procKind{
	"system": kindSystem, "lsass.exe": kindLsass, "services.exe": kindServices,
	"explorer.exe": kindExplorer, "msedge.exe": kindBrowser,
	"chrome.exe": kindBrowser, "outlook.exe": kindOutlook,
	"ms-teams.exe": kindTeams, "onedrive.exe": kindOneDrive,
	"winword.exe": kindOffice, "excel.exe": kindOffice,
	"powerpnt.exe": kindOffice, "cmd.exe": kindShell,
	"powershell.exe": kindShell, "msmpeng.exe": kindDefender,
	"mssense.exe": kindSense, "microsoftedgeupdate.exe": kindEdgeUpdate,
	"sqlservr.exe": kindSQL, "w3wp.exe": kindWeb,
	"robocopy.exe": kindBackup, "microsoft.tri.sensor.exe": kindIdentity,
	"update.exe": kindMalware, "svchelper.exe": kindMalware,
}

func kindOf(name string) procKind {
	return kinds[lower(name)]
}

// boot starts the core of Windows at t and keeps it running for life.
func (s *sim) boot(t, life int64) {
	sys, ls, ns := s.f.system, s.f.localSvc, s.f.netSvc
	s.system = s.spawn(-1, "System", t, life, sys, "")
	s.procs[s.system].pid = 4
	smss := s.spawn(s.system, "smss.exe", t+2*tSecond, life, sys,
		`\SystemRoot\System32\smss.exe`)
	s.spawn(smss, "csrss.exe", t+4*tSecond, life, sys,
		`%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows `+
			`SharedSection=1024,20480,768 Windows=On SubSystemType=Windows`)
	wininit := s.spawn(smss, "wininit.exe", t+4*tSecond, life, sys,
		"wininit.exe")
	s.winlogon = s.spawn(smss, "winlogon.exe", t+5*tSecond, life, sys,
		"winlogon.exe")
	s.services = s.spawn(wininit, "services.exe", t+5*tSecond, life, sys,
		`C:\Windows\system32\services.exe`)
	s.lsass = s.spawn(wininit, "lsass.exe", t+5*tSecond, life, sys,
		"lsass.exe") // as Defender reports it, without a path
	at := t + 7*tSecond
	svc := func(name string, acct *Account, cmd string) int32 {
		at += s.span(3 * tSecond)
		return s.spawn(s.services, name, at, life, acct, cmd)
	}
	s.svcDcom = svc("svchost.exe", sys,
		`C:\Windows\system32\svchost.exe -k DcomLaunch -p`)
	s.procs[s.svcDcom].kind = kindSvcDcom
	svc("svchost.exe", ns, `C:\Windows\system32\svchost.exe -k RPCSS -p`)
	s.svcNet = svc("svchost.exe", sys,
		`C:\Windows\system32\svchost.exe -k netsvcs -p`)
	s.procs[s.svcNet].kind = kindSvcNet
	svc("svchost.exe", ls,
		`C:\Windows\System32\svchost.exe -k LocalServiceNetworkRestricted -p`)
	svc("svchost.exe", ns,
		`C:\Windows\System32\svchost.exe -k NetworkService -p`)
	svc("spoolsv.exe", sys, `C:\Windows\System32\spoolsv.exe`)
	svc("MsMpEng.exe", sys, `"`+s.cat.get("MsMpEng.exe").Path+`"`)
	sense := svc("MsSense.exe", sys,
		`"C:\Program Files\Windows Defender Advanced Threat Protection\MsSense.exe"`)
	s.spawn(sense, "SenseIR.exe", at+tMinute, life, sys,
		`"C:\Program Files\Windows Defender Advanced Threat Protection\SenseIR.exe" "OnlineSenseIR"`)
	s.search = svc("SearchIndexer.exe", sys,
		`C:\Windows\system32\SearchIndexer.exe /Embedding`)
	s.bootRole(svc)
}

// span returns a random duration in [0, d) ticks.
func (s *sim) span(d int64) int64 { return s.r.span(d) }

func (s *sim) bootRole(svc func(string, *Account, string) int32) {
	d := s.d
	if d.Kind != Workstation {
		svc("vmtoolsd.exe", s.f.system,
			`"C:\Program Files\VMware\VMware Tools\vmtoolsd.exe"`)
	}
	switch d.Role {
	case "build": // the Linux build agents reach it over SSH
		svc("sshd.exe", s.f.system, `"`+s.cat.get("sshd.exe").Path+`"`)
	case "dc":
		svc("Microsoft.Tri.Sensor.exe", s.f.localSvc,
			`"`+s.cat.get("Microsoft.Tri.Sensor.exe").Path+`"`)
	case "sql":
		sql := s.f.service("svc-sql")
		svc("sqlservr.exe", sql, `"`+s.cat.get("sqlservr.exe").Path+
			`" -sMSSQLSERVER`)
		svc("SQLAGENT.EXE", sql, `"`+s.cat.get("SQLAGENT.EXE").Path+
			`" -i MSSQLSERVER`)
	case "web":
		iis := svc("svchost.exe", s.f.system,
			`C:\Windows\system32\svchost.exe -k iissvcs`)
		t := s.procs[iis].start + 30*tSecond
		s.spawn(iis, "w3wp.exe", t, s.procs[iis].end-t, s.f.service("svc-web"),
			`c:\windows\system32\inetsrv\w3wp.exe -ap "DefaultAppPool" -v "v4.0" -l "webengine4.dll" -a \\.\pipe\iisipm`+s.r.guid()[:8]+` -h "C:\inetpub\temp\apppools\DefaultAppPool\DefaultAppPool.config" -w "" -m 0`)
	}
}

// run simulates the device over the window.
func (s *sim) run() {
	if s.d.Kind == Workstation {
		s.runWorkstation()
		return
	}
	s.runServer()
}

// dayStart returns midnight UTC of the day holding t.
func dayStart(t int64) int64 { return t - t%tDay }

func weekday(t int64) int {
	// 1970-01-01 was a Thursday.
	return int((t/tDay + 4) % 7)
}

func isWeekend(t int64) bool {
	wd := weekday(t)
	return wd == 0 || wd == 6
}

func (s *sim) runWorkstation() {
	for day := dayStart(s.from); day < s.to; day += tDay {
		weekend := isWeekend(day)
		if weekend && !s.r.chance(0.08) || !weekend && s.r.chance(0.06) {
			continue // a day off
		}
		arrive := day + 7*tHour + 30*tMinute + s.span(90*tMinute)
		leave := day + 16*tHour + 45*tMinute + s.span(100*tMinute)
		if weekend {
			arrive = day + 10*tHour + s.span(3*tHour)
			leave = arrive + tHour + s.span(2*tHour)
		}
		s.boot(arrive-3*tMinute-s.span(2*tMinute), leave-arrive+6*tMinute)
		s.deploy(day, arrive-2*tMinute)
		s.housekeeping(arrive-2*tMinute, leave)
		s.userDay(s.d.User, arrive, leave)
	}
}

func (s *sim) runServer() {
	// Servers were started before the window and restart once, on the
	// monthly patch night.
	patch := dayStart(s.from) + 14*tDay + 3*tHour + s.span(tHour)
	s.boot(s.from-5*tDay-s.span(tDay), patch-s.from+5*tDay)
	s.serverDays(s.from, patch)
	s.boot(patch+5*tMinute, s.to-patch+10*tDay)
	s.serverDays(patch+10*tMinute, s.to)
}

func (s *sim) serverDays(from, to int64) {
	s.housekeeping(from, to)
	for day := dayStart(from); day < to; day += tDay {
		s.nightlyJob(day, from, to)
		if !isWeekend(day) && s.r.chance(0.35) {
			t := day + 9*tHour + s.span(8*tHour)
			if t > from && t+tHour < to {
				s.adminSession(t)
			}
		}
	}
}

// housekeeping runs the scheduled tasks every Windows machine runs.
func (s *sim) housekeeping(from, to int64) {
	sys := s.f.system
	for t := from + s.span(20*tMinute); t < to; t += tHour {
		if s.r.chance(0.35) {
			s.spawn(s.svcNet, "taskhostw.exe", t,
				2*tMinute+s.span(20*tMinute), sys,
				"taskhostw.exe Install $(Arg0)")
		}
		if s.r.chance(0.15) {
			s.spawn(s.svcDcom, "backgroundTaskHost.exe", t+s.span(30*tMinute),
				tMinute, sys, `"C:\Windows\system32\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider`)
		}
		if s.r.chance(0.12) {
			s.spawn(s.search, "SearchProtocolHost.exe", t+s.span(tHour),
				3*tMinute, sys, `"C:\Windows\system32\SearchProtocolHost.exe" Global\UsGthrFltPipeMssGthrPipe1_ Global\UsGthrCtrlFltPipeMssGthrPipe1 1 -2147483646 "Software\Microsoft\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\ProgramData\Microsoft\Search\Data\Temp\usgthrsvc" "DownLevelDaemon"`)
		}
		if s.r.chance(0.08) {
			s.spawn(s.svcDcom, "WmiPrvSE.exe", t+s.span(tHour), 5*tMinute,
				s.f.netSvc, `C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding`)
		}
		if (t/tHour)%8 == 1 {
			s.spawn(s.svcNet, "MpCmdRun.exe", t+s.span(tHour), 2*tMinute,
				sys, `"`+s.cat.get("MpCmdRun.exe").Path+`" SignaturesUpdateService -ScheduleJob -UnmanagedUpdate`)
		}
		if (t/tHour)%8 == 5 && s.d.Kind == Workstation {
			s.spawn(s.svcNet, "MicrosoftEdgeUpdate.exe", t+s.span(tHour),
				tMinute, sys, `"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe" /ua /installsource scheduler`)
		}
		if (t/tHour)%24 == 11 {
			s.spawn(s.svcNet, "CompatTelRunner.exe", t+s.span(tHour),
				8*tMinute, sys, `C:\Windows\system32\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun`)
			s.spawn(s.svcNet, "UsoClient.exe", t+s.span(tHour), tMinute,
				sys, "C:\\Windows\\system32\\usoclient.exe StartScan")
			s.spawn(s.services, "sppsvc.exe", t+s.span(tHour), 3*tMinute,
				s.f.netSvc, `C:\Windows\system32\sppsvc.exe`)
		}
	}
}

// logonSession records a logon and starts its shell.
func (s *sim) logonSession(a *Account, at, end int64, typ, ip,
	from string) *session {
	s.sessions = append(s.sessions, session{
		acct: a, start: at, end: end, logonType: typ,
		logonID:  int64(s.r.between(200_000, 90_000_000)),
		remoteIP: ip, remoteFrom: from,
	})
	ss := &s.sessions[len(s.sessions)-1]
	ui := s.spawn(s.winlogon, "userinit.exe", at+3*tSecond, 10*tSecond, a,
		`C:\Windows\system32\userinit.exe`)
	s.userProc(ui, ss)
	ss.explorer = s.spawn(ui, "explorer.exe", at+5*tSecond,
		end-at-5*tSecond, a, `C:\Windows\Explorer.EXE`)
	s.userProc(ss.explorer, ss)
	return ss
}

// userProc moves a process started by winlogon into the user's session.
func (s *sim) userProc(i int32, ss *session) {
	p := &s.procs[i]
	p.logonID, p.session = ss.logonID, 1
	p.integ, p.elev = intMedium, elevLimited
	if ss.logonType == "RemoteInteractive" {
		p.session = 2
		p.integ, p.elev = intHigh, elevFull
		p.remoteIP, p.remoteFrom = ss.remoteIP, ss.remoteFrom
	}
}

func (s *sim) userDay(u *Account, arrive, leave int64) {
	ss := s.logonSession(u, arrive, leave, "Interactive", "", "")
	ex := ss.explorer
	s.logonScript(u, ss, arrive+8*tSecond)
	for t := arrive + tHour + s.span(2*tHour); t < leave; t += tHour +
		s.span(2*tHour) {
		ss.unlocks = append(ss.unlocks, t)
	}
	life := leave - arrive
	browser := "msedge.exe"
	if u.SID[len(u.SID)-1]%3 == 0 {
		browser = "chrome.exe"
	}
	s.spawn(ex, "OneDrive.exe", arrive+20*tSecond, life, u,
		`"C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background`)
	teams := s.spawn(ex, "ms-teams.exe", arrive+30*tSecond, life, u,
		`"ms-teams.exe"`)
	s.spawn(teams, "msedgewebview2.exe", arrive+40*tSecond, life, u,
		`"`+s.cat.get("msedgewebview2.exe").Path+`" --embedded-browser-webview=1 --webview-exe-name=ms-teams.exe --user-data-dir="C:\Users\`+u.Name+`\AppData\Local\Packages\MSTeams_8wekyb3d8bbwe\LocalCache\Microsoft\MSTeams\EBWebView"`)
	s.spawn(ex, "OUTLOOK.EXE", arrive+2*tMinute+s.span(3*tMinute), life, u,
		`"C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE" `)
	for n := s.r.between(1, 3); n > 0; n-- {
		t := arrive + 3*tMinute + s.span(life/2)
		s.browse(ex, browser, u, t, leave)
	}
	s.officeWork(ex, u, arrive, leave)
	if u.Department == "IT" || u.Department == "Engineering" {
		s.techWork(ex, u, arrive, leave)
	}
}

func (s *sim) browse(parent int32, browser string, u *Account,
	t, leave int64) {
	path := s.cat.get(browser).Path
	b := s.spawn(parent, browser, t, leave-t, u, `"`+path+`" `)
	for i := s.r.between(0, 2); i > 0; i-- {
		s.spawn(b, browser, t+s.span(tMinute), leave-t-tMinute, u,
			`"`+path+`" --type=renderer --renderer-client-id=`+
				strconv.Itoa(s.r.between(5, 40))+` /prefetch:1`)
	}
}

var documents = []string{
	"Q3 Forecast.xlsx", "Board Update.pptx", "Project Plan.docx",
	"Meeting Notes.docx", "Budget 2027.xlsx", "Customer List.xlsx",
	"Contract Draft.docx", "Onboarding Checklist.docx",
	"Sales Pipeline.xlsx", "Team Offsite.pptx", "FX Rates.xlsm",
}

func (s *sim) officeWork(ex int32, u *Account, arrive, leave int64) {
	for n := s.r.between(1, 5); n > 0; n-- {
		doc := pick(s.r, documents)
		app := officeApp(doc)
		t := arrive + 10*tMinute + s.span(leave-arrive-20*tMinute)
		cmd := `"C:\Program Files\Microsoft Office\Root\Office16\` + app +
			`" /n "C:\Users\` + u.Name + `\OneDrive - Contoso\Documents\` +
			doc + `" /o ""`
		s.crash(s.spawn(ex, app, t, 10*tMinute+s.span(2*tHour), u, cmd))
	}
	if s.r.chance(0.3) {
		t := arrive + tMinute + s.span(leave-arrive-tMinute)
		s.spawn(ex, "AcroRd32.exe", t, 15*tMinute, u,
			`"C:\Program Files (x86)\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe" "C:\Users\`+
				u.Name+`\Downloads\statement-`+strconv.Itoa(s.r.between(100, 999))+`.pdf"`)
	}
	if s.r.chance(0.25) {
		t := arrive + tMinute + s.span(leave-arrive-tMinute)
		s.spawn(ex, "notepad.exe", t, 20*tMinute, u,
			`"C:\Windows\system32\NOTEPAD.EXE" C:\Users\`+u.Name+
				`\Desktop\todo.txt`)
	}
}

func officeApp(doc string) string {
	switch doc[len(doc)-4:] {
	case "xlsx", "xlsm":
		return "EXCEL.EXE"
	case "pptx":
		return "POWERPNT.EXE"
	}
	return "WINWORD.EXE"
}

var techCommands = []struct{ name, cmd string }{
	{"ipconfig.exe", "ipconfig /all"},
	{"ipconfig.exe", "ipconfig /flushdns"},
	{"ping.exe", "ping srv-file01.contoso.com"},
	{"whoami.exe", "whoami"},
	{"net.exe", `net use Z: \\srv-file01\Engineering`},
	{"tasklist.exe", "tasklist /v"},
	{"gpupdate.exe", "gpupdate /force"},
	{"git.exe", "git pull --rebase"},
	{"git.exe", "git status"},
	{"dotnet.exe", "dotnet build -c Release"},
}

func (s *sim) techWork(ex int32, u *Account, arrive, leave int64) {
	if s.r.chance(0.5) {
		t := arrive + tMinute + s.span(leave-arrive-tMinute)
		s.spawn(ex, "Code.exe", t, leave-t, u,
			`"C:\Program Files\Microsoft VS Code\Code.exe"`)
	}
	for n := s.r.between(0, 3); n > 0; n-- {
		t := arrive + tMinute + s.span(leave-arrive-30*tMinute)
		shell, cmd := "cmd.exe", `"C:\Windows\system32\cmd.exe" `
		if s.r.chance(0.5) {
			shell = "powershell.exe"
			cmd = `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" `
		}
		sh := s.spawn(ex, shell, t, 25*tMinute, u, cmd)
		s.spawn(sh, "conhost.exe", t+tSecond/2, 25*tMinute, u,
			`\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1`)
		for k := s.r.between(1, 4); k > 0; k-- {
			c := pick(s.r, techCommands)
			s.spawn(sh, c.name, t+tMinute+s.span(20*tMinute), 5*tSecond,
				u, c.cmd)
		}
		s.moreTechWork(sh, u)
	}
}

// adminSession is an IT admin's remote desktop visit to a server from
// the management jump host.
func (s *sim) adminSession(t int64) {
	adm := pick(s.r, s.f.admins)
	jump := s.f.byRole["mgmt"]
	if jump == s.d {
		jump = s.f.ws[int(adm.SID[len(adm.SID)-1])%len(s.f.ws)]
	}
	end := t + 15*tMinute + s.span(45*tMinute)
	ss := s.logonSession(adm, t, end, "RemoteInteractive", jump.IP,
		jump.Short())
	s.spawn(s.svcNet, "rdpclip.exe", t+8*tSecond, end-t, adm, "rdpclip")
	s.userProc(int32(len(s.procs)-1), ss)
	tool := "mmc.exe"
	cmd := `"C:\Windows\system32\mmc.exe" "C:\Windows\system32\services.msc"`
	if s.d.Kind == DomainController {
		cmd = `"C:\Windows\system32\mmc.exe" "C:\Windows\system32\dsa.msc"`
	}
	s.spawn(ss.explorer, tool, t+tMinute, 10*tMinute, adm, cmd)
	s.remoting(ss, adm, t)
	sh := s.spawn(ss.explorer, "powershell.exe", t+2*tMinute+s.span(5*tMinute),
		10*tMinute, adm,
		`"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" `)
	for k := s.r.between(1, 3); k > 0; k-- {
		c := pick(s.r, adminCommands)
		s.spawn(sh, c.name, s.procs[sh].start+tMinute+s.span(8*tMinute),
			3*tSecond, adm, c.cmd)
	}
}

var adminCommands = []struct{ name, cmd string }{
	{"net.exe", "net user /domain"},
	{"net.exe", `net group "Domain Admins" /domain`},
	{"net.exe", `net localgroup "Remote Desktop Users"`},
	{"netsh.exe", "netsh advfirewall firewall show rule name=all"},
	{"netsh.exe", `netsh advfirewall firewall add rule name="Monitoring agent" dir=in action=allow protocol=TCP localport=9182`},
	{"schtasks.exe", "schtasks /query /fo LIST /v"},
	{"WMIC.exe", "wmic qfe list brief"},
	{"PsExec64.exe", `PsExec64.exe \\srv-app01 -accepteula -s cmd /c "ipconfig /flushdns"`},
	{"net.exe", "net localgroup administrators"},
	{"net.exe", "net session"},
	{"net.exe", "net share"},
	{"ipconfig.exe", "ipconfig /all"},
	{"whoami.exe", "whoami /groups"},
	{"tasklist.exe", "tasklist /svc"},
	{"gpupdate.exe", "gpupdate /target:computer"},
	{"wevtutil.exe", "wevtutil qe System /c:20 /rd:true /f:text"},
}

// nightlyJob runs the server's scheduled maintenance for day.
func (s *sim) nightlyJob(day, from, to int64) {
	t := day + tHour + 30*tMinute + s.span(10*tMinute)
	if t < from || t+tHour > to {
		return
	}
	switch s.d.Role {
	case "backup", "file":
		acct := s.f.service("svc-backup")
		ps := s.spawn(s.svcNet, "powershell.exe", t, 40*tMinute, acct,
			`"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File D:\Scripts\Nightly-Backup.ps1`)
		s.procs[ps].integ, s.procs[ps].elev = intHigh, elevDefault
		for i, share := range []string{"Finance", "HR", "Engineering"} {
			s.spawn(ps, "robocopy.exe", t+int64(i)*10*tMinute+tMinute,
				9*tMinute, acct, fmt.Sprintf(
					`"C:\Windows\system32\Robocopy.exe" \\srv-file01\%s D:\Backup\%s /MIR /R:2 /W:5 /NP /LOG+:D:\Backup\Logs\%s.log`,
					share, share, share))
		}
	case "dc":
		ps := s.spawn(s.svcNet, "powershell.exe", t+30*tMinute, 3*tMinute,
			s.f.system, `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -File C:\Scripts\Export-ADHealth.ps1`)
		s.spawn(ps, "repadmin.exe", t+31*tMinute, 20*tSecond, s.f.system,
			`"C:\Windows\system32\repadmin.exe" /replsummary`)
		s.spawn(ps, "dcdiag.exe", t+32*tMinute, 40*tSecond, s.f.system,
			`"C:\Windows\system32\dcdiag.exe" /q`)
	case "sql":
		s.spawn(s.services, "sqlcmd.exe", t-tHour, 6*tMinute,
			s.f.service("svc-sql"), `sqlcmd.exe -S localhost -E -Q "EXEC dbo.NightlyBackup @Path = N'D:\SQLBackup'"`)
	case "build":
		s.spawn(s.svcNet, "git.exe", t+tHour, tMinute, s.f.service("svc-scan"),
			`"C:\Program Files\Git\cmd\git.exe" fetch --all --prune`)
	}
}

// logonScript runs the domain's Group Policy logon script, which maps
// the user's drives: a PowerShell run with the execution policy
// bypassed, as many real logon scripts are.
func (s *sim) logonScript(u *Account, ss *session, at int64) {
	gp := s.spawn(s.svcNet, "gpscript.exe", at, 20*tSecond, u,
		"gpscript.exe /Logon")
	s.userProc(gp, ss)
	s.printerScript(gp, u, ss, at)
	ps := s.spawn(gp, "powershell.exe", at+2*tSecond, 10*tSecond, u,
		`powershell.exe -ExecutionPolicy Bypass -NoProfile -WindowStyle Hidden -File \\contoso.com\SysVol\contoso.com\scripts\MapDrives.ps1`)
	s.userProc(ps, ss)
}

// zoomProduct is the product code of the package IT deploys.
const zoomProduct = "{3E1F4A9B-7C2D-4E8F-9A1B-2C3D4E5F6A7B}"

// deploy installs the month's software package at boot, on the day
// Group Policy reaches the workstation.
func (s *sim) deploy(day, at int64) {
	if (day-dayStart(s.from))/tDay != 3+keyNumber(s.d.ID, 0, 15) {
		return
	}
	s.spawn(s.svcNet, "msiexec.exe", at, 2*tMinute, s.f.system,
		`"C:\Windows\system32\msiexec.exe" /i "\\srv-file01\Deploy\ZoomInstallerFull.msi" /qn ALLUSERS=1`)
}
