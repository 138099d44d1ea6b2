package sample

import (
	"fmt"
	"strconv"
	"strings"
)

// The fictional organisation every generated row belongs to.
const (
	// Domain is the DNS and mail domain of the demo tenant.
	Domain = "contoso.com"
	// NetBIOSDomain is the on-premises domain name, as AccountDomain
	// shows it (lowercase, as Defender reports it).
	NetBIOSDomain = "contoso"
	domainSID     = "S-1-5-21-1004336348-1177238915-682003330"
	// officeIP is the office's internet egress address.
	officeIP = "81.2.69.142"
	// rdsPublicIP is where the internet reaches the remote desktop
	// gateway.
	rdsPublicIP = "81.2.69.143"
)

// Account is a user, admin or service account of the demo tenant.
type Account struct {
	Name        string // sAMAccountName, lowercase, as AccountName
	Domain      string // as AccountDomain
	SID         string
	UPN         string // empty for local and built-in accounts
	ObjectID    string // Entra ID object ID; empty for built-in accounts
	DisplayName string
	GivenName   string
	Surname     string
	Department  string
	JobTitle    string
	Admin       bool // a member of Domain Admins
	Service     bool // a service account
	System      bool // a built-in account (system, local service, ...)
	HomeIP      string
}

// Email returns the account's mail address, or "" for accounts without
// a mailbox.
func (a *Account) Email() string {
	if a.System || a.Service || a.GivenName == "" {
		return ""
	}
	return a.UPN
}

// DeviceKind says what role a device plays in the fleet.
type DeviceKind uint8

// The device kinds.
const (
	Workstation DeviceKind = iota
	Server
	DomainController
)

// Device is one onboarded machine of the demo tenant.
type Device struct {
	ID        string // 40 hex digits, as DeviceId
	Name      string // lowercase FQDN, as DeviceName
	Kind      DeviceKind
	IP        string // the fleet's private address
	MAC       string
	AADID     string
	OSPlat    string // OSPlatform, such as "Windows11"
	OSVersion string
	OSBuild   int64
	Model     string
	Vendor    string
	User      *Account // primary user; nil for servers
	// Internet reports whether the device is reachable from the internet
	// (the remote desktop gateway).
	Internet bool
	// Role names what a server does ("file", "sql", "web", ...).
	Role string

	procs []proc
	sim   *sim
	// byName indexes procs by image name once the history is final.
	byName map[string][]int32
}

// Short returns the host name without the domain, as NetBIOS shows it.
func (d *Device) Short() string {
	name, _, _ := strings.Cut(d.Name, ".")
	return name
}

var givenNames = []string{
	"Alice", "Ben", "Chloe", "Daniel", "Emma", "Farid", "Grace", "Hugo",
	"Isla", "Jack", "Kavya", "Liam", "Maya", "Noah", "Olivia", "Priya",
	"Quentin", "Ruby", "Samuel", "Tara", "Umar", "Violet", "William",
	"Ximena", "Yusuf", "Zoe", "Aaron", "Bianca", "Connor", "Dana",
	"Elias", "Fiona", "George", "Hannah", "Ivan", "Julia", "Kai", "Lena",
	"Marco", "Nina",
}

var surnames = []string{
	"Adams", "Baker", "Clarke", "Dawson", "Evans", "Fischer", "Green",
	"Hughes", "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Novak",
	"Owens", "Patel", "Quinn", "Reid", "Singh", "Turner", "Usman",
	"Vargas", "Walker", "Xu", "Young", "Zimmer",
}

var departments = []struct{ name, title string }{
	{"Finance", "Financial Analyst"},
	{"Finance", "Accounts Payable Clerk"},
	{"Sales", "Account Manager"},
	{"Sales", "Sales Representative"},
	{"Marketing", "Marketing Specialist"},
	{"Engineering", "Software Engineer"},
	{"Engineering", "QA Engineer"},
	{"HR", "HR Business Partner"},
	{"Legal", "Paralegal"},
	{"Operations", "Operations Coordinator"},
	{"IT", "Systems Administrator"},
	{"IT", "Service Desk Analyst"},
}

// fleet is the tenant's people and machines, built before any table.
type fleet struct {
	seed     int64
	users    []*Account // people, in creation order
	admins   []*Account // adm- accounts of the IT staff
	services []*Account
	system   *Account
	localSvc *Account
	netSvc   *Account
	devices  []*Device
	ws       []*Device // workstations
	servers  []*Device // servers and domain controllers
	byRole   map[string]*Device
}

func newFleet(seed int64, nUsers, nWorkstations int) *fleet {
	f := &fleet{seed: seed, byRole: map[string]*Device{}}
	r := newRNG(seed, "fleet")
	f.system = builtin("system", "S-1-5-18")
	f.localSvc = builtin("local service", "S-1-5-19")
	f.netSvc = builtin("network service", "S-1-5-20")
	f.makeUsers(r, nUsers)
	f.makeServices()
	f.makeServers()
	f.makeWorkstations(r, nWorkstations)
	return f
}

func builtin(name, sid string) *Account {
	return &Account{Name: name, Domain: "nt authority", SID: sid,
		System: true}
}

