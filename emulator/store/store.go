// Package store keeps the emulator's state: a small key-value interface
// of named buckets, an in-memory implementation for tests and the
// conformance runner, and a durable one on an embedded database for
// `stepwire up` (docs/durability.md): bbolt behind a write-ahead log.
// Writes from concurrent callers are grouped into one log record (group.go,
// wal.go): a caller returns from Apply once its write is in the log, where
// a crash of the process cannot take it back, and, with SyncCommit, synced
// to disk (syncer.go).
package store

import (
	"errors"
)

// Op is one write of a batch: a put, or a delete when Delete is set.
type Op struct {
	Bucket, Key string
	Value       []byte
	Delete      bool
}

// Put is a put Op.
func Put(bucket, key string, value []byte) Op { return Op{Bucket: bucket, Key: key, Value: value} }

// Del is a delete Op.
func Del(bucket, key string) Op { return Op{Bucket: bucket, Key: key, Delete: true} }

// Store is a key-value store of buckets. Keys within a bucket are ordered
// bytewise. Apply writes a batch atomically; on a durable store it returns
// once the batch survives a crash of the process (and of the machine, as
// its SyncMode says). Values passed to Apply or returned by
// Get and Scan are not retained or shared by the store.
type Store interface {
	Apply(ops ...Op) error
	Get(bucket, key string) ([]byte, bool, error)
	// Scan calls fn for each key of bucket beginning with prefix, in key
	// order, until fn returns an error (returned, except ErrStop).
	Scan(bucket, prefix string, fn func(key string, value []byte) error) error
	Close() error
}

// ErrStop ends a Scan early without an error.
var ErrStop = errors.New("store: stop scan")

// ErrClosed is returned by a closed store.
var ErrClosed = errors.New("store: closed")
