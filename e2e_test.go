package main

// End-to-end tests that drive the built binary as a user or a script
// would: every subcommand, every exit code, bad input on every path, and
// the same corpus queries in process and through `ahunt serve` with each
// API shape.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ahunt/ahunt/kql/corpus"
)

// binary is the ahunt built once for the whole test run.
var binary string

// demoNow pins the demo tenant's clock for every process of a test run.
var demoNow = time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ahunt-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Other users must reach the binary for the read-only folder test.
	os.Chmod(dir, 0o755)
	binary = filepath.Join(dir, "ahunt")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build ahunt:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli is a sandbox for running the binary: its own state, config and
// database folders, and no credentials from the caller's environment.
type cli struct {
	t   *testing.T
	dir string
	env []string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	c := &cli{t: t, dir: dir}
	c.env = []string{
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"NO_COLOR=1",
		// One clock for every process, so the demo tenant's rows are
		// the same in each.
		"AHUNT_DEMO_NOW=" + demoNow,
	}
	return c
}

// result is one finished command.
type result struct {
	code           int
	stdout, stderr string
}

// run runs ahunt with args, stdin and extra environment entries.
func (c *cli) run(stdin string, args ...string) result {
	c.t.Helper()
	return c.runEnv(nil, stdin, args...)
}

func (c *cli) runEnv(extra []string, stdin string, args ...string) result {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(append([]string{}, c.env...), extra...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("ahunt %s: %v", strings.Join(args, " "), err)
	}
	return result{code, out.String(), errb.String()}
}

