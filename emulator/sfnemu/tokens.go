package sfnemu

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	mathrand "math/rand/v2"
	"sync"
)

// Task tokens are self-describing and authenticated, so the service can
// tell garbage (InvalidToken) from a token it once issued (TaskTimedOut,
// TaskDoesNotExist) without a global table:
//
//	version(1) | instance(8) | execution id(8) | sequence(4) | padding(471) | HMAC-SHA256(32)
//
// encoded with standard base64 (so '+', '/' and '=' appear, as in real
// tokens), 700 characters, about the length AWS issues. The padding is a
// keyed stream of the fields before it, so a token is a function of the
// key and those fields: replay mints an execution's tokens again from
// their sequence numbers, and the journal keeps the numbers, not 700
// characters each (journal_tokens.go).
const (
	tokenVersion  = 1
	tokenRawLen   = 524 // 700 base64 characters, one '=' of padding
	tokenMACLen   = sha256.Size
	tokenTotalLen = 700
)

// tokenRef is what a token names: the service instance that minted it, the
// execution, and a per-execution sequence number.
type tokenRef struct {
	instance [8]byte
	exec     uint64
	seq      uint32
}

// tokenCodec mints and checks task tokens.
type tokenCodec struct {
	key      []byte
	instance [8]byte
	macs     sync.Pool // hash.Hash: HMACs keyed with key, reset after use
}

func newTokenCodec(key []byte) *tokenCodec {
	c := &tokenCodec{key: key}
	if len(c.key) == 0 {
		c.key = make([]byte, 32)
		_, _ = rand.Read(c.key)
	}
	_, _ = rand.Read(c.instance[:])
	return c
}

// tokenFieldsLen is the length of a token's fields before its padding.
const tokenFieldsLen = 21

// mint returns the token of the given execution and sequence number.
func (c *tokenCodec) mint(exec uint64, seq uint32) string {
	raw := make([]byte, tokenRawLen)
	raw[0] = tokenVersion
	copy(raw[1:9], c.instance[:])
	binary.BigEndian.PutUint64(raw[9:17], exec)
	binary.BigEndian.PutUint32(raw[17:tokenFieldsLen], seq)
	// The padding's seed is the HMAC of the fields, a message of another
	// length than the one the token's own HMAC covers.
	pad := mathrand.NewChaCha8([32]byte(c.mac(raw[:tokenFieldsLen])))
	_, _ = pad.Read(raw[tokenFieldsLen : tokenRawLen-tokenMACLen])
	copy(raw[tokenRawLen-tokenMACLen:], c.mac(raw[:tokenRawLen-tokenMACLen]))
	return base64.StdEncoding.EncodeToString(raw)
}

// parse authenticates a token. It fails with ErrInvalidToken for anything
// this codec did not mint.
func (c *tokenCodec) parse(token string) (tokenRef, error) {
	if len(token) != tokenTotalLen {
		return tokenRef{}, fail(ErrInvalidToken, "Invalid token")
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil || len(raw) != tokenRawLen || raw[0] != tokenVersion {
		return tokenRef{}, fail(ErrInvalidToken, "Invalid token")
	}
	body, sum := raw[:tokenRawLen-tokenMACLen], raw[tokenRawLen-tokenMACLen:]
	if !hmac.Equal(sum, c.mac(body)) {
		return tokenRef{}, fail(ErrInvalidToken, "Invalid token")
	}
	var ref tokenRef
	copy(ref.instance[:], raw[1:9])
	ref.exec = binary.BigEndian.Uint64(raw[9:17])
	ref.seq = binary.BigEndian.Uint32(raw[17:21])
	return ref, nil
}

// current reports whether ref was minted by this service instance (tokens
// from an earlier run with the same key decode but name no live task).
func (c *tokenCodec) current(ref tokenRef) bool { return ref.instance == c.instance }

// mac is the HMAC-SHA256 of b. A pooled HMAC starts from its keyed state
// (Reset), instead of hashing the key's pads again as hmac.New does.
func (c *tokenCodec) mac(b []byte) []byte {
	h, ok := c.macs.Get().(hash.Hash)
	if !ok {
		h = hmac.New(sha256.New, c.key)
	}
	h.Write(b)
	sum := h.Sum(nil)
	h.Reset()
	c.macs.Put(h)
	return sum
}
