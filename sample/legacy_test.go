package sample

import "testing"

// TestLegacyTables checks that each 2019 table holds the rows of its
// current table under the old column names.
func TestLegacyTables(t *testing.T) {
	tn := full(t)
	tests := []struct {
		name     string
		old, cur string // column names
	}{
		{"ProcessCreationEvents", "EventTime", "Timestamp"},
		{"NetworkCommunicationEvents", "ComputerName", "DeviceName"},
		{"FileCreationEvents", "MachineId", "DeviceId"},
		{"RegistryEvents", "RegistryKey", "RegistryKey"},
		{"LogonEvents", "LogonId", "LogonId"},
		{"ImageLoadEvents", "FileName", "FileName"},
		{"MiscEvents", "RemoteComputerName", "RemoteDeviceName"},
		{"MachineInfo", "OSBuild", "OSBuild"},
		{"MachineNetworkInfo", "MachineId", "DeviceId"},
	}
	cur := map[string]string{}
	for _, l := range legacyTables {
		cur[l.old] = l.cur
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, now := tn.Tables[tt.name], tn.Tables[cur[tt.name]]
			if old.Rows() == 0 || old.Rows() != now.Rows() {
				t.Fatalf("got %d rows, want %d (and some)", old.Rows(),
					now.Rows())
			}
			oc, _ := old.Column(tt.old)
			nc, _ := now.Column(tt.cur)
			for _, i := range []int{0, old.Rows() / 2, old.Rows() - 1} {
				got, want := oc.Value(i).Text(), nc.Value(i).Text()
				if got != want {
					t.Errorf("row %d: got %s %q, want %q", i, tt.old, got,
						want)
				}
			}
		})
	}
}
