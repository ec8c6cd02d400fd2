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
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return format(&b)
}

// From returns a version-4 UUID drawn from r, so that a caller that injects
// a deterministic reader gets reproducible ids. A short read leaves the
// missing bytes zero; the version and variant bits are set regardless.
func From(r io.Reader) string {
	var b [16]byte
	_, _ = io.ReadFull(r, b[:])
	return format(&b)
}

// format sets b's version and variant bits and writes it in the 8-4-4-4-12
// form, with one allocation (the string).
func format(b *[16]byte) string {
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}
