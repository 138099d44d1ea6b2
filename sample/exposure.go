package sample

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// subscriptionID is the tenant's Azure subscription.
const subscriptionID = "8d2f6c1a-5b7e-4f39-a0c4-7e1b9d3f2a65"

// azureResource is a node of the exposure graph in the Azure
// subscription: a virtual machine, a storage account, a managed
// identity or a DevOps repository.
type azureResource struct {
	label, name, group, provider string
	raw                          string // NodeProperties.rawData beyond environment
}

var azureResources = []azureResource{
	{"microsoft.compute/virtualmachines", "vm-build01", "rg-devops",
		"microsoft.compute/virtualmachines",
		`"deviceType":"Server","osPlatform":"Linux","onboardingStatus":` +
			`"Onboarded","publicIP":"20.68.141.22","openPortRanges":["22",` +
			`"443"],"rdpStatus":{"allowConnections":false},` +
			`"hasHighSeverityVulnerabilities":{"data":{"count":2}}`},
	{"microsoft.compute/virtualmachines", "vm-reports01", "rg-data",
		"microsoft.compute/virtualmachines",
		`"deviceType":"Server","osPlatform":"WindowsServer2022",` +
			`"onboardingStatus":"Onboarded","publicIP":"20.68.141.57",` +
			`"openPortRanges":["3389"],"rdpStatus":{"allowConnections":true},` +
			`"hasHighSeverityVulnerabilities":{"data":{"count":0}}`},
	{"microsoft.storage/storageaccounts", "stcontosodata", "rg-data",
		"microsoft.storage/storageaccounts", `"allowBlobPublicAccess":false`},
	{"microsoft.storage/storageaccounts", "stcontosobackup", "rg-backup",
		"microsoft.storage/storageaccounts", `"allowBlobPublicAccess":false`},
	{"managedidentity", "vm-build01", "rg-devops",
		"microsoft.compute/virtualmachines",
		`"managedIdentityMetadata":{"type":"SystemAssigned","data":` +
			`{"accountType":"ServicePrincipal","attachedResourceId":` +
			`"/subscriptions/` + subscriptionID + `/resourcegroups/rg-devops/` +
			`providers/microsoft.compute/virtualmachines/vm-build01"}},` +
			`"identityMetadata":{"data":{"name":"vm-build01"}}`},
	{"azuredevopsrepository", "portal", "rg-devops",
		"microsoft.security/securityconnectors/ado-contoso/devops/default/" +
			"azuredevopsorgs/contoso/projects/portal/repos", ""},
}

func (a *azureResource) id() string {
	return "/subscriptions/" + subscriptionID + "/resourcegroups/" +
		a.group + "/providers/" + a.provider + "/" + a.name
}

// node is an exposure graph node as the table has it.
type node struct{ id, label, name, categories, props, ids string }

func genExposureNodes(g *gen) *table.Table {
	nodes := exposureNodes(g)
	b := newBuilder("ExposureGraphNodes", len(nodes), g.from, g.to)
	c := b.col
	for _, n := range nodes {
		b.str(c("NodeId"), n.id)
		b.str(c("NodeLabel"), n.label)
		b.str(c("NodeName"), n.name)
		b.str(c("Categories"), n.categories)
		b.str(c("NodeProperties"), n.props)
		b.str(c("EntityIds"), n.ids)
		b.end()
	}
	return b.table()
}

// exposureNodes lists the fleet's devices, the people's accounts and
// the Azure resources as the exposure graph sees them.
func exposureNodes(g *gen) []node {
	var out []node
	seen := table.FormatDateTime(g.to - tHour)
	for _, d := range g.f.devices {
		out = append(out, node{id: nodeID(d.ID), label: "device",
			name: d.Name, categories: `["compute","device","endpoint"]`,
			props: `{"rawData":{` + deviceRaw(d, seen) + `}}`,
			ids:   `[{"type":"DeviceInventoryId","id":"` + d.ID + `"}]`})
	}
	for _, a := range g.f.allAccounts() {
		if a.ObjectID == "" {
			continue
		}
		out = append(out, node{id: nodeID(a.ObjectID), label: "user",
			name: a.DisplayName, categories: `["identity"]`,
			props: `{"department":` + jsonString(a.Department) +
				`,"rawData":{` + userRaw(a) + `}}`,
			ids: `[{"type":"AadObjectId","id":"` + a.ObjectID + `"}]`})
	}
	out = append(out, subscriptionNode())
	for i := range azureResources {
		r := &azureResources[i]
		name := r.name
		if r.label == "managedidentity" {
			name = nameGUID(0, "mi/"+r.name)
		}
		out = append(out, node{id: nodeID(r.id() + "/" + r.label),
			label: r.label, name: name, categories: `["compute"]`,
			props: `{"rawData":{"environmentName":"Azure",` +
				`"nativeEnvironmentRegionName":"uksouth"` +
				strings.TrimSuffix(","+r.raw, ",") + `}}`,
			ids: `[{"type":"AzureResourceId","id":"` + r.id() +
				`"},{"type":"Url","id":"https://dev.azure.com/contoso/` +
				r.name + `"}]`})
	}
	return out
}

