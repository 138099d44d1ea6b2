// Command ahunt is a terminal workbench for Microsoft Defender advanced
// hunting: a KQL editor with local checks, a results grid, a quota meter
// and a local history, over Microsoft Graph, the Defender XDR API, the
// Defender for Endpoint API, or a generated demo tenant.
//
// This file holds the command line: settings, subcommands and wiring.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	tea "charm.land/bubbletea/v2"
	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/history"
	"github.com/ahunt/ahunt/kql"
	"github.com/ahunt/ahunt/kql/check"
	"github.com/ahunt/ahunt/kql/schema"
	"github.com/ahunt/ahunt/kql/table"
	"github.com/ahunt/ahunt/ui"
)

// Exit codes, as scripts see them.
const (
	exitOK      = 0 // success
	exitFailed  = 1 // the query failed: syntax, semantic or server error
	exitUsage   = 2 // usage or settings
	exitQuota   = 3 // quota spent, or throttled past --max-wait
	exitAuth    = 4 // authentication or permission
	exitNetwork = 5 // network or timeout
	// exitCancelled follows the shell's convention for a process ended
	// by Ctrl-C (128 + SIGINT).
	exitCancelled = 130
)

// exitError carries the exit code an error should end the process with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf returns an error that exits with exitUsage.
func usageErrorf(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt,
		syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr,
		os.Getenv)
	stop()
	os.Exit(code)
}

// env is the subset of the process environment ahunt reads; tests pass
// their own.
type env func(string) string

// app is one invocation: its streams, environment and resolved settings.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         env
	set            settings
	flags          *pflag.FlagSet
	logClose       func()
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader,
	stdout, stderr io.Writer, getenv env) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if a.logClose != nil {
		a.logClose()
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintln(stderr, "ahunt: cancelled")
		return exitCancelled
	}
	code := exitCode(err)
	fmt.Fprintf(stderr, "ahunt: %s\n", table.Printable(oneLine(err.Error())))
	return code
}

// oneLine keeps an error message on one line of a terminal.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.NewReplacer("\r\n", " ", "\n", " ").Replace(s)
}

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return apiExitCode(err)
}

// apiExitCode classifies errors from the api package.
func apiExitCode(err error) int {
	var netErr net.Error
	switch {
	case errors.Is(err, api.ErrThrottled), errors.Is(err, api.ErrQuotaSpent):
		return exitQuota
	case errors.Is(err, api.ErrUnauthorized),
		errors.Is(err, api.ErrForbidden):
		return exitAuth
	case errors.Is(err, api.ErrTimeout), errors.Is(err, api.ErrNetwork),
		errors.Is(err, context.DeadlineExceeded):
		return exitNetwork
	case errors.Is(err, api.ErrQueryInvalid),
		errors.Is(err, api.ErrResultTooLarge), errors.Is(err, api.ErrServer):
		return exitFailed
	case errors.As(err, &netErr):
		return exitNetwork
	}
	return exitFailed
}

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "ahunt",
		Short: "A terminal workbench for Microsoft Defender advanced hunting",
		Long: `ahunt is a full-screen workbench for Microsoft Defender advanced hunting:
a KQL editor checked locally before any quota is spent, a results grid,
a quota meter, and a local history of every query and result.

With no credentials it runs on a generated demo tenant. Set
AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or run
'ahunt login') to hunt on a real tenant through Microsoft Graph.`,
		Example: `  ahunt                          # the workbench, on the demo tenant
  ahunt --api graph              # the workbench, on your tenant
  ahunt query 'DeviceInfo | take 5'
  ahunt check -f hunts/*.kql`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.resolve(cmd)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runWorkbench(cmd.Context())
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{exitUsage, err}
	})
	addSettingsFlags(root.PersistentFlags())
	root.AddCommand(a.queryCommand(), a.checkCommand(),
		a.historyCommand(), a.savedCommand(), a.quotaCommand(),
		a.serveCommand(), a.loginCommand(), a.versionCommand())
	usageArgs(root)
	return root
}

// usageArgs makes a wrong number of arguments, or an unknown command, a
// usage error (exit 2) everywhere in the tree.
func usageArgs(cmd *cobra.Command) {
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				where := ""
				if c.HasParent() {
					where = strings.TrimPrefix(c.CommandPath(),
						c.Root().Name()+" ") + ": "
				}
				return &exitError{exitUsage, fmt.Errorf("%s%w (see "+
					"'%s --help')", where, err, c.CommandPath())}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		usageArgs(sub)
	}
}

// readQuery takes KQL from the argument, a file (-f), or stdin, in that
// order; stdin only when it is not a terminal. name says where it came
// from, for messages.
func (a *app) readQuery(args []string, file string) (text, name string,
	err error) {
	switch {
	case len(args) > 1:
		return "", "", usageErrorf("give the query as one argument " +
			"(quote it), with -f FILE, or on stdin")
	case len(args) == 1 && file != "":
		return "", "", usageErrorf("give the query either as an " +
			"argument or with -f, not both")
	case len(args) == 1:
		text, name = args[0], "<arg>"
	case file != "" && file != "-":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", usageErrorf("read query: %w", err)
		}
		text, name = string(b), file
	default:
		if f, ok := a.stdin.(*os.File); ok && file != "-" &&
			term.IsTerminal(int(f.Fd())) {
			return "", "", usageErrorf("no query: give it as an " +
				"argument, with -f FILE, or on stdin")
		}
		b, err := io.ReadAll(io.LimitReader(a.stdin, maxQueryBytes+1))
		if err != nil {
			return "", "", usageErrorf("read query from stdin: %w", err)
		}
		text, name = string(b), "<stdin>"
	}
	if err := checkText(text, name); err != nil {
		return "", "", err
	}
	return text, name, nil
}

// maxQueryBytes bounds a query read from a file or stdin. The services
// take far less; this only stops a mistaken pipe from filling memory.
const maxQueryBytes = 4 << 20

// checkText refuses input that cannot be a query: empty, too long, not
// UTF-8 text.
func checkText(text, name string) error {
	switch {
	case len(text) > maxQueryBytes:
		return usageErrorf("%s: query is over %d MiB", name,
			maxQueryBytes>>20)
	case strings.TrimSpace(text) == "":
		return usageErrorf("%s: the query is empty", name)
	case !utf8.ValidString(text):
		off := invalidUTF8Offset(text)
		return usageErrorf("%s: not UTF-8 text (bad byte at offset %d)",
			name, off)
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		return usageErrorf("%s: not text (NUL byte at offset %d)", name, i)
	}
	return nil
}

