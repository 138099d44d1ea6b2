package sample

import (
	"strings"

	"github.com/ahunt/ahunt/kql/table"
)

// imageTable writes DeviceImageLoadEvents rows.
type imageTable struct {
	b      *builder
	dc     deviceCols
	init   procCols
	file   procCols
	libs   map[string]*image
	r      *rng
	report int64
}

func newImageTable(g *gen) *imageTable {
	b := newBuilder("DeviceImageLoadEvents", g.procCount()*2, g.from, g.to)
	t := &imageTable{b: b, dc: newDeviceCols(b), init: initiatingCols(b),
		file: processCols(b), libs: map[string]*image{},
		r: newRNG(g.seed, "DeviceImageLoadEvents")}
	for _, l := range systemLibraries {
		t.libs[strings.ToLower(l.Name)] = newLibraryImage(l)
	}
	return t
}

// load writes process pi of d loading the library named lib.
func (t *imageTable) load(d *Device, pi int32, at int64, lib string) {
	img := t.libs[strings.ToLower(lib)]
	if img == nil {
		panic("sample: no library " + lib)
	}
	b := t.b
	t.dc.set(b, d, at, "ImageLoaded", &t.report)
	b.str(t.file.fileName, img.Name)
	b.str(t.file.folderPath, img.Path)
	b.str(t.file.sha1, img.SHA1)
	b.str(t.file.sha256, img.SHA256)
	b.str(t.file.md5, img.MD5)
	b.long(t.file.size, img.Size)
	setProc(b, &t.init, d, pi)
	b.end()
}

// kindLibraries lists what a process of each kind is seen loading.
var kindLibraries = map[procKind][]string{
	kindShell:    {"System.Management.Automation.ni.dll", "amsi.dll", "clr.dll"},
	kindOffice:   {"wininet.dll", "crypt32.dll"},
	kindOutlook:  {"wininet.dll", "crypt32.dll", "winhttp.dll"},
	kindBrowser:  {"winhttp.dll", "crypt32.dll"},
	kindTeams:    {"winhttp.dll"},
	kindLsass:    {"samlib.dll", "vaultcli.dll", "crypt32.dll"},
	kindSQL:      {"crypt32.dll", "wldp.dll"},
	kindWeb:      {"clr.dll", "mscoree.dll"},
	kindDefender: {"wldp.dll"},
	kindOther:    {"advapi32.dll"},
}

func genImageLoadEvents(g *gen) *table.Table {
	t := newImageTable(g)
	for _, d := range g.f.devices {
		for i := range d.procs {
			p := &d.procs[i]
			if p.parent < 0 || p.kind == kindShell &&
				p.img.Name == "cmd.exe" {
				continue
			}
			for _, lib := range kindLibraries[p.kind] {
				if p.kind == kindOther && !t.r.chance(0.1) {
					continue
				}
				t.load(d, int32(i), p.start+tSecond/4+t.r.span(tSecond), lib)
			}
			if p.img.Name == "taskhostw.exe" {
				t.load(d, int32(i), p.start+tSecond, "taskschd.dll")
			}
		}
	}
	g.atk.imageLoads(t)
	return t.b.table()
}
