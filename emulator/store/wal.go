package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The write-ahead log (docs/durability.md §2): a commit appends one
// record, its batches' operations, to the current segment file and
// fdatasyncs it — one sync a commit, where a bbolt commit takes two.
// bbolt takes the records later, many commits in one transaction
// (checkpoint.go). A segment is <state file>.wal.<seq>: a header naming
// the state file it belongs to, then records, each
//
//	magic "SWR1" | payload length (uint32) | CRC-32C of payload | payload
//
// and a payload is a count, then each operation: a kind byte (put,
// delete), then bucket, key and (for a put) value, each a uvarint length
// and its bytes.

const (
	walHeaderMagic = "stepwire-wal/1\n\x00"
	walHeaderSize  = len(walHeaderMagic) + 16 + 8 // magic, state file id, sequence
	recMagic       = "SWR1"
	recHeadSize    = 12
	// maxRecord bounds a record's payload; a length past it is corrupt.
	maxRecord = 1 << 30
)

const (
	opPut byte = 1
	opDel byte = 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// segmentName is the file of segment seq of the state file at path.
func segmentName(path string, seq uint64) string {
	return fmt.Sprintf("%s.wal.%08d", path, seq)
}

// segmentSeqs lists the sequence numbers of path's segments, in order.
func segmentSeqs(path string) ([]uint64, error) {
	names, err := filepath.Glob(path + ".wal.*")
	if err != nil {
		return nil, err
	}
	var seqs []uint64
	for _, n := range names {
		seq, err := strconv.ParseUint(strings.TrimPrefix(n, path+".wal."), 10, 64)
		if err != nil {
			continue // not a segment of ours (say, an editor's backup)
		}
		seqs = append(seqs, seq)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	return seqs, nil
}

// recordSize bounds the size of ops' record.
func recordSize(ops []Op) int {
	n := recHeadSize + binary.MaxVarintLen64
	for _, op := range ops {
		n += 1 + 3*binary.MaxVarintLen32 + len(op.Bucket) + len(op.Key) + len(op.Value)
	}
	return n
}

// appendRecord appends ops as one record to buf.
func appendRecord(buf []byte, ops []Op) []byte {
	buf = slices.Grow(buf, recordSize(ops))
	start := len(buf)
	buf = append(buf, recMagic...)
	buf = append(buf, make([]byte, 8)...) // length and CRC, set below
	buf = binary.AppendUvarint(buf, uint64(len(ops)))
	for _, op := range ops {
		kind := opPut
		if op.Delete {
			kind = opDel
		}
		buf = append(buf, kind)
		buf = appendBytes(buf, op.Bucket)
		buf = appendBytes(buf, op.Key)
		if !op.Delete {
			buf = appendBytes(buf, string(op.Value))
		}
	}
	payload := buf[start+recHeadSize:]
	binary.LittleEndian.PutUint32(buf[start+4:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(buf[start+8:], crc32.Checksum(payload, castagnoli))
	return buf
}

// keptIn returns ops with each value a slice of payload, their record's,
// for the overlay to keep: a record is not changed once written, and
// sharing it saves a copy of every value.
func keptIn(payload []byte, ops []Op) []Op {
	_, k := binary.Uvarint(payload)
	p := payload[k:]
	kept := make([]Op, len(ops))
	for i, op := range ops {
		kept[i] = op
		_, p, _ = takeBytes(p[1:]) // the kind, then the bucket
		_, p, _ = takeBytes(p)     // the key
		if !op.Delete {
			var v []byte
			v, p, _ = takeBytes(p)
			kept[i].Value = v[:len(v):len(v)]
		}
	}
	return kept
}

func appendBytes(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// decodeRecord decodes a payload into ops whose values share payload.
func decodeRecord(payload []byte) ([]Op, error) {
	n, k := binary.Uvarint(payload)
	if k <= 0 || n > uint64(len(payload)) {
		return nil, errors.New("bad operation count")
	}
	payload = payload[k:]
	ops := make([]Op, 0, n)
	for range n {
		if len(payload) == 0 {
			return nil, errors.New("truncated operation")
		}
		kind := payload[0]
		payload = payload[1:]
		var bucket, key, value []byte
		var err error
		if bucket, payload, err = takeBytes(payload); err != nil {
			return nil, err
		}
		if key, payload, err = takeBytes(payload); err != nil {
			return nil, err
		}
		switch kind {
		case opPut:
			if value, payload, err = takeBytes(payload); err != nil {
				return nil, err
			}
			ops = append(ops, Op{Bucket: string(bucket), Key: string(key), Value: value})
		case opDel:
			ops = append(ops, Op{Bucket: string(bucket), Key: string(key), Delete: true})
		default:
			return nil, fmt.Errorf("unknown operation kind %d", kind)
		}
	}
	if len(payload) != 0 {
		return nil, errors.New("trailing bytes")
	}
	return ops, nil
}

func takeBytes(b []byte) (v, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, errors.New("truncated field")
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

// walHeader is a segment's header.
func walHeader(id []byte, seq uint64) []byte {
	h := make([]byte, 0, walHeaderSize)
	h = append(h, walHeaderMagic...)
	h = append(h, id...)
	return binary.LittleEndian.AppendUint64(h, seq)
}

// errTornHeader is a segment whose header is incomplete: the crash came
// while it was being created.
var errTornHeader = errors.New("incomplete header")

// readSegment returns the operations of a segment's records, in order,
// checking that it belongs to the state file id and is segment seq. A
// bad record with no good record after it is a torn tail, the end of a
// write a crash cut short (never acknowledged): the records before it are
// returned with the offset where the good ones end; so is a gap of
// zeros (unwritten). Any other bad record followed by a good one is
// corruption, an error. Zeros after the records are the
// unused rest of a preallocated segment: end is then the file's size.
func readSegment(name string, id []byte, seq uint64) (ops [][]Op, end int64, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, 0, err
	}
	if len(data) < walHeaderSize || !bytes.Equal(data[:len(walHeaderMagic)], []byte(walHeaderMagic)) {
		if len(data) < walHeaderSize && bytes.HasPrefix([]byte(walHeaderMagic), data[:min(len(data), len(walHeaderMagic))]) {
			return nil, 0, errTornHeader
		}
		return nil, 0, fmt.Errorf("%s: not a stepwire log segment", name)
	}
	if got := data[len(walHeaderMagic) : len(walHeaderMagic)+16]; !bytes.Equal(got, id) {
		return nil, 0, fmt.Errorf("%s: log segment of another state file", name)
	}
	if got := binary.LittleEndian.Uint64(data[walHeaderSize-8:]); got != seq {
		return nil, 0, fmt.Errorf("%s: log segment %d under the name of %d", name, got, seq)
	}
	off := walHeaderSize
	for off < len(data) {
		batch, n, ok := parseRecord(data[off:])
		if !ok && allZero(data[off:]) {
			return ops, int64(len(data)), nil // the rest of a preallocated segment
		}
		if !ok {
			if next := findRecord(data[off+1:]); next >= 0 && !unwritten(data[off:]) {
				return nil, 0, fmt.Errorf("%s: corrupt record at offset %d, with records after it", name, off)
			}
			break
		}
		ops = append(ops, batch)
		off += n
	}
	return ops, int64(off), nil
}

// unwritten reports whether b starts where nothing reached the disk: a
// record header's worth of zeros. With SyncBackground, a crash of the
// machine may keep some of the writes no sync covered yet and lose
// others (syncer.go): a gap of zeros with records after it is then the
// end of what the log holds, as a torn tail is; none of it had been
// synced. Anything else before an intact record is corruption.
func unwritten(b []byte) bool { return allZero(b[:min(len(b), recHeadSize)]) }

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// parseRecord parses the record at the start of b: its operations and
// length, or ok false if b does not start with a whole, intact record.
func parseRecord(b []byte) (ops []Op, n int, ok bool) {
	if len(b) < recHeadSize || string(b[:4]) != recMagic {
		return nil, 0, false
	}
	size := binary.LittleEndian.Uint32(b[4:])
	if size > maxRecord || int(size) > len(b)-recHeadSize {
		return nil, 0, false
	}
	payload := b[recHeadSize : recHeadSize+int(size)]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(b[8:]) {
		return nil, 0, false
	}
	ops, err := decodeRecord(payload)
	if err != nil {
		return nil, 0, false
	}
	return ops, recHeadSize + int(size), true
}

// findRecord returns the offset of the first intact record in b, or -1.
func findRecord(b []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(recMagic))
		if i < 0 {
			return -1
		}
		if _, _, ok := parseRecord(b[off+i:]); ok {
			return off + i
		}
		off += i + 1
	}
}

// segment is the log segment commits append to.
type segment struct {
	f   *os.File
	seq uint64
	// size is where the next record goes: the end of the records, which
	// in a preallocated segment is not the end of the file.
	size int64
	// limit is the size at which the next segment takes over.
	limit int64
}

// createSegment creates segment seq of path for the state file id and
// makes its name durable. With prealloc, the file is first written with
// zeros to that size, so that a record written into it later changes no
// file metadata and its fdatasync writes the data alone.
func createSegment(path string, id []byte, seq uint64, prealloc int64) (*segment, error) {
	name := segmentName(path, seq)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	seg, err := writeHeader(f, walHeader(id, seq), prealloc)
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		f.Close()
		os.Remove(name)
		return nil, err
	}
	seg.seq = seq
	return seg, nil
}

// writeHeader writes h and the zeros up to prealloc to f, syncs it, and
// leaves f's offset after h.
func writeHeader(f *os.File, h []byte, prealloc int64) (*segment, error) {
	if _, err := f.Write(h); err != nil {
		return nil, err
	}
	zeros := make([]byte, 1<<20)
	for left := prealloc - int64(len(h)); left > 0; left -= int64(len(zeros)) {
		if _, err := f.Write(zeros[:min(left, int64(len(zeros)))]); err != nil {
			return nil, err
		}
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	if _, err := f.Seek(int64(len(h)), io.SeekStart); err != nil {
		return nil, err
	}
	return &segment{f: f, size: int64(len(h))}, nil
}

// write appends rec; the caller syncs it.
func (s *segment) write(rec []byte) error {
	if _, err := s.f.Write(rec); err != nil {
		return err
	}
	s.size += int64(len(rec))
	return nil
}
