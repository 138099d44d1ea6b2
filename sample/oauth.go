package sample

import (
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// oauthApp is an application registered in or consented to by the
// tenant, as Defender for Cloud Apps' app governance lists it.
type oauthApp struct {
	name, publisher, origin, level string
	perms                          []oauthPerm
	users                          int64
	admin                          bool
	addedDaysAgo                   int64
}

// oauthPerm is one permission an app holds.
type oauthPerm struct {
	value, level string
	inUse        bool
}

var oauthApps = []oauthApp{
	{"Zoom for Outlook", "Zoom Video Communications, Inc.", "External",
		"Medium", []oauthPerm{{"User.Read", "Low", true},
			{"Mail.Read", "Medium", true}, {"Calendars.ReadWrite", "Medium",
				true}}, 34, true, 200},
	{"Adobe Acrobat Sign", "Adobe Inc.", "External", "Medium",
		[]oauthPerm{{"User.Read", "Low", true}, {"Files.ReadWrite.All",
			"Medium", true}}, 12, false, 420},
	{"Calendly", "Calendly LLC", "External", "Low",
		[]oauthPerm{{"User.Read", "Low", true}, {"Calendars.Read", "Low",
			true}}, 5, false, 90},
	{"Backup-Reports", "", "Internal", "High",
		[]oauthPerm{{"Mail.ReadWrite", "High", false},
			{"Sites.Read.All", "High", true}, {"User.Read.All", "Medium",
				true}}, 0, true, 600},
	{"Contoso Portal", "", "Internal", "Low",
		[]oauthPerm{{"User.Read", "Low", true}, {"profile", "Low", true}},
		61, true, 800},
	{"Mail Merge Pro", "", "External", "High",
		[]oauthPerm{{"Mail.Send", "High", true}, {"Mail.ReadWrite", "High",
			false}, {"Contacts.Read", "Medium", true}}, 3, false, 45},
}

// genOAuthAppInfo writes a daily snapshot of each app.
func genOAuthAppInfo(g *gen) *table.Table {
	b := newBuilder("OAuthAppInfo", len(oauthApps)*31, g.from, g.to)
	c := b.col
	for day := dayStart(g.from) + tDay; day < g.to; day += tDay {
		for _, a := range oauthApps {
			appID := nameGUID(0, "oauth/"+a.name)
			b.str(c("ReportId"), nameGUID(day, "oauth/"+a.name))
			b.time(c("Timestamp"), day+2*tHour)
			b.str(c("OAuthAppId"), appID)
			b.str(c("ServicePrincipalId"), nameGUID(0, "sp/"+a.name))
			b.str(c("AppName"), a.name)
			b.time(c("AddedOnTime"), g.to-a.addedDaysAgo*tDay)
			b.time(c("LastModifiedTime"), g.to-(a.addedDaysAgo/2)*tDay)
			b.str(c("AppStatus"), "Enabled")
			b.str(c("VerifiedPublisher"), publisher(a))
			b.str(c("PrivilegeLevel"), a.level)
			b.str(c("Permissions"), permissions(a))
			b.long(c("ConsentedUsersCount"), a.users)
			b.boolean(c("IsAdminConsented"), a.admin)
			b.str(c("AppOrigin"), a.origin)
			b.time(c("LastUsedTime"), day+tHour)
			owner := tenantID
			if a.origin == "External" {
				owner = nameGUID(0, "tenant/"+a.publisher)
			}
			b.str(c("AppOwnerTenantId"), owner)
			b.end()
		}
	}
	return b.table()
}

func publisher(a oauthApp) string {
	if a.publisher == "" {
		return "{}"
	}
	return `{"displayName":` + jsonString(a.publisher) +
		`,"verifiedPublisherId":"` + nameGUID(0, "pub/"+a.publisher)[:7] +
		`","addedDateTime":"2021-03-01T00:00:00Z"}`
}

func permissions(a oauthApp) string {
	var parts []string
	for _, p := range a.perms {
		inUse := "false"
		if p.inUse {
			inUse = "true"
		}
		parts = append(parts, `{"PermissionValue":"`+p.value+
			`","TargetAppId":"00000003-0000-0000-c000-000000000000",`+
			`"TargetAppDisplayName":"Microsoft Graph","PermissionType":`+
			`"Delegated","PrivilegeLevel":"`+p.level+`","InUse":"`+inUse+`"}`)
	}
	return "[" + strings.Join(parts, ",") + "]"
}