func invalidUTF8Offset(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// stdoutIsTerminal reports whether results go to a terminal.
func (a *app) stdoutIsTerminal() bool {
	f, ok := a.stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// version returns the module version and VCS revision of this build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		return fmt.Sprintf("%s (%s%s, %s)", v, rev, dirty, bi.GoVersion)
	}
	return fmt.Sprintf("%s (%s)", v, bi.GoVersion)
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of ahunt",
		Example: "  ahunt version",
		Args:    cobra.NoArgs,
		// The version needs no settings, so broken ones cannot hide it.
		PersistentPreRunE: func(*cobra.Command, []string) error {
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(a.stdout, "ahunt %s\n", version())
			return err
		},
	}
}

// stateDir returns $XDG_STATE_HOME/ahunt, else ~/.local/state/ahunt.
func stateDir(getenv env) (string, error) {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "ahunt"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find state folder: %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "state", "ahunt"), nil
}

// startLog turns on debug logging to a file in the state folder and
// returns its path. Logging is off unless --debug; nothing secret is ever
// logged.
func (a *app) startLog() (string, error) {
	dir, err := stateDir(a.getenv)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("debug log: %w", err)
	}
	path := filepath.Join(dir, "debug.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return "", fmt.Errorf("debug log: %w", err)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(f,
		&slog.HandlerOptions{Level: slog.LevelDebug})))
	a.logClose = func() {
		f.Close()
		fmt.Fprintf(a.stderr, "ahunt: debug log in %s\n", path)
	}
	return path, nil
}

// settings are the resolved settings of one invocation.
type settings struct {
	API       string
	Endpoint  string
	Authority string
	Tenant    string
	ClientID  string
	// clientSecret comes only from AZURE_CLIENT_SECRET, never a flag or
	// the config file, and is never written anywhere.
	clientSecret string
	DB           string
	ConfigPath   string
	Limits       api.Limits
	NoLimits     bool
	Debug        bool
	NoCache      bool
	MaxResultMB  int64
	MaxCacheMB   int64
	Keys         map[string][]string
	// demo configures the demo tenant; AHUNT_DEMO_NOW pins its clock so
	// that every process sees the same rows.
	demo api.DemoOptions
}

// fileConfig is config.toml. Durations are strings such as "15m".
type fileConfig struct {
	API            string              `toml:"api"`
	Endpoint       string              `toml:"endpoint"`
	Authority      string              `toml:"authority"`
	Tenant         string              `toml:"tenant"`
	ClientID       string              `toml:"client_id"`
	DB             string              `toml:"db"`
	CallsPerMinute *int                `toml:"calls_per_minute"`
	RuntimePerHour *duration           `toml:"runtime_per_hour"`
	RuntimePerDay  *duration           `toml:"runtime_per_day"`
	RequestTimeout *duration           `toml:"request_timeout"`
	CacheResults   *bool               `toml:"cache_results"`
	MaxResultMB    *int64              `toml:"max_result_mb"`
	MaxCacheMB     *int64              `toml:"max_cache_mb"`
	Keys           map[string][]string `toml:"keys"`
}

// duration reads a Go duration string from TOML.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like 15m or 4h", b)
	}
	d.Duration = v
	return nil
}

func addSettingsFlags(fs *pflag.FlagSet) {
	fs.String("api", "", "hunting API: demo, graph, xdr or mde "+
		"(env AHUNT_API; default graph when AZURE_CLIENT_ID is set, "+
		"else demo)")
	fs.String("endpoint", "", "API base URL for regional, government "+
		"or local hosts (env AHUNT_ENDPOINT)")
	fs.String("authority", "", "OAuth2 authority (env AHUNT_AUTHORITY; "+
		"default https://login.microsoftonline.com)")
	fs.String("tenant", "", "Entra tenant ID (env AZURE_TENANT_ID)")
	fs.String("client-id", "", "app (client) ID (env AZURE_CLIENT_ID); "+
		"the secret is read only from AZURE_CLIENT_SECRET")
	fs.String("db", "", "history database (env AHUNT_DB; default "+
		"$XDG_STATE_HOME/ahunt/ahunt.db)")
	fs.String("config", "", "config file (env AHUNT_CONFIG; default "+
		"$XDG_CONFIG_HOME/ahunt/config.toml)")
	fs.Int("calls-per-minute", 0, "calls allowed in any 60 seconds "+
		"(default 15)")
	fs.Duration("runtime-per-hour", 0, "running time allowed in a "+
		"rolling hour (default 15m)")
	fs.Duration("runtime-per-day", 0, "running time allowed in a "+
		"rolling day (default 4h)")
	fs.Duration("request-timeout", 0, "longest one request may take "+
		"(default 10m)")
	fs.Bool("no-limits", false, "lift the quota limits (demo tenant only)")
	fs.Bool("debug", false, "write a debug log to the state folder")
}

// resolve computes the settings: flags, then environment, then the
// config file, then defaults.
func (a *app) resolve(cmd *cobra.Command) error {
	fs := cmd.Flags()
	a.flags = fs
	s := settings{Limits: api.DefaultLimits(), MaxResultMB: 25,
		MaxCacheMB: 1024}
	pick := func(flag, envName string) string {
		if f := fs.Lookup(flag); f != nil && f.Changed {
			return f.Value.String()
		}
		if envName != "" {
			return a.getenv(envName)
		}
		return ""
	}

	s.ConfigPath = pick("config", "AHUNT_CONFIG")
	explicit := s.ConfigPath != ""
	if !explicit {
		s.ConfigPath = defaultConfigPath(a.getenv)
	}
	if err := s.loadFile(explicit); err != nil {
		return &exitError{exitUsage, err}
	}

	for _, o := range []struct {
		dst         *string
		flag, envNm string
	}{
		{&s.API, "api", "AHUNT_API"},
		{&s.Endpoint, "endpoint", "AHUNT_ENDPOINT"},
		{&s.Authority, "authority", "AHUNT_AUTHORITY"},
		{&s.Tenant, "tenant", "AZURE_TENANT_ID"},
		{&s.ClientID, "client-id", "AZURE_CLIENT_ID"},
		{&s.DB, "db", "AHUNT_DB"},
	} {
		if v := pick(o.flag, o.envNm); v != "" {
			*o.dst = v
		}
	}
	s.clientSecret = a.getenv("AZURE_CLIENT_SECRET")
	if v := a.getenv("AHUNT_DEMO_NOW"); v != "" {
		now, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return usageErrorf("AHUNT_DEMO_NOW %q: want a time such as "+
				"2026-12-01T09:00:00Z", v)
		}
		s.demo.Now = now
	}
	if err := s.applyLimitFlags(fs); err != nil {
		return err
	}
	s.NoLimits, _ = fs.GetBool("no-limits")
	s.Debug, _ = fs.GetBool("debug")
	if cmd.Name() == "serve" {
		// serve always serves the demo tenant; AZURE_CLIENT_ID there is
		// the client it accepts, not a tenant to reach.
		s.API = "demo"
	}
	if err := s.finish(a.getenv); err != nil {
		return &exitError{exitUsage, err}
	}
	a.set = s
	if s.Debug {
		if _, err := a.startLog(); err != nil {
			return &exitError{exitUsage, err}
		}
		slog.Debug("settings", "api", s.API, "endpoint", s.Endpoint,
			"tenant", s.Tenant, "client_id", s.ClientID,
			"secret_set", s.clientSecret != "", "db", s.DB)
	}
	return nil
}

