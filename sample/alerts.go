package sample

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// The products that raise alerts, as ServiceSource names them.
const (
	srcMDE  = "Microsoft Defender for Endpoint"
	srcMDO  = "Microsoft Defender for Office 365"
	srcMDI  = "Microsoft Defender for Identity"
	srcMDCA = "Microsoft Defender for Cloud Apps"
)

// raiseAlerts writes the alerts the products raise on the planted
// intrusion, each with evidence that joins back to the device tables.
func (a *Attack) raiseAlerts(days [4]int64) {
	a.initialAccessAlerts(days[0])
	a.credentialAlerts(days[1])
	a.impactAlerts(days[2], days[3])
	sort.SliceStable(a.Alerts, func(i, j int) bool {
		return a.Alerts[i].Time.Before(a.Alerts[j].Time)
	})
}

func machineEvidence(d *Device) Evidence {
	return Evidence{EntityType: "Machine", Role: "Impacted", Device: d}
}

func userEvidence(u *Account) Evidence {
	return Evidence{EntityType: "User", Role: "Impacted", Account: u}
}

func (a *Attack) implantEvidence() Evidence {
	img := a.g.cat.get("update.exe")
	return Evidence{EntityType: "File", Role: "Related", FileName: img.Name,
		FolderPath: img.Path, SHA1: img.SHA1, SHA256: img.SHA256}
}

// initialAccessAlerts are the alerts of the first day: the mail, the
// macro's PowerShell, the download, persistence, the beacon, the cloud
// sign-in.
func (a *Attack) initialAccessAlerts(d0 int64) {
	vic, vdev := a.Victim, a.VictimDevice
	machine, user := machineEvidence, userEvidence
	ps := a.g.cat.get("powershell.exe")
	implantFile := a.implantEvidence()
	attach := Evidence{EntityType: "File", Role: "Related",
		FileName: a.Attachment, SHA256: a.AttachmentSHA256}
	mail := Evidence{EntityType: "MailMessage", Role: "Related",
		MessageID: a.PhishMessageID, Subject: a.PhishSubject}
	staging := Evidence{EntityType: "Ip", Role: "Related",
		RemoteIP: a.StagingIP}
	a.alert(d0+11*tHour+30*tMinute, "Email messages containing malicious file removed after delivery",
		"InitialAccess", "Informational", srcMDO, "Microsoft Defender for Office 365",
		[]string{"Phishing (T1566)"}, mail, attach,
		Evidence{EntityType: "Url", Role: "Related", RemoteURL: a.PhishURL},
		Evidence{EntityType: "Mailbox", Role: "Impacted", Account: vic})
	a.alert(d0+10*tHour+6*tMinute, "Suspicious PowerShell command line",
		"Execution", "Medium", srcMDE, "EDR",
		[]string{"PowerShell (T1059.001)", "Obfuscated Files or Information (T1027)"},
		machine(vdev), user(vic), Evidence{EntityType: "Process",
			Role: "Related", FileName: ps.Name, FolderPath: ps.Path,
			SHA1: ps.SHA1, SHA256: ps.SHA256,
			Command: psPath + " -nop -w hidden -enc " + a.EncodedScript},
		attach)
	a.alert(d0+10*tHour+7*tMinute, "Suspicious file download using certutil",
		"DefenseEvasion", "Medium", srcMDE, "EDR",
		[]string{"Ingress Tool Transfer (T1105)", "System Binary Proxy Execution (T1218)"},
		machine(vdev), staging, implantFile)
	a.alert(d0+10*tHour+10*tMinute, "Anomaly detected in ASEP registry",
		"Persistence", "Medium", srcMDE, "EDR",
		[]string{"Registry Run Keys / Startup Folder (T1547.001)", "Scheduled Task (T1053.005)"},
		machine(vdev), user(vic), Evidence{EntityType: "RegistryValue",
			Role: "Related", RegKey: hkcu(vic, runKey),
			RegValue: a.RunValue, RegData: a.Implant}, implantFile)
	a.alert(d0+12*tHour, "Suspicious connection to a rare external host",
		"CommandAndControl", "Medium", srcMDE, "EDR",
		[]string{"Application Layer Protocol (T1071)"}, machine(vdev),
		Evidence{EntityType: "Ip", Role: "Related", RemoteIP: a.C2IP},
		Evidence{EntityType: "Url", Role: "Related", RemoteURL: a.C2Domain},
		implantFile)
	a.alert(d0+13*tHour+21*tMinute, "Suspicious mshta process launched",
		"Execution", "Medium", srcMDE, "EDR",
		[]string{"Mshta (T1218.005)", "Rundll32 (T1218.011)"},
		machine(a.SecondDevice), user(a.SecondVictim), staging, attach)
	a.alert(d0+16*tHour+55*tMinute, "Suspicious inbox manipulation rule",
		"DefenseEvasion", "Medium", srcMDCA, "Microsoft Defender for Cloud Apps",
		[]string{"Email Hiding Rules (T1564.008)"}, user(vic),
		Evidence{EntityType: "Ip", Role: "Related", RemoteIP: a.AttackerIP})
}

