package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Format marks a stepwire state file: Open refuses a database without it
// or with another value, rather than reuse or reset someone else's file.
const Format = "stepwire-state/1"

const metaBucket = "_meta"

// Bolt is the durable Store, on bbolt (docs/durability.md §1).
type Bolt struct {
	db    *bolt.DB
	path  string
	group *group
}

// lockTimeout is how long Open waits for another process's lock on the
// file before it gives up.
const lockTimeout = time.Second

// Open opens or creates the state file at path. A file that is not a
// bbolt database, or one that is but not stepwire's, is an error naming
// the file; it is never reset.
func Open(path string) (*Bolt, error) {
	_, statErr := os.Stat(path)
	fresh := errors.Is(statErr, os.ErrNotExist)
	opts := &bolt.Options{Timeout: lockTimeout, FreelistType: bolt.FreelistMapType, NoFreelistSync: true}
	db, err := bolt.Open(path, 0o600, opts)
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("open state %s: locked by another process (is another stepwire running on this data dir?)", path)
	case err != nil:
		return nil, fmt.Errorf("open state %s: not a stepwire state file (%v); move it away or start with --in-memory", path, err)
	}
	if err := checkFormat(db, fresh); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w; move it away or start with --in-memory", path, err)
	}
	if db, err = compactIfWorth(db, path, opts); err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	b := &Bolt{db: db, path: path}
	b.group = newGroup(b.commit)
	return b, nil
}

// compactIfWorth compacts db when most of its file is free space; it
// closes db on error.
func compactIfWorth(db *bolt.DB, path string, opts *bolt.Options) (*bolt.DB, error) {
	worth, err := needsCompaction(db)
	if err == nil && worth {
		var out *bolt.DB
		if out, err = compact(db, path, opts); err == nil {
			return out, nil
		}
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkFormat stamps a fresh file and checks an old one's stamp.
func checkFormat(db *bolt.DB, fresh bool) error {
	if fresh {
		return db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte(metaBucket))
			if err != nil {
				return err
			}
			return b.Put([]byte("format"), []byte(Format))
		})
	}
	return db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(metaBucket))
		if b == nil {
			return errors.New("not a stepwire state file (no format stamp)")
		}
		if f := b.Get([]byte("format")); !bytes.Equal(f, []byte(Format)) {
			return fmt.Errorf("state file format %q, want %q", f, Format)
		}
		return nil
	})
}

// Path is the state file's path.
func (b *Bolt) Path() string { return b.path }

// Apply implements Store: the batch is committed with the others queued
// meanwhile, and on disk when Apply returns.
func (b *Bolt) Apply(ops ...Op) error { return b.group.apply(ops) }

func (b *Bolt) commit(ops []Op) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		for _, op := range ops {
			bk, err := tx.CreateBucketIfNotExists([]byte(op.Bucket))
			if err != nil {
				return err
			}
			if op.Delete {
				err = bk.Delete([]byte(op.Key))
			} else {
				err = bk.Put([]byte(op.Key), op.Value)
			}
			if err != nil {
				return fmt.Errorf("%s/%s: %w", op.Bucket, op.Key, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store %s: commit: %w", b.path, err)
	}
	return nil
}

// Get implements Store.
func (b *Bolt) Get(bucket, key string) (v []byte, ok bool, err error) {
	err = b.db.View(func(tx *bolt.Tx) error {
		if bk := tx.Bucket([]byte(bucket)); bk != nil {
			if got := bk.Get([]byte(key)); got != nil {
				v, ok = append([]byte(nil), got...), true
			}
		}
		return nil
	})
	return v, ok, err
}

// Scan implements Store. fn runs inside a read transaction: it must not
// Apply (it may Get).
func (b *Bolt) Scan(bucket, prefix string, fn func(key string, value []byte) error) error {
	err := b.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket([]byte(bucket))
		if bk == nil {
			return nil
		}
		c, p := bk.Cursor(), []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if err := fn(string(k), append([]byte(nil), v...)); err != nil {
				return err
			}
		}
		return nil
	})
	return stopIsNil(err)
}

// Size is the state file's size in bytes.
func (b *Bolt) Size() (int64, error) {
	var n int64
	err := b.db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n, err
}

// Close commits what is queued and closes the file.
func (b *Bolt) Close() error {
	b.group.stop()
	return b.db.Close()
}
