package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ahunt/ahunt/api"
	"github.com/ahunt/ahunt/kql/table"
)

// defaultLimit is how many runs Runs returns when the filter says zero.
const defaultLimit = 100

// AddRun records r and returns its ID; r.ID and r.Cached are ignored.
// When r succeeded, res is its result and caching is on, the result is
// kept if it compresses to MaxResultBytes or less, and the oldest kept
// results are evicted beyond MaxCacheBytes. Anything in r.Error that
// looks like a token or a client secret is blanked out before it is
// written.
func (s *Store) AddRun(ctx context.Context, r Run, res *api.Result) (
	int64, error) {
	if err := r.validate(); err != nil {
		return 0, fmt.Errorf("add run: %w", err)
	}
	r.Error = redact(r.Error)
	// Compressing takes a while; it is done before the write lock.
	blob, err := s.cacheBlob(r, res)
	if err != nil {
		return 0, fmt.Errorf("add run: %w", err)
	}
	var id int64
	evicted := false
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = insertRun(ctx, tx, r); err != nil || blob == nil {
			return err
		}
		if err := insertResult(ctx, tx, id, res, blob); err != nil {
			return err
		}
		evicted, err = s.evict(ctx, tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add run: %w", err)
	}
	if evicted {
		// Give the evicted pages back to the file system. It is only
		// housekeeping: if it fails, SQLite reuses the pages anyway.
		s.db.ExecContext(ctx, "PRAGMA incremental_vacuum")
	}
	return id, nil
}

// cacheBlob returns the compressed result to keep for r, or nil when
// there is none to keep or it is over MaxResultBytes.
func (s *Store) cacheBlob(r Run, res *api.Result) ([]byte, error) {
	if s.opt.NoCache || r.Outcome != OK || res == nil || res.Table == nil {
		return nil, nil
	}
	blob, err := s.compress(res.Table)
	if err != nil || int64(len(blob)) > s.opt.MaxResultBytes {
		return nil, err
	}
	return blob, nil
}

func (r Run) validate() error {
	switch r.Outcome {
	case OK, Failed, Cancelled, Throttled:
	default:
		return fmt.Errorf("unknown outcome %q", r.Outcome)
	}
	if r.Rows < 0 {
		return fmt.Errorf("negative row count %d", r.Rows)
	}
	return nil
}

// tokenPattern matches bearer tokens and JWTs, and secretPattern the
// value of an OAuth2 secret parameter, which an error message might quote
// from a request or a response.
var (
	tokenPattern = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=-]+` +
		`|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	secretPattern = regexp.MustCompile(`(?i)((?:client_secret|` +
		`client_assertion|access_token|refresh_token|password)` +
		`["']?\s*[:=]\s*["']?)[^"'&\s,}]+`)
)

func redact(s string) string {
	s = tokenPattern.ReplaceAllString(s, "[redacted]")
	return secretPattern.ReplaceAllString(s, "${1}[redacted]")
}

func (s *Store) compress(t *table.Table) ([]byte, error) {
	raw, err := t.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return s.enc.EncodeAll(raw, make([]byte, 0, len(raw)/4)), nil
}

func insertRun(ctx context.Context, tx *sql.Tx, r Run) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (query, backend,
		tenant, started, duration, server_time, rows, truncated, outcome,
		error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Query, r.Backend, r.Tenant, unixNano(r.Started),
		int64(r.Duration), int64(r.ServerTime), r.Rows, r.Truncated,
		string(r.Outcome), r.Error)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func insertResult(ctx context.Context, tx *sql.Tx, id int64,
	res *api.Result, blob []byte) error {
	st, hasStats := api.Stats{}, res.Stats != nil
	if hasStats {
		st = *res.Stats
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO results (run_id, size,
		truncated, elapsed, has_stats, exec_time, cpu_time, rows_scanned,
		bytes_scanned, peak_memory, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, len(blob), res.Truncated, int64(res.Elapsed), hasStats,
		int64(st.ExecutionTime), int64(st.CPUTime), st.RowsScanned,
		st.BytesScanned, st.PeakMemory, blob)
	return err
}

// evict deletes the oldest cached results until the rest fit in
// MaxCacheBytes, and reports whether it deleted any.
func (s *Store) evict(ctx context.Context, tx *sql.Tx) (bool, error) {
	var total int64
	err := tx.QueryRowContext(ctx,
		"SELECT coalesce(sum(size), 0) FROM results").Scan(&total)
	if err != nil || total <= s.opt.MaxCacheBytes {
		return false, err
	}
	rows, err := tx.QueryContext(ctx,
		"SELECT run_id, size FROM results ORDER BY run_id")
	if err != nil {
		return false, err
	}
	var last int64
	for total > s.opt.MaxCacheBytes && rows.Next() {
		var size int64
		if err := rows.Scan(&last, &size); err != nil {
			rows.Close()
			return false, err
		}
		total -= size
	}
	if err := rows.Close(); err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx,
		"DELETE FROM results WHERE run_id <= ?", last)
	return err == nil, err
}

// runColumns are the columns scanRun reads, from runs r joined with
// results c.
const runColumns = `r.id, r.query, r.backend, r.tenant, r.started,
	r.duration, r.server_time, r.rows, r.truncated, r.outcome, r.error,
	c.run_id IS NOT NULL`

const runsFrom = ` FROM runs r LEFT JOIN results c ON c.run_id = r.id `

type scanner interface{ Scan(dest ...any) error }

