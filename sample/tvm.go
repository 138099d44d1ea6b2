package sample

import (
	"fmt"

	"github.com/ahunt/ahunt/kql/table"
)

// software is an installed product as threat and vulnerability
// management inventories it.
type software struct {
	vendor, name, version string
	on                    func(d *Device) bool
	cves                  []string
}

func onAll(*Device) bool { return true }

func onWorkstations(d *Device) bool { return d.Kind == Workstation }

func onServers(d *Device) bool { return d.Kind != Workstation }

func onRole(role string) func(*Device) bool {
	return func(d *Device) bool { return d.Role == role }
}

// everyNth installs a product on some devices only.
func everyNth(n int) func(*Device) bool {
	return func(d *Device) bool { return keyNumber(d.ID, 0, int64(n-1)) == 0 }
}

var inventory = []software{
	{"microsoft", "windows_11", "10.0.22631.4460", func(d *Device) bool {
		return d.OSPlat == "Windows11"
	}, []string{"CVE-2026-21311"}},
	{"microsoft", "windows_10", "10.0.19045.5131", func(d *Device) bool {
		return d.OSPlat == "Windows10"
	}, []string{"CVE-2026-21311", "CVE-2026-20874"}},
	{"microsoft", "windows_server_2022", "10.0.20348.2849", func(d *Device) bool {
		return d.OSPlat == "WindowsServer2022"
	}, []string{"CVE-2026-21311"}},
	{"microsoft", "windows_server_2019", "10.0.17763.6532", func(d *Device) bool {
		return d.OSPlat == "WindowsServer2019"
	}, []string{"CVE-2026-21311", "CVE-2026-20901"}},
	{"microsoft", "windows_server_2016", "10.0.14393.7515", func(d *Device) bool {
		return d.OSPlat == "WindowsServer2016"
	}, []string{"CVE-2026-21311", "CVE-2026-20901"}},
	{"microsoft", "windows_server_2012_r2", "6.3.9600.22216", func(d *Device) bool {
		return d.OSPlat == "WindowsServer2012R2"
	}, []string{"CVE-2026-21311", "CVE-2026-20901"}},
	{"microsoft", "edge_chromium-based", "131.0.2903.70", onAll, nil},
	{"microsoft", "365_apps", "16.0.17928.20216", onWorkstations, nil},
	{"microsoft", "teams", "24295.605.3225.8804", onWorkstations, nil},
	{"microsoft", "onedrive", "24.211.1020.0001", onWorkstations, nil},
	{"google", "chrome", "131.0.6778.86", everyNth(3), nil},
	{"adobe", "acrobat_reader_dc", "24.4.20220.0", onWorkstations,
		[]string{"CVE-2026-34101"}},
	{"igor_pavlov", "7-zip", "19.00", everyNth(4),
		[]string{"CVE-2025-0411", "CVE-2024-11477"}},
	{"notepad-plus-plus", "notepad++", "8.4.7", everyNth(5),
		[]string{"CVE-2023-40031"}},
	{"oracle", "jre", "1.8.0.351", everyNth(6),
		[]string{"CVE-2023-21930", "CVE-2023-21967"}},
	{"git-scm", "git", "2.47.0.2", everyNth(4), nil},
	{"openssl", "openssl", "3.0.13", onRole("build"), nil},
	{"microsoft", "visual_studio_code", "1.95.3", everyNth(4), nil},
	{"vmware", "tools", "12.3.5", onServers, []string{"CVE-2025-22247"}},
	{"microsoft", "sql_server_2022", "16.0.4145.4", onRole("sql"), nil},
	{"microsoft", "internet_information_services", "10.0.20348.1",
		onRole("web"), nil},
}

// cve is a vulnerability of the knowledge base.
type cve struct {
	id, severity, cvss string
	exploit            bool
	published          int64 // days before the window ends
	desc               string
}

var cves = []cve{
	{"CVE-2026-21311", "High", "7.8", false, 21,
		"Windows Common Log File System driver elevation of privilege vulnerability"},
	{"CVE-2026-20874", "Critical", "9.8", true, 60,
		"Windows TCP/IP remote code execution vulnerability"},
	{"CVE-2026-20901", "High", "8.1", false, 45,
		"Windows Kerberos security feature bypass vulnerability"},
	{"CVE-2026-34101", "Medium", "5.5", false, 30,
		"Acrobat Reader out-of-bounds read that may disclose memory"},
	{"CVE-2025-0411", "High", "7.0", true, 320,
		"7-Zip Mark-of-the-Web bypass when extracting nested archives"},
	{"CVE-2024-11477", "High", "7.8", false, 370,
		"7-Zip Zstandard decompression integer underflow"},
	{"CVE-2023-40031", "Medium", "6.5", false, 820,
		"Notepad++ heap buffer overflow in UTF-16 conversion"},
	{"CVE-2023-21930", "High", "7.4", false, 950,
		"Java SE JSSE component vulnerability"},
	{"CVE-2023-21967", "Medium", "5.9", false, 950,
		"Java SE JSSE denial of service vulnerability"},
	{"CVE-2025-22247", "Medium", "6.1", false, 210,
		"VMware Tools insecure file handling"},
}

