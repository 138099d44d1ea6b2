package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// resolveFor resolves the settings of `ahunt quota ARGS` with the given
// environment, without running the command.
func resolveFor(t *testing.T, environ map[string]string,
	args ...string) (settings, error) {
	t.Helper()
	dir := t.TempDir()
	base := map[string]string{"HOME": dir,
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state")}
	for k, v := range environ {
		base[k] = v
	}
	var out bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out,
		getenv: func(k string) string { return base[k] }}
	root := a.rootCommand()
	var cmd *cobra.Command
	for _, c := range root.Commands() {
		if c.Name() == "quota" {
			cmd = c
		}
	}
	cmd.RunE = func(*cobra.Command, []string) error { return nil }
	root.SetArgs(append([]string{"quota"}, args...))
	root.SetOut(&out)
	root.SetErr(&out)
	err := root.ExecuteContext(context.Background())
	return a.set, err
}

func TestSettingsPrecedence(t *testing.T) {
	cfgDir := t.TempDir()
	cfg := filepath.Join(cfgDir, "config.toml")
	os.WriteFile(cfg, []byte(`api = "xdr"
tenant = "file-tenant"
calls_per_minute = 45
runtime_per_hour = "10m"
`), 0o600)

	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, s settings)
	}{
		{"defaults", nil, nil, func(t *testing.T, s settings) {
			if s.API != "demo" || s.Limits.CallsPerMinute != 15 ||
				s.Limits.RuntimePerHour != 15*time.Minute ||
				s.Limits.RuntimePerDay != 4*time.Hour ||
				s.Limits.RequestTimeout != 10*time.Minute {
				t.Errorf("got %+v", s)
			}
			if !strings.HasSuffix(s.DB, filepath.Join("state", "ahunt",
				"ahunt.db")) {
				t.Errorf("db: got %s", s.DB)
			}
		}},
		{"client id means graph", map[string]string{
			"AZURE_CLIENT_ID": "app"}, nil, func(t *testing.T, s settings) {
			if s.API != "graph" {
				t.Errorf("api: got %s, want graph", s.API)
			}
		}},
		{"file", map[string]string{"AHUNT_CONFIG": cfg}, nil,
			func(t *testing.T, s settings) {
				if s.API != "xdr" || s.Tenant != "file-tenant" ||
					s.Limits.CallsPerMinute != 45 ||
					s.Limits.RuntimePerHour != 10*time.Minute {
					t.Errorf("got %+v", s)
				}
			}},
		{"env beats file", map[string]string{"AHUNT_CONFIG": cfg,
			"AHUNT_API": "mde", "AZURE_TENANT_ID": "env-tenant"}, nil,
			func(t *testing.T, s settings) {
				if s.API != "mde" || s.Tenant != "env-tenant" {
					t.Errorf("got api %s tenant %s", s.API, s.Tenant)
				}
			}},
		{"flag beats env", map[string]string{"AHUNT_CONFIG": cfg,
			"AHUNT_API": "mde"}, []string{"--api", "graph",
			"--calls-per-minute", "3", "--tenant", "flag-tenant"},
			func(t *testing.T, s settings) {
				if s.API != "graph" || s.Limits.CallsPerMinute != 3 ||
					s.Tenant != "flag-tenant" {
					t.Errorf("got %+v", s)
				}
			}},
		{"secret from the environment only", map[string]string{
			"AZURE_CLIENT_SECRET": "s3cret"}, nil,
			func(t *testing.T, s settings) {
				if s.clientSecret != "s3cret" {
					t.Errorf("secret not read from the environment")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := resolveFor(t, tt.env, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
}

func TestSettingsErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"secret flag", nil, []string{"--client-secret", "x"},
			"unknown flag"},
		{"http endpoint", nil, []string{"--endpoint", "http://10.0.0.1"},
			"loopback"},
		{"ftp endpoint", nil, []string{"--endpoint", "ftp://x"}, "https"},
		{"zero calls", nil, []string{"--calls-per-minute", "0"},
			"at least 1"},
		{"missing explicit config", map[string]string{
			"AHUNT_CONFIG": "/nonexistent/ahunt.toml"}, nil,
			"/nonexistent/ahunt.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolveFor(t, tt.env, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error about %q", err, tt.want)
			}
			if code := exitCode(err); code != exitUsage {
				t.Errorf("exit code: got %d, want %d", code, exitUsage)
			}
		})
	}
}

func TestLoopbackEndpoints(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://[::1]:9",
		"http://localhost:1", "https://api.security.microsoft.com"} {
		if err := checkURL(u); err != nil {
			t.Errorf("checkURL(%s): %v", u, err)
		}
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", " \n\t", "empty"},
		{"nul", "Device\x00Info", "NUL byte at offset 6"},
		{"latin1", "caf\xe9", "offset 3"},
	}
	for _, tt := range tests {
		err := checkText(tt.text, "<stdin>")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	if err := checkText("DeviceInfo | take 1", "x"); err != nil {
		t.Errorf("valid text: %v", err)
	}
}