// want fails the test unless r ended with code.
func (r result) want(t *testing.T, code int, what string) {
	t.Helper()
	if r.code != code {
		t.Errorf("%s: exit code %d, want %d\nstdout: %s\nstderr: %s", what,
			r.code, code, clip(r.stdout), clip(r.stderr))
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// oneClearLine checks that stderr is one line that starts with "ahunt:"
// and mentions every word of want.
func oneClearLine(t *testing.T, r result, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "ahunt: ") {
		t.Errorf("stderr: got %q, want one line starting with \"ahunt: \"",
			r.stderr)
		return
	}
	for _, w := range want {
		if !strings.Contains(strings.ToLower(lines[0]), strings.ToLower(w)) {
			t.Errorf("stderr %q does not mention %q", lines[0], w)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	c := newCLI(t)
	r := c.run("", "version")
	r.want(t, 0, "version")
	if !strings.HasPrefix(r.stdout, "ahunt ") {
		t.Errorf("version: got %q", r.stdout)
	}
	for _, sub := range []string{"query", "check", "history", "saved",
		"quota", "serve", "login", "version"} {
		r := c.run("", sub, "--help")
		r.want(t, 0, sub+" --help")
		if !strings.Contains(r.stdout, "Examples:") {
			t.Errorf("%s --help has no examples:\n%s", sub, r.stdout)
		}
	}
}

func TestBadInput(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		words []string
	}{
		{"unknown flag", "", []string{"query", "--frobnicate", "x"}, 2,
			[]string{"unknown flag", "--frobnicate"}},
		{"missing file", "", []string{"query", "-f", "/nonexistent/q.kql"}, 2,
			[]string{"/nonexistent/q.kql", "no such file"}},
		{"empty argument", "", []string{"query", "   "}, 2,
			[]string{"empty"}},
		{"empty stdin", "", []string{"query"}, 2, []string{"empty"}},
		{"binary garbage", "\x00\xff\xfe\x01garbage", []string{"query"}, 2,
			[]string{"stdin", "offset"}},
		{"bad format", "", []string{"query", "--format", "xml",
			"DeviceInfo"}, 2, []string{"--format", "xml"}},
		{"bad api", "", []string{"query", "--api", "splunk", "x"}, 2,
			[]string{"splunk"}},
		{"plain http endpoint", "", []string{"query", "--api", "graph",
			"--endpoint", "http://example.com", "x"}, 2,
			[]string{"http", "loopback"}},
		{"no-limits on graph", "", []string{"query", "--api", "graph",
			"--no-limits", "x"}, 2, []string{"demo"}},
		{"check missing file", "", []string{"check", "-f", "/nope.kql"}, 2,
			[]string{"/nope.kql"}},
		{"saved without action", "", []string{"saved"}, 2,
			[]string{"list"}},
		{"serve on a public address", "", []string{"serve", "--addr",
			"0.0.0.0:0"}, 2, []string{"loopback"}},
		{"unknown command", "", []string{"quer", "x"}, 2,
			[]string{"unknown command", "quer"}},
		{"two query arguments", "", []string{"query", "a", "b"}, 2,
			[]string{"query", "--help"}},
		{"saved show without a name", "", []string{"saved", "show"}, 2,
			[]string{"saved show"}},
		{"bad timespan", "", []string{"query", "--timespan", "garbage",
			"DeviceInfo | take 1"}, 2, []string{"ISO 8601"}},
		{"graph without a tenant", "", []string{"query", "--api", "graph",
			"--client-id", "x", "DeviceInfo | take 1"}, 2,
			[]string{"AZURE_TENANT_ID"}},
		{"workbench without a terminal", "", nil, 2,
			[]string{"terminal", "ahunt query"}},
		{"import from nowhere", "", []string{"saved", "import",
			"/nonexistent"}, 2, []string{"/nonexistent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(tt.stdin, tt.args...)
			r.want(t, tt.code, tt.name)
			oneClearLine(t, r, tt.words...)
			if r.stdout != "" {
				t.Errorf("stdout: got %q, want nothing", r.stdout)
			}
		})
	}
}

func TestVersionIgnoresBrokenSettings(t *testing.T) {
	c := newCLI(t)
	r := c.runEnv([]string{"AHUNT_API=splunk"}, "", "version")
	r.want(t, 0, "version with a broken setting")
}

func TestCheckGlob(t *testing.T) {
	c := newCLI(t)
	good := filepath.Join(c.dir, "good.kql")
	bad := filepath.Join(c.dir, "bad.kql")
	os.WriteFile(good, []byte("DeviceInfo\n| where Timestamp > ago(1d)\n"+
		"| take 1\n"), 0o644)
	os.WriteFile(bad, []byte("DeviceInfo\n| where (Timestamp > ago(1d)\n"),
		0o644)
	r := c.run("", "check", "-f", good, bad)
	r.want(t, 1, "check -f with two files")
	if !strings.Contains(r.stderr, bad+":3:1: error") || strings.Contains(r.stderr,
		good+":") {
		t.Errorf("want a diagnostic for bad.kql only:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "1 of 2 queries have errors") {
		t.Errorf("want a summary:\n%s", r.stderr)
	}
	c.run("", "check", "-f", good).want(t, 0, "check a good file")
}

func TestTableOutputIsTerminalSafe(t *testing.T) {
	c := newCLI(t)
	r := c.run("", "query", "--format", "table",
		`print s = strcat("x", "\u001b]0;PWNED\u0007", "y")`)
	r.want(t, 0, "print with escape sequences")
	if strings.ContainsAny(r.stdout, "\x1b\x07") {
		t.Errorf("table output holds raw control characters: %q", r.stdout)
	}
}

func TestConfigFile(t *testing.T) {
	c := newCLI(t)
	cfg := filepath.Join(c.dir, "config", "ahunt", "config.toml")
	os.MkdirAll(filepath.Dir(cfg), 0o700)

	os.WriteFile(cfg, []byte("calls_per_minute = 7\n"), 0o600)
	r := c.run("", "quota", "--format", "json")
	r.want(t, 0, "quota with a config file")
	var q map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &q); err != nil {
		t.Fatalf("quota json: %v\n%s", err, r.stdout)
	}
	if q["calls_per_minute"] != 7.0 {
		t.Errorf("calls_per_minute: got %v, want 7 from the config file",
			q["calls_per_minute"])
	}
	r = c.run("", "quota", "--format", "json", "--calls-per-minute", "9")
	json.Unmarshal([]byte(r.stdout), &q)
	if q["calls_per_minute"] != 9.0 {
		t.Errorf("calls_per_minute: got %v, want 9: a flag beats the file",
			q["calls_per_minute"])
	}

	os.WriteFile(cfg, []byte("client_secret = \"hunter2\"\n"), 0o600)
	r = c.run("", "quota")
	r.want(t, 2, "a secret in the config file")
	oneClearLine(t, r, "AZURE_CLIENT_SECRET")
	if strings.Contains(r.stderr, "hunter2") {
		t.Errorf("the secret was echoed: %q", r.stderr)
	}

	os.WriteFile(cfg, []byte("calls_per_minut = 7\n"), 0o600)
	r = c.run("", "quota")
	r.want(t, 2, "a misspelt setting")
	oneClearLine(t, r, "calls_per_minut")

	os.WriteFile(cfg, []byte("calls_per_minute = \n"), 0o600)
	r = c.run("", "quota")
	r.want(t, 2, "a broken config file")
	oneClearLine(t, r, "config.toml")
}

// corpusSample returns every nth valid corpus query, for end-to-end runs.
func corpusSample(t *testing.T, n int) []corpus.Query {
	t.Helper()
	qs, err := corpus.Valid()
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	var out []corpus.Query
	for i, q := range qs {
		if i%n == 0 {
			out = append(out, q)
		}
	}
	return out
}

var diagLine = regexp.MustCompile(`^[^:]+:\d+:\d+: (error|warning|info): .+`)

func TestCheckCorpusInvalid(t *testing.T) {
	c := newCLI(t)
	bad, err := corpus.Invalid()
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	dir, _ := corpus.Dir()
	args := []string{"check"}
	for name := range bad {
		args = append(args, "-f", filepath.Join(dir, name))
	}
	r := c.run("", args...)
	r.want(t, 1, "check on the 17 invalid corpus queries")
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if strings.HasPrefix(line, "ahunt: ") {
			continue
		}
		if !diagLine.MatchString(line) {
			t.Errorf("not FILE:LINE:COL: severity: message: %q", line)
			continue
		}
		for name := range bad {
			if strings.HasPrefix(line, filepath.Join(dir, name)+":") &&
				strings.Contains(line, ": error: ") {
				seen[name] = true
			}
		}
	}
	for name := range bad {
		if !seen[name] {
			t.Errorf("%s: no error reported", name)
		}
	}
}

// csvRows parses CSV output and fails the test when it is not CSV.
func csvRows(t *testing.T, out string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, clip(out))
	}
	return rows
}

