package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// migrations bring the schema from version i to i+1; the schema version
// is PRAGMA user_version. Append to this list; never edit an entry that
// has shipped.
var migrations = []string{
	// 1: runs with full-text search, cached results, saved queries and
	// the quota ledger. Times are Unix nanoseconds, durations nanoseconds.
	`
CREATE TABLE runs (
	id          INTEGER PRIMARY KEY,
	query       TEXT NOT NULL,
	backend     TEXT NOT NULL,
	tenant      TEXT NOT NULL,
	started     INTEGER NOT NULL,
	duration    INTEGER NOT NULL,
	server_time INTEGER NOT NULL,
	rows        INTEGER NOT NULL,
	truncated   INTEGER NOT NULL,
	outcome     TEXT NOT NULL,
	error       TEXT NOT NULL
);

-- KQL names keep their underscores (has_any, _GetWatchlist); prefix
-- indexes make short prefixes such as "De" cheap.
CREATE VIRTUAL TABLE runs_fts USING fts5(
	query,
	content = 'runs',
	content_rowid = 'id',
	tokenize = "unicode61 tokenchars '_'",
	prefix = '2 3'
);

CREATE TRIGGER runs_fts_insert AFTER INSERT ON runs BEGIN
	INSERT INTO runs_fts (rowid, query) VALUES (new.id, new.query);
END;

CREATE TRIGGER runs_fts_delete AFTER DELETE ON runs BEGIN
	INSERT INTO runs_fts (runs_fts, rowid, query)
	VALUES ('delete', old.id, old.query);
END;

CREATE TABLE results (
	run_id        INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
	size          INTEGER NOT NULL,
	truncated     INTEGER NOT NULL,
	elapsed       INTEGER NOT NULL,
	has_stats     INTEGER NOT NULL,
	exec_time     INTEGER NOT NULL,
	cpu_time      INTEGER NOT NULL,
	rows_scanned  INTEGER NOT NULL,
	bytes_scanned INTEGER NOT NULL,
	peak_memory   INTEGER NOT NULL,
	data          BLOB NOT NULL
);

CREATE TABLE saved (
	name        TEXT PRIMARY KEY,
	query       TEXT NOT NULL,
	description TEXT NOT NULL,
	tags        TEXT NOT NULL,
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL
);

CREATE TABLE ledger (
	id      INTEGER PRIMARY KEY,
	key     TEXT NOT NULL,
	at      INTEGER NOT NULL,
	runtime INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ledger_key_at ON ledger (key, at);
CREATE INDEX ledger_at ON ledger (at);
`,
	// 2: a trigram index over the query text, so that a search finds a
	// word inside a name (ProcessEvents in DeviceProcessEvents). The word
	// index stays for searches shorter than a trigram.
	// TODO: indexing the runs already recorded holds the write lock for
	// about 20 s at 100,000 runs; build it in batches if stores that big
	// are ever upgraded.
	`
CREATE VIRTUAL TABLE runs_tri USING fts5(
	query,
	content = 'runs',
	content_rowid = 'id',
	tokenize = "trigram remove_diacritics 1"
);

INSERT INTO runs_tri (runs_tri) VALUES ('rebuild');

CREATE TRIGGER runs_tri_insert AFTER INSERT ON runs BEGIN
	INSERT INTO runs_tri (rowid, query) VALUES (new.id, new.query);
END;

CREATE TRIGGER runs_tri_delete AFTER DELETE ON runs BEGIN
	INSERT INTO runs_tri (runs_tri, rowid, query)
	VALUES ('delete', old.id, old.query);
END;
`,
}

// applicationID marks an ahunt database in the SQLite header ("ahnt").
const applicationID = 0x61686e74

// checkOwner refuses, without writing, a database that is not ahunt's
// (ErrForeign) or is from a newer ahunt (ErrNewerVersion). It reports
// whether the database is empty.
func checkOwner(ctx context.Context, db querier) (empty bool, err error) {
	// One statement reads all three from one snapshot, so that another
	// process creating the schema meanwhile cannot be taken for a
	// foreign table in a database of version 0.
	var v, app int
	var table sql.NullString
	err = db.QueryRowContext(ctx, `SELECT
		(SELECT user_version FROM pragma_user_version),
		(SELECT application_id FROM pragma_application_id),
		(SELECT name FROM sqlite_master LIMIT 1)`).Scan(&v, &app, &table)
	switch {
	case err != nil:
		return false, fmt.Errorf("read version: %w", err)
	case app != 0 && app != applicationID:
		return false, fmt.Errorf("%w (application ID %#x)", ErrForeign, app)
	case v > len(migrations):
		return false, fmt.Errorf("%w (schema version %d, this ahunt "+
			"reads up to %d); upgrade ahunt or use another database file",
			ErrNewerVersion, v, len(migrations))
	case v == 0 && table.Valid:
		return false, fmt.Errorf("%w (it has a table %q)", ErrForeign,
			table.String)
	}
	return v == 0, nil
}

// migrate applies the migrations db lacks, each in its own transaction
// so that two processes opening a new store at once do not both apply
// one.
func migrate(ctx context.Context, db *sql.DB) error {
	v, err := pragmaInt(ctx, db, "user_version")
	for err == nil && v < len(migrations) {
		next := v + 1
		if v, err = migrateOnce(ctx, db); err != nil {
			err = fmt.Errorf("migrate to schema %d: %w", next, err)
		}
	}
	return err
}

// migrateOnce applies the next migration unless another process did, and
// returns the version the database is at then.
func migrateOnce(ctx context.Context, db *sql.DB) (int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").
		Scan(&v); err != nil {
		return 0, err
	}
	if v >= len(migrations) {
		return v, nil
	}
	if v == 0 {
		if err := requireEmpty(ctx, tx); err != nil {
			return v, err
		}
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return v, err
	}
	_, err = tx.ExecContext(ctx, fmt.Sprintf(
		"PRAGMA user_version = %d; PRAGMA application_id = %d",
		v+1, applicationID))
	if err != nil {
		return v, err
	}
	return v + 1, tx.Commit()
}

// requireEmpty refuses to create the schema in a database that already
// holds tables: it belongs to another program.
func requireEmpty(ctx context.Context, q querier) error {
	var name string
	err := q.QueryRowContext(ctx,
		"SELECT name FROM sqlite_master LIMIT 1").Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err == nil {
		err = fmt.Errorf("%w (it has a table %q)", ErrForeign, name)
	}
	return err
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func pragmaInt(ctx context.Context, db *sql.DB, name string) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}
