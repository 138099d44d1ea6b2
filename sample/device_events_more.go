package sample

import "fmt"

// telemetry is a kind of DeviceEvents row the sensor reports now and
// then on a running process: API calls across processes, token
// changes, exploit protection and attack surface reduction audits.
type telemetry struct {
	action string
	init   string  // the process that acts, by image name
	target string  // the process acted on, by image name; "" for none
	perDay float64 // the chance of one event per device and day
	on     func(*Device) bool
	addl   func(r *rng, d *Device, p *proc) string
	file   func(p *proc) string
}

// fixed returns an AdditionalFields function that always gives s.
func fixed(s string) func(*rng, *Device, *proc) string {
	return func(*rng, *Device, *proc) string { return s }
}

var telemetries = []telemetry{
	{action: "ProcessPrimaryTokenModified", init: "svchost.exe",
		target: "svchost.exe", perDay: 0.5, on: onAll,
		addl: fixed(`{"OriginalTokenPrivEnabled":8388608,` +
			`"CurrentTokenPrivEnabled":9437184,` +
			`"TokenModificationProperties":"{\"tokenChangeDescription\":` +
			`\"Privileges were added\",\"privilegesFlags\":1048576,` +
			`\"isChangedToSystemToken\":false}"}`)},
	{action: "QueueUserApcRemoteApiCall", init: "csrss.exe",
		target: "explorer.exe", perDay: 0.4, on: onWorkstations},
	{action: "NtAllocateVirtualMemoryRemoteApiCall", init: "svchost.exe",
		target: "explorer.exe", perDay: 0.3, on: onWorkstations},
	{action: "NtMapViewOfSectionRemoteApiCall", init: "csrss.exe",
		target: "explorer.exe", perDay: 0.2, on: onWorkstations},
	{action: "SetThreadContextRemoteApiCall", init: "svchost.exe",
		target: "explorer.exe", perDay: 0.1, on: onWorkstations},
	{action: "MemoryRemoteProtect", init: "MsMpEng.exe",
		target: "explorer.exe", perDay: 0.2, on: onWorkstations},
	{action: "ScreenshotTaken", init: "ms-teams.exe", perDay: 0.3,
		on: onWorkstations},
	{action: "SafeDocFileScan", init: "WINWORD.EXE", perDay: 0.2,
		on: onWorkstations,
		addl: fixed(`{"VerificationResult":"clean",` +
			`"ContainerReason":"Internet"}`),
		file: func(p *proc) string {
			return userHome(p.acct) + `Downloads\Quote_` +
				fmt.Sprint(p.pid%900+100) + ".docx"
		}},
	{action: "ControlledFolderAccessViolationAudited", init: "AcroRd32.exe",
		perDay: 0.05, on: onWorkstations,
		addl: fixed(`{"IsAudit":true}`),
		file: func(p *proc) string {
			return userHome(p.acct) + `Documents\Scans\scan.pdf`
		}},
	{action: "ExploitGuardNonMicrosoftSignedAudited", init: "OUTLOOK.EXE",
		perDay: 0.1, on: onWorkstations,
		addl: fixed(`{"IsAudit":true,"RequestedSigningLevel":8,` +
			`"ValidatedSigningLevel":12}`),
		file: func(*proc) string {
			return `C:\Program Files\Zoom\Outlook Plugin\ZoomOutlookIMPlugin.dll`
		}},
	{action: "AsrObfuscatedScriptAudited", init: "powershell.exe",
		perDay: 0.03, on: onAll, addl: fixed(`{"IsAudit":true}`),
		file: func(*proc) string {
			return `C:\Windows\Temp\SDIAG_` + "4f2c\\RS_ProgramCompat.ps1"
		}},
	{action: "AsrPsexecWmiChildProcessAudited", init: "WmiPrvSE.exe",
		perDay: 0.1, on: onServers, addl: fixed(`{"IsAudit":true}`)},
	{action: "AuditPolicyModification", init: "lsass.exe", perDay: 0.1,
		on: onAll,
		addl: fixed(`{"AuditPolicyChanges":"%%8449, %%8451",` +
			`"CategoryId":"%%8274","SubcategoryGuid":` +
			`"{0cce923f-69ae-11d9-bed3-505054503030}",` +
			`"SubcategoryId":"%%14081"}`)},
	{action: "AntivirusTroubleshootModeEvent", init: "MsMpEng.exe",
		perDay: 0.004, on: onAll, addl: troubleshooting},
	{action: "CredentialsBackup", init: "explorer.exe", perDay: 0.002,
		on: onWorkstations},
}

// troubleshooting is the AdditionalFields of Defender's troubleshooting
// mode being turned on from the portal.
func troubleshooting(r *rng, d *Device, p *proc) string {
	return `{"TroubleshootingState":true,` +
		`"TroubleshootingPreviousState":false,` +
		`"TroubleshootingStateChangeReason":"Troubleshooting mode started",` +
		`"TroubleshootingStateChangeSource":"Microsoft Defender portal",` +
		`"TroubleshootingStateRemainingMinutes":180}`
}

// telemetry writes the sensor telemetry of device d, day by day.
func (t *eventTable) telemetry(g *gen, d *Device) {
	r := t.more
	for day := dayStart(g.from); day < g.to; day += tDay {
		for i := range telemetries {
			e := &telemetries[i]
			if !e.on(d) || !r.chance(e.perDay) {
				continue
			}
			at := day + 8*tHour + r.span(9*tHour)
			pi := procNamed(d, e.init, at)
			if pi < 0 {
				pi, at = runningOn(d, e.init, day, r)
			}
			if pi < 0 || at < g.from || at >= g.to {
				continue
			}
			ev := devEvent{action: e.action, target: -1}
			if e.target != "" {
				if ev.target = procNamed(d, e.target, at); ev.target < 0 {
					continue
				}
			}
			p := &d.procs[pi]
			if e.addl != nil {
				ev.addl = e.addl(r, d, p)
			}
			if e.file != nil {
				ev.file = e.file(p)
			}
			t.emit(d, pi, at, ev)
		}
	}
}

// runningOn finds a process of image name that started on the day
// beginning at day, for short-lived processes a random time seldom
// hits, and returns it with a time within its life; -1 if none ran.
func runningOn(d *Device, name string, day int64, r *rng) (int32, int64) {
	for _, pi := range d.byName[name] {
		p := &d.procs[pi]
		if p.start >= day && p.start < day+tDay {
			return pi, p.start + r.span(max(p.end-p.start, tSecond))
		}
	}
	return -1, 0
}

// inventoryProbes writes what the workstations' firewalls make of the
// management server's weekly inventory pass: its WinRM probe, which
// workstations do not accept, blocked.
func (t *eventTable) inventoryProbes(g *gen) {
	mgmt := g.f.byRole["mgmt"]
	for _, at := range inventoryTimes(g) {
		for i, ws := range g.f.ws {
			when := at + int64(i)*3*tSecond + tSecond
			pi := procNamed(ws, "svchost.exe", when)
			if pi < 0 {
				continue
			}
			t.emit(ws, pi, when, devEvent{
				action: "FirewallInboundConnectionBlocked", target: -1,
				remoteIP: mgmt.IP, rport: 5985})
		}
	}
}
