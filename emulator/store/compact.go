package store

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Compaction at open (docs/durability.md §4): bbolt reuses freed pages
// but never shrinks its file, so a file that is mostly free space (once
// many entries were deleted) is copied to a new file, which replaces it.

const (
	// compactMinSize is the smallest file worth compacting.
	compactMinSize = 4 << 20
	// compactTxSize bounds one transaction of the copy.
	compactTxSize = 16 << 20
)

// needsCompaction reports whether more than half of the file is free.
func needsCompaction(db *bolt.DB) (bool, error) {
	var size int64
	if err := db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil }); err != nil {
		return false, err
	}
	free := int64(db.Stats().FreePageN) * int64(db.Info().PageSize)
	return size >= compactMinSize && free > size/2, nil
}

// compact copies db to path.compact and renames the copy over path,
// holding db's lock until the copy is in place. It returns the copy,
// opened; db is closed. A crash midway leaves the old file, whole, and a
// stray copy that the next compaction removes.
func compact(db *bolt.DB, path string, opts *bolt.Options) (*bolt.DB, error) {
	tmp := path + ".compact"
	if err := os.Remove(tmp); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	dst, err := bolt.Open(tmp, 0o600, opts)
	if err != nil {
		return nil, err
	}
	if err := bolt.Compact(dst, db, compactTxSize); err != nil {
		dst.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("compact: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		dst.Close()
		return nil, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		dst.Close()
		return nil, err
	}
	db.Close()
	return dst, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
