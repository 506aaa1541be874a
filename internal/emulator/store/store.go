// Package store is the emulator's SQLite document store: every Graph object is one
// JSON document in one generic table, so new collections need no schema change.
// It imports nothing else of the emulator.
package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure-Go driver, registered as "sqlite"; no cgo needed
)

// ErrNotFound is returned when an object does not exist.
var ErrNotFound = errors.New("emulator: object not found")

// Store keeps every Graph object as a JSON document in one generic table. seq gives
// a stable insertion order for listing and for skiptokens.
type Store struct {
	db *sql.DB
}

// Record is one stored object plus the bookkeeping the handlers need.
type Record struct {
	Seq       int64
	ID        string
	Body      map[string]any
	CreatedAt time.Time
}

const schema = `
CREATE TABLE IF NOT EXISTS objects (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	collection TEXT NOT NULL,
	id         TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (collection, id)
);
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value BLOB
);`

// Open opens (and creates) the store at path; "" or ":memory:" is an in-memory store.
func Open(path string) (*Store, error) {
	if path == "" {
		path = ":memory:"
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	// With ":memory:" every connection is its own database, so a single connection is
	// required; for a file it also serialises writers, which keeps SQLITE_BUSY away.
	db.SetMaxOpenConns(1)
	pragmas := []string{"PRAGMA busy_timeout = 5000", "PRAGMA foreign_keys = ON"}
	if path != ":memory:" {
		pragmas = append(pragmas, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")
	}
	for _, p := range pragmas {
		if _, err := db.Exec(p); err != nil {
			db.Close()
			return nil, fmt.Errorf("store %q: %s: %w", path, p, err)
		}
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %q: create schema: %w", path, err)
	}
	return &Store{db: db}, nil
}

func (st *Store) Close() error { return st.db.Close() }

// NormID makes id lookups case-insensitive, as GUID comparisons are in Graph.
func NormID(id string) string { return strings.ToLower(id) }

func (st *Store) Insert(collection, id string, body map[string]any, created time.Time) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return st.tx(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO objects(collection, id, body, created_at) VALUES (?, ?, ?, ?)`,
			collection, NormID(id), string(b), created.UnixNano())
		return err
	})
}

func (st *Store) Get(collection, id string) (*Record, error) {
	row := st.db.QueryRow(`SELECT seq, id, body, created_at FROM objects WHERE collection = ? AND id = ?`, collection, NormID(id))
	return scanRecord(row)
}

type scanner interface{ Scan(dest ...any) error }

func scanRecord(row scanner) (*Record, error) {
	var (
		rec     Record
		body    string
		created int64
	)
	if err := row.Scan(&rec.Seq, &rec.ID, &body, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	if err := json.Unmarshal([]byte(body), &rec.Body); err != nil {
		return nil, fmt.Errorf("corrupt object %s: %w", rec.ID, err)
	}
	rec.CreatedAt = time.Unix(0, created)
	return &rec, nil
}

// list returns the objects of a collection in insertion order.
func (st *Store) List(collection string) ([]*Record, error) {
	rows, err := st.db.Query(`SELECT seq, id, body, created_at FROM objects WHERE collection = ? ORDER BY seq ASC`, collection)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// Counts returns how many objects each non-empty collection holds.
func (st *Store) Counts() (map[string]int, error) {
	rows, err := st.db.Query(`SELECT collection, COUNT(*) FROM objects GROUP BY collection`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// update reads, changes and writes one object in a single transaction.
func (st *Store) Update(collection, id string, fn func(body map[string]any) error) error {
	return st.tx(func(tx *sql.Tx) error {
		rec, err := scanRecord(tx.QueryRow(`SELECT seq, id, body, created_at FROM objects WHERE collection = ? AND id = ?`, collection, NormID(id)))
		if err != nil {
			return err
		}
		if err := fn(rec.Body); err != nil {
			return err
		}
		b, err := json.Marshal(rec.Body)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE objects SET body = ? WHERE seq = ?`, string(b), rec.Seq)
		return err
	})
}

func (st *Store) Delete(collection, id string) error {
	return st.tx(func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM objects WHERE collection = ? AND id = ?`, collection, NormID(id))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// wipe removes every object (the meta table, which holds keys, is kept).
func (st *Store) Wipe() error {
	return st.tx(func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM objects`)
		return err
	})
}

func (st *Store) GetMeta(key string) ([]byte, error) {
	var v []byte
	err := st.db.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return v, err
}

func (st *Store) SetMeta(kv map[string][]byte) error {
	return st.tx(func(tx *sql.Tx) error {
		for k, v := range kv {
			if _, err := tx.Exec(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (st *Store) tx(fn func(*sql.Tx) error) error {
	tx, err := st.db.Begin()
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