func cveByID(id string) cve {
	for _, c := range cves {
		if c.id == id {
			return c
		}
	}
	panic("sample: no CVE " + id)
}

func genTvmSoftwareInventory(g *gen) *table.Table {
	b := newBuilder("DeviceTvmSoftwareInventory", 1024, g.from, g.to)
	c := b.col
	for _, d := range g.f.devices {
		for _, s := range inventory {
			if !s.on(d) {
				continue
			}
			b.str(c("DeviceId"), d.ID)
			b.str(c("DeviceName"), d.Name)
			b.str(c("OSPlatform"), d.OSPlat)
			b.str(c("OSVersion"), d.OSVersion)
			b.str(c("OSArchitecture"), "x64")
			b.str(c("SoftwareVendor"), s.vendor)
			b.str(c("SoftwareName"), s.name)
			b.str(c("SoftwareVersion"), s.version)
			b.str(c("EndOfSupportStatus"), "")
			b.str(c("ProductCodeCpe"), fmt.Sprintf("cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*",
				s.vendor, s.name, s.version))
			b.end()
		}
	}
	return b.table()
}

func genTvmSoftwareVulnerabilities(g *gen) *table.Table {
	b := newBuilder("DeviceTvmSoftwareVulnerabilities", 1024, g.from, g.to)
	c := b.col
	for _, d := range g.f.devices {
		for _, s := range inventory {
			if !s.on(d) {
				continue
			}
			for _, id := range s.cves {
				v := cveByID(id)
				b.str(c("DeviceId"), d.ID)
				b.str(c("DeviceName"), d.Name)
				b.str(c("OSPlatform"), d.OSPlat)
				b.str(c("OSVersion"), d.OSVersion)
				b.str(c("OSArchitecture"), "x64")
				b.str(c("SoftwareVendor"), s.vendor)
				b.str(c("SoftwareName"), s.name)
				b.str(c("SoftwareVersion"), s.version)
				b.str(c("CveId"), v.id)
				b.str(c("VulnerabilitySeverityLevel"), v.severity)
				if s.vendor == "microsoft" {
					b.str(c("RecommendedSecurityUpdate"),
						"November 2026 Security Updates")
					b.str(c("RecommendedSecurityUpdateId"), "KB5046617")
				}
				b.str(c("CveTags"), "[]")
				b.end()
			}
		}
	}
	return b.table()
}

func genTvmVulnerabilitiesKB(g *gen) *table.Table {
	b := newBuilder("DeviceTvmSoftwareVulnerabilitiesKB", len(cves), g.from,
		g.to)
	c := b.col
	for _, v := range cves {
		b.str(c("CveId"), v.id)
		b.str(c("CvssScore"), v.cvss)
		b.boolean(c("IsExploitAvailable"), v.exploit)
		b.str(c("VulnerabilitySeverityLevel"), v.severity)
		b.time(c("LastModifiedTime"), g.to-v.published*tDay/2)
		b.time(c("PublishedDate"), g.to-v.published*tDay)
		b.str(c("VulnerabilityDescription"), v.desc)
		b.str(c("AffectedSoftware"), "[]")
		b.end()
	}
	return b.table()
}

// secureConfig is a security recommendation of the assessment.
type secureConfig struct {
	id, name, category, sub string
	impact                  float64
	compliant               func(d *Device) bool
}

func genTvmSecureConfig(g *gen) *table.Table {
	b := newBuilder("DeviceTvmSecureConfigurationAssessment", 1024, g.from,
		g.to)
	c := b.col
	for _, d := range g.f.devices {
		for _, s := range secureConfigs {
			b.str(c("DeviceId"), d.ID)
			b.str(c("DeviceName"), d.Name)
			b.str(c("OSPlatform"), d.OSPlat)
			b.time(c("Timestamp"), g.to-tHour)
			b.str(c("ConfigurationId"), s.id)
			b.str(c("ConfigurationCategory"), s.category)
			b.str(c("ConfigurationSubcategory"), s.sub)
			b.real(c("ConfigurationImpact"), s.impact)
			b.boolean(c("IsCompliant"), s.compliant(d))
			b.boolean(c("IsApplicable"), true)
			b.str(c("Context"), configContext(g, d, s.id))
			b.boolean(c("IsExpectedUserImpact"), false)
			b.end()
		}
	}
	return b.table()
}

func genTvmSecureConfigKB(g *gen) *table.Table {
	b := newBuilder("DeviceTvmSecureConfigurationAssessmentKB",
		len(secureConfigs), g.from, g.to)
	c := b.col
	for _, s := range secureConfigs {
		b.str(c("ConfigurationId"), s.id)
		b.real(c("ConfigurationImpact"), s.impact)
		b.str(c("ConfigurationName"), s.name)
		b.str(c("ConfigurationDescription"), s.name+".")
		b.str(c("RiskDescription"), "Attackers may exploit devices where "+
			"this setting is not applied.")
		b.str(c("ConfigurationCategory"), s.category)
		b.str(c("ConfigurationSubcategory"), s.sub)
		b.str(c("ConfigurationBenchmarks"), `[{"BenchmarkName":"CIS","BenchmarkVersion":"3.0.0"}]`)
		b.str(c("Tags"), "[]")
		b.str(c("RemediationOptions"), "Apply the setting by Group Policy "+
			"or Intune.")
		b.end()
	}
	return b.table()
}

