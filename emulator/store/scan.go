package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// scanChunk bounds the bytes one read transaction of a Scan copies out:
// fn runs between transactions, so that a long scan never holds one
// open while a checkpoint waits to grow the file.
const scanChunk = 1 << 20

// Scan implements Store: bbolt's entries merged with the overlays', the
// overlays' taking precedence, in key order. fn may Get; it must not
// Apply. The overlays are read once, when the scan starts.
func (b *Bolt) Scan(bucket, prefix string, fn func(key string, value []byte) error) error {
	b.mu.RLock()
	over := scanOverlays(bucket, prefix, b.active, b.frozen)
	// The first chunk is read before a checkpoint can drop the frozen
	// overlay: every entry is in the one or the other.
	chunk, more, err := b.readChunk(bucket, prefix, "")
	b.mu.RUnlock()
	for err == nil {
		var last string
		for _, kv := range chunk {
			for len(over) > 0 && over[0].key < kv.key {
				if err := emit(over[0], true, fn); err != nil {
					return stopIsNil(err)
				}
				over = over[1:]
			}
			own := len(over) > 0 && over[0].key == kv.key
			if own {
				kv, over = over[0], over[1:]
			}
			if err := emit(kv, own, fn); err != nil {
				return stopIsNil(err)
			}
			last = kv.key
		}
		if !more {
			break
		}
		chunk, more, err = b.readChunk(bucket, prefix, last)
	}
	if err != nil {
		return err
	}
	for _, kv := range over {
		if err := emit(kv, true, fn); err != nil {
			return stopIsNil(err)
		}
	}
	return nil
}

// emit calls fn with an entry that is not a tombstone, with a copy of
// its value if the overlay holds it (clone).
func emit(kv keyed, clone bool, fn func(key string, value []byte) error) error {
	switch {
	case kv.del:
		return nil
	case clone:
		return fn(kv.key, bytes.Clone(kv.value))
	}
	return fn(kv.key, kv.value)
}

// readChunk copies bbolt's entries of bucket beginning with prefix and
// after the key after ("": from the first), up to scanChunk bytes; more
// reports whether entries are left.
func (b *Bolt) readChunk(bucket, prefix, after string) (chunk []keyed, more bool, err error) {
	err = b.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket([]byte(bucket))
		if bk == nil {
			return nil
		}
		c, p := bk.Cursor(), []byte(prefix)
		k, v := c.Seek(p)
		if after != "" {
			if k, v = c.Seek([]byte(after)); string(k) == after {
				k, v = c.Next()
			}
		}
		size := 0
		for ; k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if size >= scanChunk {
				more = true
				return nil
			}
			chunk = append(chunk, keyed{key: string(k), entry: entry{value: bytes.Clone(v)}})
			size += len(k) + len(v)
		}
		return nil
	})
	return chunk, more, err
}
