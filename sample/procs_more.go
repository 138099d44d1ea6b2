package sample

import "strconv"

// toolSpecs are the everyday tools of the IT staff, developers and
// logon scripts, beyond the core catalog.
var toolSpecs = []imageSpec{
	osImage("findstr.exe", "Find String (QGREP) Utility"),
	osImage("taskkill.exe", "Terminates Processes"),
	osImage("fsutil.exe", "File System Utility"),
	osImage("cscript.exe", "Microsoft ® Console Based Script Host"),
	osImage("WerFault.exe", "Windows Problem Reporting"),
	osImage("wsmprovhost.exe", "Host process for WinRM plug-ins"),
	{"sshd.exe", `C:\Windows\System32\OpenSSH\`, msCorp,
		"OpenSSH for Windows", "9.5.0.0", "OpenSSH SSH Server", "OsVendor"},
	{"7z.exe", `C:\Program Files\7-Zip\`, "Igor Pavlov", "7-Zip", "24.08",
		"7-Zip Console", "ThirdParty"},
	{"MSBuild.exe", `C:\Program Files\Microsoft Visual Studio\2022\` +
		`Professional\MSBuild\Current\Bin\amd64\`, msCorp,
		"Microsoft® Build Tools®", "17.12.6.51805", "MSBuild.exe",
		"Microsoft"},
	{"csc.exe", `C:\Program Files\Microsoft Visual Studio\2022\` +
		`Professional\MSBuild\Current\Bin\Roslyn\`, msCorp,
		"Microsoft (R) Visual C# Compiler", "4.12.0.0",
		"Microsoft (R) Visual C# Compiler", "Microsoft"},
	{"Bginfo.exe", `C:\Program Files\BGInfo\`, "Sysinternals - " +
		"www.sysinternals.com", "Sysinternals BGInfo", "4.32", "Background " +
		"Information Utility", "Microsoft"},
}

var moreTechCommands = []struct{ name, cmd string }{
	{"findstr.exe", `findstr /si "exception" C:\Temp\logs\*.log`},
	{"taskkill.exe", "taskkill /im Code.exe /f"},
	{"fsutil.exe", "fsutil volume diskfree C:"},
	{"7z.exe", `"C:\Program Files\7-Zip\7z.exe" x C:\Temp\logs.zip ` +
		`-oC:\Temp\logs -y`},
}

// moreTechWork runs the developer's builds and small tools: MSBuild and
// the C# compiler, archive and text utilities.
func (s *sim) moreTechWork(sh int32, u *Account) {
	x, p := s.x, &s.procs[sh]
	t := p.start + tMinute + x.span(15*tMinute)
	if x.chance(0.4) {
		c := pick(x, moreTechCommands)
		s.spawn(sh, c.name, t, 5*tSecond, u, c.cmd)
	}
	if x.chance(0.3) {
		b := s.spawn(sh, "MSBuild.exe", t+tMinute, 40*tSecond, u,
			`"`+s.cat.get("MSBuild.exe").Path+`" Portal.sln `+
				`/p:Configuration=Release /m`)
		s.spawn(b, "csc.exe", t+tMinute+5*tSecond, 8*tSecond, u,
			`"`+s.cat.get("csc.exe").Path+`" /noconfig @"C:\Users\`+
				u.Name+`\AppData\Local\Temp\tmp`+
				strconv.Itoa(x.between(1000, 9999))+`.rsp"`)
	}
}

// printerScript is the logon script some departments still run from
// the domain's SYSVOL share: a VBScript that maps printers.
func (s *sim) printerScript(gp int32, u *Account, ss *session, at int64) {
	if !s.x.chance(0.3) {
		return
	}
	cs := s.spawn(gp, "cscript.exe", at+3*tSecond, 6*tSecond, u,
		`cscript.exe //nologo \\contoso.com\SysVol\contoso.com\scripts\`+
			`Printers.vbs`)
	s.userProc(cs, ss)
}

// crash reports an application that stopped responding, now and then.
func (s *sim) crash(app int32) {
	if !s.x.chance(0.03) {
		return
	}
	p := &s.procs[app]
	at := p.start + s.x.span(max(p.end-p.start, tMinute))
	s.spawn(app, "WerFault.exe", at, 20*tSecond, p.acct,
		`C:\Windows\system32\WerFault.exe -u -p `+
			strconv.FormatInt(p.pid, 10)+` -s `+
			strconv.Itoa(s.x.between(100, 9000)))
}

// remoting is an admin's PowerShell remoting session to a server, and
// BGInfo drawing the server's details on the admin's desktop.
func (s *sim) remoting(ss *session, adm *Account, t int64) {
	if s.x.chance(0.5) {
		s.spawn(ss.explorer, "Bginfo.exe", t+20*tSecond, 5*tSecond, adm,
			`"C:\Program Files\BGInfo\Bginfo.exe" "C:\Program Files\BGInfo\`+
				`server.bgi" /timer:0 /nolicprompt /silent`)
	}
	if s.x.chance(0.3) {
		w := s.spawn(s.svcDcom, "wsmprovhost.exe", t+5*tMinute, 5*tMinute,
			adm, `C:\Windows\system32\wsmprovhost.exe -Embedding`)
		s.spawn(w, "whoami.exe", t+6*tMinute, 2*tSecond, adm,
			`"C:\Windows\system32\whoami.exe" /groups`)
	}
}
