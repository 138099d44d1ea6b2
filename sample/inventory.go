package sample

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// discovered are network devices that device discovery saw but that run
// no sensor.
// discoveredDevice is a device that device discovery saw but that runs
// no sensor.
type discoveredDevice struct {
	name, ip, category, typ, vendor, model, os, status string
}

var discovered = []discoveredDevice{
	{"prn-floor2-01", "10.20.5.10", "NetworkDevice", "Printer", "HP",
		"LaserJet Pro M404", "", "Unsupported"},
	{"prn-floor3-01", "10.20.5.11", "NetworkDevice", "Printer", "Canon",
		"imageRUNNER C3226", "", "Unsupported"},
	{"nas01", "10.10.2.20", "NetworkDevice", "NetworkAttachedStorage",
		"Synology", "DS920+", "Linux", "Unsupported"},
	{"cam-lobby", "10.30.0.15", "IoT", "SurveillanceCamera", "Axis",
		"M3106-L", "", "Unsupported"},
	{"iphone-ruby", "10.20.9.41", "Endpoint", "Mobile", "Apple",
		"iPhone 15", "iOS", "Can be onboarded"},
	{"macbook-dana", "10.20.9.52", "Endpoint", "Workstation", "Apple",
		"MacBook Pro", "macOS", "Can be onboarded"},
	{"desktop-7h2k9q", "10.20.9.77", "Endpoint", "Workstation", "",
		"", "Windows10", "Can be onboarded"},
	{"sw-core01", "10.10.0.2", "NetworkDevice", "Switch", "Cisco",
		"Catalyst 9300", "IOS", "Unsupported"},
}

func genDeviceInfo(g *gen) *table.Table {
	b := newBuilder("DeviceInfo", len(g.f.devices)*130, g.from, g.to)
	r := newRNG(g.seed, "DeviceInfo")
	var report int64
	for _, d := range g.f.devices {
		for t := g.from + r.span(6*tHour); t < g.to; t += 6 * tHour {
			report++
			deviceInfo(g, b, d, t, report)
		}
	}
	for i, x := range discovered {
		id := nameHex40(g.seed, "discovered/"+x.name)
		for t := g.from + int64(i)*tHour; t < g.to; t += tDay {
			report++
			discoveredInfo(b, x, id, t, report)
		}
	}
	return b.table()
}

// deviceInfo writes one report of an onboarded device.
func deviceInfo(g *gen, b *builder, d *Device, t, report int64) {
	c := b.col
	b.time(c("Timestamp"), t)
	b.str(c("DeviceId"), d.ID)
	b.str(c("DeviceName"), d.Name)
	b.str(c("ClientVersion"), "10.8760.22621.1020")
	b.str(c("PublicIP"), officeIP)
	b.str(c("OSArchitecture"), "64-bit")
	b.str(c("OSPlatform"), d.OSPlat)
	b.long(c("OSBuild"), d.OSBuild)
	b.boolean(c("IsAzureADJoined"), true)
	b.str(c("JoinType"), "Hybrid Azure AD Join")
	b.str(c("AadDeviceId"), d.AADID)
	b.str(c("LoggedOnUsers"), loggedOn(d, t))
	b.str(c("OSVersion"), d.OSVersion)
	b.str(c("MachineGroup"), machineGroup(d))
	b.long(c("ReportId"), report)
	b.str(c("OnboardingStatus"), "Onboarded")
	b.str(c("AdditionalFields"), deviceInfoFields(d, t))
	b.str(c("DeviceCategory"), "Endpoint")
	b.str(c("DeviceType"), deviceType(d))
	b.str(c("Model"), d.Model)
	b.str(c("Vendor"), d.Vendor)
	b.str(c("OSDistribution"), "")
	b.str(c("OSVersionInfo"), osVersionInfo(d))
	b.boolean(c("IsInternetFacing"), d.Internet)
	b.str(c("SensorHealthState"), "Active")
	b.boolean(c("IsExcluded"), false)
	b.str(c("ExposureLevel"), exposure(g, d))
	b.str(c("AssetValue"), assetValue(d))
	b.str(c("DeviceManualTags"), "[]")
	b.str(c("DeviceDynamicTags"), "[]")
	b.str(c("ConnectivityType"), "Streamlined")
	b.boolean(c("IsTransient"), false)
	b.str(c("OsBuildRevision"), "4460")
	b.str(c("Site"), "London")
	b.str(c("DiscoverySources"), `["MDE"]`)
	b.end()
}

