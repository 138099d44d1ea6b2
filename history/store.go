package history

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ahunt/ahunt/api"
)

// The defaults of Options.
const (
	DefaultMaxResultBytes = 25 << 20
	DefaultMaxCacheBytes  = 1 << 30
)

// busyTimeout is how long a statement waits for another connection or
// process to release the database before it fails.
const busyTimeout = 15 * time.Second

// Errors the store returns, for errors.Is.
var (
	// ErrNotFound is returned for a run or saved query that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrNotCached is returned by Result for a run whose result is not
	// kept: it failed, caching was off, the result was over the size cap,
	// or it was evicted.
	ErrNotCached = errors.New("result not cached")
	// ErrNewerVersion is returned by Open for a database written by a
	// newer ahunt; it is left as it is.
	ErrNewerVersion = errors.New("history database is from a newer ahunt")
	// ErrForeign is returned by Open for an SQLite database of another
	// program, which it leaves as it is.
	ErrForeign = errors.New("not an ahunt history database")
	// ErrExists is returned when renaming a saved query onto a name in
	// use.
	ErrExists = errors.New("already exists")
)

// Options are the store's settings. The zero value keeps results with the
// default caps.
type Options struct {
	// NoCache turns off keeping the results of successful runs.
	NoCache bool
	// MaxResultBytes caps one cached result, compressed; zero means
	// DefaultMaxResultBytes (25 MB).
	MaxResultBytes int64
	// MaxCacheBytes caps all cached results together, compressed; the
	// oldest are evicted first. Zero means DefaultMaxCacheBytes (1 GB).
	MaxCacheBytes int64
	// Now is the clock for created and updated times and notices; nil
	// means time.Now.
	Now func() time.Time
}

// Store is the history database. Its methods are safe for concurrent use,
// and several processes may hold the same database open.
type Store struct {
	db      *sql.DB
	path    string
	opt     Options
	notices []string
	enc     *zstd.Encoder
	dec     *zstd.Decoder
}

// DefaultPath returns $XDG_STATE_HOME/ahunt/ahunt.db, or
// ~/.local/state/ahunt/ahunt.db when XDG_STATE_HOME is unset or not an
// absolute path.
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "ahunt", "ahunt.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("history path: %w", err)
	}
	return filepath.Join(home, ".local", "state", "ahunt", "ahunt.db"), nil
}

// Open opens the store at path, creating it and its folder (mode 0700)
// if needed, and applies any pending schema migrations. A file that is not
// a database, or a damaged one, is moved aside with a timestamped name
// and a new store is started; Notices says so. A database from a newer
// ahunt is refused with ErrNewerVersion, and another program's SQLite
// database with ErrForeign.
func Open(path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("open history: empty path")
	}
	if strings.ContainsAny(path, "?#") {
		// The SQLite driver reads a "?" as the start of its options.
		return nil, fmt.Errorf("open history: path %q has a ? or #", path)
	}
	opt = opt.withDefaults()
	s := &Store{path: path, opt: opt}
	if err := s.prepareFile(); err != nil {
		return nil, fmt.Errorf("open history: %w", err)
	}
	if err := s.openDB(); err != nil {
		if hasCode(err, sqlite3.SQLITE_READONLY) ||
			hasCode(err, sqlite3.SQLITE_CANTOPEN) {
			err = fmt.Errorf("%w (ahunt writes the file and, beside it, "+
				"its -wal and -shm files)", err)
		}
		return nil, fmt.Errorf("open history %s: %w", path, err)
	}
	if err := s.initCodecs(); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open history: %w", err)
	}
	return s, nil
}

