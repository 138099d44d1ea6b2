package sample

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
)

// testNow is the fixed clock of every test tenant.
var testNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

var (
	fullOnce   sync.Once
	fullTenant *Tenant
)

// full returns the full-size tenant, built once for all tests.
func full(t testing.TB) *Tenant {
	t.Helper()
	fullOnce.Do(func() {
		fullTenant = Generate(Options{Seed: 7, Now: testNow})
	})
	return fullTenant
}

// digest hashes every table: names, schemas and every cell as JSON.
func digest(tn *Tenant) string {
	h := sha256.New()
	var buf []byte
	for _, name := range tn.TableNames() {
		tb := tn.Tables[name]
		h.Write([]byte(name + tb.String()))
		for _, c := range tb.Columns {
			for i := 0; i < c.Len(); i++ {
				buf = c.AppendJSON(buf[:0], i)
				h.Write(append(buf, ','))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestGenerateIsDeterministic(t *testing.T) {
	opt := Options{Seed: 42, Now: testNow, Scale: 0.15}
	first, second := digest(Generate(opt)), digest(Generate(opt))
	if first != second {
		t.Errorf("same options: got digests %s and %s, want equal",
			first, second)
	}
	opt.Seed = 43
	if other := digest(Generate(opt)); other == first {
		t.Errorf("seeds 42 and 43 gave the same digest %s", first)
	}
}

func TestTablesFollowTheSchema(t *testing.T) {
	tn := full(t)
	for _, st := range schema.Defender().Tables {
		t.Run(st.Name, func(t *testing.T) {
			tb, ok := tn.Tables[st.Name]
			if !ok {
				t.Fatalf("table missing")
			}
			if got, want := len(tb.Columns), len(st.Columns); got != want {
				t.Fatalf("got %d columns, want %d", got, want)
			}
			for i, c := range tb.Columns {
				want := st.Columns[i]
				if c.Name != want.Name || c.Type != want.Type {
					t.Errorf("column %d: got %s:%s, want %s:%s", i,
						c.Name, c.Type, want.Name, want.Type)
				}
			}
			if err := tb.Validate(); err != nil {
				t.Errorf("validate: %v", err)
			}
		})
	}
	if got, want := len(tn.Tables), len(schema.Defender().Tables); got != want {
		t.Errorf("got %d tables, want %d", got, want)
	}
}

func TestRowCounts(t *testing.T) {
	tn := full(t)
	if got := tn.Rows(); got < 500_000 {
		t.Errorf("got %d rows in all, want at least 500,000", got)
	}
	tests := []struct {
		table string
		min   int
	}{
		{"DeviceProcessEvents", 40_000},
		{"DeviceNetworkEvents", 60_000},
		{"DeviceFileEvents", 20_000},
		{"DeviceRegistryEvents", 5_000},
		{"DeviceLogonEvents", 5_000},
		{"DeviceImageLoadEvents", 20_000},
		{"DeviceEvents", 3_000},
		{"DeviceInfo", 5_000},
		{"DeviceNetworkInfo", 5_000},
		{"DeviceFileCertificateInfo", 1_000},
		{"AlertInfo", 20},
		{"AlertEvidence", 50},
		{"EmailEvents", 10_000},
		{"EmailAttachmentInfo", 1_000},
		{"EmailUrlInfo", 10_000},
		{"EmailPostDeliveryEvents", 1},
		{"UrlClickEvents", 100},
		{"IdentityLogonEvents", 10_000},
		{"IdentityQueryEvents", 5_000},
		{"IdentityDirectoryEvents", 50},
		{"IdentityInfo", 1_000},
		{"CloudAppEvents", 10_000},
	}
	for _, tt := range tests {
		if got := tn.Tables[tt.table].Rows(); got < tt.min {
			t.Errorf("%s: got %d rows, want at least %d", tt.table, got,
				tt.min)
		}
	}
}

func TestTimestampsInWindow(t *testing.T) {
	tn := full(t)
	from, to := table.TimeToTicks(tn.From), table.TimeToTicks(tn.To)
	if got, want := tn.To.Sub(tn.From), Window; got != want {
		t.Errorf("window: got %v, want %v", got, want)
	}
	for _, name := range tn.TableNames() {
		tb := tn.Tables[name]
		ts, _ := tb.Column("Timestamp")
		if ts == nil || ts.Type != table.DateTime {
			continue
		}
		for i := 0; i < ts.Len(); i++ {
			if ts.IsNull(i) {
				t.Errorf("%s row %d: null Timestamp", name, i)
				break
			}
			if v := ts.Int(i); v < from || v >= to {
				t.Errorf("%s row %d: Timestamp %s outside [%s, %s)", name, i,
					ts.Format(i), tn.From.Format(time.RFC3339),
					tn.To.Format(time.RFC3339))
				break
			}
		}
	}
}

// TestCreationBeforeEvent checks that no process is created after the
// event it caused.
func TestCreationBeforeEvent(t *testing.T) {
	tn := full(t)
	for _, name := range []string{"DeviceProcessEvents",
		"DeviceNetworkEvents", "DeviceFileEvents", "DeviceRegistryEvents",
		"DeviceImageLoadEvents", "DeviceEvents", "DeviceLogonEvents"} {
		tb := tn.Tables[name]
		ts, _ := tb.Column("Timestamp")
		cr, _ := tb.Column("InitiatingProcessCreationTime")
		for i := 0; i < tb.Rows(); i++ {
			if !cr.IsNull(i) && cr.Int(i) > ts.Int(i) {
				t.Errorf("%s row %d: initiating process created at %s, "+
					"after the event at %s", name, i, cr.Format(i),
					ts.Format(i))
				break
			}
		}
	}
}

// TestProcessTreeIsConsistent checks that the initiating process of each
// process creation is itself a process creation on the same device, with
// the same ID, name and creation time, when it started inside the window.
func TestProcessTreeIsConsistent(t *testing.T) {
	tn := full(t)
	tb := tn.Tables["DeviceProcessEvents"]
	col := func(n string) *table.Column { c, _ := tb.Column(n); return c }
	dev, pid, name, created := col("DeviceId"), col("ProcessId"),
		col("FileName"), col("ProcessCreationTime")
	ipid, iname, icreated := col("InitiatingProcessId"),
		col("InitiatingProcessFileName"), col("InitiatingProcessCreationTime")
	type key struct {
		dev  string
		pid  int64
		when int64
	}
	seen := make(map[key]string, tb.Rows())
	for i := 0; i < tb.Rows(); i++ {
		seen[key{dev.Str(i), pid.Int(i), created.Int(i)}] = name.Str(i)
	}
	from := table.TimeToTicks(tn.From)
	checked := 0
	for i := 0; i < tb.Rows(); i++ {
		if icreated.Int(i) < from || iname.Str(i) == "System" {
			continue
		}
		got, ok := seen[key{dev.Str(i), ipid.Int(i), icreated.Int(i)}]
		if !ok || got != iname.Str(i) {
			t.Fatalf("row %d: initiating process %s (%d) has no creation "+
				"row; found %q", i, iname.Str(i), ipid.Int(i), got)
		}
		checked++
	}
	if checked < 10_000 {
		t.Errorf("checked %d parent links, want at least 10,000", checked)
	}
}

// TestHashesFollowFiles checks that a file path always has the same
// hashes: the same binary is the same file on every device.
func TestHashesFollowFiles(t *testing.T) {
	tb := full(t).Tables["DeviceProcessEvents"]
	path, _ := tb.Column("FolderPath")
	sha, _ := tb.Column("SHA256")
	byPath := map[string]string{}
	for i := 0; i < tb.Rows(); i++ {
		p, h := path.Str(i), sha.Str(i)
		if len(h) != 64 && p != "" {
			t.Fatalf("row %d: SHA256 %q of %s is not 64 hex digits", i, h, p)
		}
		if prev, ok := byPath[p]; ok && prev != h {
			t.Fatalf("%s has hashes %s and %s", p, prev, h)
		}
		byPath[p] = h
	}
}

// TestDevicesAreDistinct checks the fleet's identifiers.
func TestDevicesAreDistinct(t *testing.T) {
	tn := full(t)
	ids, ips := map[string]bool{}, map[string]bool{}
	for _, d := range tn.Devices {
		if len(d.ID) != 40 || ids[d.ID] || ips[d.IP] {
			t.Errorf("device %s: ID %q or IP %s is malformed or repeated",
				d.Name, d.ID, d.IP)
		}
		ids[d.ID], ips[d.IP] = true, true
	}
	if got := len(tn.Devices); got < 55 {
		t.Errorf("got %d devices, want at least 55", got)
	}
	if got := len(tn.Users); got < 60 {
		t.Errorf("got %d users, want at least 60", got)
	}
}

// TestMemoryBudget checks the bytes the tables hold, which is what the
// resident size of the tenant comes down to; BenchmarkGenerate reports
// the heap itself. The 2019 tables share the current tables' columns,
// so they are counted once, with their current names.
func TestMemoryBudget(t *testing.T) {
	size := 0
	for name, tb := range full(t).Tables {
		if !isLegacy(name) {
			size += tb.Size()
		}
	}
	if limit := 360 << 20; size > limit {
		t.Errorf("tables hold %d MB, want at most %d MB", size>>20,
			limit>>20)
	}
}

// TestSmallTenantKeepsTheAttack checks that a scaled-down tenant, as the
// engine's tests use, is smaller but still holds the whole intrusion.
func TestSmallTenantKeepsTheAttack(t *testing.T) {
	small := Generate(Options{Seed: 7, Now: testNow, Scale: 0.1})
	big := full(t)
	if s, b := small.Rows(), big.Rows(); s >= b/2 {
		t.Errorf("scale 0.1: got %d rows, want well under the %d of the "+
			"full tenant", s, b)
	}
	if s, b := len(small.Attack.Steps), len(big.Attack.Steps); s != b {
		t.Errorf("scale 0.1: got %d attack steps, want %d", s, b)
	}
	if s, b := len(small.Attack.Alerts), len(big.Attack.Alerts); s != b {
		t.Errorf("scale 0.1: got %d alerts, want %d", s, b)
	}
	beacons := 0
	r := small.Tables["DeviceNetworkEvents"]
	ip, _ := r.Column("RemoteIP")
	action, _ := r.Column("ActionType")
	for i := 0; i < r.Rows(); i++ {
		if ip.Str(i) == small.Attack.C2IP &&
			action.Str(i) == "ConnectionSuccess" {
			beacons++
		}
	}
	if beacons == 0 || beacons != small.Attack.Beacons {
		t.Errorf("scale 0.1: got %d beacons, want %d (more than 0)",
			beacons, small.Attack.Beacons)
	}
}

// TestAnyClock generates small tenants at awkward clocks: a Monday just
// after midnight, a Sunday, a leap day, a time with nanoseconds.
func TestAnyClock(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
	}{
		{"monday after midnight", time.Date(2026, 11, 30, 0, 30, 0, 0, time.UTC)},
		{"sunday", time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC)},
		{"leap day", time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC)},
		{"nanoseconds", time.Date(2026, 7, 1, 12, 34, 56, 789, time.UTC)},
		{"other zone", time.Date(2026, 3, 29, 2, 30, 0, 0,
			time.FixedZone("UTC+10", 10*3600))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := Generate(Options{Seed: 3, Now: tt.now, Scale: 0.1})
			if !tn.To.Equal(tt.now.Truncate(100)) {
				t.Errorf("To: got %v, want %v", tn.To, tt.now)
			}
			for _, s := range tn.Attack.Steps {
				if s.Time.Before(tn.From) || !s.Time.Before(tn.To) {
					t.Errorf("step %q at %v outside [%v, %v)", s.What,
						s.Time, tn.From, tn.To)
				}
			}
			for name, tb := range tn.Tables {
				if err := tb.Validate(); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
			if tn.Attack.Beacons == 0 {
				t.Errorf("no beacons")
			}
		})
	}
}
