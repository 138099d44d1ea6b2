package sample

import (
	"fmt"
	"strings"
)

// adminAction is an administrator's change in a Microsoft 365 portal as
// the unified audit log records it, with the RawEventData keys beyond
// the common ones. In raw, {user} is the changed user's UPN, {actor}
// the administrator's and {n} a number that varies per event.
type adminAction struct {
	app     *cloudApp
	act     cloudAction
	object  string
	raw     string
	perWeek float64 // how often the IT team does it
}

var (
	m365App     = &cloudApps[4]
	exchangeApp = &cloudApps[0]
	teamsApp    = &cloudApps[3]
)

// identityApp is Defender for Identity, whose health issues admins close.
var identityApp = cloudApp{"Microsoft Defender for Identity", 64004,
	"MicrosoftDefenderForIdentity", nil}

var adminActions = []adminAction{
	{m365App, cloudAction{"UpdateTenantSettings", "Edit", "Tenant"},
		"Copilot settings", `,"ResultStatus":"Succeeded",` +
			`"Resource":"{\"Property\":\"EnableCopilotExtensibility\",` +
			`\"NewValue\":\"true\",\"OriginalValue\":\"false\"}",` +
			`"ForAllUsers":"False","RemovedIdentities":[]`, 0.5},
	{m365App, cloudAction{"UpdateTenantSettings", "Edit", "Tenant"},
		"Copilot settings", `,"ResultStatus":"Succeeded",` +
			`"Resource":"{\"Property\":\"AllowOrgWideSharing\",` +
			`\"NewValue\":\"false\",\"OriginalValue\":\"true\"}",` +
			`"ForAllUsers":"True","RemovedIdentities":[]`, 0.3},
	{m365App, cloudAction{"UpdateTenantSettings", "Edit", "Tenant"},
		"Copilot settings", `,"ResultStatus":"Succeeded",` +
			`"Resource":"{\"Property\":\"AllowFirstParty\",` +
			`\"NewValue\":\"true\",\"OriginalValue\":\"false\"}"`, 0.3},
	{&entraApp, cloudAction{"AddedToGroup", "Edit", "Group"},
		"Finance", `,"ResultStatus":"Succeeded",` +
			`"TargetUserOrGroupName":"{user}","TargetUserOrGroupType":"Member"`,
		1.5},
	{&defenderApp, cloudAction{"SetAdvancedFeatures", "Edit", "Setting"},
		"Advanced features", `,"SettingName":"Live Response unsigned ` +
			`script execution","SettingsNewValue":false,` +
			`"SettingsOldValue":true`, 0.3},
	{&defenderApp, cloudAction{"CreateCustomDetection", "Create", "Rule"},
		"Custom detection", `,"RuleName":"Encoded PowerShell from Office",` +
			`"RuleId":"{n}","Query":"DeviceProcessEvents | where ` +
			`InitiatingProcessFileName in~ ('winword.exe','excel.exe') and ` +
			`ProcessCommandLine has '-enc'","AlertTitle":"Encoded ` +
			`PowerShell from Office","IsEnabled":"true"`, 0.5},
	{&defenderApp, cloudAction{"ChangeCustomDetectionRuleStatus", "Edit",
		"Rule"}, "Custom detection", `,"RuleName":"Noisy RDP from ` +
		`jump host","RuleId":"{n}","Query":"DeviceLogonEvents | where ` +
		`LogonType == 'RemoteInteractive'","IsEnabled":"false"`, 0.3},
	{&defenderApp, cloudAction{"DeleteCustomDetection", "Delete", "Rule"},
		"Custom detection", `,"RuleName":"Test rule","RuleId":"{n}",` +
			`"Query":"DeviceEvents | take 1","AlertDescription":"test"`, 0.2},
	{&defenderApp, cloudAction{"AddIndicator", "Create", "Indicator"},
		"Indicator", `,"IndicatorType":"Url","IndicatorValue":` +
			`"wetransfer.com","Action":"Block","Title":"File sharing"`, 0.2},
	{&defenderApp, cloudAction{"EditIndicator", "Edit", "Indicator"},
		"Indicator", `,"IndicatorType":"Url","IndicatorValue":` +
			`"wetransfer.com","Action":"Warn"`, 0.1},
	{&defenderApp, cloudAction{"DeleteIndicator", "Delete", "Indicator"},
		"Indicator", `,"IndicatorType":"FileSha256","IndicatorValue":` +
			`"{n}"`, 0.1},
	{&defenderApp, cloudAction{"StopAndQuarantineFile", "Edit", "File"},
		"uTorrent.exe", `,"FileName":"uTorrent.exe","DeviceGroup":` +
			`"Workstations"`, 0.1},
	{&defenderApp, cloudAction{"DownloadOffboardingPkg", "Download",
		"Package"}, "Offboarding package", `,"DeviceGroup":"Servers"`, 0.1},
	{&identityApp, cloudAction{"MonitoringAlertUpdated", "Edit", "Alert"},
		"Health issue", `,"ResultDescription":"Sensor on DC02 has ` +
			`outdated version: closed","AlertId":"{n}"`, 0.3},
	{&defenderApp, cloudAction{"MonitoringAlertUpdated", "Edit", "Alert"},
		"Alert", `,"AlertId":"da{n}","Status":"Resolved",` +
			`"Classification":"FalsePositive"`, 1},
	{teamsApp, cloudAction{"TeamsAdminAction", "Edit", "Setting"},
		"Teams external access", `,"ModifiedProperties":[{"Name":` +
			`"AllowedDomains","NewValue":"fabrikam.com;northwind.com",` +
			`"OldValue":"fabrikam.com"},{"Name":` +
			`"ExternalAccessWithTrialTenants","NewValue":"Blocked",` +
			`"OldValue":"Allowed"}],"NewValue":"Approved",` +
			`"ExtraProperties":[{"Key":"AppId","Value":"{n}"}]`, 0.3},
	{exchangeApp, cloudAction{"Set-Mailbox", "Edit", "Mailbox"},
		"{user}", `,"ResultStatus":"True","Parameters":[{"Name":` +
			`"Identity","Value":"{user}"},{"Name":"ForwardingSmtpAddress",` +
			`"Value":""},{"Name":"LitigationHoldEnabled","Value":"True"}]`,
		0.4},
	{&entraApp, cloudAction{"Consent to application.", "Edit",
		"Application"}, "Zoom for Outlook", `,"ResultStatus":"Success",` +
		`"ModifiedProperties":[{"Name":"ConsentContext.IsAdminConsent",` +
		`"NewValue":"True","OldValue":""},{"Name":"ConsentContext.` +
		`IsAppOnly","NewValue":"False","OldValue":""},{"Name":` +
		`"ConsentContext.OnBehalfOfAll","NewValue":"True","OldValue":""},` +
		`{"Name":"ConsentContext.Tags","NewValue":"","OldValue":""},` +
		`{"Name":"ConsentAction.Permissions","NewValue":"=> [[Id: ` +
		`{n}, ClientId: {n}, Scope: User.Read Mail.Read ]]",` +
		`"OldValue":""}],"Target":[{"ID":"ServicePrincipal_{n}"},` +
		`{"ID":"{n}"},{"ID":"Zoom for Outlook"},{"ID":"{n}"}],` +
		`"Actor":[{"ID":"{actor}","Type":5}]`, 0.2},
	{&entraApp, cloudAction{"Add service principal credentials.", "Edit",
		"Application"}, "Backup-Reports", `,"ResultStatus":"Success",` +
		`"ModifiedProperties":[{"Name":"KeyDescription","NewValue":` +
		`"[\"[KeyIdentifier={n},KeyType=AsymmetricX509Cert,` +
		`KeyUsage=Verify,DisplayName=CN=Backup-Reports]\"]","OldValue":` +
		`"[]"}],"Target":[{"ID":"ServicePrincipal_{n}"},{"ID":"{n}"},` +
		`{"ID":"Backup-Reports"},{"ID":"{n}"}],"Actor":[{"ID":"{actor}",` +
		`"Type":5}]`, 0.2},
	{&entraApp, cloudAction{"Update application – Certificates and " +
		"secrets management ", "Edit", "Application"}, "Backup-Reports",
		`,"ResultStatus":"Success","ModifiedProperties":[{"Name":` +
			`"KeyDescription","NewValue":"[\"[KeyIdentifier={n},` +
			`KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=` +
			`CN=Backup-Reports]\"]","OldValue":"[]"}],"Actor":[{"ID":` +
			`"{actor}","Type":5}]`, 0.2},
	{&entraApp, cloudAction{"Set domain authentication.", "Edit",
		"Domain"}, Domain, `,"ResultStatus":"Success",` +
		`"ModifiedProperties":[{"Name":"LiveType","NewValue":"Managed",` +
		`"OldValue":"Managed"},{"Name":"IssuerUri","NewValue":"",` +
		`"OldValue":""}],"Target":[{"ID":"` + Domain + `"}]`, 0.1},
	{exchangeApp, cloudAction{"UserSubmission", "Basic", "Message"},
		"Suspicious email", `,"SubmissionType":"Phish",` +
			`"SubmissionState":"Submitted","P1Sender":"billing@` +
			`invoice-portal.net"`, 2},
}