// signaturesCurrent reports whether d's antivirus definitions are up to
// date: a few laptops that were off the network for a fortnight are not.
func signaturesCurrent(d *Device) bool {
	return d.Kind != Workstation || keyNumber(d.ID+"/av", 0, 7) != 0
}

// configContext is the evidence behind an assessment; for the
// definitions check, the signature version, engine version, signature
// date and platform version.
func configContext(g *gen, d *Device, id string) string {
	if id != "scid-2011" {
		return "[]"
	}
	date, version := g.to-6*tHour, "1.421.1502.0"
	if !signaturesCurrent(d) {
		date, version = g.to-15*tDay, "1.419.2210.0"
	}
	return `[["` + version + `","1.1.24090.11","` +
		table.FormatDateTime(date) + `","4.18.24090.11"]]`
}

// extension is a browser extension and the permissions it asks for.
type extension struct {
	browser, id, name, desc, version, risk, vendor string
	perms                                          []string
	on                                             func(*Device) bool
}

var extensions = []extension{
	{"edge", "odfafepnkmbhccpbejgmiehpchacaeak", "uBlock Origin",
		"Finally, an efficient blocker.", "1.61.0", "Medium",
		"Raymond Hill", []string{"webRequest", "tabs", "storage"},
		everyNth(3)},
	{"edge", "kbfnbcaeplbcioakkpcpgfkobkghlhen", "Grammarly",
		"Writing assistant.", "14.1203.0", "High", "Grammarly Inc.",
		[]string{"tabs", "cookies", "scripting"}, everyNth(4)},
	{"edge", "elhekieabhbkpmcefcoobjddigjcaadp", "Adobe Acrobat",
		"View, fill and sign PDFs in the browser.", "24.10.1.2",
		"Low", "Adobe Inc.", []string{"downloads", "storage"},
		onWorkstations},
	{"chrome", "hdokiejnpimakedhajhdlcegeplioahd", "LastPass",
		"Password manager.", "4.137.0", "High", "LastPass",
		[]string{"cookies", "tabs", "webRequest", "nativeMessaging"},
		everyNth(5)},
	{"chrome", "aapbdbdomjkkjkaonfhkkikfgjllcleb", "Google Translate",
		"Translate pages.", "2.0.16", "Low", "Google",
		[]string{"activeTab"}, everyNth(6)},
}

var permissionInfo = map[string]struct{ desc, risk string }{
	"webRequest":      {"Observe and analyse traffic", "High"},
	"tabs":            {"Read your browsing history", "Medium"},
	"storage":         {"Store data locally", "Low"},
	"cookies":         {"Read and change cookies", "High"},
	"scripting":       {"Run scripts on pages", "High"},
	"downloads":       {"Manage your downloads", "Medium"},
	"nativeMessaging": {"Talk to native applications", "High"},
	"activeTab":       {"Access the current page", "Low"},
}

func genTvmBrowserExtensions(g *gen) *table.Table {
	b := newBuilder("DeviceTvmBrowserExtensions", 256, g.from, g.to)
	c := b.col
	for _, d := range g.f.ws {
		for _, e := range extensions {
			if !e.on(d) {
				continue
			}
			b.str(c("DeviceId"), d.ID)
			b.str(c("BrowserName"), e.browser)
			b.str(c("ExtensionId"), e.id)
			b.str(c("ExtensionName"), e.name)
			b.str(c("ExtensionDescription"), e.desc)
			b.str(c("ExtensionVersion"), e.version)
			b.str(c("ExtensionRisk"), e.risk)
			b.str(c("ExtensionVendor"), e.vendor)
			b.str(c("IsActivated"), "true")
			b.time(c("InstallationTime"), g.from-keyNumber(d.ID+e.id, 10,
				400)*tDay)
			b.end()
		}
	}
	return b.table()
}

func genTvmBrowserExtensionsKB(g *gen) *table.Table {
	b := newBuilder("DeviceTvmBrowserExtensionsKB", 32, g.from, g.to)
	c := b.col
	for _, e := range extensions {
		for _, p := range e.perms {
			info := permissionInfo[p]
			b.str(c("BrowserName"), e.browser)
			b.str(c("ExtensionId"), e.id)
			b.str(c("ExtensionName"), e.name)
			b.str(c("ExtensionDescription"), e.desc)
			b.str(c("ExtensionVersion"), `["`+e.version+`"]`)
			b.str(c("ExtensionRisk"), e.risk)
			b.str(c("PermissionId"), p)
			b.str(c("PermissionName"), p)
			b.str(c("PermissionDescription"), info.desc)
			b.str(c("PermissionRisk"), info.risk)
			b.str(c("IsPermissionRequired"), "true")
			b.end()
		}
	}
	return b.table()
}
