package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Checkpoints (docs/durability.md §2): once the current log segment
// passes its limit, the writer starts a new one and freezes the overlay;
// a goroutine writes the frozen overlay to bbolt in one transaction
// (bbolt's own two fsyncs), then deletes the segments it covered. Until
// then reads still find those writes in the frozen overlay, and a crash
// leaves the segments, which the next Open reads again: a put or delete
// applied twice, in log order, gives the same state.

// freeze makes the active overlay the frozen one. No checkpoint runs.
func (b *Bolt) freeze() {
	b.mu.Lock()
	b.frozen, b.active = b.active, newOverlay()
	b.mu.Unlock()
}

// rotate starts a new segment and checkpoints the previous ones, unless
// a checkpoint is still running (the segment then grows until it ends).
// Writer only.
func (b *Bolt) rotate() {
	if b.ckpt != nil {
		select {
		case <-b.ckpt:
		default:
			return
		}
		if b.ckptErr != nil {
			b.failed = b.ckptErr // the log keeps everything; refuse to grow it unbounded
			return
		}
	}
	seg := b.takeSpare()
	if seg == nil {
		var err error
		if seg, err = createSegment(b.path, b.id, b.seg.seq+1, 0); err != nil {
			return // the current segment goes on; the next commit tries again
		}
		seg.limit = b.nextLimit()
	}
	if b.syncer != nil {
		// The previous segment is on disk before a record follows in the
		// next one: only the last segment holding records may lose any.
		if err := b.syncer.flush(); err != nil {
			seg.f.Close()
			os.Remove(segmentName(b.path, seg.seq))
			b.failed = fmt.Errorf("store %s: log sync failed, later writes refused: %w", b.path, err)
			return
		}
		b.syncer.switchTo(seg.f)
	}
	b.seg.f.Close()
	b.seg = seg
	b.freeze()
	b.startCheckpoint(seg.seq)
}

// nextLimit is the size of the segment after the current one: twice
// its size, up to segLimit. A start's first segment is small, so that a
// log that stays small (a test, an idle emulator) never prepares one.
func (b *Bolt) nextLimit() int64 { return min(2*b.seg.limit, b.segLimit) }

// prepareSpare starts preparing the segment after the current one, once
// the current one is a quarter full, unless it is under way: created and
// preallocated to its limit in the background. Writer only.
func (b *Bolt) prepareSpare() {
	if b.spare != nil || b.seg.size < b.seg.limit/4 {
		return
	}
	ch := make(chan *segment, 1)
	b.spare = ch
	seq, limit := b.seg.seq+1, b.nextLimit()
	go func() {
		seg, err := createSegment(b.path, b.id, seq, limit)
		if err != nil {
			seg = nil // rotate creates one as it goes
		} else {
			seg.limit = limit
		}
		ch <- seg
	}()
}

// takeSpare returns the prepared segment, waiting for it if it is under
// way, or nil if none was prepared or preparing it failed. Writer only.
func (b *Bolt) takeSpare() *segment {
	if b.spare == nil {
		return nil
	}
	seg := <-b.spare
	b.spare = nil
	return seg
}

// startCheckpoint checkpoints the frozen overlay in the background, and
// then deletes the segments before seq.
func (b *Bolt) startCheckpoint(seq uint64) {
	done := make(chan struct{})
	b.ckpt = done
	go func() {
		defer close(done)
		if err := b.checkpoint(seq); err != nil {
			b.ckptErr = fmt.Errorf("store %s: checkpoint: %w", b.path, err)
		}
	}()
}

// waitCheckpoint waits for the running checkpoint, if any, and returns
// its error. Writer only (or once the writer has stopped).
func (b *Bolt) waitCheckpoint() error {
	if b.ckpt == nil {
		return nil
	}
	<-b.ckpt
	return b.ckptErr
}