// adminChanges writes the IT team's portal changes over the month:
// each kind at its weekly rate, and at least once.
func adminChanges(g *gen, b *builder, r *rng) {
	for i := range adminActions {
		a := &adminActions[i]
		for _, at := range workTimes(g, r, a.perWeek) {
			actor, user := pick(r, g.f.admins), pick(r, g.f.users)
			if a.act.action == "UserSubmission" {
				actor = user
			}
			fill := strings.NewReplacer("{user}", user.UPN,
				"{actor}", actor.UPN, "{n}", r.guid())
			emitCloud(b, r, cloudEvent{at: at, app: a.app, act: a.act,
				acct: actor, ip: officeIP, country: "GB", city: "London",
				isp: officeISP, object: fill.Replace(a.object),
				raw: fill.Replace(a.raw), admin: actor.Admin})
		}
	}
}

// workTimes returns times in office hours on weekdays of the window for
// something done perWeek times a week, and at least once.
func workTimes(g *gen, r *rng, perWeek float64) []int64 {
	weeks := float64(g.to-g.from) / float64(7*tDay)
	n := max(1, int(perWeek*weeks+0.5))
	var out []int64
	for len(out) < n {
		day := dayStart(g.from + r.span(g.to-g.from))
		at := day + 9*tHour + r.span(8*tHour)
		if !isWeekend(day) && at >= g.from && at < g.to {
			out = append(out, at)
		}
	}
	return out
}

