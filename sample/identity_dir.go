package sample

import (
	"fmt"
	"strings"
)

// dirChange is a kind of change to Active Directory that Defender for
// Identity reports, with its AdditionalFields. In addl, {actor} is the
// admin's name, {user} the changed account's display name, {sid} its
// SID, {dev} a workstation's name and {n} a number.
type dirChange struct {
	action  string
	addl    string
	service bool    // the change is to a service account
	perWeek float64 // how often the IT team makes it
}

var dirChanges = []dirChange{
	{"Group Membership changed", `{"TO.GROUP":"Remote Desktop Users",` +
		`"ACTOR.ACCOUNT":"{actor}","TARGET_OBJECT.USER":"{user}"}`, false, 1},
	{"Group Membership changed", `{"FROM.GROUP":"VPN Users",` +
		`"ACTOR.ACCOUNT":"{actor}","TARGET_OBJECT.USER":"{user}"}`, false,
		0.5},
	{"Account Password Never Expires changed",
		`{"FROM Account Password Never Expires":false,` +
			`"TO Account Password Never Expires":true,` +
			`"TargetAccountSid":"{sid}","ACTOR.ACCOUNT":"{actor}"}`, true, 0.3},
	{"Account Supported Encryption Types changed",
		`{"FROM Account Supported Encryption Types":"N/A",` +
			`"TO Account Supported Encryption Types":"AES128-CTS-HMAC-SHA1-96,` +
			` AES256-CTS-HMAC-SHA1-96","TargetAccountSid":"{sid}"}`, true,
		0.3},
	{"Account Password Not Required changed", `{"OldValue":"True",` +
		`"NewValue":"False","FROM Account Password Not Required":"True",` +
		`"TO Account Password Not Required":"False"}`, false, 0.2},
	{"Account Constrained Delegation changed",
		`{"FROM AccountConstrainedDelegationState":"False",` +
			`"TO AccountConstrainedDelegationState":"True"}`, true, 0.1},
	{"Account Path changed", `{"FROM Account Path":"OU=New Starters,` +
		`DC=contoso,DC=com","TO Account Path":"OU=Users,OU=London,` +
		`DC=contoso,DC=com"}`, false, 0.5},
	{"Account disabled", `{"TargetAccountSid":"{sid}",` +
		`"ACTOR.ACCOUNT":"{actor}"}`, false, 0.3},
	{"Device Operating System changed", `{"FROM Device Operating ` +
		`System":"Windows 10 Enterprise","TO Device Operating System":` +
		`"Windows 11 Enterprise","TARGET_OBJECT.DEVICE":"{dev}"}`, false,
		0.5},
	{"Account Name changed", `{"FROM Account Name":"DESKTOP-{n}$",` +
		`"TO Account Name":"{dev}$"}`, false, 0.2},
	{"Group Policy was created", `{"GroupPolicyName":"Edge security ` +
		`baseline {n}","GroupPolicyId":"{guid}","DomainName":"` + Domain +
		`"}`, false, 0.2},
	{"Group Policy settings were changed", `{"GroupPolicyName":` +
		`"Default Domain Policy","GroupPolicyId":` +
		`"{31B2F340-016D-11D2-945F-00C04FB984F9}","DomainName":"` + Domain +
		`","MachinePolicies":"MinimumPasswordLength=14;` +
		`PasswordComplexity=1;LockoutBadCount=10"}`, false, 0.3},
	{"Group Policy Display Name changed", `{"FROM Group Policy Display ` +
		`Name":"New Group Policy Object","TO Group Policy Display Name":` +
		`"Workstation firewall {n}","GroupPolicyId":"{guid}"}`, false, 0.1},
	{"Potential lateral movement path identified", `{"ACTOR.ACCOUNT":` +
		`"{actor}","FROM.ACCOUNT":"{user}","TO.DEVICE":"{dev}"}`, false,
		0.4},
}

// moreDirChanges writes the IT team's changes to the directory.
func moreDirChanges(g *gen, b *builder, c *identityCols) {
	r := newRNG(g.seed, "IdentityDirectoryEvents/changes")
	tUPN := b.col("TargetAccountUpn")
	tName := b.col("TargetAccountDisplayName")
	tDev := b.col("TargetDeviceName")
	dc := g.f.servers[0]
	for i := range dirChanges {
		ch := &dirChanges[i]
		for _, at := range workTimes(g, r, ch.perWeek) {
			adm, u := pick(r, g.f.admins), pick(r, g.f.users)
			if ch.service {
				u = pick(r, g.f.services)
			}
			ws := pick(r, g.f.ws)
			fill := strings.NewReplacer("{actor}", adm.Name,
				"{user}", u.DisplayName, "{sid}", u.SID,
				"{dev}", strings.ToUpper(ws.Short()),
				"{n}", fmt.Sprint(r.between(1000, 9999)),
				"{guid}", "{"+strings.ToUpper(r.guid())+"}")
			c.set(b, r, at, ch.action, adm, g.f.byRole["mgmt"], dc, "")
			b.str(tUPN, u.UPN)
			b.str(tName, u.DisplayName)
			if strings.Contains(ch.addl, "{dev}") {
				b.str(tDev, ws.Short())
			}
			b.str(c.addl, fill.Replace(ch.addl))
			b.end()
		}
	}
}