func (s *settings) applyLimitFlags(fs *pflag.FlagSet) error {
	if f := fs.Lookup("calls-per-minute"); f.Changed {
		s.Limits.CallsPerMinute, _ = fs.GetInt("calls-per-minute")
	}
	for _, o := range []struct {
		flag string
		dst  *time.Duration
	}{
		{"runtime-per-hour", &s.Limits.RuntimePerHour},
		{"runtime-per-day", &s.Limits.RuntimePerDay},
		{"request-timeout", &s.Limits.RequestTimeout},
	} {
		if f := fs.Lookup(o.flag); f.Changed {
			*o.dst, _ = fs.GetDuration(o.flag)
		}
	}
	return nil
}

// defaultConfigPath returns $XDG_CONFIG_HOME/ahunt/config.toml, else
// ~/.config/ahunt/config.toml.
func defaultConfigPath(getenv env) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "ahunt", "config.toml")
}

// loadFile reads the config file into s. A missing file is fine unless
// it was named explicitly.
func (s *settings) loadFile(explicit bool) error {
	data, err := os.ReadFile(s.ConfigPath)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var fc fileConfig
	md, err := toml.Decode(string(data), &fc)
	if err != nil {
		return fmt.Errorf("config %s: %w", s.ConfigPath, err)
	}
	for _, k := range md.Undecoded() {
		if strings.Contains(strings.ToLower(k.String()), "secret") {
			return fmt.Errorf("config %s: %s: the client secret is "+
				"never read from a file; set AZURE_CLIENT_SECRET",
				s.ConfigPath, k)
		}
		return fmt.Errorf("config %s: unknown setting %q", s.ConfigPath,
			k.String())
	}
	s.API, s.Endpoint, s.Authority = fc.API, fc.Endpoint, fc.Authority
	s.Tenant, s.ClientID, s.DB = fc.Tenant, fc.ClientID, fc.DB
	if fc.CallsPerMinute != nil {
		s.Limits.CallsPerMinute = *fc.CallsPerMinute
	}
	for _, o := range []struct {
		src *duration
		dst *time.Duration
	}{
		{fc.RuntimePerHour, &s.Limits.RuntimePerHour},
		{fc.RuntimePerDay, &s.Limits.RuntimePerDay},
		{fc.RequestTimeout, &s.Limits.RequestTimeout},
	} {
		if o.src != nil {
			*o.dst = o.src.Duration
		}
	}
	if fc.CacheResults != nil {
		s.NoCache = !*fc.CacheResults
	}
	if fc.MaxResultMB != nil {
		s.MaxResultMB = *fc.MaxResultMB
	}
	if fc.MaxCacheMB != nil {
		s.MaxCacheMB = *fc.MaxCacheMB
	}
	s.Keys = fc.Keys
	return nil
}

// finish fills defaults that depend on other settings and validates.
func (s *settings) finish(getenv env) error {
	if s.API == "" {
		s.API = "demo"
		if s.ClientID != "" {
			s.API = "graph"
		}
	}
	s.API = strings.ToLower(s.API)
	switch s.API {
	case "demo", "graph", "xdr", "mde":
	default:
		return fmt.Errorf("--api %q: want demo, graph, xdr or mde", s.API)
	}
	if s.Authority == "" {
		s.Authority = "https://login.microsoftonline.com"
	}
	for name, raw := range map[string]string{"--endpoint": s.Endpoint,
		"--authority": s.Authority} {
		if raw == "" {
			continue
		}
		if err := checkURL(raw); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if s.NoLimits && s.API != "demo" {
		return fmt.Errorf("--no-limits applies to the demo tenant only; " +
			"set the limits of a real tenant with --calls-per-minute " +
			"and --runtime-per-hour/-day")
	}
	s.Limits.Unlimited = s.NoLimits
	if err := checkLimits(s.Limits); err != nil {
		return err
	}
	if s.DB == "" {
		dir, err := stateDir(getenv)
		if err != nil {
			return err
		}
		s.DB = filepath.Join(dir, "ahunt.db")
	}
	return nil
}

func checkLimits(l api.Limits) error {
	switch {
	case l.CallsPerMinute < 1:
		return fmt.Errorf("calls per minute must be at least 1, got %d",
			l.CallsPerMinute)
	case l.RuntimePerHour <= 0 || l.RuntimePerDay <= 0:
		return errors.New("runtime per hour and per day must be positive")
	case l.RequestTimeout <= 0:
		return errors.New("request timeout must be positive")
	}
	return nil
}

// checkURL accepts https URLs, and http only to a loopback address.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return fmt.Errorf("%s: plain http is refused except to a "+
				"loopback address; use https", raw)
		}
	default:
		return fmt.Errorf("%s: want an https:// URL", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%s: no host", raw)
	}
	return nil
}

// isLoopback reports whether host is localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// queryOptions are the flags of `ahunt query` and `ahunt saved run`.
type queryOptions struct {
	file     string
	format   string
	maxWait  time.Duration
	timespan string
	noCheck  bool
}

func (o *queryOptions) addFlags(fs *pflag.FlagSet, withFile bool) {
	if withFile {
		fs.StringVarP(&o.file, "file", "f", "", "read the query from "+
			"FILE (- for stdin)")
	}
	fs.StringVar(&o.format, "format", "", "output: table, csv, json or "+
		"jsonl (default table on a terminal, else csv)")
	fs.DurationVar(&o.maxWait, "max-wait", 2*time.Minute, "longest to "+
		"wait for quota before giving up (exit 3)")
	fs.StringVar(&o.timespan, "timespan", "", "ISO 8601 timespan for "+
		"Graph, such as P7D (default: the service's 30 days)")
	fs.BoolVar(&o.noCheck, "no-check", false, "send the query even if "+
		"the local check finds errors")
}

