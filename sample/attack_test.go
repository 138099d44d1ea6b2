package sample

import (
	"encoding/base64"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/ahunt/ahunt/kql/table"
)

// rows is a table with column access by name, for writing hunts in Go
// the way KQL would write them.
type rows struct {
	t    *testing.T
	name string
	tb   *table.Table
}

func hunt(t *testing.T, tn *Tenant, name string) rows {
	return rows{t, name, tn.Tables[name]}
}

func (r rows) col(name string) *table.Column {
	c, _ := r.tb.Column(name)
	if c == nil {
		r.t.Fatalf("%s has no column %s", r.name, name)
	}
	return c
}

// where returns the rows for which keep is true.
func (r rows) where(keep func(get func(string) string, i int) bool) []int {
	cache := map[string]*table.Column{}
	get := func(i int) func(string) string {
		return func(n string) string {
			c, ok := cache[n]
			if !ok {
				c = r.col(n)
				cache[n] = c
			}
			return c.Format(i)
		}
	}
	var out []int
	for i := 0; i < r.tb.Rows(); i++ {
		if keep(get(i), i) {
			out = append(out, i)
		}
	}
	return out
}

func has(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func decodeUTF16(t *testing.T, b64 string) string {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw)%2 != 0 {
		t.Fatalf("decode %q: %v (length %d)", b64, err, len(raw))
	}
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
	}
	return string(utf16.Decode(u))
}

// TestPlantedProcesses runs, over DeviceProcessEvents, the command-line
// hunts of the public corpus that the planted intrusion should trip.
func TestPlantedProcesses(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	tests := []struct {
		name, file, cmd, parent, device string
	}{
		{"encoded PowerShell from Word", "powershell.exe", " -enc ",
			"WINWORD.EXE", a.VictimDevice.Name},
		{"certutil download", "certutil.exe", "-urlcache -split -f http",
			"powershell.exe", a.VictimDevice.Name},
		{"bitsadmin transfer", "bitsadmin.exe", "/transfer", "update.exe",
			a.VictimDevice.Name},
		{"regsvr32 scriptlet", "regsvr32.exe", "/i:http", "update.exe",
			a.VictimDevice.Name},
		{"mshta from Word", "mshta.exe", "http://", "WINWORD.EXE",
			a.SecondDevice.Name},
		{"rundll32 javascript", "rundll32.exe", "javascript:", "mshta.exe",
			a.SecondDevice.Name},
		{"procdump of lsass", "procdump64.exe", "-ma lsass", "cmd.exe",
			a.VictimDevice.Name},
		{"comsvcs MiniDump", "rundll32.exe", "comsvcs.dll, MiniDump",
			"cmd.exe", a.VictimDevice.Name},
		{"mimikatz", "m.exe", "sekurlsa::logonpasswords", "cmd.exe",
			a.FileServer.Name},
		{"scheduled task", "schtasks.exe", "/create", "cmd.exe",
			a.VictimDevice.Name},
		{"service creation", "sc.exe", "create " + a.ServiceName, "cmd.exe",
			a.FileServer.Name},
		{"shadow copies by vssadmin", "vssadmin.exe", "delete shadows",
			"cmd.exe", a.FileServer.Name},
		{"shadow copies by wmic", "WMIC.exe", "shadowcopy delete", "cmd.exe",
			a.FileServer.Name},
		{"domain admins discovery", "net.exe", `group "Domain Admins"`,
			"update.exe", a.VictimDevice.Name},
	}
	r := hunt(t, tn, "DeviceProcessEvents")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.where(func(get func(string) string, _ int) bool {
				return strings.EqualFold(get("FileName"), tt.file) &&
					has(get("ProcessCommandLine"), tt.cmd) &&
					get("DeviceName") == tt.device
			})
			if len(got) == 0 {
				t.Fatalf("no %s with %q", tt.file, tt.cmd)
			}
			i := got[0]
			if p := r.col("InitiatingProcessFileName").Str(i); p != tt.parent {
				t.Errorf("parent: got %s, want %s", p, tt.parent)
			}
			if d := r.col("DeviceName").Str(i); d != tt.device {
				t.Errorf("device: got %s, want %s", d, tt.device)
			}
		})
	}
}

func TestEncodedCommandDecodes(t *testing.T) {
	tn := full(t)
	r := hunt(t, tn, "DeviceProcessEvents")
	got := r.where(func(get func(string) string, _ int) bool {
		return has(get("ProcessCommandLine"), "-enc ")
	})
	if len(got) != 1 {
		t.Fatalf("got %d encoded commands, want 1", len(got))
	}
	cmd := r.col("ProcessCommandLine").Str(got[0])
	b64 := cmd[strings.LastIndexByte(cmd, ' ')+1:]
	if s := decodeUTF16(t, b64); s != tn.Attack.DecodedScript {
		t.Errorf("decoded: got %q, want %q", s, tn.Attack.DecodedScript)
	}
}