// discoveredInfo writes one report of a device seen on the network.
func discoveredInfo(b *builder, x discoveredDevice, id string, t,
	report int64) {
	c := b.col
	b.time(c("Timestamp"), t)
	b.str(c("DeviceId"), id)
	b.str(c("DeviceName"), x.name)
	b.str(c("OSPlatform"), x.os)
	b.str(c("OnboardingStatus"), x.status)
	b.str(c("DeviceCategory"), x.category)
	b.str(c("DeviceType"), x.typ)
	b.str(c("Vendor"), x.vendor)
	b.str(c("Model"), x.model)
	b.long(c("ReportId"), report)
	b.str(c("ExposureLevel"), "None")
	b.str(c("AssetValue"), "Normal")
	b.str(c("AdditionalFields"), "{}")
	b.str(c("DiscoverySources"), `["MDE Device Discovery"]`)
	b.boolean(c("IsInternetFacing"), false)
	b.end()
}

// loggedOn renders who was logged on to d at t, as LoggedOnUsers does.
func loggedOn(d *Device, t int64) string {
	var users []string
	seen := map[string]bool{}
	for i := range d.sim.sessions {
		ss := &d.sim.sessions[i]
		if ss.start <= t && t < ss.end && !seen[ss.acct.Name] {
			seen[ss.acct.Name] = true
			users = append(users, fmt.Sprintf(
				`{"UserName":"%s","DomainName":"%s","Sid":"%s"}`,
				ss.acct.Name, strings.ToUpper(ss.acct.Domain), ss.acct.SID))
		}
	}
	sort.Strings(users)
	return "[" + strings.Join(users, ",") + "]"
}

func machineGroup(d *Device) string {
	switch d.Kind {
	case Workstation:
		return "Workstations"
	case DomainController:
		return "Domain Controllers"
	}
	return "Servers"
}

func deviceType(d *Device) string {
	if d.Kind == Workstation {
		return "Workstation"
	}
	return "Server"
}

func osVersionInfo(d *Device) string {
	switch d.OSBuild {
	case 22631:
		return "23H2"
	case 19045:
		return "22H2"
	}
	return ""
}

func assetValue(d *Device) string {
	if d.Kind == DomainController {
		return "High"
	}
	return "Normal"
}

// exposure grows with what the device runs and what was found on it.
func exposure(g *gen, d *Device) string {
	switch {
	case d.Internet:
		return "High"
	case g.atk != nil && g.atk.touched(d):
		return "High"
	case d.OSPlat == "Windows10":
		return "Medium"
	}
	return "Low"
}

