package sample

import (
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// regTable writes DeviceRegistryEvents rows.
type regTable struct {
	b                                 *builder
	dc                                deviceCols
	init                              procCols
	key, vtype, vname, vdata, prevKey int
	prevName, prevData                int
	r                                 *rng
	report                            int64
}

// regEvent is one registry change.
type regEvent struct {
	action string // RegistryValueSet unless set
	key    string
	vtype  string // REG_SZ unless set
	name   string
	data   string
	prev   string // previous data, for a value that existed
}

func newRegTable(g *gen) *regTable {
	b := newBuilder("DeviceRegistryEvents", g.procCount()/2, g.from, g.to)
	return &regTable{
		b: b, dc: newDeviceCols(b), init: initiatingCols(b),
		key: b.col("RegistryKey"), vtype: b.col("RegistryValueType"),
		vname: b.col("RegistryValueName"), vdata: b.col("RegistryValueData"),
		prevKey:  b.col("PreviousRegistryKey"),
		prevName: b.col("PreviousRegistryValueName"),
		prevData: b.col("PreviousRegistryValueData"),
		r:        newRNG(g.seed, "DeviceRegistryEvents"),
	}
}

func (t *regTable) emit(d *Device, pi int32, at int64, e regEvent) {
	b := t.b
	if e.action == "" {
		e.action = "RegistryValueSet"
	}
	if e.vtype == "" && e.action == "RegistryValueSet" {
		e.vtype = "String"
	}
	t.dc.set(b, d, at, e.action, &t.report)
	b.str(t.key, e.key)
	b.str(t.vtype, e.vtype)
	b.str(t.vname, e.name)
	b.str(t.vdata, e.data)
	if e.prev != "" {
		b.str(t.prevKey, e.key)
		b.str(t.prevName, e.name)
		b.str(t.prevData, e.prev)
	}
	setProc(b, &t.init, d, pi)
	b.end()
}

// hkcu returns the registry path of a user's hive as Defender shows it.
func hkcu(a *Account, sub string) string {
	return `HKEY_CURRENT_USER\` + a.SID + `\` + sub
}

const (
	runKey      = `Software\Microsoft\Windows\CurrentVersion\Run`
	hklmRunKey  = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`
	servicesKey = `HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\`
)

func genRegistryEvents(g *gen) *table.Table {
	t := newRegTable(g)
	for _, d := range g.f.devices {
		for i := range d.procs {
			t.procValues(d, int32(i))
		}
	}
	g.atk.registryEvents(t)
	return t.b.table()
}

// procValues writes the registry activity of process pi by its kind.
func (t *regTable) procValues(d *Device, pi int32) {
	p := &d.procs[pi]
	r := t.r
	at := p.start + tSecond + r.span(min(p.end-p.start, 30*tMinute))
	if p.img.Name == "msiexec.exe" {
		t.install(d, pi)
	}
	switch p.kind {
	case kindOneDrive:
		exe := `"C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background`
		t.emit(d, pi, at, regEvent{key: hkcu(p.acct, runKey),
			name: "OneDrive", data: exe, prev: exe})
	case kindExplorer:
		for k := r.between(1, 3); k > 0; k-- {
			t.emit(d, pi, at+r.span(4*tHour), regEvent{
				key: hkcu(p.acct, `Software\Microsoft\Windows\CurrentVersion\Explorer\RecentDocs\.`+
					strings.ToLower(pick(r, []string{"docx", "xlsx", "pdf", "pptx"}))),
				vtype: "Binary", name: itoa(int64(r.intn(30)))})
		}
	case kindOffice:
		app := strings.TrimSuffix(strings.ToLower(p.img.Name), ".exe")
		t.emit(d, pi, at, regEvent{
			key: hkcu(p.acct, `SOFTWARE\Microsoft\Office\16.0\`+officeKey(app)+
				`\Reading Locations\Document 0`),
			name: "File Path", data: p.cmd[strings.Index(p.cmd, `/n "`)+4:]})
	case kindSvcNet:
		t.groupPolicy(d, pi)
		t.periodic(d, pi, 6*tHour, regEvent{
			key:  `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Orchestrator`,
			name: "LastScanTime", vtype: "Qword"})
	case kindDefender:
		t.periodic(d, pi, 4*tHour, regEvent{
			key:  `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Signature Updates`,
			name: "SignaturesLastUpdated", vtype: "Binary"})
	case kindShell:
		if pp := p.parent; pp >= 0 && d.procs[pp].kind == kindExplorer {
			cmd := strings.TrimSuffix(strings.ToLower(p.img.Name), ".exe")
			t.emit(d, pp, p.start-2*tSecond, regEvent{
				key:  hkcu(p.acct, `Software\Microsoft\Windows\CurrentVersion\Explorer\RunMRU`),
				name: "a", data: cmd + `\1`})
		}
	case kindServices:
		t.emit(d, pi, p.start+20*tSecond, regEvent{
			key:   servicesKey + `bam\State\UserSettings\` + domainSID + "-500",
			vtype: "Binary", name: `\Device\HarddiskVolume3\Windows\System32\svchost.exe`})
	}
}

func officeKey(app string) string {
	switch app {
	case "excel":
		return "Excel"
	case "powerpnt":
		return "PowerPoint"
	}
	return "Word"
}

// periodic writes e every interval while process pi runs.
func (t *regTable) periodic(d *Device, pi int32, every int64, e regEvent) {
	p := &d.procs[pi]
	for at := p.start + t.r.span(every); at < p.end && at < t.b.to; at +=
		every {
		e.data = itoa(at)
		t.emit(d, pi, at, e)
	}
}

// gpStartupScript is the computer startup script Group Policy records.
const gpStartupScript = `\\contoso.com\SysVol\contoso.com\Policies\{31B2F340-016D-11D2-945F-00C04FB984F9}\Machine\Scripts\Startup\Set-Inventory.ps1`

// groupPolicy writes what the Group Policy service records at boot: the
// startup script, the antivirus exclusions of the SQL server and, on the
// day a package is deployed, the installer's uninstall key.
func (t *regTable) groupPolicy(d *Device, pi int32) {
	at := d.procs[pi].start + 30*tSecond
	t.emit(d, pi, at, regEvent{
		key:  `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\Scripts\Startup\0\0`,
		name: "Script", data: gpStartupScript})
	if d.Role == "sql" {
		t.emit(d, pi, at+tSecond, regEvent{
			key:  `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths`,
			name: `D:\SQLData`, vtype: "Dword", data: "0"})
	}
}

// install writes the uninstall key an msiexec install creates.
func (t *regTable) install(d *Device, pi int32) {
	p := &d.procs[pi]
	if !strings.Contains(p.cmd, "/i ") {
		return
	}
	key := `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\` + zoomProduct
	t.emit(d, pi, p.start+40*tSecond, regEvent{action: "RegistryKeyCreated",
		key: key})
	t.emit(d, pi, p.start+41*tSecond, regEvent{key: key,
		name: "DisplayName", data: "Zoom Workplace (64-bit)"})
}