// TestPhishingChain follows the mail from delivery to the device: the
// attachment's SHA256 lands on the victim's disk, the link is clicked.
func TestPhishingChain(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	mails := hunt(t, tn, "EmailEvents").where(
		func(get func(string) string, _ int) bool {
			return get("NetworkMessageId") == a.PhishMessageID
		})
	if len(mails) != len(a.Recipients) {
		t.Errorf("phish copies: got %d, want %d", len(mails),
			len(a.Recipients))
	}
	att := hunt(t, tn, "EmailAttachmentInfo").where(
		func(get func(string) string, _ int) bool {
			return get("SHA256") == a.AttachmentSHA256
		})
	if len(att) != len(a.Recipients) {
		t.Errorf("attachment rows: got %d, want %d", len(att),
			len(a.Recipients))
	}
	files := hunt(t, tn, "DeviceFileEvents")
	landed := files.where(func(get func(string) string, _ int) bool {
		return get("SHA256") == a.AttachmentSHA256
	})
	devices := map[string]bool{}
	for _, i := range landed {
		devices[files.col("DeviceName").Str(i)] = true
	}
	if !devices[a.VictimDevice.Name] || !devices[a.SecondDevice.Name] {
		t.Errorf("attachment on devices %v, want %s and %s", devices,
			a.VictimDevice.Name, a.SecondDevice.Name)
	}
	clicks := hunt(t, tn, "UrlClickEvents").where(
		func(get func(string) string, _ int) bool {
			return get("Url") == a.PhishURL
		})
	actions := map[string]string{}
	uc := hunt(t, tn, "UrlClickEvents")
	for _, i := range clicks {
		actions[uc.col("AccountUpn").Str(i)] = uc.col("ActionType").Str(i)
	}
	if got := actions[a.Victim.UPN]; got != "ClickAllowed" {
		t.Errorf("victim's click: got %q, want ClickAllowed", got)
	}
	if got := actions[a.Clicker.UPN]; got != "ClickBlocked" {
		t.Errorf("second click: got %q, want ClickBlocked", got)
	}
}

// TestImplantDownloadMatchesProcess checks that the file certutil wrote
// has the hashes of the process that then ran.
func TestImplantDownloadMatchesProcess(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	files := hunt(t, tn, "DeviceFileEvents")
	dl := files.where(func(get func(string) string, _ int) bool {
		return get("FolderPath") == a.Implant &&
			get("InitiatingProcessFileName") == "certutil.exe"
	})
	if len(dl) != 1 {
		t.Fatalf("certutil wrote the implant %d times, want 1", len(dl))
	}
	if got := files.col("SHA256").Str(dl[0]); got != a.ImplantSHA256 {
		t.Errorf("downloaded SHA256 %s, want %s", got, a.ImplantSHA256)
	}
	if got := files.col("FileOriginIP").Str(dl[0]); got != a.StagingIP {
		t.Errorf("origin IP %s, want %s", got, a.StagingIP)
	}
	runs := hunt(t, tn, "DeviceProcessEvents").where(
		func(get func(string) string, _ int) bool {
			return get("SHA256") == a.ImplantSHA256
		})
	if len(runs) < 2 {
		t.Errorf("implant ran %d times, want at least 2 (the Run key)",
			len(runs))
	}
}

