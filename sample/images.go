package sample

import (
	"strings"
)

// image is an executable or library file: what Defender reports about
// the file behind a process or an image load.
type image struct {
	Name    string // FileName, as written on disk
	Path    string // FolderPath: the full path, file name included
	Company string
	Product string
	Version string
	Desc    string
	Orig    string // OriginalFileName from the version resource
	Signer  string // SignerType: "OsVendor", "Microsoft", "ThirdParty", ""
	Size    int64
	hashes
}

const (
	msCorp = "Microsoft Corporation"
	msOS   = "Microsoft® Windows® Operating System"
	osVer  = "10.0.22621.3527"
	sys32  = `C:\Windows\System32\`
)

// imageSpec is one row of the catalog below: name, folder, company,
// product, version, description, signer.
type imageSpec struct{ name, dir, company, product, ver, desc, signer string }

func osImage(name, desc string) imageSpec {
	return imageSpec{name, sys32, msCorp, msOS, osVer, desc, "OsVendor"}
}

var catalogSpecs = []imageSpec{
	{"System", "", "", "", "", "", ""},
	osImage("smss.exe", "Windows Session Manager"),
	osImage("csrss.exe", "Client Server Runtime Process"),
	osImage("wininit.exe", "Windows Start-Up Application"),
	osImage("winlogon.exe", "Windows Logon Application"),
	osImage("services.exe", "Services and Controller app"),
	osImage("lsass.exe", "Local Security Authority Process"),
	osImage("svchost.exe", "Host Process for Windows Services"),
	osImage("userinit.exe", "Userinit Logon Application"),
	{"explorer.exe", `C:\Windows\`, msCorp, msOS, osVer, "Windows Explorer",
		"OsVendor"},
	osImage("taskhostw.exe", "Host Process for Windows Tasks"),
	osImage("backgroundTaskHost.exe", "Background Task Host"),
	osImage("RuntimeBroker.exe", "Runtime Broker"),
	osImage("SearchIndexer.exe", "Microsoft Windows Search Indexer"),
	osImage("SearchProtocolHost.exe", "Microsoft Windows Search Protocol Host"),
	osImage("spoolsv.exe", "Spooler SubSystem App"),
	osImage("conhost.exe", "Console Window Host"),
	osImage("cmd.exe", "Windows Command Processor"),
	{"powershell.exe", `C:\Windows\System32\WindowsPowerShell\v1.0\`, msCorp,
		msOS, osVer, "Windows PowerShell", "OsVendor"},
	osImage("net.exe", "Net Command"),
	osImage("net1.exe", "Net Command"),
	osImage("ipconfig.exe", "IP Configuration Utility"),
	osImage("whoami.exe", "whoami - displays logged on user information"),
	osImage("nltest.exe", "Microsoft® Logon Server Test Utility"),
	osImage("ping.exe", "TCP/IP Ping Command"),
	osImage("gpupdate.exe", "Microsoft® Windows Group Policy Update Utility"),
	osImage("sppsvc.exe", "Microsoft Software Protection Platform Service"),
	osImage("wermgr.exe", "Windows Problem Reporting"),
	osImage("CompatTelRunner.exe", "Microsoft Compatibility Telemetry"),
	osImage("mmc.exe", "Microsoft Management Console"),
	osImage("rdpclip.exe", "RDP Clipboard Monitor"),
	osImage("tasklist.exe", "Lists the current running tasks"),
	osImage("robocopy.exe", "Microsoft Robocopy"),
	osImage("wbadmin.exe", "Command Line Interface for Microsoft® BLB Backup"),
	osImage("repadmin.exe", "Replication Diagnosis Tool"),
	osImage("dcdiag.exe", "Domain Controller Diagnosis"),
	osImage("notepad.exe", "Notepad"),
	osImage("msiexec.exe", "Windows® installer"),
	osImage("splwow64.exe", "Print driver host for applications"),
	osImage("dllhost.exe", "COM Surrogate"),
	osImage("consent.exe", "Consent UI for administrative applications"),
	osImage("UsoClient.exe", "UsoClient"),
	osImage("certutil.exe", "CertUtil.exe"),
	osImage("bitsadmin.exe", "BITS administration utility"),
	osImage("mshta.exe", "Microsoft (R) HTML Application host"),
	osImage("rundll32.exe", "Windows host process (Rundll32)"),
	osImage("regsvr32.exe", "Microsoft(C) Register Server"),
	osImage("schtasks.exe", "Task Scheduler Configuration Tool"),
	osImage("sc.exe", "Service Control Manager Configuration Tool"),
	osImage("reg.exe", "Registry Console Tool"),
	osImage("vssadmin.exe", "Command Line Interface for Microsoft® Volume Shadow Copy Service"),
	{"WMIC.exe", `C:\Windows\System32\wbem\`, msCorp, msOS, osVer,
		"WMI Commandline Utility", "OsVendor"},
	{"WmiPrvSE.exe", `C:\Windows\System32\wbem\`, msCorp, msOS, osVer,
		"WMI Provider Host", "OsVendor"},
	osImage("bcdedit.exe", "Boot Configuration Data Editor"),
	osImage("gpscript.exe", "Script for Group Policy Extension"),
	osImage("netsh.exe", "Network Command Shell"),
	{"PsExec64.exe", `C:\Tools\Sysinternals\`, "Sysinternals - www.sysinternals.com",
		"Sysinternals PsExec", "2.43", "Execute processes remotely",
		"Microsoft"},
	osImage("wevtutil.exe", "Eventing Command Line Utility"),
	osImage("mstsc.exe", "Remote Desktop Connection"),
	{"w3wp.exe", `C:\Windows\System32\inetsrv\`, msCorp,
		"Internet Information Services", osVer, "IIS Worker Process",
		"OsVendor"},
	{"MsMpEng.exe", `C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\`,
		msCorp, msOS, "4.18.24090.11", "Antimalware Service Executable",
		"Microsoft"},
	{"MpCmdRun.exe", `C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\`,
		msCorp, msOS, "4.18.24090.11", "Microsoft Malware Protection Command Line Utility",
		"Microsoft"},
	{"MsSense.exe", `C:\Program Files\Windows Defender Advanced Threat Protection\`,
		msCorp, msOS, "10.8760.22621.1020", "Windows Defender Advanced Threat Protection Service Executable",
		"Microsoft"},
	{"SenseIR.exe", `C:\Program Files\Windows Defender Advanced Threat Protection\`,
		msCorp, msOS, "10.8760.22621.1020", "Windows Defender Advanced Threat Protection Automated Investigation Service",
		"Microsoft"},
	{"msedge.exe", `C:\Program Files (x86)\Microsoft\Edge\Application\`,
		msCorp, "Microsoft Edge", "131.0.2903.70", "Microsoft Edge",
		"Microsoft"},
	{"msedgewebview2.exe", `C:\Program Files (x86)\Microsoft\EdgeWebView\Application\131.0.2903.70\`,
		msCorp, "Microsoft Edge WebView2", "131.0.2903.70",
		"Microsoft Edge WebView2", "Microsoft"},
	{"chrome.exe", `C:\Program Files\Google\Chrome\Application\`,
		"Google LLC", "Google Chrome", "131.0.6778.86", "Google Chrome",
		"ThirdParty"},
	{"MicrosoftEdgeUpdate.exe", `C:\Program Files (x86)\Microsoft\EdgeUpdate\`,
		msCorp, "Microsoft Edge Update", "1.3.195.39",
		"Microsoft Edge Update", "Microsoft"},
	{"OUTLOOK.EXE", `C:\Program Files\Microsoft Office\root\Office16\`,
		msCorp, "Microsoft Outlook", "16.0.17928.20216", "Microsoft Outlook",
		"Microsoft"},
	{"WINWORD.EXE", `C:\Program Files\Microsoft Office\root\Office16\`,
		msCorp, "Microsoft Office", "16.0.17928.20216", "Microsoft Word",
		"Microsoft"},
	{"EXCEL.EXE", `C:\Program Files\Microsoft Office\root\Office16\`,
		msCorp, "Microsoft Office", "16.0.17928.20216", "Microsoft Excel",
		"Microsoft"},
	{"POWERPNT.EXE", `C:\Program Files\Microsoft Office\root\Office16\`,
		msCorp, "Microsoft Office", "16.0.17928.20216",
		"Microsoft PowerPoint", "Microsoft"},
	{"ms-teams.exe", `C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\`,
		msCorp, "Microsoft Teams", "24295.605.3225.8804", "Microsoft Teams",
		"Microsoft"},
	{"OneDrive.exe", `C:\Program Files\Microsoft OneDrive\`, msCorp,
		"Microsoft OneDrive", "24.211.1020.0001", "Microsoft OneDrive",
		"Microsoft"},
	{"AcroRd32.exe", `C:\Program Files (x86)\Adobe\Acrobat Reader DC\Reader\`,
		"Adobe Systems Incorporated", "Adobe Acrobat Reader DC",
		"24.4.20220.0", "Adobe Acrobat Reader DC", "ThirdParty"},
	{"Code.exe", `C:\Program Files\Microsoft VS Code\`, msCorp,
		"Visual Studio Code", "1.95.3", "Visual Studio Code", "Microsoft"},
	{"sqlservr.exe", `C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\`,
		msCorp, "Microsoft SQL Server", "2022.160.4145.4", "SQL Server Windows NT - 64 Bit",
		"Microsoft"},
	{"SQLAGENT.EXE", `C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\`,
		msCorp, "Microsoft SQL Server", "2022.160.4145.4", "SQLAGENT - SQL Server Agent",
		"Microsoft"},
	{"sqlcmd.exe", `C:\Program Files\Microsoft SQL Server\Client SDK\ODBC\170\Tools\Binn\`,
		msCorp, "Microsoft SQL Server", "15.0.4298.1", "T-SQL execution command line utility",
		"Microsoft"},
	{"vmtoolsd.exe", `C:\Program Files\VMware\VMware Tools\`, "VMware, Inc.",
		"VMware Tools", "12.3.5.46049", "VMware Tools Core Service",
		"ThirdParty"},
	{"Microsoft.Tri.Sensor.exe", `C:\Program Files\Azure Advanced Threat Protection Sensor\2.238.18172.20981\`,
		msCorp, "Azure Advanced Threat Protection", "2.238.18172.20981",
		"Azure Advanced Threat Protection Sensor", "Microsoft"},
	{"git.exe", `C:\Program Files\Git\cmd\`, "The Git Development Community",
		"Git", "2.47.0.2", "Git for Windows", "ThirdParty"},
	{"dotnet.exe", `C:\Program Files\dotnet\`, ".NET Foundation",
		"Microsoft® .NET", "8.0.1124.51707", ".NET Host", "Microsoft"},
	// The attacker's tools below are unsigned or abuse signed ones.
	{"procdump64.exe", `C:\Users\Public\`, "Sysinternals - www.sysinternals.com",
		"ProcDump", "11.0", "Sysinternals process dump utility",
		"ThirdParty"},
	{"update.exe", `C:\Users\Public\`, "", "", "", "", ""},
	{"m.exe", `C:\Windows\Temp\`, "gentilkiwi (Benjamin DELPY)", "mimikatz",
		"2.2.0.0", "mimikatz for Windows", ""},
	{"svchelper.exe", `C:\Windows\Temp\`, "", "", "", "", ""},
}

// catalog maps a lowercase file name to its image.
type catalog map[string]*image

func newCatalog() catalog {
	c := make(catalog, len(catalogSpecs)+len(toolSpecs))
	for _, s := range append(catalogSpecs[:len(catalogSpecs):len(catalogSpecs)],
		toolSpecs...) {
		c[strings.ToLower(s.name)] = newImage(s)
	}
	return c
}

func newImage(s imageSpec) *image {
	if s.dir == "" {
		return &image{Name: s.name} // the kernel has no file
	}
	key := imageKey(&image{Path: s.dir + s.name, Version: s.ver})
	orig := s.name
	if s.company == "" {
		orig = ""
	}
	return &image{
		Name:    s.name,
		Path:    s.dir + s.name,
		Company: s.company,
		Product: s.product,
		Version: s.ver,
		Desc:    s.desc,
		Orig:    orig,
		Signer:  s.signer,
		Size:    keyNumber(key, 18_000, 4_800_000),
		hashes:  fileHashes(key),
	}
}

// get returns the image named name; asking for one not in the catalog is
// a bug in the generator.
func (c catalog) get(name string) *image {
	img, ok := c[strings.ToLower(name)]
	if !ok {
		panic("sample: no image " + name)
	}
	return img
}

// library is a DLL that image load events report.
type library struct {
	Name, Dir, Desc string
}

var systemLibraries = []library{
	{"ntdll.dll", sys32, "NT Layer DLL"},
	{"kernel32.dll", sys32, "Windows NT BASE API Client DLL"},
	{"advapi32.dll", sys32, "Advanced Windows 32 Base API"},
	{"crypt32.dll", sys32, "Crypto API32"},
	{"winhttp.dll", sys32, "Windows HTTP Services"},
	{"wininet.dll", sys32, "Internet Extensions for Win32"},
	{"samlib.dll", sys32, "SAM Library DLL"},
	{"vaultcli.dll", sys32, "Credential Vault Client Library"},
	{"dbghelp.dll", sys32, "Windows Image Helper"},
	{"amsi.dll", sys32, "Anti-Malware Scan Interface"},
	{"mscoree.dll", sys32, "Microsoft .NET Runtime Execution Engine"},
	{"clr.dll", `C:\Windows\Microsoft.NET\Framework64\v4.0.30319\`,
		"Microsoft .NET Runtime Common Language Runtime"},
	{"System.Management.Automation.ni.dll",
		`C:\Windows\assembly\NativeImages_v4.0.30319_64\System.Manaa57fc8cc#\`,
		"System.Management.Automation"},
	{"VBE7.DLL", `C:\Program Files\Common Files\microsoft shared\VBA\VBA7.1\`,
		"Visual Basic for Applications Runtime"},
	{"mshtml.dll", sys32, "MSHTML"},
	{"jscript9.dll", sys32, "Microsoft ® JScript"},
	{"scrobj.dll", sys32, "Windows ® Script Component Runtime"},
	{"comsvcs.dll", sys32, "COM+ Services"},
	{"taskschd.dll", sys32, "Task Scheduler COM API"},
	{"wldp.dll", sys32, "Windows Lockdown Policy"},
}

func newLibraryImage(l library) *image {
	return newImage(imageSpec{l.Name, l.Dir, msCorp, msOS, osVer, l.Desc,
		"OsVendor"})
}

// imageKey names an image's content for fileHashes: the same file
// written anywhere else (a download, an evidence row) gets the same
// hashes.
func imageKey(img *image) string { return img.Path + "|" + img.Version }
