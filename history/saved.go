package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// maxNameLen caps a saved query's name, in bytes.
const maxNameLen = 200

// SaveQuery creates the saved query q.Name or updates its text,
// description and tags. Created is kept on update and set to q.Created,
// or now, on create; Updated is set to now. Tags are trimmed of spaces.
func (s *Store) SaveQuery(ctx context.Context, q SavedQuery) error {
	q, err := normalize(q)
	if err != nil {
		return fmt.Errorf("save query: %w", err)
	}
	now := s.opt.Now()
	if q.Created.IsZero() {
		q.Created = now
	}
	tags, err := json.Marshal(q.Tags)
	if err != nil {
		return fmt.Errorf("save query %q: %w", q.Name, err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO saved (name, query,
			description, tags, created, updated) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET query = excluded.query,
			description = excluded.description, tags = excluded.tags,
			updated = excluded.updated`,
			q.Name, q.Query, q.Description, string(tags),
			unixNano(q.Created), unixNano(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("save query %q: %w", q.Name, err)
	}
	return nil
}

// normalize checks what an exported file must round-trip: a name of one
// line, tags without commas, and no line breaks but in the text and the
// description.
func normalize(q SavedQuery) (SavedQuery, error) {
	if err := checkName(q.Name); err != nil {
		return q, err
	}
	if strings.ContainsRune(q.Description, '\r') {
		return q, fmt.Errorf("description of %q has a carriage return",
			q.Name)
	}
	tags := make([]string, 0, len(q.Tags))
	for _, t := range q.Tags {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
			continue
		case strings.ContainsRune(t, ','):
			return q, fmt.Errorf("tag %q of %q has a comma", t, q.Name)
		case strings.IndexFunc(t, unicode.IsControl) >= 0:
			return q, fmt.Errorf("tag %q of %q has a control character",
				t, q.Name)
		}
		tags = append(tags, t)
	}
	q.Tags = tags
	return q, nil
}

func checkName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("empty name")
	case len(name) > maxNameLen:
		return fmt.Errorf("name %.20q... is over %d bytes", name, maxNameLen)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("name %q has a control character", name)
	}
	return nil
}

const savedColumns = "name, query, description, tags, created, updated"

func scanSaved(sc scanner) (SavedQuery, error) {
	var q SavedQuery
	var tags string
	var created, updated int64
	err := sc.Scan(&q.Name, &q.Query, &q.Description, &tags, &created,
		&updated)
	if err != nil {
		return q, err
	}
	if err := json.Unmarshal([]byte(tags), &q.Tags); err != nil {
		return q, fmt.Errorf("tags of %q: %w", q.Name, err)
	}
	q.Created, q.Updated = fromUnixNano(created), fromUnixNano(updated)
	return q, nil
}

// SavedQuery returns the saved query called name, or an error wrapping
// ErrNotFound.
func (s *Store) SavedQuery(ctx context.Context, name string) (
	SavedQuery, error) {
	row := s.db.QueryRowContext(ctx,
		"SELECT "+savedColumns+" FROM saved WHERE name = ?", name)
	q, err := scanSaved(row)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return SavedQuery{}, fmt.Errorf("saved query %q: %w", name, err)
	}
	return q, nil
}

// SavedQueries returns the saved queries whose name, description, tags
// or text hold every word of search, in any letter case, sorted by name;
// all of them when search is empty.
func (s *Store) SavedQueries(ctx context.Context, search string) (
	[]SavedQuery, error) {
	q := "SELECT " + savedColumns + " FROM saved WHERE 1"
	var args []any
	for _, w := range strings.Fields(search) {
		q += ` AND (name || char(10) || description || char(10) || tags ||
			char(10) || query) LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(w)+"%")
	}
	rows, err := s.db.QueryContext(ctx,
		q+" ORDER BY name COLLATE NOCASE, name", args...)
	if err != nil {
		return nil, fmt.Errorf("list saved queries: %w", err)
	}
	defer rows.Close()
	var out []SavedQuery
	for rows.Next() {
		sq, err := scanSaved(rows)
		if err != nil {
			return nil, fmt.Errorf("list saved queries: %w", err)
		}
		out = append(out, sq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list saved queries: %w", err)
	}
	return out, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func escapeLike(s string) string { return likeEscaper.Replace(s) }

// RenameSaved renames a saved query. It fails with ErrNotFound when from
// does not exist and ErrExists when to does.
func (s *Store) RenameSaved(ctx context.Context, from, to string) error {
	if err := checkName(to); err != nil {
		return fmt.Errorf("rename %q: %w", from, err)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if from == to {
			return requireSaved(ctx, tx, from)
		}
		var n int
		err := tx.QueryRowContext(ctx,
			"SELECT count(*) FROM saved WHERE name = ?", to).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%q %w", to, ErrExists)
		}
		res, err := tx.ExecContext(ctx,
			"UPDATE saved SET name = ?, updated = ? WHERE name = ?",
			to, unixNano(s.opt.Now()), from)
		return affected(res, err)
	})
	if err != nil {
		return fmt.Errorf("rename %q: %w", from, err)
	}
	return nil
}

func requireSaved(ctx context.Context, tx *sql.Tx, name string) error {
	var n int
	err := tx.QueryRowContext(ctx,
		"SELECT count(*) FROM saved WHERE name = ?", name).Scan(&n)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// affected turns a statement that changed no row into ErrNotFound.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// DeleteSaved deletes the saved query called name, or fails with
// ErrNotFound.
func (s *Store) DeleteSaved(ctx context.Context, name string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return affected(tx.ExecContext(ctx,
			"DELETE FROM saved WHERE name = ?", name))
	})
	if err != nil {
		return fmt.Errorf("delete %q: %w", name, err)
	}
	return nil
}