func genDeviceNetworkInfo(g *gen) *table.Table {
	b := newBuilder("DeviceNetworkInfo", len(g.f.devices)*130, g.from, g.to)
	r := newRNG(g.seed, "DeviceNetworkInfo")
	c := func(n string) int { return b.col(n) }
	dns := fmt.Sprintf(`["%s","%s"]`, g.f.servers[0].IP, g.f.servers[1].IP)
	var report int64
	for _, d := range g.f.devices {
		gw := d.IP[:strings.LastIndexByte(d.IP, '.')] + ".1"
		adapter, typ, vendor := "Ethernet", "Ethernet", "VMware, Inc."
		if d.Kind == Workstation {
			adapter, typ, vendor = "Wi-Fi", "Wireless80211", "Intel Corporation"
		}
		for t := g.from + r.span(6*tHour); t < g.to; t += 6 * tHour {
			report++
			b.time(c("Timestamp"), t)
			b.str(c("DeviceId"), d.ID)
			b.str(c("DeviceName"), d.Name)
			b.str(c("NetworkAdapterName"), adapter)
			b.str(c("MacAddress"), d.MAC)
			b.str(c("NetworkAdapterType"), typ)
			b.str(c("NetworkAdapterStatus"), "Up")
			b.str(c("TunnelType"), "None")
			b.str(c("ConnectedNetworks"), `[{"Name":"contoso.com","Description":"contoso.com","IsConnectedToInternet":true,"Category":"Domain"}]`)
			b.str(c("DnsAddresses"), dns)
			b.str(c("IPv4Dhcp"), g.f.servers[0].IP)
			b.str(c("DefaultGateways"), `["`+gw+`"]`)
			b.str(c("IPAddresses"), `[{"IPAddress":"`+d.IP+
				`","SubnetPrefix":24,"AddressType":"Private"}]`)
			b.long(c("ReportId"), report)
			b.str(c("NetworkAdapterVendor"), vendor)
			b.str(c("OnboardingStatus"), "Onboarded")
			b.str(c("NetworkAdapterDnsSuffix"), Domain)
			b.end()
		}
	}
	for i, x := range discovered {
		id := nameHex40(g.seed, "discovered/"+x.name)
		for t := g.from + int64(i)*tHour; t < g.to; t += tDay {
			report++
			b.time(c("Timestamp"), t)
			b.str(c("DeviceId"), id)
			b.str(c("DeviceName"), x.name)
			b.str(c("IPAddresses"), `[{"IPAddress":"`+x.ip+
				`","SubnetPrefix":24,"AddressType":"Private"}]`)
			b.long(c("ReportId"), report)
			b.str(c("OnboardingStatus"), x.status)
			b.end()
		}
	}
	return b.table()
}

// genFileCertificateInfo reports the signature of every signed binary
// the first time each device ran it.
func genFileCertificateInfo(g *gen) *table.Table {
	b := newBuilder("DeviceFileCertificateInfo", 4096, g.from, g.to)
	c := func(n string) int { return b.col(n) }
	var report int64
	for _, d := range g.f.devices {
		seen := map[*image]bool{}
		for i := range d.procs {
			p := &d.procs[i]
			if seen[p.img] || p.img.Path == "" || p.start < g.from {
				continue
			}
			seen[p.img] = true
			report++
			signer, issuer := certOf(p.img)
			b.time(c("Timestamp"), p.start+tMinute)
			b.str(c("DeviceId"), d.ID)
			b.str(c("DeviceName"), d.Name)
			b.str(c("SHA1"), p.img.SHA1)
			b.boolean(c("IsSigned"), signer != "")
			b.long(c("ReportId"), report)
			if signer != "" {
				b.str(c("SignatureType"), "Embedded")
				b.str(c("Signer"), signer)
				b.str(c("SignerHash"), fileHashes("signer/"+signer).SHA1)
				b.str(c("Issuer"), issuer)
				b.str(c("IssuerHash"), fileHashes("issuer/"+issuer).SHA1)
				b.str(c("CertificateSerialNumber"),
					fileHashes("serial/" + signer).SHA1[:32])
				b.time(c("CertificateCreationTime"), g.from-400*tDay)
				b.time(c("CertificateExpirationTime"), g.from+300*tDay)
				b.boolean(c("IsTrusted"), true)
				b.boolean(c("IsRootSignerMicrosoft"),
					strings.HasPrefix(signer, "Microsoft"))
			}
			b.end()
		}
	}
	return b.table()
}

func certOf(img *image) (signer, issuer string) {
	switch img.Signer {
	case "OsVendor":
		return "Microsoft Windows", "Microsoft Windows Production PCA 2011"
	case "Microsoft":
		return "Microsoft Corporation", "Microsoft Code Signing PCA 2011"
	case "ThirdParty":
		return img.Company, "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1"
	}
	return "", ""
}

// deviceInfoFields is DeviceInfo's AdditionalFields: for the gateway, why
// Defender considers it internet facing.
func deviceInfoFields(d *Device, t int64) string {
	if !d.Internet {
		return "{}"
	}
	return `{"InternetFacingReason":"PublicScan","InternetFacingLastSeen":"` +
		table.FormatDateTime(t-tDay) + `","InternetFacingLocalIp":"` + d.IP +
		`","InternetFacingLocalPort":3389,"InternetFacingPublicScannedIp":"` +
		rdsPublicIP + `","InternetFacingPublicScannedPort":3389,` +
		`"InternetFacingTransportProtocol":"Tcp"}`
}