// mailAccessRaw is the RawEventData beyond the common keys of a
// MailItemsAccessed record: Outlook reading n items of the inbox.
func mailAccessRaw(r *rng) string {
	return fmt.Sprintf(`,"ResultStatus":"Succeeded","MailAccessType":`+
		`"Bind","AppId":"00000002-0000-0ff1-ce00-000000000000",`+
		`"ClientAppId":"d3590ed6-52b3-4102-aeff-aad2292ab01c",`+
		`"OperationCount":%d,"Folders":[{"Path":"\\Inbox",`+
		`"FolderItems":[{"InternetMessageId":"<%s@%s>"}]}]`,
		r.between(1, 12), r.guid()[:13], Domain)
}

// teamsApps are the Teams apps users add.
var teamsApps = []struct{ name, id string }{
	{"Polly", "1b4a0d1b-7f2c-4c8a-9d3e-5e6f7a8b9c0d"},
	{"Trello", "2c5b1e2c-8a3d-4d9b-8e4f-6f7a8b9c0d1e"},
	{"Jira Cloud", "3d6c2f3d-9b4e-4e0c-9f5a-7a8b9c0d1e2f"},
}

// delegation writes the assistants' work in their managers' mailboxes
// and the Teams apps people add now and then.
func delegation(g *gen, b *builder, r *rng) {
	users := g.f.users
	for day := dayStart(g.from); day < g.to; day += tDay {
		if isWeekend(day) {
			continue
		}
		for k := 0; k < 2; k++ {
			pa, boss := users[2*k+1], users[2*k]
			for n := r.between(1, 4); n > 0; n-- {
				act := exchangeApp.actions[n%2]
				emitCloud(b, r, cloudEvent{
					at: day + 8*tHour + r.span(9*tHour), app: exchangeApp,
					act: act, acct: pa, ip: officeIP, country: "GB",
					city: "London", isp: officeISP, object: "Inbox",
					impersonated: true,
					raw: `,"MailboxOwnerUPN":"` + boss.UPN +
						`","LogonType":2,"ResultStatus":"Succeeded"`})
			}
		}
		if r.chance(0.3) {
			u, app := pick(r, users), pick(r, teamsApps)
			emitCloud(b, r, cloudEvent{at: day + 9*tHour + r.span(8*tHour),
				app: teamsApp, act: cloudAction{"AppInstalled", "Create",
					"App"}, acct: u, ip: officeIP, country: "GB",
				city: "London", isp: officeISP, object: app.name,
				raw: `,"AddOnName":"` + app.name + `","AzureADAppId":"` +
					app.id + `","AppDistributionMode":"Store"`})
		}
	}
}
