package history

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 12, 3, 10, 15, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// openTest opens a new store in a temporary folder with a fixed clock.
func openTest(t testing.TB, opt Options) *Store {
	t.Helper()
	if opt.Now == nil {
		opt.Now = fixedClock
	}
	s, err := Open(filepath.Join(t.TempDir(), "ahunt.db"), opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDefaultPath(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home folder")
	}
	tests := []struct {
		name, state, want string
	}{
		{"XDG_STATE_HOME", "/var/state", "/var/state/ahunt/ahunt.db"},
		{"unset", "", filepath.Join(home, ".local/state/ahunt/ahunt.db")},
		{"relative ignored", "state",
			filepath.Join(home, ".local/state/ahunt/ahunt.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_STATE_HOME", tt.state)
			got, err := DefaultPath()
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestOpenModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "ahunt")
	path := filepath.Join(dir, "ahunt.db")
	s, err := Open(path, Options{Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A write makes sure the -wal and -shm files exist.
	if _, err := s.AddRun(context.Background(), testRun("T"), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want os.FileMode
	}{
		{dir, 0o700 | os.ModeDir},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	}
	for _, tt := range tests {
		info, err := os.Stat(tt.path)
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		if got := info.Mode(); got != tt.want {
			t.Errorf("%s: got mode %v, want %v", filepath.Base(tt.path),
				got, tt.want)
		}
	}
	if n := s.Notices(); len(n) != 0 {
		t.Errorf("got notices %q for a new store, want none", n)
	}
}

func TestOpenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ahunt.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.AddRun(context.Background(), testRun("DeviceEvents"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.Run(context.Background(), id)
	if err != nil || r.Query != "DeviceEvents" {
		t.Errorf("got %+v, %v; want the run of before", r, err)
	}
}

// damage writes garbage over part of the database at path.
func damage(t *testing.T, path string, off int64, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte(strings.Repeat("\xa5", n)), off); err != nil {
		t.Fatal(err)
	}
}

// populated returns the path of a closed store with a few runs in it.
func populated(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ahunt.db")
	s, err := Open(path, Options{Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if _, err := s.AddRun(context.Background(),
			testRun(strings.Repeat("DeviceProcessEvents | take 10 ", 20)),
			nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenMovesAsideBroken(t *testing.T) {
	stamp := ".broken-20261203T101500"
	tests := []struct {
		name   string
		spoil  func(t *testing.T, path string)
		reason string
	}{
		{"text file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("hello, world\n"), 0o600)
		}, `not a database (starts with "hello, world\n")`},
		{"tiny file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("SQL"), 0o600)
		}, `not a database (starts with "SQL")`},
		{"damaged header", func(t *testing.T, path string) {
			damage(t, path, 16, 84)
		}, "damaged"},
		{"damaged schema page", func(t *testing.T, path string) {
			damage(t, path, 100, 3000)
		}, "damaged"},
		{"truncated", func(t *testing.T, path string) {
			os.Truncate(path, 4096)
		}, "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := populated(t)
			tt.spoil(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// An earlier broken file of the same second must survive.
			err = os.WriteFile(path+stamp, []byte("older"), 0o600)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, Options{Now: fixedClock})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			moved := path + stamp + "-2"
			checkFile(t, moved, before)
			checkFile(t, path+stamp, []byte("older"))
			notices := s.Notices()
			if len(notices) != 1 ||
				!strings.Contains(notices[0], path+" was "+tt.reason) ||
				!strings.Contains(notices[0], "moved to "+moved) {
				t.Errorf("got notices %q, want one saying %q and %q",
					notices, tt.reason, moved)
			}
			runs, err := s.Runs(context.Background(), RunFilter{})
			if err != nil || len(runs) != 0 {
				t.Errorf("new store: got %d runs, %v; want 0", len(runs), err)
			}
		})
	}
}

func checkFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("moved file: %v", err)
	} else if string(got) != string(want) {
		t.Errorf("%s: got %d bytes, want the %d of the file moved",
			filepath.Base(path), len(got), len(want))
	}
}

func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name    string
		path    func(t *testing.T) string
		sql     string
		wantErr error
		want    string
	}{
		{"newer version", populated, "PRAGMA user_version = 99",
			ErrNewerVersion, "schema version 99, this ahunt reads up to 2"},
		{"another program's tables", emptyPath,
			"CREATE TABLE moz_places (id INTEGER)",
			ErrForeign, `it has a table "moz_places"`},
		{"another program's ID", populated, "PRAGMA application_id = 7",
			ErrForeign, "application ID 0x7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			db.Close()
			before, _ := os.ReadFile(path)

			_, err = Open(path, Options{})
			if !errors.Is(err, tt.wantErr) ||
				!strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want %v saying %q and the path",
					err, tt.wantErr, tt.want)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("the database was changed")
			}
		})
	}
}

func emptyPath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "other.sqlite")
}

func TestOpenBadPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"empty", "", "empty path"},
		{"parent is a file", filepath.Join(file, "ahunt.db"),
			"not a directory"},
		{"question mark", filepath.Join(dir, "a?b.db"), "has a ? or #"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.path, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}