func scanRun(sc scanner) (Run, error) {
	var r Run
	var started, duration, serverTime int64
	err := sc.Scan(&r.ID, &r.Query, &r.Backend, &r.Tenant, &started,
		&duration, &serverTime, &r.Rows, &r.Truncated, &r.Outcome,
		&r.Error, &r.Cached)
	r.Started = fromUnixNano(started)
	r.Duration, r.ServerTime = time.Duration(duration),
		time.Duration(serverTime)
	return r, err
}

// Run returns the run with the given ID, or an error wrapping
// ErrNotFound.
func (s *Store) Run(ctx context.Context, id int64) (Run, error) {
	row := s.db.QueryRowContext(ctx,
		"SELECT "+runColumns+runsFrom+"WHERE r.id = ?", id)
	r, err := scanRun(row)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return Run{}, fmt.Errorf("run %d: %w", id, err)
	}
	return r, nil
}

// Runs returns the runs f selects, newest (last recorded) first. A search
// matches runs whose query has every word of it anywhere, in any letter
// case and with or without accents: "ProcessEvents where" finds
// "DeviceProcessEvents | where ...". A word of one or two letters matches
// the start of a word only ("De" finds "DeviceEvents", not "Node").
// Punctuation in the search is ignored; a search of punctuation only
// matches the text as written.
func (s *Store) Runs(ctx context.Context, f RunFilter) ([]Run, error) {
	limit := f.Limit
	if limit == 0 {
		limit = defaultLimit
	}
	if limit < 0 || f.Offset < 0 {
		return nil, fmt.Errorf("list runs: negative limit or offset "+
			"(%d, %d)", f.Limit, f.Offset)
	}
	q, args := runsQuery(f.Search, limit, f.Offset)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

// runsQuery returns the SQL and arguments for Runs.
func runsQuery(search string, limit, offset int) (string, []any) {
	sel := "SELECT " + runColumns + runsFrom
	page := " ORDER BY r.id DESC LIMIT ? OFFSET ?"
	if strings.TrimSpace(search) == "" {
		return sel + page, []any{limit, offset}
	}
	m := ftsMatch(search)
	// FTS5 walks its index newest first and stops at the page, so a
	// common word costs no more than a rare one.
	in := func(table, filter string) string {
		return sel + "WHERE r.id IN (SELECT rowid FROM " + table +
			" WHERE " + table + " MATCH ?" + filter +
			" ORDER BY rowid DESC LIMIT ? OFFSET ?) ORDER BY r.id DESC"
	}
	switch {
	case m.tri != "" && m.word != "":
		// The + keeps the word index's rows from reaching the trigram
		// index as rowid lookups, one by one: they are collected once
		// and checked as the trigram index walks.
		return in("runs_tri", ` AND +rowid IN (SELECT rowid FROM runs_fts
			WHERE runs_fts MATCH ?)`), []any{m.tri, m.word, limit, offset}
	case m.tri != "":
		return in("runs_tri", ""), []any{m.tri, limit, offset}
	case m.word != "":
		return in("runs_fts", ""), []any{m.word, limit, offset}
	}
	return sel + "WHERE instr(r.query, ?) > 0" + page,
		[]any{strings.TrimSpace(search), limit, offset}
}

// match is a search as FTS5 queries: tri for the trigram index, word
// for the word index; either is empty when it has no words.
type match struct{ tri, word string }

// ftsMatch splits a search into words, every one required. A word of
// three or more characters is a substring for the trigram index; a
// shorter one, which no trigram can hold, is a word prefix for the word
// index. Each is quoted, so that no character of KQL is FTS5 syntax.
func ftsMatch(search string) match {
	words := strings.FieldsFunc(search, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
	var tri, word []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 3 {
			tri = append(tri, `"`+w+`"`)
		} else {
			word = append(word, `"`+w+`"*`)
		}
	}
	return match{strings.Join(tri, " "), strings.Join(word, " ")}
}

// Result returns the cached result of run runID, or an error wrapping
// ErrNotCached.
func (s *Store) Result(ctx context.Context, runID int64) (*api.Result,
	error) {
	rows, err := s.db.QueryContext(ctx, `SELECT truncated, elapsed,
		has_stats, exec_time, cpu_time, rows_scanned, bytes_scanned,
		peak_memory, data FROM results WHERE run_id = ?`, runID)
	if err != nil {
		return nil, fmt.Errorf("result of run %d: %w", runID, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("result of run %d: %w", runID, err)
		}
		return nil, fmt.Errorf("result of run %d: %w", runID, ErrNotCached)
	}
	res, err := s.scanResult(rows)
	if err != nil {
		return nil, fmt.Errorf("result of run %d: %w", runID, err)
	}
	return res, nil
}

func (s *Store) scanResult(rows *sql.Rows) (*api.Result, error) {
	var res api.Result
	var st api.Stats
	var elapsed, execTime, cpuTime int64
	var hasStats bool
	// RawBytes points into SQLite's row, which saves copying the blob
	// before decompressing it.
	var blob sql.RawBytes
	err := rows.Scan(&res.Truncated, &elapsed, &hasStats, &execTime,
		&cpuTime, &st.RowsScanned, &st.BytesScanned, &st.PeakMemory, &blob)
	if err != nil {
		return nil, err
	}
	raw, err := s.dec.DecodeAll(blob, nil)
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	res.Table = new(table.Table)
	if err := res.Table.UnmarshalBinary(raw); err != nil {
		return nil, err
	}
	res.Elapsed = time.Duration(elapsed)
	if hasStats {
		st.ExecutionTime = time.Duration(execTime)
		st.CPUTime = time.Duration(cpuTime)
		res.Stats = &st
	}
	return &res, nil
}

// unixNano stores the zero time as 0, since its UnixNano overflows.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
