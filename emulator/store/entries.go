package store

import (
	"bytes"
	"fmt"
	"maps"
	"sync"
)

// Entries keeps a service's state as one key per entity in a bucket: Save
// takes the whole state, encoded entity by entity, and writes in one
// batch only the entities that changed, and deletes the ones gone. A
// service adds a field to an entity without touching the store.
type Entries struct {
	st     Store
	bucket string
	mu     sync.Mutex // orders saves; last is what is on disk
	last   map[string][]byte
}

// NewEntries keeps entities in bucket of st.
func NewEntries(st Store, bucket string) *Entries {
	return &Entries{st: st, bucket: bucket, last: map[string][]byte{}}
}

// Load returns the entities on disk, by key.
func (e *Entries) Load() (map[string][]byte, error) {
	all := map[string][]byte{}
	err := e.st.Scan(e.bucket, "", func(k string, v []byte) error {
		all[k] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", e.bucket, err)
	}
	e.mu.Lock()
	e.last = maps.Clone(all)
	e.mu.Unlock()
	return all, nil
}

// Save writes the entities encode returns that differ from those on
// disk and deletes those it no longer returns. encode is called under the
// lock, so concurrent saves write in the order their states were taken.
func (e *Entries) Save(encode func() (map[string][]byte, error)) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	now, err := encode()
	if err != nil {
		return fmt.Errorf("save %s: %w", e.bucket, err)
	}
	var ops []Op
	for k, v := range now {
		if old, ok := e.last[k]; !ok || !bytes.Equal(old, v) {
			ops = append(ops, Put(e.bucket, k, v))
		}
	}
	for k := range e.last {
		if _, ok := now[k]; !ok {
			ops = append(ops, Del(e.bucket, k))
		}
	}
	if len(ops) == 0 {
		return nil
	}
	if err := e.st.Apply(ops...); err != nil {
		return fmt.Errorf("save %s: %w", e.bucket, err)
	}
	e.last = now
	return nil
}