// credentialAlerts are the second day's: LSASS dumps and the sprays.
func (a *Attack) credentialAlerts(d1 int64) {
	vic, vdev := a.Victim, a.VictimDevice
	machine, user := machineEvidence, userEvidence
	a.alert(d1+10*tHour+31*tMinute, "Suspicious access to LSASS service",
		"CredentialAccess", "High", srcMDE, "EDR",
		[]string{"LSASS Memory (T1003.001)"}, machine(vdev), user(vic),
		Evidence{EntityType: "Process", Role: "Related",
			FileName: "procdump64.exe", Command: `procdump64.exe -accepteula -ma lsass.exe C:\Users\Public\lsass.dmp`})
	a.alert(d1+10*tHour+42*tMinute, "LSASS process memory dumped using comsvcs.dll",
		"CredentialAccess", "High", srcMDE, "EDR",
		[]string{"LSASS Memory (T1003.001)", "Rundll32 (T1218.011)"},
		machine(vdev), user(vic), Evidence{EntityType: "Process",
			Role: "Related", FileName: "rundll32.exe",
			Command: "rundll32.exe C:\\windows\\System32\\comsvcs.dll, MiniDump"})
	spray := []Evidence{{EntityType: "Ip", Role: "Related",
		RemoteIP: a.SprayIP}, machine(vdev)}
	for _, n := range a.SprayAccounts[:5] {
		spray = append(spray, user(a.g.f.account(n)))
	}
	a.alert(d1+14*tHour+13*tMinute, "Password Spray attack (NTLM)",
		"CredentialAccess", "Medium", srcMDI, "Microsoft Defender for Identity",
		[]string{"Password Spraying (T1110.003)"}, spray...)
	a.alert(d1-tDay+3*tHour+20*tMinute, "Password spray from an internet address",
		"CredentialAccess", "Medium", srcMDE, "EDR",
		[]string{"Password Spraying (T1110.003)"},
		machine(a.g.f.byRole["rds"]),
		Evidence{EntityType: "Ip", Role: "Related", RemoteIP: a.ExternalSprayIP})
}

