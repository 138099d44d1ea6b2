//go:build unix

package history

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const nobody = 65534

func TestOpenReadOnlyFolder(t *testing.T) {
	tests := []struct {
		name string
		// existing makes a store in the folder before it is read-only.
		existing bool
		want     string
	}{
		{"new store", false, "permission denied"},
		{"existing store", true, "-wal and -shm files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := os.MkdirTemp("", "ahunt-ro-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(base) })
			dir := filepath.Join(base, "ro")
			path := filepath.Join(dir, "ahunt.db")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.existing {
				makeStore(t, path)
			}
			if err := os.Chmod(dir, 0o555); err != nil {
				t.Fatal(err)
			}
			msg := openReadOnly(t, base, path)
			for _, want := range []string{tt.want, path} {
				if !strings.Contains(msg, want) {
					t.Errorf("got %q, want it to say %q", msg, want)
				}
			}
		})
	}
}

// makeStore creates a store at path that the user nobody owns, for when
// the test runs as root.
func makeStore(t *testing.T, path string) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(path, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
}

// openReadOnly opens the store at path, whose folder is read-only, and
// returns the error's text. Root may write to a read-only folder, so as
// root the open runs in a helper process as the user nobody; base is a
// folder anyone may read.
func openReadOnly(t *testing.T, base, path string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		_, err := Open(path, Options{})
		if err == nil {
			t.Fatal("Open in a read-only folder: got no error")
		}
		return err.Error()
	}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(base, "history.test")
	if err := copyFile(os.Args[0], exe); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), helperEnv+"=writer", dbEnv+"="+path,
		countEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: nobody, Gid: nobody},
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err == nil {
		t.Fatalf("helper as nobody opened %s: %s", path, out)
	} else if !errors.As(err, &exit) {
		t.Skipf("cannot run a process as nobody: %v", err)
	}
	return string(out)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