func TestQueryFormats(t *testing.T) {
	c := newCLI(t)
	q := "DeviceProcessEvents | where FileName =~ 'powershell.exe' " +
		"| project Timestamp, DeviceName, ProcessCommandLine | take 5"
	r := c.run("", "query", "--format", "csv", q)
	r.want(t, 0, "csv")
	rows := csvRows(t, r.stdout)
	if len(rows) != 6 || strings.Join(rows[0], ",") !=
		"Timestamp,DeviceName,ProcessCommandLine" {
		t.Errorf("csv: got %d rows, header %v", len(rows), rows[0])
	}
	if !strings.Contains(r.stderr, "5 rows") {
		t.Errorf("stderr should say how many rows: %q", r.stderr)
	}

	r = c.run("", "query", "--format", "json", q)
	r.want(t, 0, "json")
	var objs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &objs); err != nil ||
		len(objs) != 5 {
		t.Errorf("json: %v, %d rows\n%s", err, len(objs), clip(r.stdout))
	}

	r = c.run(q, "query", "--format", "jsonl")
	r.want(t, 0, "jsonl from stdin")
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	n := 0
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			t.Errorf("jsonl line %d is not JSON: %s", n+1, sc.Text())
		}
		n++
	}
	if n != 5 {
		t.Errorf("jsonl: got %d lines, want 5", n)
	}

	file := filepath.Join(c.dir, "q.kql")
	os.WriteFile(file, []byte("// a comment\n"+q+"\n"), 0o644)
	r = c.run("", "query", "--format", "table", "-f", file)
	r.want(t, 0, "table from a file")
	if !strings.HasPrefix(r.stdout, "Timestamp") {
		t.Errorf("table: got %q", clip(r.stdout))
	}
}