// checkpoint writes the frozen overlay to bbolt, deletes the segments
// before seq and drops the frozen overlay.
func (b *Bolt) checkpoint(seq uint64) error {
	b.mu.RLock()
	frozen := b.frozen
	b.mu.RUnlock()
	if !frozen.empty() {
		ops := frozen.sortedOps()
		if err := b.db.Update(func(tx *bolt.Tx) error { return writeOps(tx, ops) }); err != nil {
			return err
		}
	}
	if err := removeSegments(b.path, seq); err != nil {
		return err
	}
	b.mu.Lock()
	b.frozen = nil
	b.mu.Unlock()
	return nil
}

// writeOps applies ops in tx.
func writeOps(tx *bolt.Tx, ops []Op) error {
	var bk *bolt.Bucket
	for i, op := range ops {
		if i == 0 || op.Bucket != ops[i-1].Bucket {
			var err error
			if bk, err = tx.CreateBucketIfNotExists([]byte(op.Bucket)); err != nil {
				return err
			}
		}
		var err error
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
}

// removeSegments deletes path's segments before seq, durably.
func removeSegments(path string, seq uint64) error {
	seqs, err := segmentSeqs(path)
	if err != nil {
		return err
	}
	removed := false
	for _, s := range seqs {
		if s < seq {
			if err := os.Remove(segmentName(path, s)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			removed = true
		}
	}
	if !removed {
		return nil
	}
	return syncDir(filepath.Dir(path))
}

// recover reads the log segments a previous run left, oldest first, into
// the frozen overlay, opens a new segment after them and checkpoints them
// in the background. Called by open, before the writer starts.
func (b *Bolt) recover() error {
	seqs, err := segmentSeqs(b.path)
	if err != nil {
		return err
	}
	segs, err := readSegments(b.path, b.id, seqs)
	if err != nil {
		return err
	}
	frozen := newOverlay()
	for _, sg := range segs {
		for _, ops := range sg.batches {
			frozen.apply(ops)
		}
	}
	next := uint64(1)
	if len(seqs) > 0 {
		next = seqs[len(seqs)-1] + 1
	}
	if b.seg, err = createSegment(b.path, b.id, next, 0); err != nil {
		return err
	}
	b.seg.limit = min(firstSegmentLimit, b.segLimit)
	if len(seqs) > 0 {
		b.frozen = frozen
		b.startCheckpoint(next)
	}
	return nil
}

// readSeg is what a start read of one segment.
type readSeg struct {
	name    string
	batches [][]Op
	end     int64 // where its intact records end
	size    int64
}

// holds reports whether the segment has anything past its header: a
// record, or the torn start of one.
func (r readSeg) holds() bool { return len(r.batches) > 0 || r.end < r.size }

// readSegments reads the segments seqs of path. Only the last one holding
// anything may end in a torn record, which a crash cut short: it is cut
// off. Segments after it hold nothing (prepared ahead of use) and a last
// one whose header is incomplete (the crash came as it was created) is
// removed.
func readSegments(path string, id []byte, seqs []uint64) ([]readSeg, error) {
	var segs []readSeg
	for i, seq := range seqs {
		name := segmentName(path, seq)
		batches, end, err := readSegment(name, id, seq)
		switch {
		case errors.Is(err, errTornHeader) && i == len(seqs)-1:
			if err := os.Remove(name); err != nil {
				return nil, err
			}
			continue
		case errors.Is(err, errTornHeader):
			return nil, fmt.Errorf("%s: incomplete header, and segments after it", name)
		case err != nil:
			return nil, err
		}
		fi, err := os.Stat(name)
		if err != nil {
			return nil, err
		}
		segs = append(segs, readSeg{name: name, batches: batches, end: end, size: fi.Size()})
	}
	live := -1
	for i, sg := range segs {
		if sg.holds() {
			live = i
		}
	}
	for i, sg := range segs {
		if sg.end == sg.size {
			continue
		}
		if i != live {
			return nil, fmt.Errorf("%s: incomplete record at offset %d, and records after it", sg.name, sg.end)
		}
		if err := cutTornTail(sg.name, sg.end); err != nil {
			return nil, err
		}
	}
	return segs, nil
}

// cutTornTail truncates segment name to end, where its intact records
// end.
func cutTornTail(name string, end int64) error {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(end); err != nil {
		return err
	}
	return f.Sync()
}
