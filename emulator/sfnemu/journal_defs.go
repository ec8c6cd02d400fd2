package sfnemu

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/stepwire/stepwire/emulator/store"
)

// Definitions in the journal (docs/durability.md §6): a start record names
// its revision's definition by key, v/<the first 16 bytes of its
// SHA-256, in hex>, and the definition itself is journaled once a run, in
// the batch of the first start record that names it, rather than in every
// start and closed record. A start keeps the definitions its restored
// executions name and deletes the others.

const defPrefix = "v/"

// maxDefKeys bounds the definitions a run remembers it journaled; past it
// they are forgotten, and each is journaled again when next named.
const maxDefKeys = 4096

// defKeys are the definitions journaled in this run, by their text.
type defKeys struct {
	mu   sync.Mutex
	kept map[string]string // definition → key
}

func defKey(def string) string {
	sum := sha256.Sum256([]byte(def))
	return defPrefix + hex.EncodeToString(sum[:16])
}

// journalDef returns def's key, and queues def's record unless this run
// journaled it already.
func (s *Service) journalDef(def string) string {
	s.defs.mu.Lock()
	defer s.defs.mu.Unlock() // held until queued: no start record naming it goes first
	if key, ok := s.defs.kept[def]; ok {
		return key
	}
	key := defKey(def)
	if s.defs.kept == nil || len(s.defs.kept) >= maxDefKeys {
		s.defs.kept = map[string]string{}
	}
	s.defs.kept[def] = key
	s.journal.add(store.Put(journalBucket, key, []byte(def)))
	return key
}

// journaledDefs are the definitions a start found, by key, and those its
// restored executions named.
type journaledDefs struct {
	byKey map[string]string
	used  map[string]bool
}

// loadDefs reads the journaled definitions.
func (s *Service) loadDefs() (*journaledDefs, error) {
	d := &journaledDefs{byKey: map[string]string{}, used: map[string]bool{}}
	err := s.cfg.Store.Scan(journalBucket, defPrefix, func(key string, v []byte) error {
		d.byKey[key] = string(v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore executions: definitions: %w", err)
	}
	return d, nil
}

// resolve returns r with the definition its start record names, and
// notes it used. A definition not found leaves Rev's empty: the
// execution then fails to rebuild and is dropped with a warning.
func (d *journaledDefs) resolve(r doneRecord) doneRecord {
	if key := r.Start.DefKey; key != "" {
		r.Start.Rev.Definition = d.byKey[key]
		d.used[key] = true
	}
	return r
}

// keepDefs remembers the definitions restored executions named as
// journaled, and deletes the others.
func (s *Service) keepDefs(d *journaledDefs) {
	s.defs.mu.Lock()
	defer s.defs.mu.Unlock()
	s.defs.kept = map[string]string{}
	var drop []store.Op
	for key, def := range d.byKey {
		if !d.used[key] {
			drop = append(drop, store.Del(journalBucket, key))
			continue
		}
		if len(s.defs.kept) < maxDefKeys {
			s.defs.kept[def] = key
		}
	}
	s.journal.add(drop...)
}