func TestQuerySyntaxErrorSpendsNothing(t *testing.T) {
	c := newCLI(t)
	r := c.run("", "query", "DeviceProcessEvents | where (FileName == 'x'")
	r.want(t, 1, "syntax error")
	if !regexp.MustCompile(`<arg>:1:\d+: error: `).MatchString(r.stderr) {
		t.Errorf("want a positioned diagnostic, got %q", r.stderr)
	}
	if !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("want a note that no quota was spent, got %q", r.stderr)
	}
	r = c.run("", "history", "--format", "json")
	if strings.Contains(r.stdout, "FileName == 'x'") {
		t.Error("a query stopped locally must not be recorded as a run")
	}
}

func TestQuotaExitCode(t *testing.T) {
	c := newCLI(t)
	q := "DeviceInfo | take 1"
	c.run("", "query", "--calls-per-minute", "1", q).want(t, 0, "first call")
	r := c.run("", "query", "--calls-per-minute", "1", "--max-wait", "1s", q)
	r.want(t, 3, "second call in the same minute with --max-wait 1s")
	if !strings.Contains(strings.ToLower(r.stderr), "call") {
		t.Errorf("want a reason naming the call limit, got %q", r.stderr)
	}
	r = c.run("", "history", "--format", "json")
	var runs []map[string]any
	json.Unmarshal([]byte(r.stdout), &runs)
	if len(runs) != 2 || runs[0]["outcome"] != "throttled" {
		t.Errorf("history should hold the refused run as throttled: %s",
			r.stdout)
	}
}

func TestHistoryAndSavedRoundTrip(t *testing.T) {
	c := newCLI(t)
	q := "DeviceLogonEvents | where ActionType == 'LogonFailed' | count"
	c.run("", "query", "--format", "csv", q).want(t, 0, "query")
	c.run("", "query", "--format", "csv", "DeviceInfo | take 2").
		want(t, 0, "query")

	r := c.run("", "history", "--search", "LogonFailed", "--format", "json")
	r.want(t, 0, "history search")
	var runs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &runs); err != nil {
		t.Fatalf("history json: %v\n%s", err, r.stdout)
	}
	if len(runs) != 1 || runs[0]["query"] != q || runs[0]["outcome"] != "ok" {
		t.Errorf("history search: got %v", runs)
	}
	r = c.run("", "history")
	r.want(t, 0, "history table")
	if strings.Index(r.stdout, "DeviceInfo") > strings.Index(r.stdout,
		"DeviceLogonEvents") {
		t.Errorf("history must list newest first:\n%s", r.stdout)
	}

	c.run("", "saved", "save", "failed-logons", "--description",
		"failed logons", "--tags", "logon,t1110", q).want(t, 0, "save")
	r = c.run("", "saved", "show", "failed-logons")
	if strings.TrimSpace(r.stdout) != q {
		t.Errorf("show: got %q, want %q", r.stdout, q)
	}
	r = c.run("", "saved", "run", "failed-logons", "--format", "csv")
	r.want(t, 0, "saved run")
	if rows := csvRows(t, r.stdout); len(rows) != 2 || rows[0][0] != "Count" {
		t.Errorf("saved run: got %v", rows)
	}

	dir := filepath.Join(c.dir, "hunts")
	c.run("", "saved", "export", dir).want(t, 0, "export")
	c.run("", "saved", "rm", "failed-logons").want(t, 0, "rm")
	c.run("", "saved", "show", "failed-logons").want(t, 1, "show removed")
	c.run("", "saved", "import", dir).want(t, 0, "import")
	r = c.run("", "saved", "list", "--format", "json")
	var saved []map[string]any
	json.Unmarshal([]byte(r.stdout), &saved)
	if len(saved) != 1 || saved[0]["name"] != "failed-logons" ||
		saved[0]["query"] != q || saved[0]["description"] != "failed logons" {
		t.Errorf("after export, rm and import: got %v", saved)
	}
}

