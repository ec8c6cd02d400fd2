package store

import (
	"sort"
	"strings"
)

// overlay holds the writes committed to the log and not yet to bbolt
// (docs/durability.md §2): per bucket, each key's last value, or a
// tombstone for a delete. A put and a later delete of the same key, as
// an execution's steps when it closes, leave one tombstone, so most
// short-lived records never reach bbolt.
type overlay struct {
	buckets map[string]map[string]entry
	ops     int // operations applied, tombstones and overwrites included
}

type entry struct {
	value []byte
	del   bool
}

func newOverlay() *overlay { return &overlay{buckets: map[string]map[string]entry{}} }

// apply records ops, in order. Values are kept as they are: the caller
// hands over bytes nobody changes.
func (o *overlay) apply(ops []Op) {
	for _, op := range ops {
		b := o.buckets[op.Bucket]
		if b == nil {
			b = map[string]entry{}
			o.buckets[op.Bucket] = b
		}
		b[op.Key] = entry{value: op.Value, del: op.Delete}
	}
	o.ops += len(ops)
}

// get returns key's entry, if the overlay has one.
func (o *overlay) get(bucket, key string) (entry, bool) {
	if o == nil {
		return entry{}, false
	}
	e, ok := o.buckets[bucket][key]
	return e, ok
}

// empty reports whether the overlay holds nothing.
func (o *overlay) empty() bool { return o == nil || len(o.buckets) == 0 }

// keyed is one entry of a scan, with its key.
type keyed struct {
	key string
	entry
}

// scanOverlays returns the entries of bucket whose key begins with prefix, in key
// order, those of newer taking precedence over older's.
func scanOverlays(bucket, prefix string, newer, older *overlay) []keyed {
	var out []keyed
	for _, o := range []*overlay{newer, older} {
		if o == nil {
			continue
		}
		for k, e := range o.buckets[bucket] {
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			if _, shadowed := newer.get(bucket, k); o == older && shadowed {
				continue
			}
			out = append(out, keyed{k, e})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// sortedOps returns the overlay as operations, by bucket and key: the
// order bbolt inserts fastest.
func (o *overlay) sortedOps() []Op {
	names := make([]string, 0, len(o.buckets))
	for name := range o.buckets {
		names = append(names, name)
	}
	sort.Strings(names)
	var ops []Op
	for _, name := range names {
		for _, kv := range scanOverlays(name, "", o, nil) {
			ops = append(ops, Op{Bucket: name, Key: kv.key, Value: kv.value, Delete: kv.del})
		}
	}
	return ops
}
