package history

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// TestMigrateAddsTrigramIndex opens a database of schema version 1 that
// already holds runs: the migration indexes them, so a search for a word
// inside a name finds the runs recorded before it.
func TestMigrateAddsTrigramIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ahunt.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{migrations[0], fmt.Sprintf(
		"PRAGMA user_version = 1; PRAGMA application_id = %d",
		applicationID)}
	for _, q := range []string{"DeviceNetworkEvents | take 100000",
		"EmailEvents | take 1"} {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO runs (query,
			backend, tenant, started, duration, server_time, rows,
			truncated, outcome, error) VALUES
			('%s', 'demo', 'demo', 0, 0, 0, 0, 0, 'ok', '')`, q))
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			db.Close()
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(path, Options{Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := pragmaInt(context.Background(), s.db, "user_version")
	if err != nil || v != len(migrations) {
		t.Fatalf("got schema version %d, %v; want %d", v, err,
			len(migrations))
	}
	runs, err := s.Runs(context.Background(), RunFilter{Search: "Network"})
	if err != nil || len(runs) != 1 ||
		runs[0].Query != "DeviceNetworkEvents | take 100000" {
		t.Errorf("search Network: got %q, %v; want the run recorded "+
			"before the migration", queries(runs), err)
	}
}