func (a *app) queryCommand() *cobra.Command {
	var o queryOptions
	cmd := &cobra.Command{
		Use:   "query [flags] [KQL]",
		Short: "Run one query and print the result",
		Long: `Run one query and print the result on stdout; waits, warnings and
a truncation notice go to stderr. The query is the argument, the file
given with -f, or stdin. It is checked locally first, so a typo costs
no quota.

Exit codes: 0 success; 1 the query failed (syntax, semantic or server
error); 2 usage or settings; 3 quota spent or throttled past --max-wait;
4 authentication or permission; 5 network or timeout; 130 cancelled.`,
		Example: `  ahunt query 'DeviceProcessEvents | where Timestamp > ago(1d) | take 10'
  ahunt query -f hunts/encoded-powershell.kql --format csv > out.csv
  echo 'DeviceInfo | count' | ahunt query --format json
  ahunt query --api graph --timespan P7D -f hunt.kql`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, name, err := a.readQuery(args, o.file)
			if err != nil {
				return err
			}
			return a.runQuery(cmd.Context(), text, name, o)
		},
	}
	o.addFlags(cmd.Flags(), true)
	return cmd
}

// outputFormat resolves --format.
func (a *app) outputFormat(f string) (string, error) {
	switch f {
	case "":
		if a.stdoutIsTerminal() {
			return "table", nil
		}
		return "csv", nil
	case "table", "csv", "json", "jsonl":
		return f, nil
	}
	return "", usageErrorf("--format %q: want table, csv, json or jsonl", f)
}