func TestDamagedDatabase(t *testing.T) {
	c := newCLI(t)
	db := filepath.Join(c.dir, "ahunt.db")
	os.WriteFile(db, []byte("this is not a database, it is a letter"), 0o600)
	r := c.run("", "--db", db, "history")
	r.want(t, 0, "history over a damaged file")
	if !strings.Contains(r.stderr, "moved") {
		t.Errorf("want a notice that the file was moved aside: %q", r.stderr)
	}
	moved, _ := filepath.Glob(db + "*broken*")
	if len(moved) != 1 {
		t.Fatalf("want the damaged file kept beside: got %v", moved)
	}
	if b, _ := os.ReadFile(moved[0]); !bytes.HasPrefix(b, []byte("this is")) {
		t.Error("the damaged file's content was not kept")
	}
}

func TestReadOnlyFolder(t *testing.T) {
	c := newCLI(t)
	dir := filepath.Join(c.dir, "ro")
	os.MkdirAll(dir, 0o755)
	db := filepath.Join(dir, "ahunt.db")
	var extra []string
	cred := func(cmd *exec.Cmd) {}
	if os.Geteuid() == 0 {
		// Root writes anywhere; run as nobody, who owns the folder.
		os.Chmod(c.dir, 0o755)
		os.Chmod(filepath.Dir(c.dir), 0o755)
		os.Chown(dir, 65534, 65534)
		cred = func(cmd *exec.Cmd) {
			cmd.SysProcAttr = &syscall.SysProcAttr{
				Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
	}
	runAs := func(args ...string) result {
		cmd := exec.Command(binary, append([]string{"--db", db}, args...)...)
		cmd.Env = append(append([]string{}, c.env...), extra...)
		cred(cmd)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return result{code, out.String(), errb.String()}
	}
	runAs("saved", "save", "keep-me", "DeviceInfo | take 1").
		want(t, 0, "save")
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	r := runAs("saved", "save", "second", "DeviceInfo | take 2")
	if r.code == 0 {
		// SQLite may still write through an existing WAL; the folder
		// itself is what must be read-only for a new database.
		t.Logf("save in a read-only folder with an existing db: %q",
			r.stderr)
	}
	r = runAs("--db", filepath.Join(dir, "new", "ahunt.db"), "history")
	r.want(t, 2, "a new database in a read-only folder")
	oneClearLine(t, r, filepath.Join(dir, "new"))
	os.Chmod(dir, 0o755)
	r = runAs("saved", "show", "keep-me")
	r.want(t, 0, "the saved query survived")
	if strings.TrimSpace(r.stdout) != "DeviceInfo | take 1" {
		t.Errorf("saved query after the read-only attempt: %q", r.stdout)
	}
}

// server is a running `ahunt serve`.
type server struct {
	url, clientID, secret string
	cmd                   *exec.Cmd
}

// startServer starts `ahunt serve` on a free loopback port with known
// credentials and waits for its first line.
func startServer(t *testing.T, c *cli, extra ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr",
		"127.0.0.1:0"}, extra...)...)
	s := &server{clientID: "e2e-client", secret: "e2e-secret-not-real",
		cmd: cmd}
	cmd.Env = append(append([]string{}, c.env...),
		"AZURE_CLIENT_ID="+s.clientID, "AZURE_CLIENT_SECRET="+s.secret)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(out).ReadString('\n')
		line <- l
		io.Copy(io.Discard, out)
	}()
	select {
	case l := <-line:
		addr, ok := strings.CutPrefix(strings.TrimSpace(l), "listening on ")
		if !ok {
			t.Fatalf("serve: first line %q", l)
		}
		s.url = addr
	case <-time.After(time.Minute):
		t.Fatal("serve did not say where it listens within a minute")
	}
	return s
}

