package sample

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// eventTable writes DeviceEvents rows.
type eventTable struct {
	b                                   *builder
	dc                                  deviceCols
	init, target                        procCols
	rurl, rdev, rip, rport, lip, lport  int
	key, vname, vdata, origin, originIP int
	addl                                int
	r                                   *rng
	more                                *rng // for telemetry
	report                              int64
}

// devEvent is one DeviceEvents row beyond its device, time and
// initiating process.
type devEvent struct {
	action   string
	file     string // full path of the file the event is about
	fileKey  string // names the file's content, for its hashes
	target   int32  // a process the event is about (OpenProcess...); -1
	acct     *Account
	url      string
	remoteIP string
	rport    int64
	key      string // registry
	vname    string
	vdata    string
	addl     string // AdditionalFields JSON
}

func newEventTable(g *gen) *eventTable {
	b := newBuilder("DeviceEvents", g.procCount()/3, g.from, g.to)
	return &eventTable{
		b: b, dc: newDeviceCols(b), init: initiatingCols(b),
		target: processCols(b),
		rurl:   b.col("RemoteUrl"), rdev: b.col("RemoteDeviceName"),
		rip: b.col("RemoteIP"), rport: b.col("RemotePort"),
		lip: b.col("LocalIP"), lport: b.col("LocalPort"),
		key: b.col("RegistryKey"), vname: b.col("RegistryValueName"),
		vdata: b.col("RegistryValueData"), origin: b.col("FileOriginUrl"),
		originIP: b.col("FileOriginIP"), addl: b.col("AdditionalFields"),
		r:    newRNG(g.seed, "DeviceEvents"),
		more: newRNG(g.seed, "DeviceEvents/telemetry"),
	}
}

func (t *eventTable) emit(d *Device, pi int32, at int64, e devEvent) {
	b := t.b
	t.dc.set(b, d, at, e.action, &t.report)
	if e.target >= 0 {
		setProc(b, &t.target, d, e.target)
	}
	if e.file != "" {
		_, name := splitPath(e.file)
		b.str(t.target.fileName, name)
		b.str(t.target.folderPath, e.file)
		key := e.fileKey
		if key == "" {
			key = e.file
		}
		h := fileHashes(key)
		b.str(t.target.sha1, h.SHA1)
		b.str(t.target.sha256, h.SHA256)
		b.str(t.target.md5, h.MD5)
	}
	if e.acct != nil {
		setAccount(b, &t.target, e.acct)
	}
	b.str(t.rurl, e.url)
	b.str(t.rip, e.remoteIP)
	if e.rport != 0 {
		b.long(t.rport, e.rport)
		b.str(t.lip, d.IP)
		b.long(t.lport, int64(t.r.between(49152, 65535)))
	}
	b.str(t.key, e.key)
	b.str(t.vname, e.vname)
	b.str(t.vdata, e.vdata)
	b.str(t.addl, e.addl)
	setProc(b, &t.init, d, pi)
	b.end()
}

func genDeviceEvents(g *gen) *table.Table {
	t := newEventTable(g)
	for _, d := range g.f.devices {
		for i := range d.procs {
			t.procEvents(d, int32(i))
		}
		t.usb(d)
		t.telemetry(g, d)
	}
	t.scanners(g)
	t.inventoryProbes(g)
	g.atk.deviceEvents(t)
	return t.b.table()
}

var psCommands = []string{
	"Get-Process", "Get-Service", "Get-ChildItem", "Get-EventLog",
	"Test-NetConnection", "Get-ADUser", "Get-WmiObject", "Set-Location",
	"Import-Module", "Get-Content", "Select-Object", "Where-Object",
	"Out-File", "Invoke-Sqlcmd", "Copy-Item", "Get-Date",
	"Set-NetFirewallProfile",
}

