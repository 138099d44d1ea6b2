package sample

// The security recommendations the assessment covers, with Microsoft's
// configuration ids: the sensor, antivirus, attack surface reduction,
// firewall, BitLocker and account controls that hunts over
// DeviceTvmSecureConfigurationAssessment ask about.
var secureConfigs = []secureConfig{
	sc("scid-2000", "Turn on sensor", "EDR", 9, 0),
	sc("scid-2001", "Fix sensor data collection", "EDR", 8, 2),
	sc("scid-2002", "Fix impaired communications", "EDR", 8, 2),
	sc("scid-2003", "Turn on Tamper Protection", "Antivirus", 8, 5),
	sc("scid-2010", "Turn on Microsoft Defender Antivirus", "Antivirus", 9,
		0),
	{"scid-2011", "Update Microsoft Defender Antivirus definitions",
		"Security controls", "Antivirus", 7, signaturesCurrent},
	sc("scid-2012", "Turn on real-time protection", "Antivirus", 8, 0),
	sc("scid-2013", "Turn on PUA protection in block mode", "Antivirus",
		5, 30),
	sc("scid-2014", "Fix Microsoft Defender Antivirus cloud service "+
		"connectivity", "Antivirus", 6, 3),
	sc("scid-2016", "Turn on cloud-delivered protection", "Antivirus", 6,
		5),
	sc("scid-91", "Turn on behavior monitoring", "Antivirus", 7, 0),
	sc("scid-96", "Enable Network Protection", "Network protection", 6,
		20),
	sc("scid-2020", "Turn on system-level exploit protection settings",
		"Exploit Guard", 6, 10),
	sc("scid-2021", "Set controlled folder access to enabled or audit "+
		"mode", "Exploit Guard", 5, 60),
	sc("scid-2030", "Update EDR sensor for down-level Windows Server",
		"EDR", 6, 0),
	sc("scid-2051", "Turn on Microsoft Defender Application Guard "+
		"managed mode", "Application Guard", 4, 80),
	sc("scid-2060", "Set Microsoft Defender SmartScreen Windows Defender "+
		"SmartScreen setting to Warn", "SmartScreen", 5, 15),
	sc("scid-2061", "Set Microsoft Defender SmartScreen Microsoft Edge "+
		"site and download checking to block or warn", "SmartScreen", 5,
		10),
	sc("scid-2070", "Turn on Microsoft Defender Firewall", "Firewall", 7,
		0),
	sc("scid-2071", "Secure domain profile", "Firewall", 6, 5),
	sc("scid-2072", "Secure private profile", "Firewall", 6, 15),
	sc("scid-2073", "Secure public profile", "Firewall", 6, 15),
	sc("scid-43", "Disable 'Display a notification' for Windows Firewall "+
		"Domain profile", "Firewall", 3, 40),
	sc("scid-46", "Disable 'Display a notification' for Windows Firewall "+
		"Private profile", "Firewall", 3, 40),
	sc("scid-49", "Disable 'Display a notification' for Windows Firewall "+
		"Public profile", "Firewall", 3, 40),
	sc("scid-50", "Disable merging of local Microsoft Defender Firewall "+
		"rules with group policy firewall rules for the Public profile",
		"Firewall", 4, 50),
	sc("scid-51", "Disable merging of local Microsoft Defender Firewall "+
		"connection rules with group policy firewall rules for the Public "+
		"profile", "Firewall", 4, 50),
	sc("scid-2080", "Turn on Credential Guard", "Credential Guard", 7, 45),
	sc("scid-2090", "Encrypt all BitLocker-supported drives", "BitLocker",
		6, 10),
	sc("scid-2091", "Resume BitLocker protection on all drives",
		"BitLocker", 6, 5),
	sc("scid-2093", "Ensure drive compatibility", "BitLocker", 4, 5),
	sc("scid-2500", "Block executable content from email client and "+
		"webmail", "Attack Surface Reduction", 6, 25),
	sc("scid-2501", "Block all Office applications from creating child "+
		"processes", "Attack Surface Reduction", 6, 35),
	sc("scid-2502", "Block Office applications from creating executable "+
		"content", "Attack Surface Reduction", 6, 35),
	sc("scid-2503", "Block Office applications from injecting code into "+
		"other processes", "Attack Surface Reduction", 6, 35),
	sc("scid-2504", "Block JavaScript or VBScript from launching "+
		"downloaded executable content", "Attack Surface Reduction", 6, 25),
	sc("scid-2505", "Block execution of potentially obfuscated scripts",
		"Attack Surface Reduction", 6, 40),
	sc("scid-2506", "Block Win32 API calls from Office macros",
		"Attack Surface Reduction", 6, 40),
	sc("scid-2507", "Block executable files from running unless they "+
		"meet a prevalence, age, or trusted list criterion",
		"Attack Surface Reduction", 5, 70),
	sc("scid-2508", "Use advanced protection against ransomware",
		"Attack Surface Reduction", 6, 30),
	sc("scid-2509", "Block credential stealing from the Windows local "+
		"security authority subsystem", "Attack Surface Reduction", 7, 30),
	sc("scid-2510", "Block process creations originating from PSExec and "+
		"WMI commands", "Attack Surface Reduction", 5, 80),
	sc("scid-2511", "Block untrusted and unsigned processes that run from "+
		"USB", "Attack Surface Reduction", 5, 30),
	sc("scid-2512", "Block Office communication application from "+
		"creating child processes", "Attack Surface Reduction", 5, 40),
	sc("scid-2513", "Block Adobe Reader from creating child processes",
		"Attack Surface Reduction", 5, 40),
	sc("scid-2514", "Block abuse of exploited vulnerable signed drivers",
		"Attack Surface Reduction", 6, 30),
	sc("scid-2541", "Block persistence through WMI event subscription",
		"Attack Surface Reduction", 6, 50),
	sc("scid-3001", "Disable SMBv1 server", "SMB", 5, 0),
	sc("scid-47", "Disable 'Allow Basic authentication' for WinRM Client",
		"Remote management", 4, 10),
	{"scid-64", "Set 'Minimum password length' to '14 or more " +
		"characters'", "Accounts", "Password policy", 5,
		func(*Device) bool { return false }},
	{"scid-84", "Enable Local Admin password management", "Accounts",
		"LAPS", 7, func(d *Device) bool {
			return d.Kind == Workstation && keyNumber(d.ID+"/laps", 0, 9) > 1
		}},
}

// sc is a security-controls recommendation of the subcategory sub that
// about failPct percent of the fleet does not meet.
func sc(id, name, sub string, impact float64, failPct int64) secureConfig {
	return secureConfig{id, name, "Security controls", sub, impact,
		func(d *Device) bool {
			return keyNumber(d.ID+"/"+id, 0, 99) >= failPct
		}}
}
