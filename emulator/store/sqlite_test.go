package store

import (
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite" // the pure-Go SQLite compared with bbolt (docs/durability.md §1)
)

// sqliteStore is the Store on SQLite that docs/durability.md §1 measured
// against bbolt; it lives in a test file so that the binary does not
// carry SQLite.
type sqliteStore struct {
	db    *sql.DB
	group *group
}

func openSQLite(path string) (*sqliteStore, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS kv (bucket TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
		PRIMARY KEY (bucket, key)) WITHOUT ROWID`); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s := &sqliteStore{db: db}
	s.group = newGroup(s.commit)
	return s, nil
}

func (s *sqliteStore) Apply(ops ...Op) error { return s.group.apply(ops) }

func (s *sqliteStore) commit(ops []Op) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	put, err := tx.Prepare(`INSERT INTO kv (bucket, key, value) VALUES (?, ?, ?)
		ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`)
	if err != nil {
		return err
	}
	defer put.Close()
	for _, op := range ops {
		if op.Delete {
			_, err = tx.Exec(`DELETE FROM kv WHERE bucket = ? AND key = ?`, op.Bucket, op.Key)
		} else {
			_, err = put.Exec(op.Bucket, op.Key, append([]byte{}, op.Value...))
		}
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *sqliteStore) Get(bucket, key string) ([]byte, bool, error) {
	var v []byte
	err := s.db.QueryRow(`SELECT value FROM kv WHERE bucket = ? AND key = ?`, bucket, key).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	return v, err == nil, err
}

func (s *sqliteStore) Scan(bucket, prefix string, fn func(key string, value []byte) error) error {
	end := prefixEnd(prefix)
	q, args := `SELECT key, value FROM kv WHERE bucket = ? AND key >= ? AND key < ? ORDER BY key`, []any{bucket, prefix, end}
	if end == "" {
		q, args = `SELECT key, value FROM kv WHERE bucket = ? AND key >= ? ORDER BY key`, args[:2]
	}
	rows, err := s.db.Query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		if err := fn(k, v); err != nil {
			return stopIsNil(err)
		}
	}
	return rows.Err()
}

func (s *sqliteStore) Close() error {
	s.group.stop()
	return s.db.Close()
}

// prefixEnd is the least key greater than every key beginning with
// prefix, or "" when there is none.
func prefixEnd(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}