// impactAlerts are those of the file server: the remote desktop logon,
// mimikatz, the service, the deleted backups and the renames.
func (a *Attack) impactAlerts(d2, d3 int64) {
	vdev := a.VictimDevice
	machine, user := machineEvidence, userEvidence
	a.alert(d2+9*tHour+22*tMinute, "Suspicious remote desktop connection",
		"LateralMovement", "Medium", srcMDE, "EDR",
		[]string{"Remote Desktop Protocol (T1021.001)", "Valid Accounts (T1078)"},
		machine(a.FileServer), machine(vdev), user(a.SprayedAccount),
		Evidence{EntityType: "Ip", Role: "Related", RemoteIP: vdev.IP})
	mk := a.g.cat.get("m.exe")
	a.alert(d2+9*tHour+31*tMinute, "'Mimikatz' hacktool was detected",
		"Malware", "High", srcMDE, "Antivirus",
		[]string{"OS Credential Dumping (T1003)"}, machine(a.FileServer),
		user(a.SprayedAccount), Evidence{EntityType: "File", Role: "Related",
			FileName: mk.Name, FolderPath: mk.Path, SHA1: mk.SHA1,
			SHA256: mk.SHA256, Threat: "Mimikatz"})
	a.alert(d2+9*tHour+45*tMinute, "Suspicious service registration",
		"PrivilegeEscalation", "Medium", srcMDE, "EDR",
		[]string{"Windows Service (T1543.003)"}, machine(a.FileServer),
		Evidence{EntityType: "RegistryValue", Role: "Related",
			RegKey: servicesKey + a.ServiceName, RegValue: "ImagePath",
			RegData: `C:\Windows\Temp\svchelper.exe`})
	a.alert(d3+2*tHour+12*tMinute, "File backups were deleted",
		"Impact", "High", srcMDE, "EDR",
		[]string{"Inhibit System Recovery (T1490)"}, machine(a.FileServer),
		Evidence{EntityType: "Process", Role: "Related",
			FileName: "vssadmin.exe", Command: "vssadmin.exe delete shadows /all /quiet"})
	a.alert(d3+2*tHour+16*tMinute, "Ransomware behavior detected in the file system",
		"Impact", "High", srcMDE, "EDR",
		[]string{"Data Encrypted for Impact (T1486)"}, machine(a.FileServer),
		Evidence{EntityType: "File", Role: "Related", FileName: "svchelper.exe",
			FolderPath: `C:\Windows\Temp\svchelper.exe`,
			SHA256:     a.g.cat.get("svchelper.exe").SHA256, Threat: "Ransom"})
}
func (a *Attack) alert(at int64, title, cat, sev, src, det string,
	tech []string, ev ...Evidence) {
	a.Alerts = append(a.Alerts, Alert{
		ID:   alertID(src, at, len(a.Alerts)),
		Time: table.TicksToTime(at), Title: title, Category: cat,
		Severity: sev, Source: src, Detection: det, Techniques: tech,
		Evidence: ev,
	})
}

// alertID shapes an ID the way each product does: "da" and a number for
// Defender for Endpoint, "fa" and a GUID for Office 365, "aa" for
// Identity, "ca" for Cloud Apps.
func alertID(src string, at int64, n int) string {
	switch src {
	case srcMDE:
		return fmt.Sprintf("da%d_%d", 638_000_000_000_000_000+at/10, -1_400_000_000-n*7919)
	case srcMDO:
		return "fa" + nameGUID(at, "alert")
	case srcMDI:
		return "aa" + nameGUID(at, "alert")
	}
	return "ca" + strings.ReplaceAll(nameGUID(at, "alert"), "-", "")[:24]
}

// account returns the domain account named name.
func (f *fleet) account(name string) *Account {
	for _, a := range f.allAccounts() {
		if a.Name == name {
			return a
		}
	}
	panic("sample: no account " + name)
}

// noiseAlerts are the ordinary alerts of a month: unwanted software,
// reported mail, odd sign-ins.
func (g *gen) noiseAlerts() []Alert {
	r := newRNG(g.seed, "alerts")
	kinds := []struct{ title, cat, sev, src, det, tech string }{
		{"'uTorrent' unwanted software was detected", "Malware", "Low",
			srcMDE, "Antivirus", ""},
		{"Email reported by user as malware or phish", "InitialAccess",
			"Informational", srcMDO, "Microsoft Defender for Office 365",
			"Phishing (T1566)"},
		{"Impossible travel activity", "InitialAccess", "Medium", srcMDCA,
			"Microsoft Defender for Cloud Apps", "Valid Accounts (T1078)"},
		{"Suspicious sign-in from an unfamiliar location", "InitialAccess",
			"Low", srcMDCA, "Microsoft Defender for Cloud Apps", ""},
		{"Account enumeration reconnaissance (LDAP)", "Discovery", "Low",
			srcMDI, "Microsoft Defender for Identity",
			"Account Discovery (T1087)"},
	}
	var out []Alert
	for i := 0; i < 22; i++ {
		k := kinds[r.intn(len(kinds))]
		at := g.from + r.span(g.to-g.from-tDay)
		ws := pick(r, g.f.ws)
		ev := []Evidence{{EntityType: "User", Role: "Impacted",
			Account: ws.User}}
		if k.src == srcMDE || k.src == srcMDI {
			ev = append(ev, Evidence{EntityType: "Machine", Role: "Impacted",
				Device: ws})
		}
		var tech []string
		if k.tech != "" {
			tech = []string{k.tech}
		}
		out = append(out, Alert{ID: alertID(k.src, at, 100+i),
			Time: table.TicksToTime(at), Title: k.title, Category: k.cat,
			Severity: k.sev, Source: k.src, Detection: k.det,
			Techniques: tech, Evidence: ev})
	}
	return out
}