func (f *fleet) makeUsers(r *rng, n int) {
	seen := map[string]bool{}
	for i := 0; len(f.users) < n; i++ {
		given := givenNames[(i*7)%len(givenNames)]
		sur := surnames[(i*11+i/len(surnames))%len(surnames)]
		sam := strings.ToLower(given[:1] + sur)
		if seen[sam] {
			sam = strings.ToLower(given[:2] + sur)
		}
		if seen[sam] {
			continue
		}
		seen[sam] = true
		dep := departments[r.intn(len(departments))]
		if i%16 == 5 {
			dep = departments[10+i/16%2] // the IT team, spread out
		}
		a := &Account{
			Name:        sam,
			Domain:      NetBIOSDomain,
			SID:         domainSID + "-" + strconv.Itoa(1104+i),
			UPN:         strings.ToLower(given+"."+sur) + "@" + Domain,
			ObjectID:    nameGUID(f.seed, "user/"+sam),
			DisplayName: given + " " + sur,
			GivenName:   given,
			Surname:     sur,
			Department:  dep.name,
			JobTitle:    dep.title,
			HomeIP:      homeIP(i),
		}
		f.users = append(f.users, a)
		if dep.name == "IT" && len(f.admins) < 4 {
			f.admins = append(f.admins, adminFor(f.seed, a, 1500+i))
		}
	}
}

// homeIP gives each user a residential broadband address for the cloud
// sign-ins they make from home.
func homeIP(i int) string {
	return fmt.Sprintf("86.%d.%d.%d", 128+i%100, (i*37)%250+1, (i*91)%250+2)
}

func adminFor(seed int64, u *Account, rid int) *Account {
	a := *u
	a.Name = "adm-" + u.Name
	a.SID = domainSID + "-" + strconv.Itoa(rid)
	a.UPN = a.Name + "@" + Domain
	a.ObjectID = nameGUID(seed, "user/"+a.Name)
	a.DisplayName = u.DisplayName + " (Admin)"
	a.Admin = true
	return &a
}

func (f *fleet) makeServices() {
	for i, name := range []string{"svc-backup", "svc-sql", "svc-web",
		"svc-scan"} {
		f.services = append(f.services, &Account{
			Name:        name,
			Domain:      NetBIOSDomain,
			SID:         domainSID + "-" + strconv.Itoa(1400+i),
			UPN:         name + "@" + Domain,
			ObjectID:    nameGUID(f.seed, "user/"+name),
			DisplayName: name,
			Service:     true,
		})
	}
}

func (f *fleet) service(name string) *Account {
	for _, a := range f.services {
		if a.Name == name {
			return a
		}
	}
	panic("sample: no service account " + name)
}

var serverSpecs = []struct{ name, role string }{
	{"dc01", "dc"}, {"dc02", "dc"},
	{"srv-file01", "file"}, {"srv-sql01", "sql"}, {"srv-app01", "app"},
	{"srv-web01", "web"}, {"srv-backup01", "backup"},
	{"srv-rds01", "rds"}, {"srv-print01", "print"},
	{"srv-mgmt01", "mgmt"}, {"srv-exch-hybrid", "hybrid"},
	{"srv-build01", "build"},
}

func (f *fleet) makeServers() {
	for i, s := range serverSpecs {
		d := &Device{
			Name:      s.name + "." + Domain,
			Kind:      Server,
			IP:        fmt.Sprintf("10.10.1.%d", 10+i),
			OSPlat:    "WindowsServer2022",
			OSVersion: "10.0",
			OSBuild:   20348,
			Model:     "VMware7,1",
			Vendor:    "VMware, Inc.",
			Role:      s.role,
			Internet:  s.role == "rds",
		}
		switch s.role {
		case "dc":
			d.Kind = DomainController
			d.OSPlat = "WindowsServer2019"
			d.OSBuild = 17763
		case "print": // not yet migrated off the old print server
			d.OSPlat, d.OSBuild = "WindowsServer2016", 14393
		case "backup": // the backup appliance's vendor certifies 2012 R2
			d.OSPlat, d.OSVersion, d.OSBuild = "WindowsServer2012R2", "6.3",
				9600
		}
		f.addDevice(d)
		f.servers = append(f.servers, d)
		if f.byRole[s.role] == nil {
			f.byRole[s.role] = d
		}
	}
}

func (f *fleet) makeWorkstations(r *rng, n int) {
	models := []struct{ model, vendor string }{
		{"Latitude 7440", "Dell Inc."}, {"EliteBook 840 G10", "HP"},
		{"ThinkPad T14 Gen 4", "LENOVO"}, {"Surface Laptop 5",
			"Microsoft Corporation"},
	}
	for i := 0; i < n; i++ {
		m := models[r.intn(len(models))]
		d := &Device{
			Name:      fmt.Sprintf("ws-%04d.%s", 1100+i*7, Domain),
			Kind:      Workstation,
			IP:        fmt.Sprintf("10.20.%d.%d", 10+i/200, 20+i%200),
			OSPlat:    "Windows11",
			OSVersion: "10.0",
			OSBuild:   22631,
			Model:     m.model,
			Vendor:    m.vendor,
			User:      f.users[i%len(f.users)],
		}
		if i%5 == 4 {
			d.OSPlat, d.OSBuild = "Windows10", 19045
		}
		f.addDevice(d)
		f.ws = append(f.ws, d)
	}
}

func (f *fleet) addDevice(d *Device) {
	d.ID = nameHex40(f.seed, "device/"+d.Name)
	d.AADID = nameGUID(f.seed, "aad/"+d.Name)
	h := nameHex40(f.seed, "mac/"+d.Name)
	d.MAC = strings.ToUpper("00" + h[:10])
	f.devices = append(f.devices, d)
}

// deviceByIP returns the device holding ip, or nil.
func (f *fleet) deviceByIP(ip string) *Device {
	for _, d := range f.devices {
		if d.IP == ip {
			return d
		}
	}
	return nil
}

// allAccounts lists every domain account: people, admins, services.
func (f *fleet) allAccounts() []*Account {
	all := append([]*Account{}, f.users...)
	all = append(all, f.admins...)
	return append(all, f.services...)
}
