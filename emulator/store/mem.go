package store

import (
	"sort"
	"strings"
	"sync"
)

// Mem is the in-memory Store: nothing survives Close.
type Mem struct {
	mu      sync.RWMutex
	buckets map[string]map[string][]byte
	closed  bool
}

// NewMem returns an empty in-memory store.
func NewMem() *Mem { return &Mem{buckets: map[string]map[string][]byte{}} }

// Apply implements Store.
func (m *Mem) Apply(ops ...Op) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for _, op := range ops {
		b := m.buckets[op.Bucket]
		if b == nil {
			b = map[string][]byte{}
			m.buckets[op.Bucket] = b
		}
		if op.Delete {
			delete(b, op.Key)
			continue
		}
		b[op.Key] = append([]byte(nil), op.Value...)
	}
	return nil
}

// Get implements Store.
func (m *Mem) Get(bucket, key string) ([]byte, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, false, ErrClosed
	}
	v, ok := m.buckets[bucket][key]
	return append([]byte(nil), v...), ok, nil
}

// Scan implements Store. It copies the matching entries first, so fn may
// call the store.
func (m *Mem) Scan(bucket, prefix string, fn func(key string, value []byte) error) error {
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	var keys []string
	for k := range m.buckets[bucket] {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	vals := make([][]byte, len(keys))
	for i, k := range keys {
		vals[i] = append([]byte(nil), m.buckets[bucket][k]...)
	}
	m.mu.RUnlock()
	for i, k := range keys {
		if err := fn(k, vals[i]); err != nil {
			return stopIsNil(err)
		}
	}
	return nil
}

// Close implements Store.
func (m *Mem) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

func stopIsNil(err error) error {
	if err == ErrStop {
		return nil
	}
	return err
}