// remoteEnv is the environment that points ahunt at a local server.
func (s *server) env(secret string) []string {
	return []string{"AZURE_TENANT_ID=e2e-tenant",
		"AZURE_CLIENT_ID=" + s.clientID, "AZURE_CLIENT_SECRET=" + secret,
		"AHUNT_ENDPOINT=" + s.url, "AHUNT_AUTHORITY=" + s.url}
}

func TestServeMatchesInProcess(t *testing.T) {
	c := newCLI(t)
	srv := startServer(t, c, "--no-limits")
	sample := corpusSample(t, 90)
	ran := 0
	for _, q := range sample {
		local := c.run(q.Text, "query", "--no-limits", "--format", "jsonl")
		if local.code != 0 {
			// Not every corpus query runs on the demo engine; those that
			// do not must fail cleanly with one line.
			if local.code != 1 {
				t.Errorf("%s: exit %d: %s", q.Name, local.code, local.stderr)
			}
			continue
		}
		ran++
		for _, shape := range []string{"graph", "xdr", "mde"} {
			r := c.runEnv(append(srv.env(srv.secret), "AHUNT_API="+shape),
				q.Text, "query", "--format", "jsonl", "--no-check")
			if r.code != 0 {
				t.Errorf("%s via %s: exit %d: %s", q.Name, shape, r.code,
					r.stderr)
				continue
			}
			if !sameRows(local.stdout, r.stdout) {
				t.Errorf("%s via %s: rows differ from in process\n"+
					"local: %s\nremote: %s", q.Name, shape,
					clip(local.stdout), clip(r.stdout))
			}
		}
	}
	t.Logf("%d of %d sampled corpus queries ran; each compared over 3 "+
		"API shapes", ran, len(sample))
	if ran == 0 {
		t.Error("no sampled corpus query ran on the demo tenant")
	}
}

// sameRows compares two JSON Lines outputs row by row as JSON values,
// ignoring key order within a row.
func sameRows(a, b string) bool {
	la := strings.Split(strings.TrimSpace(a), "\n")
	lb := strings.Split(strings.TrimSpace(b), "\n")
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		var va, vb any
		if json.Unmarshal([]byte(la[i]), &va) != nil ||
			json.Unmarshal([]byte(lb[i]), &vb) != nil {
			return la[i] == lb[i]
		}
		ja, _ := json.Marshal(va)
		jb, _ := json.Marshal(vb)
		if !bytes.Equal(ja, jb) {
			return false
		}
	}
	return true
}

func TestRemoteExitCodes(t *testing.T) {
	c := newCLI(t)
	srv := startServer(t, c)
	q := "DeviceInfo | take 1"

	r := c.runEnv(append(srv.env(srv.secret), "AHUNT_API=graph"), "",
		"query", "--format", "csv", q)
	r.want(t, 0, "graph through serve")

	r = c.runEnv(append(srv.env("wrong-secret"), "AHUNT_API=graph"), "",
		"query", q)
	r.want(t, 4, "a wrong client secret")
	if strings.Contains(r.stderr, "wrong-secret") {
		t.Errorf("the secret was echoed: %q", r.stderr)
	}

	r = c.runEnv(append(srv.env(srv.secret), "AHUNT_API=xdr"), "",
		"query", "--no-check", "DeviceInfo | where NoSuchColumn == 1")
	r.want(t, 1, "a semantic error from the server")

	closed := []string{"AZURE_TENANT_ID=t", "AZURE_CLIENT_ID=c",
		"AZURE_CLIENT_SECRET=s", "AHUNT_API=graph",
		"AHUNT_ENDPOINT=http://127.0.0.1:1",
		"AHUNT_AUTHORITY=http://127.0.0.1:1"}
	r = c.runEnv(closed, "", "query", q)
	r.want(t, 5, "nothing listening")
}