// deviceRaw is the rawData of a device node.
func deviceRaw(d *Device, seen string) string {
	crit, role := "", "Workstation"
	switch {
	case d.Kind == DomainController:
		role = "DomainController"
		crit = `,"criticalityLevel":{"criticalityLevel":0,` +
			`"ruleBasedCriticalityLevel":0,"ruleNames":["Domain Controller"]}`
	case d.Role == "sql": // the customer database, marked by hand
		role = "Server"
		crit = `,"criticalityLevel":{"criticalityLevel":0,` +
			`"ruleBasedCriticalityLevel":2,"ruleNames":["Manually Assigned",` +
			`"Database Server"]}`
	case d.Kind != Workstation:
		role = "Server"
		crit = `,"criticalityLevel":{"criticalityLevel":2,` +
			`"ruleBasedCriticalityLevel":2,"ruleNames":["Server"]}`
	}
	rdp := d.Kind != Workstation
	return fmt.Sprintf(`"deviceName":%q,"osPlatform":%q,`+
		`"osPlatformFriendlyName":%q,"osDistribution":"Windows",`+
		`"onboardingStatus":"Onboarded","deviceType":%q,"deviceRole":[%q],`+
		`"lastSeen":%q,"rdpStatus":{"allowConnections":%t,`+
		`"serviceRunning":%t},"remoteServicesInfo":{"rdp":`+
		`{"serviceRunning":%t}},"exposureScore":"Medium"%s`,
		d.Name, d.OSPlat, friendlyOS(d.OSPlat), role, role, seen, rdp, rdp,
		rdp, crit)
}

// friendlyOS is the display name of an OSPlatform.
func friendlyOS(plat string) string {
	if v, ok := strings.CutPrefix(plat, "WindowsServer"); ok {
		return "Windows Server " + v
	}
	return strings.Replace(plat, "Windows", "Windows ", 1)
}

// userRaw is the rawData of a user node.
func userRaw(a *Account) string {
	s := `"accountUpn":` + jsonString(a.UPN) + `,"accountName":` +
		jsonString(a.Name) + `,"tags":` + tagsOf(a)
	if a.Admin {
		s += `,"criticalityLevel":{"criticalityLevel":1,` +
			`"ruleBasedCriticalityLevel":1,"ruleNames":["Security Operator"]}`
	}
	return s
}

// subscriptionNode is the Azure subscription that holds the resources.
func subscriptionNode() node {
	return node{id: nodeID("subscription"),
		label: "microsoft.resources/subscriptions", name: "Contoso Production",
		categories: `["compute"]`,
		props:      `{"rawData":{"environmentName":"Azure"}}`,
		ids: `[{"type":"AzureResourceId","id":"/subscriptions/` +
			subscriptionID + `"}]`}
}

func nodeID(key string) string { return nameHex40(1, "node/"+key) }

func genExposureEdges(g *gen) *table.Table {
	b := newBuilder("ExposureGraphEdges", 256, g.from, g.to)
	c := b.col
	sub := subscriptionNode()
	edge := func(label string, src, dst node, props string) {
		b.str(c("EdgeId"), nodeID(src.id+"/"+label+"/"+dst.id))
		b.str(c("EdgeLabel"), label)
		b.str(c("SourceNodeId"), src.id)
		b.str(c("SourceNodeName"), src.name)
		b.str(c("SourceNodeLabel"), src.label)
		b.str(c("SourceNodeCategories"), src.categories)
		b.str(c("TargetNodeId"), dst.id)
		b.str(c("TargetNodeName"), dst.name)
		b.str(c("TargetNodeLabel"), dst.label)
		b.str(c("TargetNodeCategories"), dst.categories)
		b.str(c("EdgeProperties"), props)
		b.end()
	}
	role := func(name string) string {
		return `{"rawData":{"permissions":{"roles":[{"name":"` + name +
			`","id":"` + nameGUID(0, "role/"+name) + `"}]}}}`
	}
	nodes := exposureNodes(g)
	byName := map[string]node{}
	for _, n := range nodes {
		byName[n.label+"/"+n.name] = n
	}
	for _, a := range g.f.admins {
		edge("has permissions to", byName["user/"+a.DisplayName], sub,
			role("Owner"))
	}
	for _, d := range g.f.ws {
		if u := d.User; u != nil {
			edge("can authenticate to", byName["user/"+u.DisplayName],
				byName["device/"+d.Name], `{"rawData":{}}`)
		}
	}
	for _, n := range nodes {
		if strings.HasPrefix(n.label, "microsoft.") {
			edge("contains", sub, n, `{"rawData":{}}`)
		}
	}
	return b.table()
}
