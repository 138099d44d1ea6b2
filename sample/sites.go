package sample

import (
	"strconv"
	"strings"
)

// site is an internet host the fleet talks to, with the address it
// resolves to.
type site struct{ host, ip string }

var webSites = []site{
	{"www.bing.com", "13.107.21.200"},
	{"www.google.com", "142.250.180.4"},
	{"www.office.com", "13.107.6.156"},
	{"contoso.sharepoint.com", "13.107.136.10"},
	{"github.com", "140.82.121.4"},
	{"www.linkedin.com", "13.107.42.14"},
	{"www.bbc.co.uk", "151.101.0.81"},
	{"stackoverflow.com", "104.18.32.7"},
	{"login.salesforce.com", "136.146.34.135"},
	{"learn.microsoft.com", "23.55.161.98"},
	{"www.youtube.com", "142.250.179.238"},
	{"www.amazon.co.uk", "52.95.116.113"},
	{"en.wikipedia.org", "185.15.59.224"},
	{"fonts.googleapis.com", "142.250.187.202"},
	{"cdn.jsdelivr.net", "151.101.1.229"},
	{"zoom.us", "170.114.52.2"},
	{"app.slack.com", "34.237.73.95"},
	{"www.theguardian.com", "151.101.65.111"},
	{"news.ycombinator.com", "209.216.230.207"},
	{"docs.google.com", "142.250.200.14"},
	{"www.dropbox.com", "162.125.64.18"},
	{"weather.com", "23.44.201.171"},
}

var (
	siteOutlook  = site{"outlook.office365.com", "52.97.146.178"}
	siteTeams    = site{"teams.microsoft.com", "52.113.194.132"}
	siteOneDrive = site{"contoso-my.sharepoint.com", "13.107.136.9"}
	siteLogin    = site{"login.microsoftonline.com", "20.190.159.2"}
	siteSense    = site{"winatp-gw-weu.microsoft.com", "20.50.73.11"}
	siteSenseCnc = site{"edr-weu.endpoint.security.microsoft.com",
		"20.73.130.60"}
	siteWdcp      = site{"wdcp.microsoft.com", "52.182.143.212"}
	siteUpdate    = site{"fe2cr.update.microsoft.com", "20.72.235.82"}
	siteSettings  = site{"settings-win.data.microsoft.com", "20.42.65.85"}
	siteEdgeUpd   = site{"msedge.api.cdp.microsoft.com", "20.190.160.13"}
	siteIdentity  = site{"contoso-sensorapi.atp.azure.com", "20.107.224.9"}
	sitePSGallery = site{"www.powershellgallery.com", "20.119.0.39"}
	siteNuget     = site{"api.nuget.org", "152.199.23.209"}
	siteCTL       = site{"ctldl.windowsupdate.com", "2.16.186.75"}
)

// publicIP returns an internet address derived from n, spread over
// ranges that belong to residential and hosting providers.
func publicIP(n int) string {
	firsts := []int{31, 37, 46, 62, 77, 78, 82, 88, 89, 92, 94, 109, 176,
		178, 185, 188, 195, 212, 213, 217}
	a := firsts[n%len(firsts)]
	return strconv.Itoa(a) + "." + strconv.Itoa(1+n*7%250) + "." +
		strconv.Itoa(1+n*13%251) + "." + strconv.Itoa(2+n*29%250)
}

// userHome returns the profile folder of a.
func userHome(a *Account) string { return `C:\Users\` + a.Name + `\` }

// hostURL returns an https URL on host with a path.
func hostURL(host, path string) string {
	return "https://" + host + "/" + strings.TrimPrefix(path, "/")
}
