package sample

// procCols are the indices of the columns that describe one process in a
// device table: either the process an event is about (FileName,
// ProcessCommandLine, ...) or the process that caused it
// (InitiatingProcessFileName, ...). A column the table lacks is -1.
type procCols struct {
	fileName, folderPath, sha1, sha256, md5, size      int
	company, product, version, internal, orig, desc    int
	id, cmd, created, integ, elev                      int
	acctDomain, acctName, acctSID, acctUPN, acctObject int
	logonID, parentID, parentName, parentCreated       int
	signer, sigStatus, sessionID, isRemote, remoteName int
	remoteIP, uniqueID                                 int
}

// initiatingCols finds the InitiatingProcess* columns of b.
func initiatingCols(b *builder) procCols {
	p := "InitiatingProcess"
	v := p + "VersionInfo"
	return procCols{
		fileName: b.opt(p + "FileName"), folderPath: b.opt(p + "FolderPath"),
		sha1: b.opt(p + "SHA1"), sha256: b.opt(p + "SHA256"),
		md5: b.opt(p + "MD5"), size: b.opt(p + "FileSize"),
		company: b.opt(v + "CompanyName"), product: b.opt(v + "ProductName"),
		version:  b.opt(v + "ProductVersion"),
		internal: b.opt(v + "InternalFileName"),
		orig:     b.opt(v + "OriginalFileName"), desc: b.opt(v + "FileDescription"),
		id: b.opt(p + "Id"), cmd: b.opt(p + "CommandLine"),
		created: b.opt(p + "CreationTime"), integ: b.opt(p + "IntegrityLevel"),
		elev:       b.opt(p + "TokenElevation"),
		acctDomain: b.opt(p + "AccountDomain"),
		acctName:   b.opt(p + "AccountName"), acctSID: b.opt(p + "AccountSid"),
		acctUPN:    b.opt(p + "AccountUpn"),
		acctObject: b.opt(p + "AccountObjectId"),
		logonID:    firstCol(b, p+"LogonId", "LogonID"),
		parentID:   b.opt(p + "ParentId"), parentName: b.opt(p + "ParentFileName"),
		parentCreated: b.opt(p + "ParentCreationTime"),
		signer:        b.opt(p + "SignerType"), sigStatus: b.opt(p + "SignatureStatus"),
		sessionID:  b.opt(p + "SessionId"),
		isRemote:   b.opt("Is" + p + "RemoteSession"),
		remoteName: b.opt(p + "RemoteSessionDeviceName"),
		remoteIP:   b.opt(p + "RemoteSessionIP"), uniqueID: b.opt(p + "UniqueId"),
	}
}

// processCols finds the columns of b that describe the process an event
// is about, as DeviceProcessEvents and DeviceEvents have them.
func processCols(b *builder) procCols {
	v := "ProcessVersionInfo"
	return procCols{
		fileName: b.opt("FileName"), folderPath: b.opt("FolderPath"),
		sha1: b.opt("SHA1"), sha256: b.opt("SHA256"), md5: b.opt("MD5"),
		size:    b.opt("FileSize"),
		company: b.opt(v + "CompanyName"), product: b.opt(v + "ProductName"),
		version:  b.opt(v + "ProductVersion"),
		internal: b.opt(v + "InternalFileName"),
		orig:     b.opt(v + "OriginalFileName"), desc: b.opt(v + "FileDescription"),
		id: b.opt("ProcessId"), cmd: b.opt("ProcessCommandLine"),
		created:    b.opt("ProcessCreationTime"),
		integ:      b.opt("ProcessIntegrityLevel"),
		elev:       b.opt("ProcessTokenElevation"),
		acctDomain: b.opt("AccountDomain"), acctName: b.opt("AccountName"),
		acctSID: b.opt("AccountSid"), acctUPN: b.opt("AccountUpn"),
		acctObject: b.opt("AccountObjectId"), logonID: b.opt("LogonId"),
		parentID: -1, parentName: -1, parentCreated: -1, signer: -1,
		sigStatus: -1, sessionID: b.opt("CreatedProcessSessionId"),
		isRemote:   b.opt("IsProcessRemoteSession"),
		remoteName: b.opt("ProcessRemoteSessionDeviceName"),
		remoteIP:   b.opt("ProcessRemoteSessionIP"),
		uniqueID:   b.opt("ProcessUniqueId"),
	}
}

func firstCol(b *builder, names ...string) int {
	for _, n := range names {
		if i := b.opt(n); i >= 0 {
			return i
		}
	}
	return -1
}

// setProc fills the columns c with process i of d.
func setProc(b *builder, c *procCols, d *Device, i int32) {
	p := &d.procs[i]
	img := p.img
	b.str(c.fileName, img.Name)
	b.str(c.folderPath, img.Path)
	b.str(c.sha1, img.SHA1)
	b.str(c.sha256, img.SHA256)
	b.str(c.md5, img.MD5)
	if img.Size > 0 {
		b.long(c.size, img.Size)
	}
	b.str(c.company, img.Company)
	b.str(c.product, img.Product)
	b.str(c.version, img.Version)
	b.str(c.internal, img.Orig)
	b.str(c.orig, img.Orig)
	b.str(c.desc, img.Desc)
	b.long(c.id, p.pid)
	b.str(c.cmd, p.cmd)
	b.time(c.created, p.start)
	b.str(c.integ, p.integ)
	b.str(c.elev, p.elev)
	setAccount(b, c, p.acct)
	b.long(c.logonID, p.logonID)
	b.str(c.signer, img.Signer)
	if img.Signer != "" {
		b.str(c.sigStatus, "Valid")
	} else if img.Path != "" {
		b.str(c.sigStatus, "Unsigned")
	}
	b.long(c.sessionID, int64(p.session))
	b.boolean(c.isRemote, p.remoteIP != "")
	b.str(c.remoteName, p.remoteFrom)
	b.str(c.remoteIP, p.remoteIP)
	b.str(c.uniqueID, itoa(p.uid))
	if p.parent >= 0 {
		pp := &d.procs[p.parent]
		b.long(c.parentID, pp.pid)
		b.str(c.parentName, pp.img.Name)
		b.time(c.parentCreated, pp.start)
	}
}

func setAccount(b *builder, c *procCols, a *Account) {
	b.str(c.acctDomain, a.Domain)
	b.str(c.acctName, a.Name)
	b.str(c.acctSID, a.SID)
	b.str(c.acctUPN, a.UPN)
	b.str(c.acctObject, a.ObjectID)
}