// TestBeaconing checks the implant's calls home are regular and rare.
func TestBeaconing(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	r := hunt(t, tn, "DeviceNetworkEvents")
	got := r.where(func(get func(string) string, _ int) bool {
		return get("RemoteIP") == a.C2IP &&
			get("ActionType") == "ConnectionSuccess"
	})
	if len(got) < 100 || len(got) != a.Beacons {
		t.Fatalf("got %d beacons, want %d (at least 100)", len(got),
			a.Beacons)
	}
	devices := map[string]bool{}
	byProc := map[string][]int64{}
	for _, i := range got {
		devices[r.col("DeviceId").Str(i)] = true
		uid := r.col("InitiatingProcessUniqueId").Str(i)
		byProc[uid] = append(byProc[uid], r.col("Timestamp").Int(i))
	}
	if len(devices) != 1 {
		t.Errorf("C2 contacted by %d devices, want 1", len(devices))
	}
	var gaps []int64
	for _, ts := range byProc {
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
		for i := 1; i < len(ts); i++ {
			gaps = append(gaps, ts[i]-ts[i-1])
		}
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	want := int64(a.BeaconInterval / 100)
	lo, hi := gaps[len(gaps)/20], gaps[len(gaps)*19/20]
	if lo < want-3*tSecond || hi > want+3*tSecond {
		t.Errorf("beacon gaps from %v to %v (5th to 95th percentile), "+
			"want within 3s of %v", table.TicksToDuration(lo),
			table.TicksToDuration(hi), a.BeaconInterval)
	}
}

// TestPersistence checks the Run key and the service's registry value.
func TestPersistence(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	r := hunt(t, tn, "DeviceRegistryEvents")
	tests := []struct{ name, key, value, data, device string }{
		{"Run key", `\CurrentVersion\Run`, a.RunValue, a.Implant,
			a.VictimDevice.Name},
		{"service", `\Services\` + a.ServiceName, "ImagePath",
			`C:\Windows\Temp\svchelper.exe`, a.FileServer.Name},
	}
	for _, tt := range tests {
		got := r.where(func(get func(string) string, _ int) bool {
			return has(get("RegistryKey"), tt.key) &&
				get("RegistryValueName") == tt.value &&
				get("RegistryValueData") == tt.data &&
				get("DeviceName") == tt.device &&
				get("ActionType") == "RegistryValueSet"
		})
		if len(got) != 1 {
			t.Errorf("%s: got %d rows, want 1", tt.name, len(got))
		}
	}
}

// TestMassRename checks the ransomware burst: hundreds of renames to one
// extension within minutes on the file server.
func TestMassRename(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	r := hunt(t, tn, "DeviceFileEvents")
	got := r.where(func(get func(string) string, _ int) bool {
		return get("ActionType") == "FileRenamed" &&
			strings.HasSuffix(get("FileName"), a.RansomExtension)
	})
	if len(got) != a.RenamedFiles || len(got) < 500 {
		t.Fatalf("got %d renames, want %d (at least 500)", len(got),
			a.RenamedFiles)
	}
	ts := r.col("Timestamp")
	first, last := ts.Int(got[0]), ts.Int(got[0])
	for _, i := range got {
		first, last = min(first, ts.Int(i)), max(last, ts.Int(i))
		if d := r.col("DeviceName").Str(i); d != a.FileServer.Name {
			t.Fatalf("rename on %s, want %s", d, a.FileServer.Name)
		}
	}
	if span := last - first; span > 10*tMinute {
		t.Errorf("renames span %v, want at most 10 minutes",
			table.TicksToDuration(span))
	}
}

// TestPasswordSpray runs the classic spray hunt: failed logons grouped by
// remote IP, counting distinct accounts. The two planted sprays stand
// out; no other address comes close.
func TestPasswordSpray(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	r := hunt(t, tn, "DeviceLogonEvents")
	accounts := map[string]map[string]bool{}
	for _, i := range r.where(func(get func(string) string, _ int) bool {
		return get("ActionType") == "LogonFailed" &&
			get("RemoteIP") != ""
	}) {
		ip := r.col("RemoteIP").Str(i)
		if accounts[ip] == nil {
			accounts[ip] = map[string]bool{}
		}
		accounts[ip][r.col("AccountName").Str(i)] = true
	}
	for ip, accts := range accounts {
		sprayer := ip == a.SprayIP || ip == a.ExternalSprayIP
		if sprayer && len(accts) < 25 {
			t.Errorf("%s: %d accounts, want at least 25", ip, len(accts))
		}
		if !sprayer && len(accts) > 5 {
			t.Errorf("%s: %d accounts from an address that is not a "+
				"sprayer, want at most 5", ip, len(accts))
		}
	}
	rdp := r.where(func(get func(string) string, _ int) bool {
		return get("LogonType") == "RemoteInteractive" &&
			get("ActionType") == "LogonSuccess" &&
			get("RemoteIP") == a.VictimDevice.IP &&
			get("AccountName") == a.SprayedAccount.Name &&
			get("DeviceName") == a.FileServer.Name
	})
	if len(rdp) != 1 {
		t.Errorf("RDP logons with the sprayed account: got %d, want 1",
			len(rdp))
	}
}

// TestAlertsTieTogether checks that every evidence row belongs to an
// alert and that the evidence points at rows of the device tables.
func TestAlertsTieTogether(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	info := hunt(t, tn, "AlertInfo")
	ids := map[string]bool{}
	for i := 0; i < info.tb.Rows(); i++ {
		ids[info.col("AlertId").Str(i)] = true
	}
	ev := hunt(t, tn, "AlertEvidence")
	for i := 0; i < ev.tb.Rows(); i++ {
		if id := ev.col("AlertId").Str(i); !ids[id] {
			t.Fatalf("evidence row %d: alert %s not in AlertInfo", i, id)
		}
	}
	tests := []struct {
		name, column, value, table string
	}{
		{"victim device", "DeviceId", a.VictimDevice.ID, "DeviceProcessEvents"},
		{"implant hash", "SHA256", a.ImplantSHA256, "DeviceProcessEvents"},
		{"C2 address", "RemoteIP", a.C2IP, "DeviceNetworkEvents"},
		{"attachment hash", "SHA256", a.AttachmentSHA256, "DeviceFileEvents"},
		{"sprayed account", "AccountName", a.SprayedAccount.Name,
			"DeviceLogonEvents"},
		{"phish message", "NetworkMessageId", a.PhishMessageID, "EmailEvents"},
	}
	for _, tt := range tests {
		inEvidence := ev.where(func(get func(string) string, _ int) bool {
			return get(tt.column) == tt.value
		})
		if len(inEvidence) == 0 {
			t.Errorf("%s: %s %s not in AlertEvidence", tt.name, tt.column,
				tt.value)
			continue
		}
		inTable := hunt(t, tn, tt.table).where(
			func(get func(string) string, _ int) bool {
				return get(tt.column) == tt.value
			})
		if len(inTable) == 0 {
			t.Errorf("%s: %s %s not in %s", tt.name, tt.column, tt.value,
				tt.table)
		}
	}
}

// TestDeviceEventsOfTheAttack checks the DeviceEvents rows hunts use.
func TestDeviceEventsOfTheAttack(t *testing.T) {
	tn := full(t)
	r := hunt(t, tn, "DeviceEvents")
	tests := []struct{ action, field, want string }{
		{"AntivirusDetection", "AdditionalFields", "Mimikatz"},
		{"AsrOfficeChildProcessAudited", "InitiatingProcessFileName",
			"WINWORD.EXE"},
		{"ScheduledTaskCreated", "AdditionalFields", tn.Attack.TaskName},
		{"ServiceInstalled", "AdditionalFields", tn.Attack.ServiceName},
		{"OpenProcessApiCall", "InitiatingProcessFileName", "procdump64.exe"},
		{"BrowserLaunchedToOpenUrl", "RemoteUrl", tn.Attack.PhishURL},
		{"DnsQueryResponse", "AdditionalFields", tn.Attack.C2Domain},
		{"NamedPipeEvent", "AdditionalFields", "msagent_81"},
		{"CreateRemoteThreadApiCall", "InitiatingProcessFileName",
			"update.exe"},
		{"TamperingAttempt", "AdditionalFields", "Blocked"},
		{"UserAccountCreated", "AccountName", "support"},
	}
	for _, tt := range tests {
		got := r.where(func(get func(string) string, _ int) bool {
			return get("ActionType") == tt.action && has(get(tt.field),
				tt.want)
		})
		if len(got) == 0 {
			t.Errorf("%s: no row with %s containing %q", tt.action,
				tt.field, tt.want)
		}
	}
}

// TestCloudTakeover checks the attacker's sign-in and inbox rule.
func TestCloudTakeover(t *testing.T) {
	tn := full(t)
	a := tn.Attack
	r := hunt(t, tn, "CloudAppEvents")
	got := r.where(func(get func(string) string, _ int) bool {
		return get("ActionType") == "New-InboxRule" &&
			get("IPAddress") == a.AttackerIP &&
			has(get("RawEventData"), "SubjectOrBodyContainsWords")
	})
	if len(got) != 1 {
		t.Errorf("inbox rules from %s: got %d, want 1", a.AttackerIP,
			len(got))
	}
}

// TestAttackIsRecent checks the story fits the week most hunts look back
// over and is over before the clock.
func TestAttackIsRecent(t *testing.T) {
	tn := full(t)
	week := tn.To.Add(-7 * 24 * time.Hour)
	for _, s := range tn.Attack.Steps {
		if s.Time.Before(week) || !s.Time.Before(tn.To) {
			t.Errorf("step %q at %v, want within the week before %v",
				s.What, s.Time, tn.To)
		}
	}
	for i := 1; i < len(tn.Attack.Steps); i++ {
		if prev, s := tn.Attack.Steps[i-1], tn.Attack.Steps[i]; s.Time.Before(prev.Time) {
			t.Errorf("step %q at %v comes after %q at %v", s.What, s.Time,
				prev.What, prev.Time)
		}
	}
	if got := tn.Attack.Victim.Department; got != "Finance" {
		t.Errorf("victim works in %s, want Finance (an invoice lure)", got)
	}
	if got := len(tn.Attack.Steps); got < 15 {
		t.Errorf("got %d steps, want at least 15", got)
	}
}