// writeResult prints t in the chosen format.
func (a *app) writeResult(t *table.Table, format string) error {
	w := bufio.NewWriterSize(a.stdout, 64<<10)
	var err error
	switch format {
	case "table":
		err = table.WriteText(w, t, 60)
	case "csv":
		err = table.WriteCSV(w, t)
	case "json":
		err = table.WriteJSON(w, t)
	case "jsonl":
		err = table.WriteJSONL(w, t)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return nil
}

// runQuery checks, sends and records one query, then prints the result.
func (a *app) runQuery(ctx context.Context, text, name string,
	o queryOptions) error {
	format, err := a.outputFormat(o.format)
	if err != nil {
		return err
	}
	if o.timespan != "" {
		if err := checkTimespan(o.timespan); err != nil {
			return usageErrorf("--timespan %q: %w", o.timespan, err)
		}
		if a.set.API != "graph" {
			// TODO: the demo tenant could filter by the timespan as
			// Graph does; it runs over all 30 days for now.
			fmt.Fprintf(a.stderr, "ahunt: warning: --timespan applies "+
				"to the graph API only; %s ignores it (filter on "+
				"Timestamp in the query instead)\n", a.set.API)
		}
	}
	if !o.noCheck {
		if n := a.printDiagnostics(name, text, true); n > 0 {
			return &exitError{exitFailed, fmt.Errorf("%s: %d error(s) "+
				"found locally; nothing was sent (--no-check sends "+
				"anyway)", name, n)}
		}
	}
	w, err := a.openWiring(ctx, o.maxWait)
	if err != nil {
		return err
	}
	defer w.close()

	started := time.Now()
	res, runErr := w.backend.Run(ctx, api.Query{Text: text,
		Timespan: o.timespan})
	w.record(ctx, text, started, res, runErr)
	if runErr != nil {
		return runErr
	}
	if res.Truncated {
		fmt.Fprintf(a.stderr, "ahunt: warning: %d rows is the service's "+
			"row cap; the result is probably truncated: narrow the "+
			"time range or summarize\n", res.Table.Rows())
	}
	fmt.Fprintf(a.stderr, "ahunt: %s\n", outcomeLine(res))
	return a.writeResult(res.Table, format)
}

// isoDuration matches an ISO 8601 duration such as P7D, PT12H or P1DT6H.
var isoDuration = regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?` +
	`(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$`)

// checkTimespan accepts the forms Graph documents: a duration ("P30D"),
// start/end, duration/end and start/duration, with RFC 3339 times.
func checkTimespan(ts string) error {
	part := func(p string) (isTime bool, err error) {
		if _, err := time.Parse(time.RFC3339, p); err == nil {
			return true, nil
		}
		if p == "P" || p == "PT" || !isoDuration.MatchString(p) {
			return false, fmt.Errorf("%q is neither an ISO 8601 "+
				"duration such as P7D nor a time such as "+
				"2026-11-01T00:00:00Z", p)
		}
		return false, nil
	}
	a, b, pair := strings.Cut(ts, "/")
	aTime, err := part(a)
	if err != nil {
		return err
	}
	if !pair {
		if aTime {
			return errors.New("a single time is not a range; give " +
				"start/end, start/duration or a duration")
		}
		return nil
	}
	bTime, err := part(b)
	if err != nil {
		return err
	}
	if !aTime && !bTime {
		return errors.New("two durations are not a range")
	}
	return nil
}

// outcomeLine summarises a result for stderr.
func outcomeLine(res *api.Result) string {
	s := fmt.Sprintf("%d rows in %s", res.Table.Rows(),
		res.Elapsed.Round(time.Millisecond))
	if res.Stats != nil && res.Stats.ExecutionTime > 0 {
		s += fmt.Sprintf(" (server %s)",
			res.Stats.ExecutionTime.Round(time.Millisecond))
	}
	return s
}

// diagnose runs the local checks over text: the parser, then, when the
// query parses, the schema checker. Diagnostics come sorted by position.
func diagnose(text string) []kql.Diagnostic {
	script, diags := kql.Parse(text)
	for _, d := range diags {
		if d.Severity == kql.Error {
			// Binding a broken tree would only add noise.
			return diags
		}
	}
	diags = append(diags, check.Check(script, text, schema.Defender())...)
	sort.SliceStable(diags, func(i, j int) bool {
		return diags[i].Pos < diags[j].Pos
	})
	return diags
}

// printDiagnostics prints the local diagnostics of text on stderr as
// FILE:LINE:COL: severity: message and returns how many are errors.
func (a *app) printDiagnostics(name, text string, errorsOnly bool) int {
	n := 0
	for _, d := range diagnose(text) {
		isErr := d.Severity == kql.Error
		if isErr {
			n++
		}
		if errorsOnly && !isErr {
			continue
		}
		fmt.Fprintf(a.stderr, "%s:%d:%d: %s: %s\n", name, d.Line, d.Col,
			d.Severity, table.Printable(d.Message))
	}
	return n
}

func (a *app) checkCommand() *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "check [flags] [KQL | -f FILE...]",
		Short: "Check queries locally against the Defender schema",
		Long: `Parse queries and check them against the Defender schema without
calling any API. Diagnostics are printed as FILE:LINE:COL: severity:
message. The exit code is 1 when any query has an error, so a
repository of hunting queries can be linted in CI.`,
		Example: `  ahunt check 'DeviceProcesEvents | take 1'
  ahunt check -f hunts/*.kql
  find hunts -name '*.kql' -exec ahunt check -f {} +`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCheck(args, files)
		},
	}
	cmd.Flags().StringArrayVarP(&files, "file", "f", nil, "check FILE; "+
		"with -f, further arguments are files too (- for stdin)")
	return cmd
}

func (a *app) runCheck(args, files []string) error {
	type input struct{ name, text string }
	var inputs []input
	if len(files) == 0 {
		if len(args) > 1 {
			return usageErrorf("check: give one query as an argument, " +
				"or files with -f (-f a.kql b.kql ... works too)")
		}
		text, name, err := a.readQuery(args, "")
		if err != nil {
			return err
		}
		inputs = append(inputs, input{name, text})
	} else {
		// With -f, every argument is a file too, so that a shell glob
		// after -f (ahunt check -f hunts/*.kql) checks them all.
		files = append(files, args...)
	}
	for _, f := range files {
		if f == "-" {
			text, name, err := a.readQuery(nil, "-")
			if err != nil {
				return err
			}
			inputs = append(inputs, input{name, text})
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return usageErrorf("check: %w", err)
		}
		if err := checkText(string(b), f); err != nil {
			return err
		}
		inputs = append(inputs, input{f, string(b)})
	}
	bad := 0
	for _, in := range inputs {
		if a.printDiagnostics(in.name, in.text, false) > 0 {
			bad++
		}
	}
	if bad > 0 {
		return &exitError{exitFailed, fmt.Errorf("%d of %d queries have "+
			"errors", bad, len(inputs))}
	}
	return nil
}

// wiring is the backend, budget and store of one invocation.
type wiring struct {
	backend api.Backend
	budget  *api.Budget
	store   *history.Store
	key     string
	api     string
	tenant  string
}

func (w *wiring) close() {
	if w.store != nil {
		w.store.Close()
	}
}

// openStore opens the history database, printing its notices (such as
// a damaged file moved aside) on stderr.
func (a *app) openStore() (*history.Store, error) {
	st, err := history.Open(a.set.DB, history.Options{
		NoCache:        a.set.NoCache,
		MaxResultBytes: a.set.MaxResultMB << 20,
		MaxCacheBytes:  a.set.MaxCacheMB << 20,
	})
	if err != nil {
		return nil, &exitError{exitUsage, fmt.Errorf("history: %w", err)}
	}
	for _, n := range st.Notices() {
		fmt.Fprintf(a.stderr, "ahunt: %s\n", n)
	}
	return st, nil
}

// budgetTenant is the tenant whose budget this invocation spends.
func (a *app) budgetTenant() string {
	if a.set.API == "demo" {
		return "demo"
	}
	return a.set.Tenant
}

// budgetKey names the budget a tenant and backend share.
func (a *app) budgetKey() string {
	return a.budgetTenant() + "/" + a.set.API
}

// recorder saves runs in the history; failures to record are warnings,
// since the query itself already ran.
func (w *wiring) record(ctx context.Context, text string, started time.Time,
	res *api.Result, runErr error) {
	if w.store == nil {
		return
	}
	r := history.Run{Query: text, Backend: w.api, Tenant: w.tenant,
		Started: started, Duration: time.Since(started),
		Outcome: history.OK}
	switch {
	case runErr == nil:
		r.Rows, r.Truncated = res.Table.Rows(), res.Truncated
		r.Duration = res.Elapsed
		if res.Stats != nil {
			r.ServerTime = res.Stats.ExecutionTime
		}
	case errors.Is(runErr, context.Canceled):
		r.Outcome, r.Error = history.Cancelled, runErr.Error()
	case errors.Is(runErr, api.ErrThrottled),
		errors.Is(runErr, api.ErrQuotaSpent):
		r.Outcome, r.Error = history.Throttled, runErr.Error()
	default:
		r.Outcome, r.Error = history.Failed, runErr.Error()
	}
	if runErr != nil {
		res = nil
	}
	// A cancelled run still gets recorded, on a context of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx),
		5*time.Second)
	defer cancel()
	if _, err := w.store.AddRun(ctx, r, res); err != nil {
		slog.Warn("record run", "err", err)
	}
}

// openWiring builds the store, the budget and the backend behind it.
// maxWait bounds how long a call may wait for quota; zero waits as long
// as the budget needs.
func (a *app) openWiring(ctx context.Context, maxWait time.Duration) (
	*wiring, error) {
	st, err := a.openStore()
	if err != nil {
		return nil, err
	}
	w := &wiring{store: st, key: a.budgetKey(), api: a.set.API,
		tenant: a.set.Tenant}
	if a.set.API == "demo" {
		w.tenant = "demo"
	}
	be, err := a.newBackend()
	if err != nil {
		st.Close()
		return nil, err
	}
	w.budget = api.NewBudget(a.set.Limits, st.Ledger(), w.key,
		api.WithMaxWait(maxWait), api.WithOnWait(a.printWait))
	w.backend = api.Limit(be, w.budget)
	return w, nil
}

// printWait tells a script's user on stderr that a call is waiting.
func (a *app) printWait(wt api.Wait) {
	fmt.Fprintf(a.stderr, "ahunt: %s\n", wt)
}

// newBackend builds the backend the settings name, without a budget.
func (a *app) newBackend() (api.Backend, error) {
	s := a.set
	if s.API == "demo" {
		opt := s.demo
		opt.MaxRows = s.Limits.MaxRows
		return api.NewDemo(opt), nil
	}
	if s.Tenant == "" || s.ClientID == "" {
		return nil, &exitError{exitUsage, fmt.Errorf("--api %s needs a "+
			"tenant and client ID: set AZURE_TENANT_ID and "+
			"AZURE_CLIENT_ID (and AZURE_CLIENT_SECRET, or run "+
			"'ahunt login')", s.API)}
	}
	be, err := api.NewRemote(api.Config{
		API:            s.API,
		Endpoint:       s.Endpoint,
		Authority:      s.Authority,
		TenantID:       s.Tenant,
		ClientID:       s.ClientID,
		ClientSecret:   s.clientSecret,
		RequestTimeout: s.Limits.RequestTimeout,
		MaxRows:        s.Limits.MaxRows,
		UserAgent:      "ahunt/" + version(),
	})
	if err != nil {
		return nil, &exitError{exitUsage, err}
	}
	return be, nil
}

func (a *app) historyCommand() *cobra.Command {
	var search, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "history [--search TEXT] [--limit N] [--format table|json]",
		Short: "List past runs, newest first",
		Long: `List the runs kept in the local history, newest first: when, which
API, the outcome, rows, duration and the query. --search is full-text
over the query text.`,
		Example: `  ahunt history
  ahunt history --search DeviceProcessEvents --limit 5
  ahunt history --format json | jq '.[0].query'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runHistory(cmd.Context(), search, limit, format)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&search, "search", "", "full-text search over queries")
	fs.IntVar(&limit, "limit", 20, "most runs to list")
	fs.StringVar(&format, "format", "table", "table or json")
	return cmd
}

func (a *app) runHistory(ctx context.Context, search string, limit int,
	format string) error {
	if format != "table" && format != "json" {
		return usageErrorf("--format %q: want table or json", format)
	}
	if limit < 1 {
		return usageErrorf("--limit must be at least 1, got %d", limit)
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.Runs(ctx, history.RunFilter{Search: search,
		Limit: limit})
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if format == "json" {
		return printJSON(a.stdout, runsJSON(runs))
	}
	return table.WriteText(a.stdout, runsTable(runs), 70)
}

// runJSON is the stable JSON shape of a run for scripts.
type runJSON struct {
	ID         int64   `json:"id"`
	Started    string  `json:"started"`
	API        string  `json:"api"`
	Tenant     string  `json:"tenant,omitempty"`
	Outcome    string  `json:"outcome"`
	Rows       int     `json:"rows"`
	Truncated  bool    `json:"truncated"`
	Seconds    float64 `json:"seconds"`
	ServerSecs float64 `json:"server_seconds,omitempty"`
	Cached     bool    `json:"cached"`
	Error      string  `json:"error,omitempty"`
	Query      string  `json:"query"`
}

func runsJSON(runs []history.Run) []runJSON {
	out := make([]runJSON, 0, len(runs))
	for _, r := range runs {
		out = append(out, runJSON{ID: r.ID,
			Started: r.Started.UTC().Format(time.RFC3339), API: r.Backend,
			Tenant: r.Tenant, Outcome: string(r.Outcome), Rows: r.Rows,
			Truncated: r.Truncated, Seconds: r.Duration.Seconds(),
			ServerSecs: r.ServerTime.Seconds(), Cached: r.Cached,
			Error: r.Error, Query: r.Query})
	}
	return out
}

// runsTable lays runs out for the text table writer.
func runsTable(runs []history.Run) *table.Table {
	cols := []*table.Column{
		table.NewColumn("ID", table.Long, len(runs)),
		table.NewColumn("Started", table.String, len(runs)),
		table.NewColumn("API", table.String, len(runs)),
		table.NewColumn("Outcome", table.String, len(runs)),
		table.NewColumn("Rows", table.Long, len(runs)),
		table.NewColumn("Duration", table.String, len(runs)),
		table.NewColumn("Query", table.String, len(runs)),
	}
	for _, r := range runs {
		cols[0].AppendInt(r.ID)
		cols[1].AppendString(r.Started.Local().Format("2006-01-02 15:04"))
		cols[2].AppendString(r.Backend)
		cols[3].AppendString(string(r.Outcome))
		cols[4].AppendInt(int64(r.Rows))
		cols[5].AppendString(r.Duration.Round(time.Millisecond).String())
		cols[6].AppendString(strings.Join(strings.Fields(r.Query), " "))
	}
	return table.New(cols...)
}

func (a *app) savedCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "saved list|show|save|run|rename|rm|export|import ...",
		Short: "Manage named saved queries",
		Long: `Named saved queries: a library of hunts kept in the local database,
exported to and imported from a folder of .kql files so a team can
keep them in git.`,
		Example: `  ahunt saved save encoded-ps -f hunts/encoded-ps.kql --tags powershell,t1059
  ahunt saved list --search powershell
  ahunt saved run encoded-ps --format csv
  ahunt saved export ./hunts && git -C hunts add .`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErrorf("saved: name an action: list, show, save, " +
				"run, rename, rm, export or import")
		},
	}
	cmd.AddCommand(a.savedList(), a.savedShow(), a.savedSave(),
		a.savedRun(), a.savedRename(), a.savedRemove(), a.savedExport(),
		a.savedImport())
	return cmd
}

// withStore runs f with the history store open.
func (a *app) withStore(ctx context.Context,
	f func(*history.Store) error) error {
	st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	return f(st)
}

// notFound turns history.ErrNotFound into a clear failure.
func notFound(err error, name string) error {
	if errors.Is(err, history.ErrNotFound) {
		return &exitError{exitFailed, fmt.Errorf("no saved query named %q "+
			"('ahunt saved list' shows them)", name)}
	}
	return err
}

func (a *app) savedList() *cobra.Command {
	var search, format string
	cmd := &cobra.Command{
		Use:     "list [--search TEXT]",
		Short:   "List saved queries",
		Example: "  ahunt saved list\n  ahunt saved list --search lsass --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" {
				return usageErrorf("--format %q: want table or json", format)
			}
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				qs, err := st.SavedQueries(cmd.Context(), search)
				if err != nil {
					return err
				}
				if format == "json" {
					return printJSON(a.stdout, savedJSON(qs))
				}
				return table.WriteText(a.stdout, savedTable(qs), 60)
			})
		},
	}
	cmd.Flags().StringVar(&search, "search", "", "match names, "+
		"descriptions, tags and text")
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	return cmd
}

// savedQueryJSON is the stable JSON shape of a saved query.
type savedQueryJSON struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Updated     string   `json:"updated"`
	Query       string   `json:"query"`
}

func savedJSON(qs []history.SavedQuery) []savedQueryJSON {
	out := make([]savedQueryJSON, 0, len(qs))
	for _, q := range qs {
		out = append(out, savedQueryJSON{q.Name, q.Description, q.Tags,
			q.Updated.UTC().Format(time.RFC3339), q.Query})
	}
	return out
}

func savedTable(qs []history.SavedQuery) *table.Table {
	cols := []*table.Column{
		table.NewColumn("Name", table.String, len(qs)),
		table.NewColumn("Tags", table.String, len(qs)),
		table.NewColumn("Updated", table.String, len(qs)),
		table.NewColumn("Description", table.String, len(qs)),
	}
	for _, q := range qs {
		cols[0].AppendString(q.Name)
		cols[1].AppendString(strings.Join(q.Tags, ","))
		cols[2].AppendString(q.Updated.Local().Format("2006-01-02 15:04"))
		cols[3].AppendString(q.Description)
	}
	return table.New(cols...)
}

func (a *app) savedShow() *cobra.Command {
	return &cobra.Command{
		Use:     "show NAME",
		Short:   "Print a saved query",
		Example: "  ahunt saved show encoded-ps > encoded-ps.kql",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				q, err := st.SavedQuery(cmd.Context(), args[0])
				if err != nil {
					return notFound(err, args[0])
				}
				text := q.Query
				if !strings.HasSuffix(text, "\n") {
					text += "\n"
				}
				_, err = io.WriteString(a.stdout, text)
				return err
			})
		},
	}
}

func (a *app) savedSave() *cobra.Command {
	var file, desc string
	var tags []string
	cmd := &cobra.Command{
		Use:   "save NAME [flags] [KQL]",
		Short: "Save a query under a name (replacing one of that name)",
		Example: `  ahunt saved save lsass-dump -f hunts/lsass.kql \
        --description "LSASS access" --tags credential-access
  echo 'DeviceInfo | take 5' | ahunt saved save devices`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := strings.TrimSpace(args[0])
			if name == "" {
				return usageErrorf("saved save: the name is empty")
			}
			text, _, err := a.readQuery(args[1:], file)
			if err != nil {
				return err
			}
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				return st.SaveQuery(cmd.Context(), history.SavedQuery{
					Name: name, Query: text, Description: desc,
					Tags: tags})
			})
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "read the query from FILE")
	cmd.Flags().StringVar(&desc, "description", "", "what the hunt finds")
	cmd.Flags().StringSliceVar(&tags, "tags", nil, "comma-separated tags")
	return cmd
}

func (a *app) savedRun() *cobra.Command {
	var o queryOptions
	cmd := &cobra.Command{
		Use:     "run NAME [flags]",
		Short:   "Run a saved query (as 'ahunt query' does)",
		Example: "  ahunt saved run lsass-dump --format jsonl",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var text string
			err := a.withStore(cmd.Context(), func(st *history.Store) error {
				q, err := st.SavedQuery(cmd.Context(), args[0])
				text = q.Query
				return notFound(err, args[0])
			})
			if err != nil {
				return err
			}
			return a.runQuery(cmd.Context(), text, args[0], o)
		},
	}
	o.addFlags(cmd.Flags(), false)
	return cmd
}

func (a *app) savedRename() *cobra.Command {
	return &cobra.Command{
		Use:     "rename FROM TO",
		Short:   "Rename a saved query",
		Example: "  ahunt saved rename lsass lsass-dump",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				return notFound(st.RenameSaved(cmd.Context(), args[0],
					args[1]), args[0])
			})
		},
	}
}

func (a *app) savedRemove() *cobra.Command {
	return &cobra.Command{
		Use:     "rm NAME",
		Short:   "Delete a saved query",
		Example: "  ahunt saved rm old-hunt",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				return notFound(st.DeleteSaved(cmd.Context(), args[0]),
					args[0])
			})
		},
	}
}

func (a *app) savedExport() *cobra.Command {
	return &cobra.Command{
		Use:   "export DIR",
		Short: "Write every saved query to DIR as .kql files",
		Long: `Write every saved query to DIR, one .kql file each, with the name,
description and tags in leading // comment lines.`,
		Example: "  ahunt saved export ./hunts",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				n, err := st.ExportSaved(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "ahunt: exported %d queries to %s\n",
					n, args[0])
				return nil
			})
		},
	}
}

func (a *app) savedImport() *cobra.Command {
	return &cobra.Command{
		Use:   "import DIR",
		Short: "Save every .kql file of DIR as a named query",
		Long: `Read every .kql file of DIR and save it, taking the name, description
and tags from its leading // comment lines (the name defaults to the
file name). A query of the same name is replaced.`,
		Example: "  ahunt saved import ./hunts",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if fi, err := os.Stat(args[0]); err != nil || !fi.IsDir() {
				return usageErrorf("import: %s is not a folder", args[0])
			}
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				n, err := st.ImportSaved(cmd.Context(), args[0])
				if err == nil || n > 0 {
					fmt.Fprintf(a.stderr, "ahunt: imported %d queries "+
						"from %s\n", n, args[0])
				}
				if err != nil {
					return &exitError{exitFailed, err}
				}
				return nil
			})
		},
	}
}

func (a *app) quotaCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "quota",
		Short: "Show the quota budget as the meter shows it",
		Long: `Show the calls and running time spent against the budget of the
configured API and tenant, as recorded by every ahunt process that
shares this history database.`,
		Example: "  ahunt quota\n  ahunt quota --api graph --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" {
				return usageErrorf("--format %q: want table or json", format)
			}
			return a.withStore(cmd.Context(), func(st *history.Store) error {
				b := api.NewBudget(a.set.Limits, st.Ledger(), a.budgetKey())
				state := b.State()
				if format == "json" {
					return printJSON(a.stdout, quotaJSON(state, a.set.API,
						a.budgetTenant()))
				}
				_, err := io.WriteString(a.stdout, quotaText(state,
					a.budgetKey(), time.Now()))
				return err
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	return cmd
}

// quotaJSON is the stable JSON shape of `ahunt quota`: for each budget,
// what is used and what the limit is, in seconds for running time.
func quotaJSON(s api.BudgetState, apiName, tenant string) map[string]any {
	m := map[string]any{
		"api":                      apiName,
		"tenant":                   tenant,
		"calls_last_minute":        s.Calls,
		"calls_per_minute":         s.Limits.CallsPerMinute,
		"runtime_hour_seconds":     s.RuntimeHour.Seconds(),
		"runtime_per_hour_seconds": s.Limits.RuntimePerHour.Seconds(),
		"runtime_day_seconds":      s.RuntimeDay.Seconds(),
		"runtime_per_day_seconds":  s.Limits.RuntimePerDay.Seconds(),
		"unlimited":                s.Limits.Unlimited,
	}
	if !s.NextSlot.IsZero() {
		m["next_slot"] = s.NextSlot.UTC().Format(time.RFC3339)
	}
	if s.Spent != "" {
		m["spent"] = s.Spent
		m["frees_at"] = s.FreesAt.UTC().Format(time.RFC3339)
	}
	return m
}

// quotaText renders the budget in the meter's words.
func quotaText(s api.BudgetState, key string, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "budget   %s\n", key)
	if s.Limits.Unlimited {
		b.WriteString("limits   none (--no-limits)\n")
	}
	next := "a call may start now"
	if s.Spent != "" {
		next = "no call may start until the " + s.Spent +
			" budget frees"
	} else if !s.NextSlot.IsZero() && s.NextSlot.After(now) {
		next = "next call in " + s.NextSlot.Sub(now).Round(time.Second).
			String()
	}
	fmt.Fprintf(&b, "calls    %d of %d in the last minute; %s\n", s.Calls,
		s.Limits.CallsPerMinute, next)
	fmt.Fprintf(&b, "runtime  %s of %s in the last hour\n",
		s.RuntimeHour.Round(time.Second), s.Limits.RuntimePerHour)
	fmt.Fprintf(&b, "runtime  %s of %s in the last day\n",
		s.RuntimeDay.Round(time.Second), s.Limits.RuntimePerDay)
	if s.Spent != "" {
		fmt.Fprintf(&b, "spent    %s; frees %s\n", s.Spent,
			when(s.FreesAt, now))
	}
	return b.String()
}

// when says a time the way a person reads a clock: "at 17:09:18 (in
// 12m)", with the date when it is not today.
func when(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	in := t.Sub(now).Round(time.Second)
	switch {
	case t.YearDay() == now.YearDay() && t.Year() == now.Year():
		return fmt.Sprintf("at %s (in %s)", t.Format("15:04:05"), in)
	case t.YearDay() == now.AddDate(0, 0, 1).YearDay():
		return fmt.Sprintf("tomorrow at %s (in %s)", t.Format("15:04:05"),
			in)
	}
	return fmt.Sprintf("on %s (in %s)", t.Format("2006-01-02 15:04:05"), in)
}

func (a *app) serveCommand() *cobra.Command {
	var addr string
	var allowRemote bool
	cmd := &cobra.Command{
		Use:   "serve [--addr ADDR]",
		Short: "Serve the demo tenant behind the real API shapes",
		Long: `Serve the demo tenant over HTTP with the same shapes as Microsoft's
APIs: POST /v1.0/security/runHuntingQuery (Graph),
POST /api/advancedhunting/run (Defender XDR), POST /api/advancedqueries/run
(Defender for Endpoint), and a client-credentials token endpoint at
POST /{tenant}/oauth2/v2.0/token. Limits are enforced as the real service
does, with 429 and Retry-After.

Clients authenticate with AZURE_CLIENT_ID and AZURE_CLIENT_SECRET as set
when the server starts; without them a client ID and secret are
generated and printed. The first line on stdout is "listening on
http://ADDR".`,
		Example: `  ahunt serve
  ahunt serve --addr 127.0.0.1:9000 &
  ahunt query --api xdr --endpoint http://127.0.0.1:9000 \
        --authority http://127.0.0.1:9000 --tenant demo 'DeviceInfo | take 3'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runServe(cmd.Context(), addr, allowRemote)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to "+
		"listen on")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "allow a "+
		"non-loopback address (the demo tenant becomes reachable from "+
		"the network)")
	return cmd
}

func (a *app) loginCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "login",
		Short: "Sign in with a device code for delegated use",
		Long: `Sign in as yourself with a device code: ahunt prints a URL and a code
to enter in a browser. The refresh token is kept in a 0600 file in the
state folder; later runs use it when no client secret is set.`,
		Example: "  AZURE_TENANT_ID=... AZURE_CLIENT_ID=... ahunt login --api graph",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runLogin(cmd.Context())
		},
	}
}

// runServe serves the demo tenant until the context ends.
func (a *app) runServe(ctx context.Context, addr string,
	allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("--addr %q: %w", addr, err)
	}
	if !allowRemote && !isLoopback(host) {
		return usageErrorf("--addr %q is not a loopback address; the demo "+
			"tenant would be reachable from the network (pass "+
			"--allow-remote to mean it)", addr)
	}
	clientID, secret := a.getenv("AZURE_CLIENT_ID"), a.set.clientSecret
	generated := clientID == "" || secret == ""
	if generated {
		clientID, secret = "ahunt-demo", randomSecret()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usageErrorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler: api.NewServer(api.NewDemo(a.set.demo),
			api.ServerOptions{ClientID: clientID, ClientSecret: secret,
				Limits: a.set.Limits}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(a.stdout, "listening on http://%s\n", ln.Addr())
	if generated {
		fmt.Fprintf(a.stdout, "client id %s\nclient secret %s\n", clientID,
			secret)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(),
			5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	}
}

// randomSecret returns 32 random bytes as base64 for a generated client
// secret.
func randomSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// runLogin does the device-code sign-in.
func (a *app) runLogin(ctx context.Context) error {
	s := a.set
	if s.API == "demo" {
		return usageErrorf("login: the demo tenant needs no sign-in; pass " +
			"--api graph, xdr or mde")
	}
	if s.Tenant == "" || s.ClientID == "" {
		return usageErrorf("login: set AZURE_TENANT_ID and AZURE_CLIENT_ID " +
			"(an app registration that allows public client flows)")
	}
	err := api.DeviceLogin(ctx, api.Config{API: s.API, Endpoint: s.Endpoint,
		Authority: s.Authority, TenantID: s.Tenant, ClientID: s.ClientID},
		func(uri, code string) {
			fmt.Fprintf(a.stderr, "To sign in, open %s and enter the code "+
				"%s\n", uri, code)
		})
	if err != nil {
		return &exitError{exitAuth, fmt.Errorf("login: %w", err)}
	}
	fmt.Fprintln(a.stderr, "ahunt: signed in")
	return nil
}

// runWorkbench starts the full-screen workbench.
func (a *app) runWorkbench(ctx context.Context) error {
	in, inOK := a.stdin.(*os.File)
	out, outOK := a.stdout.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(int(in.Fd())) ||
		!term.IsTerminal(int(out.Fd())) {
		return usageErrorf("the workbench needs a terminal; in scripts " +
			"use 'ahunt query' (see 'ahunt --help')")
	}
	w, err := a.openWiring(ctx, 0)
	if err != nil {
		return err
	}
	defer w.close()
	km := defaultKeyMap()
	if err := applyKeyOverrides(&km, a.set.Keys); err != nil {
		return usageErrorf("config %s: keys: %w", a.set.ConfigPath, err)
	}
	m := ui.New(ui.Config{
		Backend: w.backend,
		Budget:  w.budget,
		Store:   w.store,
		Check:   diagnose,
		KeyMap:  km,
		Tenant:  w.tenant,
	})
	p := tea.NewProgram(m, tea.WithContext(ctx))
	if _, err := p.Run(); err != nil &&
		!errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("workbench: %w", err)
	}
	return nil
}
