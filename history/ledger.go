package history

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ahunt/ahunt/api"
)

// ledgerKeep is how long calls stay in the ledger: the longest budget
// window, a rolling day, and a margin for clocks that differ between
// processes. Windows longer than this see too few calls.
const ledgerKeep = 25 * time.Hour

// ledger is the api.Ledger kept in the store's database, shared by every
// ahunt process that opens it.
type ledger struct{ s *Store }

var (
	_ api.Ledger   = ledger{}
	_ api.Releaser = ledger{}
)

// Reserve implements api.Ledger. The count and the insert are one
// BEGIN IMMEDIATE transaction, which holds the database's write lock, so
// two processes cannot both take the last slot. Processes read their
// clocks before they wait for the lock, so calls stamped after now are
// counted as in the window. Calls older than a day
// and an hour (before now) are pruned on the way.
func (l ledger) Reserve(ctx context.Context, key string, now time.Time,
	window time.Duration, limit int) (id int64, ok bool, retryAt time.Time,
	err error) {
	if limit <= 0 || window <= 0 {
		return 0, false, time.Time{}, fmt.Errorf(
			"reserve %s: limit %d and window %v must be positive",
			key, limit, window)
	}
	err = l.s.tx(ctx, func(tx *sql.Tx) error {
		id, ok, retryAt, err = reserve(ctx, tx, key, now, window, limit)
		return err
	})
	if err != nil {
		return 0, false, time.Time{}, fmt.Errorf("reserve %s: %w", key, err)
	}
	return id, ok, retryAt, nil
}

func reserve(ctx context.Context, tx *sql.Tx, key string, now time.Time,
	window time.Duration, limit int) (int64, bool, time.Time, error) {
	_, err := tx.ExecContext(ctx, "DELETE FROM ledger WHERE at < ?",
		now.Add(-ledgerKeep).UnixNano())
	if err != nil {
		return 0, false, time.Time{}, err
	}
	// Calls after now count too: another process that read its clock
	// later may have reached the lock first.
	from := now.Add(-window).UnixNano()
	var n int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM ledger
		WHERE key = ? AND at > ?`, key, from).Scan(&n)
	if err != nil {
		return 0, false, time.Time{}, err
	}
	if n >= limit {
		// A slot frees when the call n-limit+1 places from the oldest
		// ages out; that is the oldest unless the limit was lowered.
		var at int64
		err = tx.QueryRowContext(ctx, `SELECT at FROM ledger
			WHERE key = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?`,
			key, from, n-limit).Scan(&at)
		return 0, false, time.Unix(0, at).Add(window), err
	}
	res, err := tx.ExecContext(ctx,
		"INSERT INTO ledger (key, at) VALUES (?, ?)", key, now.UnixNano())
	if err != nil {
		return 0, false, time.Time{}, err
	}
	id, err := res.LastInsertId()
	return id, err == nil, time.Time{}, err
}

// Settle implements api.Ledger. It fails with ErrNotFound when call id
// of key is not in the ledger (never reserved, or pruned).
func (l ledger) Settle(ctx context.Context, key string, id int64,
	runtime time.Duration) error {
	err := l.s.tx(ctx, func(tx *sql.Tx) error {
		return affected(tx.ExecContext(ctx,
			"UPDATE ledger SET runtime = ? WHERE id = ? AND key = ?",
			int64(runtime), id, key))
	})
	if err != nil {
		return fmt.Errorf("settle call %d of %s: %w", id, key, err)
	}
	return nil
}

// Release implements api.Releaser: it forgets call id of key, a call
// that was never sent.
func (l ledger) Release(ctx context.Context, key string, id int64) error {
	err := l.s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			"DELETE FROM ledger WHERE id = ? AND key = ?", id, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("release call %d of %s: %w", id, key, err)
	}
	return nil
}

// Calls implements api.Ledger.
func (l ledger) Calls(ctx context.Context, key string, since time.Time) (
	[]api.Call, error) {
	rows, err := l.s.db.QueryContext(ctx, `SELECT id, at, runtime
		FROM ledger WHERE key = ? AND at >= ? ORDER BY at, id`,
		key, since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("calls of %s: %w", key, err)
	}
	defer rows.Close()
	var out []api.Call
	for rows.Next() {
		var at, runtime int64
		var c api.Call
		if err := rows.Scan(&c.ID, &at, &runtime); err != nil {
			return nil, fmt.Errorf("calls of %s: %w", key, err)
		}
		c.At, c.Runtime = time.Unix(0, at), time.Duration(runtime)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calls of %s: %w", key, err)
	}
	return out, nil
}