func (g *gen) allAlerts() []Alert {
	return append(append([]Alert{}, g.atk.Alerts...), g.noiseAlerts()...)
}

func techniques(t []string) string {
	if len(t) == 0 {
		return "[]"
	}
	q := make([]string, len(t))
	for i, s := range t {
		q[i] = jsonString(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

func genAlertInfo(g *gen) *table.Table {
	b := newBuilder("AlertInfo", 64, g.from, g.to)
	c := b.col
	for _, al := range g.allAlerts() {
		b.time(c("Timestamp"), table.TimeToTicks(al.Time))
		b.str(c("AlertId"), al.ID)
		b.str(c("Title"), al.Title)
		b.str(c("Category"), al.Category)
		b.str(c("Severity"), al.Severity)
		b.str(c("ServiceSource"), al.Source)
		b.str(c("DetectionSource"), al.Detection)
		b.str(c("AttackTechniques"), techniques(al.Techniques))
		b.end()
	}
	return b.table()
}

func genAlertEvidence(g *gen) *table.Table {
	b := newBuilder("AlertEvidence", 256, g.from, g.to)
	c := b.col
	for _, al := range g.allAlerts() {
		for _, e := range al.Evidence {
			b.time(c("Timestamp"), table.TimeToTicks(al.Time))
			b.str(c("AlertId"), al.ID)
			b.str(c("Title"), al.Title)
			b.str(c("Categories"), `["`+al.Category+`"]`)
			b.str(c("AttackTechniques"), techniques(al.Techniques))
			b.str(c("ServiceSource"), al.Source)
			b.str(c("DetectionSource"), al.Detection)
			b.str(c("Severity"), al.Severity)
			b.str(c("EntityType"), e.EntityType)
			b.str(c("EvidenceRole"), e.Role)
			setEvidence(b, e)
			b.end()
		}
	}
	return b.table()
}

func setEvidence(b *builder, e Evidence) {
	c := b.col
	if d := e.Device; d != nil {
		b.str(c("DeviceId"), d.ID)
		b.str(c("DeviceName"), d.Name)
		b.str(c("LocalIP"), d.IP)
	}
	if u := e.Account; u != nil {
		b.str(c("AccountName"), u.Name)
		b.str(c("AccountDomain"), u.Domain)
		b.str(c("AccountSid"), u.SID)
		b.str(c("AccountObjectId"), u.ObjectID)
		b.str(c("AccountUpn"), u.UPN)
	}
	b.str(c("FileName"), e.FileName)
	b.str(c("FolderPath"), e.FolderPath)
	b.str(c("SHA1"), e.SHA1)
	b.str(c("SHA256"), e.SHA256)
	b.str(c("ThreatFamily"), e.Threat)
	b.str(c("RemoteIP"), e.RemoteIP)
	b.str(c("RemoteUrl"), e.RemoteURL)
	b.str(c("ProcessCommandLine"), e.Command)
	b.str(c("RegistryKey"), e.RegKey)
	b.str(c("RegistryValueName"), e.RegValue)
	b.str(c("RegistryValueData"), e.RegData)
	b.str(c("NetworkMessageId"), e.MessageID)
	b.str(c("EmailSubject"), e.Subject)
	b.str(c("AdditionalFields"), "{}")
}
