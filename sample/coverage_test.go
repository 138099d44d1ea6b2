package sample

import "testing"

// actionTypes returns the distinct ActionType values of a table.
func actionTypes(t *testing.T, tn *Tenant, name string) map[string]bool {
	t.Helper()
	c, _ := tn.Tables[name].Column("ActionType")
	if c == nil {
		t.Fatalf("%s has no ActionType column", name)
	}
	seen := map[string]bool{}
	for i := range c.Len() {
		seen[c.Str(i)] = true
	}
	return seen
}

// TestEverydayActivity checks that each kind of everyday activity the
// generator knows is in its table at least once, so hunts for it find
// something.
func TestEverydayActivity(t *testing.T) {
	tn := full(t)
	tests := []struct {
		table   string
		actions []string
	}{
		{"DeviceEvents", func() (a []string) {
			for _, e := range telemetries {
				a = append(a, e.action)
			}
			return append(a, "OtherAlertRelatedActivity")
		}()},
		{"CloudAppEvents", func() (a []string) {
			for _, e := range adminActions {
				a = append(a, e.act.action)
			}
			return append(a, "AppInstalled")
		}()},
		{"IdentityDirectoryEvents", func() (a []string) {
			for _, e := range dirChanges {
				a = append(a, e.action)
			}
			return a
		}()},
		{"DeviceNetworkEvents", []string{"IcmpConnectionInspected",
			"ConnectionSuccessAggregatedReport", "ListeningConnectionCreated"}},
		{"DeviceLogonEvents", []string{"LogonSuccessAggregatedReport"}},
		{"DeviceProcessEvents", []string{"ProcessCreatedAggregatedReport"}},
		{"EmailPostDeliveryEvents", []string{"Malware ZAP", "Phish ZAP",
			"Spam ZAP", "Quarantine Release"}},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			seen := actionTypes(t, tn, tt.table)
			for _, a := range tt.actions {
				if !seen[a] {
					t.Errorf("got no %q rows, want some", a)
				}
			}
		})
	}
}

// TestPostureTables checks the tables that describe the tenant rather
// than its activity: one assessment per device and control, a daily
// configuration snapshot per device, the apps and the exposure graph.
func TestPostureTables(t *testing.T) {
	tn := full(t)
	devices := len(tn.Devices)
	tests := []struct {
		table string
		want  int
	}{
		{"DeviceTvmSecureConfigurationAssessment",
			devices * len(secureConfigs)},
		{"DeviceTvmSecureConfigurationAssessmentKB", len(secureConfigs)},
		{"DeviceTvmInfoGathering", devices * infoDays},
	}
	for _, tt := range tests {
		if got := tn.Tables[tt.table].Rows(); got != tt.want {
			t.Errorf("%s: got %d rows, want %d", tt.table, got, tt.want)
		}
	}
	for _, name := range []string{"OAuthAppInfo", "ExposureGraphNodes",
		"ExposureGraphEdges"} {
		if tn.Tables[name].Rows() == 0 {
			t.Errorf("%s: got no rows, want some", name)
		}
	}
}