var teamsLinks = []string{
	"https://contoso.sharepoint.com/sites/Projects/Shared%20Documents/Forms/AllItems.aspx",
	"https://github.com/contoso/portal/pull/412",
	"https://learn.microsoft.com/en-us/defender-xdr/advanced-hunting-overview",
	"https://www.linkedin.com/feed/",
	"https://zoom.us/j/92039485721",
}

// procEvents writes the DeviceEvents of process pi by its kind.
func (t *eventTable) procEvents(d *Device, pi int32) {
	p := &d.procs[pi]
	r := t.r
	at := func() int64 {
		return p.start + tSecond + r.span(min(p.end-p.start, 8*tHour))
	}
	switch p.kind {
	case kindShell:
		if p.img.Name != "powershell.exe" {
			return
		}
		for k := r.between(1, 5); k > 0; k-- {
			t.emit(d, pi, at(), devEvent{action: "PowerShellCommand",
				target: -1, addl: jsonObj("Command", pick(r, psCommands))})
		}
	case kindOutlook, kindTeams:
		for k := r.between(0, 2); k > 0; k-- {
			t.emit(d, pi, at(), devEvent{action: "BrowserLaunchedToOpenUrl",
				target: -1, url: pick(r, teamsLinks)})
		}
	case kindBrowser:
		if !strings.Contains(p.cmd, "--type=") {
			t.browserWarnings(d, pi, at())
		}
	case kindDefender:
		if r.chance(0.05) {
			lsass := procNamed(d, "lsass.exe", p.start+tHour)
			if lsass >= 0 {
				t.emit(d, pi, p.start+tHour, devEvent{
					action: "OpenProcessApiCall", target: lsass,
					addl: `{"DesiredAccess":4112}`})
			}
		}
	case kindServices:
		t.emit(d, pi, p.start+tMinute, devEvent{action: "ServiceInstalled",
			target: -1, acct: p.acct, file: `C:\Windows\System32\drivers\WdNisDrv.sys`,
			addl: `{"ServiceName":"WdNisDrv","ServiceType":"Kernel Driver","ServiceStartType":"Demand start","ServiceAccount":""}`})
	}
	if p.img.Name == "schtasks.exe" || p.img.Name == "MicrosoftEdgeUpdate.exe" &&
		r.chance(0.02) {
		t.emit(d, pi, p.start+tSecond, devEvent{action: "ScheduledTaskUpdated",
			target: -1, acct: p.acct,
			addl: `{"TaskName":"\\MicrosoftEdgeUpdateTaskMachineUA","TaskContent":""}`})
	}
}

// browserWarnings writes, now and then, what SmartScreen and network
// protection say about a page or a download, and the user clicking on.
func (t *eventTable) browserWarnings(d *Device, pi int32, at int64) {
	r := t.r
	home := userHome(d.procs[pi].acct)
	switch x := r.intn(1000); {
	case x < 11:
		t.emit(d, pi, at, devEvent{action: "SmartScreenUrlWarning",
			target: -1, url: "http://free-pdf-convert.online/download",
			addl: `{"Experience":"Malicious"}`})
	case x < 15: // an indicator the security team set blocks file sharing
		t.emit(d, pi, at, devEvent{action: "SmartScreenUrlWarning",
			target: -1, url: "https://wetransfer.com/downloads/",
			addl: `{"Experience":"CustomPolicy"}`})
	case x < 25:
		file := home + `Downloads\PDFConverterSetup.exe`
		t.emit(d, pi, at, devEvent{action: "SmartScreenAppWarning",
			target: -1, file: file, addl: `{"Experience":"Untrusted"}`})
		if r.chance(0.5) {
			t.emit(d, pi, at+9*tSecond, devEvent{
				action: "SmartScreenUserOverride", target: -1, file: file})
		}
	case x < 32:
		t.emit(d, pi, at, devEvent{
			action: "ExploitGuardNetworkProtectionBlocked", target: -1,
			url: "track.adserv-click.top", remoteIP: "91.92.251.103",
			rport: 443, addl: `{"ResponseCategory":"CustomBlockList","DisplayName":"Malicious"}`})
	case x < 34:
		t.emit(d, pi, at, devEvent{action: "AntivirusDetection", target: -1,
			file: home + `Downloads\uTorrent.exe`,
			addl: `{"ThreatName":"PUA:Win32/uTorrent","WasExecutingWhileDetected":false,"WasRemediated":true,"Category":"PotentiallyUnwantedSoftware"}`})
		t.emit(d, pi, at+2*tSecond, devEvent{
			action: "OtherAlertRelatedActivity", target: -1,
			file: home + `Downloads\uTorrent.exe`,
			addl: `{"Description":"Microsoft Defender Antivirus detected ` +
				`and quarantined PUA:Win32/uTorrent during a download scan ` +
				`of uTorrent.exe from https://download-hr.utorrent.com/"}`})
	}
}

