package history

import (
	"context"
	"database/sql"
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
}

// migrate applies the migrations db lacks, each in its own transaction
// so that two processes opening a new store at once do not both apply
// one. A newer database is refused with ErrNewerVersion.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	v, err := userVersion(ctx, db)
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("%w: %s has schema version %d, this ahunt "+
			"reads up to %d; upgrade ahunt or use another --db",
			ErrNewerVersion, path, v, len(migrations))
	}
	for v < len(migrations) {
		if v, err = migrateOnce(ctx, db); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
	}
	return nil
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
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return v, err
	}
	_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1))
	if err != nil {
		return v, err
	}
	return v + 1, tx.Commit()
}

func userVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
