package sample

import (
	"fmt"

	"github.com/ahunt/ahunt/kql/table"
)

// infoDays is how many daily snapshots DeviceTvmInfoGathering keeps.
const infoDays = 7

// genTvmInfoGathering writes each device's daily snapshot of its
// Defender configuration: antivirus mode, versions and update rings,
// attack surface reduction rule states and the last scans.
func genTvmInfoGathering(g *gen) *table.Table {
	b := newBuilder("DeviceTvmInfoGathering", len(g.f.devices)*infoDays,
		g.from, g.to)
	c := b.col
	for day := int64(infoDays); day > 0; day-- {
		at := g.to - day*tDay + tHour
		for _, d := range g.f.devices {
			b.time(c("Timestamp"), at)
			b.time(c("LastSeenTime"), at-10*tMinute)
			b.str(c("DeviceId"), d.ID)
			b.str(c("DeviceName"), d.Name)
			b.str(c("OSPlatform"), d.OSPlat)
			b.str(c("AdditionalFields"), infoFields(d, at))
			b.end()
		}
	}
	return b.table()
}

// infoFields is the AdditionalFields of a snapshot taken at t.
func infoFields(d *Device, t int64) string {
	sig, sigDate := "1.421.1502.0", t-6*tHour
	if !signaturesCurrent(d) {
		sig, sigDate = "1.419.2210.0", t-15*tDay
	}
	asr := "Audit"
	if d.Kind != Workstation {
		asr = "Off"
	}
	scan := table.FormatDateTime(t - 5*tHour)
	return fmt.Sprintf(`{"AvMode":"0","AvEngineVersion":"1.1.24090.11",`+
		`"AvPlatformVersion":"4.18.24090.11","AvSignatureVersion":%q,`+
		`"AvSignatureUpdateTime":%q,"AvSignatureRing":"4",`+
		`"AvPlatformRing":"4","AvEngineRing":"4",`+
		`"AvIsSignatureUpToDate":"%t","AvIsEngineUpToDate":"true",`+
		`"AvIsPlatformUpToDate":"true","CloudProtectionState":"1",`+
		`"TamperProtection":"1","AsrConfigurationStates":{`+
		`"BlockOfficeChildProcess":%q,"BlockCredentialStealing":"Block",`+
		`"BlockWin32ApiCallsFromOfficeMacros":%q,`+
		`"BlockPsExecAndWmiChildProcess":"Audit"},`+
		`"AvScanResults":"{\"Quick\":{\"ScanStatus\":\"Completed\",`+
		`\"ErrorCode\":\"0\",\"Timestamp\":\"%s\"},\"Full\":`+
		`{\"ScanStatus\":\"Completed\",\"ErrorCode\":\"0\",`+
		`\"Timestamp\":\"%s\"}}","Tls10Client":"Disabled",`+
		`"Tls11Client":"Disabled","Tls12Client":"Enabled"}`,
		sig, table.FormatDateTime(sigDate), signaturesCurrent(d), asr, asr,
		scan, scan)
}