// scanners writes the inbound connections the remote desktop gateway's
// firewall drops: the internet's background scanning.
func (t *eventTable) scanners(g *gen) {
	rds := g.f.byRole["rds"]
	for at := g.from; at < g.to; at += 20*tMinute + t.r.span(40*tMinute) {
		pi := procNamed(rds, "svchost.exe", at)
		if pi < 0 {
			continue
		}
		t.emit(rds, pi, at, devEvent{action: "FirewallInboundConnectionBlocked",
			target: -1, remoteIP: publicIP(5000 + t.r.intn(3000)),
			rport: pick(t.r, []int64{22, 23, 445, 1433, 5900})})
	}
}

// usb writes the USB drives users plug in, now and then.
func (t *eventTable) usb(d *Device) {
	if d.Kind != Workstation {
		return
	}
	for i := range d.sim.sessions {
		ss := &d.sim.sessions[i]
		if !t.r.chance(0.06) {
			continue
		}
		at := ss.start + t.r.span(ss.end-ss.start)
		serial := strings.ToUpper(nameHex40(int64(i), d.Name)[:16])
		pi := procNamed(d, "svchost.exe", at)
		if pi < 0 {
			continue
		}
		t.emit(d, pi, at-tSecond, devEvent{action: "PnpDeviceConnected",
			target: -1, addl: fmt.Sprintf(`{"ClassName":"USB","DeviceId":"USB\\VID_0781&PID_5581\\%s","DeviceDescription":"USB Mass Storage Device","VendorIds":"USB\\VID_0781&PID_5581&REV_0100"}`, serial)})
		t.emit(d, pi, at, devEvent{action: "PnpDeviceConnected", target: -1,
			addl: fmt.Sprintf(`{"ClassName":"DiskDrive","DeviceId":"USBSTOR\\DISK&VEN_SANDISK&PROD_ULTRA&REV_1.00\\%s&0","DeviceDescription":"SanDisk Ultra USB Device","VendorIds":"USBSTOR\\DiskSanDisk_Ultra___________1.00"}`, serial)})
		if t.more.chance(0.3) { // docking to a desk's monitor
			t.emit(d, pi, at-5*tSecond, devEvent{action: "PnpDeviceConnected",
				target: -1, addl: `{"ClassName":"Monitor","DeviceId":` +
					`"DISPLAY\\DELA1F4\\5&2b1c7e3&0&UID4353",` +
					`"DeviceDescription":"Dell P2423D","VendorIds":` +
					`"MONITOR\\DELA1F4"}`})
		}
		t.emit(d, pi, at+2*tSecond, devEvent{action: "UsbDriveMounted",
			target: -1, addl: fmt.Sprintf(`{"DriveLetter":"E:","BusType":7,"ProductName":"Ultra","ProductRevision":"1.00","SerialNumber":"%s","Manufacturer":"SanDisk","Volume":"\\Device\\HarddiskVolume7"}`, serial)})
	}
}

// jsonObj renders a one-key JSON object.
func jsonObj(key, value string) string {
	return `{"` + key + `":` + jsonString(value) + `}`
}
