package sample

import (
	"fmt"
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// fileCols are the columns of DeviceFileEvents.
type fileCols struct {
	deviceCols
	init                                      procCols
	name, folder, sha1, sha256, md5, size     int
	originURL, referrer, originIP             int
	prevFolder, prevName                      int
	reqProto, reqIP, reqPort, reqAcct, reqDom int
	reqSID, share, addl                       int
}

// fileTable writes DeviceFileEvents rows.
type fileTable struct {
	b      *builder
	c      fileCols
	r      *rng
	report int64
}

// fileEvent is one file operation.
type fileEvent struct {
	action   string
	path     string // full path of the file
	prevPath string // for FileRenamed
	key      string // names the content, for the hashes; path if empty
	size     int64
	origin   string // FileOriginUrl
	referrer string
	originIP string
	smb      *smbRequest
}

// smbRequest says who wrote a file over the network.
type smbRequest struct {
	ip    string
	acct  *Account
	share string
}

func newFileTable(g *gen) *fileTable {
	b := newBuilder("DeviceFileEvents", g.procCount(), g.from, g.to)
	return &fileTable{b: b, r: newRNG(g.seed, "DeviceFileEvents"),
		c: fileCols{
			deviceCols: newDeviceCols(b), init: initiatingCols(b),
			name: b.col("FileName"), folder: b.col("FolderPath"),
			sha1: b.col("SHA1"), sha256: b.col("SHA256"), md5: b.col("MD5"),
			size: b.col("FileSize"), originURL: b.col("FileOriginUrl"),
			referrer:   b.col("FileOriginReferrerUrl"),
			originIP:   b.col("FileOriginIP"),
			prevFolder: b.col("PreviousFolderPath"),
			prevName:   b.col("PreviousFileName"),
			reqProto:   b.col("RequestProtocol"),
			reqIP:      b.col("RequestSourceIP"), reqPort: b.col("RequestSourcePort"),
			reqAcct: b.col("RequestAccountName"),
			reqDom:  b.col("RequestAccountDomain"),
			reqSID:  b.col("RequestAccountSid"), share: b.col("ShareName"),
			addl: b.col("AdditionalFields"),
		}}
}

// splitPath returns the folder (with its trailing backslash) and name.
func splitPath(p string) (dir, name string) {
	i := strings.LastIndexByte(p, '\\')
	return p[:i+1], p[i+1:]
}

// emit writes one file event caused by process pi of d.
func (f *fileTable) emit(d *Device, pi int32, t int64, e fileEvent) {
	b, c := f.b, &f.c
	c.set(b, d, t, e.action, &f.report)
	_, name := splitPath(e.path)
	b.str(c.name, name)
	b.str(c.folder, e.path)
	if e.action != "FileDeleted" {
		key := e.key
		if key == "" {
			key = e.path + fmt.Sprint(t/tHour)
		}
		h := fileHashes(key)
		b.str(c.sha1, h.SHA1)
		b.str(c.sha256, h.SHA256)
		b.str(c.md5, h.MD5)
		size := e.size
		if size == 0 {
			size = keyNumber(key, 1_000, 3_000_000)
		}
		b.long(c.size, size)
	}
	if e.prevPath != "" {
		dir, prev := splitPath(e.prevPath)
		b.str(c.prevFolder, dir)
		b.str(c.prevName, prev)
	}
	if isExecutable(name) && e.action != "FileDeleted" {
		b.str(c.addl, `{"FileType":"PortableExecutable"}`)
	}
	b.str(c.originURL, e.origin)
	b.str(c.referrer, e.referrer)
	b.str(c.originIP, e.originIP)
	if s := e.smb; s != nil {
		b.str(c.reqProto, "SMB")
		b.str(c.reqIP, s.ip)
		b.long(c.reqPort, int64(f.r.between(49152, 65535)))
		b.str(c.reqAcct, s.acct.Name)
		b.str(c.reqDom, strings.ToUpper(s.acct.Domain))
		b.str(c.reqSID, s.acct.SID)
		b.str(c.share, s.share)
	}
	setProc(b, &c.init, d, pi)
	b.end()
}

func genFileEvents(g *gen) *table.Table {
	f := newFileTable(g)
	for _, d := range g.f.devices {
		for i := range d.procs {
			f.procFiles(d, int32(i))
		}
	}
	f.shareWrites(g)
	f.certExport(g)
	g.atk.fileEvents(f)
	return f.b.table()
}

var downloads = []struct{ name, host string }{
	{"statement.pdf", "www.dropbox.com"},
	{"Quarterly-Report.pdf", "contoso.sharepoint.com"},
	{"vendor-price-list.xlsx", "docs.google.com"},
	{"Setup_Zoom.exe", "zoom.us"},
	{"travel-itinerary.pdf", "www.amazon.co.uk"},
	{"presentation-template.pptx", "contoso.sharepoint.com"},
	{"GitHubDesktopSetup-x64.exe", "github.com"},
	{"invoice-38817.pdf", "login.salesforce.com"},
	{"brochure.pdf", "www.theguardian.com"},
	{"release-notes.zip", "github.com"},
}

// procFiles writes the file activity of process pi by its kind.
func (f *fileTable) procFiles(d *Device, pi int32) {
	p := &d.procs[pi]
	r := f.r
	at := func(max int64) int64 {
		return p.start + tSecond + r.span(min(p.end-p.start, max))
	}
	switch p.kind {
	case kindBrowser:
		if strings.Contains(p.cmd, "--type=") || !r.chance(0.4) {
			return
		}
		dl := pick(r, downloads)
		s := siteByHost(dl.host)
		f.emit(d, pi, at(4*tHour), fileEvent{action: "FileCreated",
			path: userHome(p.acct) + `Downloads\` + dl.name, key: dl.name,
			origin:   hostURL(dl.host, "files/"+dl.name),
			referrer: hostURL(dl.host, ""), originIP: s.ip})
	case kindOffice:
		f.officeSave(d, pi)
	case kindOutlook:
		for k := r.between(0, 2); k > 0; k-- {
			dl := pick(r, downloads)
			f.emit(d, pi, at(8*tHour), fileEvent{action: "FileCreated",
				path: userHome(p.acct) + outlookCache + dl.name, key: dl.name})
		}
	case kindOneDrive:
		for k := r.between(1, 6); k > 0; k-- {
			f.emit(d, pi, at(8*tHour), fileEvent{action: "FileModified",
				path: userHome(p.acct) + `OneDrive - Contoso\Documents\` +
					pick(r, documents)})
		}
	case kindExplorer:
		for k := r.between(0, 3); k > 0; k-- {
			f.emit(d, pi, at(8*tHour), fileEvent{action: "FileCreated",
				path: userHome(p.acct) + `AppData\Roaming\Microsoft\Windows\Recent\` +
					pick(r, documents) + ".lnk"})
		}
	case kindBackup:
		share := p.cmd[strings.Index(p.cmd, `D:\Backup\`)+10:]
		share = share[:strings.IndexByte(share, ' ')]
		for k := r.between(10, 30); k > 0; k-- {
			f.emit(d, pi, at(8*tMinute), fileEvent{action: "FileModified",
				path: `D:\Backup\` + share + `\` + pick(r, documents)})
		}
	}
	switch p.img.Name {
	case "MpCmdRun.exe":
		dir := `C:\ProgramData\Microsoft\Windows Defender\Definition Updates\{` +
			strings.ToUpper(r.guid()) + `}\`
		f.emit(d, pi, at(tMinute), fileEvent{action: "FileCreated",
			path: dir + "mpasdlta.vdm"})
		f.emit(d, pi, at(tMinute), fileEvent{action: "FileCreated",
			path: dir + "mpavdlta.vdm"})
	case "sqlcmd.exe":
		f.emit(d, pi, at(5*tMinute), fileEvent{action: "FileCreated",
			path: fmt.Sprintf(`D:\SQLBackup\Sales_%d.bak`, p.start/tDay),
			size: 2_400_000_000 + r.span(100_000_000)})
	case "dotnet.exe":
		f.emit(d, pi, at(tMinute), fileEvent{action: "FileCreated",
			path: userHome(p.acct) + `source\repos\Portal\bin\Release\net8.0\Portal.dll`})
	}
}

// outlookCache is where Outlook saves the attachments a user opens.
const outlookCache = `AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\Q7T3ZK1M\`

// officeSave writes what Office does when a user edits and saves: a lock
// file, a temporary file renamed over the document, the lock removed.
func (f *fileTable) officeSave(d *Device, pi int32) {
	p := &d.procs[pi]
	doc := p.cmd[strings.Index(p.cmd, `/n "`)+4:]
	doc = doc[:strings.IndexByte(doc, '"')]
	dir, name := splitPath(doc)
	lock := dir + "~$" + name[min(2, len(name)):]
	f.emit(d, pi, p.start+2*tSecond, fileEvent{action: "FileCreated",
		path: lock, size: 162})
	t := p.start + tMinute + f.r.span(p.end-p.start)
	tmp := dir + fmt.Sprintf("~WRL%04d.tmp", f.r.intn(10000))
	f.emit(d, pi, t, fileEvent{action: "FileCreated", path: tmp})
	f.emit(d, pi, t+tSecond, fileEvent{action: "FileRenamed", path: doc,
		prevPath: tmp})
	f.emit(d, pi, p.end-tSecond, fileEvent{action: "FileDeleted",
		path: lock})
}

// shareWrites writes the users' edits on the file server's shares, as
// the file server sees them: by System, over SMB.
func (f *fileTable) shareWrites(g *gen) {
	file := g.f.byRole["file"]
	for _, ws := range g.f.ws {
		u := ws.User
		share := shareOf(u)
		for _, ss := range ws.sim.sessions {
			for k := f.r.between(0, 5); k > 0; k-- {
				t := ss.start + f.r.span(ss.end-ss.start)
				pi := procNamed(file, "System", t)
				if pi < 0 {
					continue
				}
				f.emit(file, pi, t, fileEvent{action: "FileModified",
					path: `D:\Shares\` + share + `\` + pick(f.r, documents),
					smb:  &smbRequest{ip: ws.IP, acct: u, share: share}})
			}
		}
	}
}

// shareOf returns the file share of a user's department.
func shareOf(a *Account) string {
	switch a.Department {
	case "Finance", "HR", "Engineering":
		return a.Department
	}
	return "Common"
}

func siteByHost(host string) site {
	for _, s := range webSites {
		if s.host == host {
			return s
		}
	}
	return site{host: host}
}

// isExecutable reports whether a file name is a program or library.
func isExecutable(name string) bool {
	n := lower(name)
	return strings.HasSuffix(n, ".exe") || strings.HasSuffix(n, ".dll") ||
		strings.HasSuffix(n, ".sys")
}

// certExport writes the certificate an admin exported, with its private
// key, from the certificates console in the latest admin session on a
// server: the web site's certificate, for its renewal.
func (f *fileTable) certExport(g *gen) {
	var dev *Device
	var last int32 = -1
	for _, d := range g.f.servers {
		for _, pi := range d.byName["mmc.exe"] {
			if last < 0 || d.procs[pi].start > dev.procs[last].start {
				dev, last = d, pi
			}
		}
	}
	if last < 0 {
		return
	}
	p := &dev.procs[last]
	f.emit(dev, last, p.start+3*tMinute, fileEvent{action: "FileCreated",
		path: userHome(p.acct) + `Documents\srv-web01-2027.pfx`, size: 4213})
}