func (o Options) withDefaults() Options {
	if o.MaxResultBytes == 0 {
		o.MaxResultBytes = DefaultMaxResultBytes
	}
	if o.MaxCacheBytes == 0 {
		o.MaxCacheBytes = DefaultMaxCacheBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Close closes the database.
func (s *Store) Close() error {
	s.enc.Close()
	s.dec.Close()
	return s.db.Close()
}

// Notices returns what Open did that the user should hear of, such as a
// damaged database moved aside.
func (s *Store) Notices() []string { return s.notices }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// prepareFile creates the folder and an empty file with private modes,
// and moves aside a file that is plainly not a database.
func (s *Store) prepareFile() error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("create folder: %w", err)
	}
	if reason, err := notDatabase(s.path); err != nil {
		return err
	} else if reason != "" {
		if err := s.moveAside(reason); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return chmodPrivate(s.path)
}

// chmodPrivate sets mode 0600 on the database and its -wal and -shm
// files, where they exist.
func chmodPrivate(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		err := os.Chmod(p, 0o600)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// notDatabase returns why the file at path is not an SQLite database, or
// "" when it is one, is empty or does not exist.
func notDatabase(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && err == io.EOF:
		return "", nil
	case err != nil && err != io.ErrUnexpectedEOF:
		return "", err
	case bytes.Equal(head[:n], []byte(sqliteHeader)):
		return "", nil
	}
	return fmt.Sprintf("not a database (starts with %q)", head[:n]), nil
}

// openDB opens the database and migrates it. A database SQLite finds
// damaged is moved aside once and a new one started.
func (s *Store) openDB() error {
	err := s.tryOpenDB()
	if !isDamaged(err) {
		return err
	}
	if err := s.moveAside("damaged: " + err.Error()); err != nil {
		return err
	}
	return s.tryOpenDB()
}

func (s *Store) tryOpenDB() error {
	// The journal mode is not in the DSN: it is a change to the file,
	// which must wait until the file is known to be ahunt's. It persists,
	// so every later connection is in WAL mode too.
	dsn := fmt.Sprintf("%s?_busy_timeout=%d&_synchronous=NORMAL"+
		"&_txlock=immediate", s.path, busyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	ctx := context.Background()
	err = prepareDB(ctx, db)
	if err == nil {
		err = migrate(ctx, db)
	}
	if err == nil {
		err = probe(ctx, db)
	}
	if err == nil {
		err = chmodPrivate(s.path)
	}
	if err != nil {
		db.Close()
		return err
	}
	s.db = db
	return nil
}

// prepareDB checks the database is ahunt's and sets what must be set
// before the schema: incremental auto-vacuum on a new database, which
// lets evicted results give their space back, and WAL mode. Both are
// kept in the file, and both must be set on the connection that checked.
func prepareDB(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	empty, err := checkOwner(ctx, conn)
	if err == nil && empty {
		_, err = conn.ExecContext(ctx, "PRAGMA auto_vacuum = INCREMENTAL")
	}
	if err == nil {
		err = setWAL(ctx, conn)
	}
	return err
}

// setWAL turns on WAL mode. Turning it on takes an exclusive lock, one
// of the few steps for which SQLite does not wait on its own when another
// process holds the new database, so it is retried here.
func setWAL(ctx context.Context, db querier) error {
	var mode string
	err := retryBusy(ctx, func() error {
		return db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").
			Scan(&mode)
	})
	if err != nil {
		return fmt.Errorf("set WAL mode: %w", err)
	}
	if mode != "wal" {
		return fmt.Errorf("set WAL mode: journal mode is still %q", mode)
	}
	return nil
}

// retryBusy calls fn until it does not fail with SQLITE_BUSY, for at
// most busyTimeout.
func retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(busyTimeout)
	wait := time.Millisecond
	for {
		err := fn()
		if !hasCode(err, sqlite3.SQLITE_BUSY) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// probe reads a little of every table, so that a damaged file shows at
// Open rather than at the first query.
// TODO: damage deep inside a large table is found only when a query
// reads it; a full integrity check on every start is too slow.
func probe(ctx context.Context, db *sql.DB) error {
	for _, q := range []string{
		"SELECT max(id) FROM runs",
		"SELECT max(run_id) FROM results",
		"SELECT count(*) FROM saved",
		"SELECT max(id) FROM ledger",
		"SELECT count(*) FROM runs_fts WHERE runs_fts MATCH 'probe'",
		"SELECT count(*) FROM runs_tri WHERE runs_tri MATCH 'probe'",
	} {
		var v sql.NullInt64
		if err := db.QueryRowContext(ctx, q).Scan(&v); err != nil {
			return fmt.Errorf("check: %w", err)
		}
	}
	return nil
}

// isDamaged reports whether err is SQLite saying the file is not a
// database or is corrupt.
func isDamaged(err error) bool {
	return hasCode(err, sqlite3.SQLITE_NOTADB) ||
		hasCode(err, sqlite3.SQLITE_CORRUPT)
}

// hasCode reports whether err is an SQLite error of the primary code.
func hasCode(err error, code int) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == code
}

// moveAside renames the database and its -wal and -shm files to a
// timestamped name that is not in use, and records a notice.
func (s *Store) moveAside(reason string) error {
	stamp := s.opt.Now().UTC().Format("20060102T150405")
	base := s.path + ".broken-" + stamp
	dst := base
	for i := 2; exists(dst) || exists(dst+"-wal"); i++ {
		dst = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(s.path, dst); err != nil {
		return fmt.Errorf("move aside: %w", err)
	}
	for _, sfx := range []string{"-wal", "-shm"} {
		err := os.Rename(s.path+sfx, dst+sfx)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("move aside: %w", err)
		}
	}
	s.notices = append(s.notices, fmt.Sprintf(
		"%s was %s; moved to %s; started a new store",
		s.path, reason, dst))
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func (s *Store) initCodecs() error {
	var err error
	s.enc, err = zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithEncoderConcurrency(1))
	if err != nil {
		return err
	}
	// A result is at most a few hundred MB decoded; the bound keeps a
	// damaged row from asking for more.
	s.dec, err = zstd.NewReader(nil,
		zstd.WithDecoderMaxMemory(4<<30),
		zstd.WithDecoderConcurrency(0))
	return err
}

// Ledger returns the quota ledger kept in the store.
func (s *Store) Ledger() api.Ledger { return ledger{s} }

// tx runs fn in a write transaction (BEGIN IMMEDIATE), committing when it
// returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
