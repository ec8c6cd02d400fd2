// Package uuid makes the version-4 (random) UUIDs that AWS uses for
// request ids, execution names, revision ids and States.UUID(). It is
// stepwire's one UUID generator.
package uuid

import (
	"crypto/rand"
	"encoding/hex"
	"io"
)

// New returns a version-4 UUID drawn from crypto/rand.
func New() string {
	return From(rand.Reader)
}

// From returns a version-4 UUID drawn from r, so that a caller that injects
// a deterministic reader gets reproducible ids. A short read leaves the
// missing bytes zero; the version and variant bits are set regardless.
func From(r io.Reader) string {
	var b [16]byte
	_, _ = io.ReadFull(r, b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
