package store

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Format marks a stepwire state file: Open refuses a database without it
// or with another value, rather than reuse or reset someone else's file.
const Format = "stepwire-state/1"

const metaBucket = "_meta"

// Bolt is the durable Store: bbolt, with a write-ahead log in front of
// it (docs/durability.md §1, §2). A commit is one appended log record,
// synced by it or behind it (syncer.go); its writes are then served from
// memory (the overlay)
// until a checkpoint puts them in bbolt in one transaction with many
// others (checkpoint.go).
type Bolt struct {
	db    *bolt.DB
	path  string
	id    []byte // the state file's, in its log segments' headers
	group *group

	// seg is the segment commits append to, and failed the error of a log
	// write that failed, which every later commit returns: only the
	// group's writer touches them (and Open, Close).
	seg      *segment
	segLimit int64
	failed   error
	// syncer syncs the log in the background; nil with SyncCommit, where
	// each commit syncs its record (syncer.go).
	syncer *syncer
	// spare delivers the next segment, prepared in the background; nil
	// when none is being prepared (checkpoint.go). Writer only.
	spare chan *segment

	// mu guards active, the writes logged since the last rotation, and
	// frozen, those of the segments a checkpoint is putting in bbolt
	// (nil if none). A read takes active, then frozen, then bbolt.
	mu     sync.RWMutex
	active *overlay
	frozen *overlay
	// ckpt is closed when the running checkpoint ends, with ckptErr set;
	// nil if none ran. Writer only.
	ckpt    chan struct{}
	ckptErr error

	closeOnce sync.Once
	closeErr  error
}

// lockTimeout is how long Open waits for another process's lock on the
// file before it gives up.
const lockTimeout = time.Second

// segmentLimit is the largest log segment: the log size that starts a
// checkpoint, once the log has grown (checkpoint.go). It bounds the
// memory the overlays hold and the log a start reads.
const segmentLimit = 8 << 20

// firstSegmentLimit is the size of a start's first segment; each next one
// is twice as large, up to segmentLimit.
const firstSegmentLimit = 256 << 10

// Options are how the durable store runs.
type Options struct {
	// Sync is when a commit reaches the disk (syncer.go).
	Sync SyncMode

	segLimit int64                // segmentLimit, unless a test sets it
	syncFn   func(*os.File) error // fdatasync, unless a test sets it
}

// Open opens or creates the state file at path with the default options.
func Open(path string) (*Bolt, error) { return OpenWith(path, Options{}) }

// OpenWith opens or creates the state file at path, with its log segments
// (path.wal.N). A file that is not a bbolt database, or one that is but
// not stepwire's, or a segment of another state file, is an error naming
// the file; nothing is ever reset.
func OpenWith(path string, o Options) (*Bolt, error) {
	limit := o.segLimit
	if limit == 0 {
		limit = segmentLimit
	}
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
	id, err := checkFormat(db, fresh)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w; move it away or start with --in-memory", path, err)
	}
	if db, err = compactIfWorth(db, path, opts); err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	b := &Bolt{db: db, path: path, id: id, segLimit: limit, active: newOverlay()}
	if err := b.recover(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w; move it away or start with --in-memory", path, err)
	}
	if o.Sync == SyncBackground {
		fn := o.syncFn
		if fn == nil {
			fn = fdatasync
		}
		b.syncer = newSyncer(b.seg.f, fn)
	}
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

// checkFormat stamps a fresh file and checks an old one's stamp. It
// returns the file's id, which it gives a file made before ids were.
func checkFormat(db *bolt.DB, fresh bool) (id []byte, err error) {
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(metaBucket))
		if fresh {
			if b, err = tx.CreateBucketIfNotExists([]byte(metaBucket)); err != nil {
				return err
			}
			if err := b.Put([]byte("format"), []byte(Format)); err != nil {
				return err
			}
		}
		if b == nil {
			return errors.New("not a stepwire state file (no format stamp)")
		}
		if f := b.Get([]byte("format")); !bytes.Equal(f, []byte(Format)) {
			return fmt.Errorf("state file format %q, want %q", f, Format)
		}
		if id = bytes.Clone(b.Get([]byte("id"))); len(id) == 16 {
			return nil
		}
		id = make([]byte, 16)
		if _, err := rand.Read(id); err != nil {
			return err
		}
		return b.Put([]byte("id"), id)
	})
	return id, err
}

// Path is the state file's path.
func (b *Bolt) Path() string { return b.path }

// Apply implements Store: the batch is committed with the others queued
// meanwhile, and in the log (synced, with SyncCommit) when Apply returns.
func (b *Bolt) Apply(ops ...Op) error { return b.group.apply(ops) }

// commit appends ops to the log as one record, and once that is logged
// (written, or synced: syncer.go) serves them from the overlay. It runs
// on the group's writer only.
func (b *Bolt) commit(ops []Op) error {
	if b.failed != nil {
		return b.failed
	}
	rec := appendRecord(nil, ops)
	if err := b.log(rec); err != nil {
		// What the failed write left in the file is unknown, and so is
		// whether a later sync would report it: refuse every later commit.
		b.failed = fmt.Errorf("store %s: log write or sync failed, later writes refused: %w", b.path, err)
		return b.failed
	}
	kept := keptIn(rec[recHeadSize:], ops)
	b.mu.Lock()
	b.active.apply(kept)
	b.mu.Unlock()
	if b.seg.size >= b.seg.limit {
		b.rotate()
	}
	b.prepareSpare()
	return nil
}

// log appends rec to the current segment and syncs it, or has the syncer
// sync it.
func (b *Bolt) log(rec []byte) error {
	if err := b.seg.write(rec); err != nil {
		return err
	}
	if b.syncer == nil {
		return fdatasync(b.seg.f)
	}
	return b.syncer.wrote(len(rec))
}

// Get implements Store.
func (b *Bolt) Get(bucket, key string) (v []byte, ok bool, err error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, o := range []*overlay{b.active, b.frozen} {
		if e, ok := o.get(bucket, key); ok {
			if e.del {
				return nil, false, nil
			}
			return bytes.Clone(e.value), true, nil
		}
	}
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

// Size is the state file's size in bytes, its log segments not counted.
func (b *Bolt) Size() (int64, error) {
	var n int64
	err := b.db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n, err
}

// Close commits what is queued, puts every logged write in bbolt,
// removes the log and closes the file.
func (b *Bolt) Close() error {
	b.closeOnce.Do(func() {
		b.group.stop()
		var err error
		if b.syncer != nil {
			err = b.syncer.close()
		}
		err = errors.Join(err, b.waitCheckpoint())
		last := b.seg.seq
		if spare := b.takeSpare(); spare != nil {
			spare.f.Close()
			last = spare.seq
		}
		if err == nil {
			b.seg.f.Close()
			b.freeze()
			err = b.checkpoint(last + 1)
		}
		b.closeErr = errors.Join(err, b.db.Close())
	})
	return b.closeErr
}
