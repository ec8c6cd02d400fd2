package store

import (
	"bytes"
	"fmt"
	"sync"
)

// Snapshot keeps one encoded value, a service's state written whole,
// under one key; Save writes it only when it changed.
type Snapshot struct {
	st          Store
	bucket, key string
	mu          sync.Mutex // orders saves; last is the value on disk
	last        []byte
}

// NewSnapshot keeps a value in bucket/key of st.
func NewSnapshot(st Store, bucket, key string) *Snapshot {
	return &Snapshot{st: st, bucket: bucket, key: key}
}

// Load returns the value on disk, if any.
func (s *Snapshot) Load() ([]byte, bool, error) {
	b, ok, err := s.st.Get(s.bucket, s.key)
	if err != nil {
		return nil, false, fmt.Errorf("load %s/%s: %w", s.bucket, s.key, err)
	}
	s.mu.Lock()
	s.last = b
	s.mu.Unlock()
	return b, ok, nil
}

// Save writes b unless it is the value on disk. encode is called under
// the snapshot's lock, so that concurrent saves write in the order their
// values were taken.
func (s *Snapshot) Save(encode func() ([]byte, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := encode()
	if err != nil {
		return fmt.Errorf("save %s/%s: %w", s.bucket, s.key, err)
	}
	if bytes.Equal(b, s.last) {
		return nil
	}
	if err := s.st.Apply(Put(s.bucket, s.key, b)); err != nil {
		return fmt.Errorf("save %s/%s: %w", s.bucket, s.key, err)
	}
	s.last = b
	return nil
}
