package pattern

import (
	"bytes"
	"strconv"
	"strings"
)

// ipRange is a compiled cidr operator: the addresses from the pattern's
// address to the same address with every host bit set. Like EventBridge's
// matcher, stepwire does not clear host bits of the base address.
type ipRange struct {
	low, high []byte
}

// parseCIDR compiles "addr/bits" with EventBridge's reasons.
func parseCIDR(s string) (ipRange, *Error) {
	addr, bitsText, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(bitsText, "/") || bitsText == "" {
		return ipRange{}, invalid("Malformed CIDR, one '/' required")
	}
	bits, err := strconv.Atoi(bitsText)
	if err != nil {
		return ipRange{}, invalid("Malformed CIDR, mask bits must be an integer")
	}
	if bits < 0 {
		return ipRange{}, invalid("Malformed CIDR, mask bits must not be negative")
	}
	ip, perr := ipBytes(addr)
	if perr != nil {
		return ipRange{}, perr
	}
	if len(ip) == 4 && bits > 31 {
		return ipRange{}, invalid("IPv4 mask bits must be < 32")
	}
	if len(ip) == 16 && bits > 127 {
		return ipRange{}, invalid("IPv6 mask bits must be < 128")
	}
	high := append([]byte(nil), ip...)
	host := len(ip)*8 - bits
	for i := len(high) - 1; i >= 0 && host > 0; i-- {
		if host >= 8 {
			high[i] = 0xff
		} else {
			high[i] |= byte(1<<host - 1)
		}
		host -= 8
	}
	return ipRange{low: ip, high: high}, nil
}

// contains reports whether the string s is an address in the range.
func (r ipRange) contains(s string) bool {
	ip, ok := parseIP(s)
	return ok && len(ip) == len(r.low) && bytes.Compare(ip, r.low) >= 0 && bytes.Compare(ip, r.high) <= 0
}

// ipBytes parses an address for a cidr pattern with EventBridge's reasons.
func ipBytes(s string) ([]byte, *Error) {
	if !looksLikeIPv4(s) && !looksLikeIPv6(s) {
		return nil, invalid("Nonstandard IP address: %s", s)
	}
	ip, ok := parseIP(s)
	if !ok {
		return nil, invalid("Invalid IP address: %s", s)
	}
	return ip, nil
}

// parseIP parses a dotted IPv4 address (4 bytes) or a colon-hex IPv6
// address (16 bytes).
func parseIP(s string) ([]byte, bool) {
	if looksLikeIPv4(s) {
		return parseIPv4(s)
	}
	if looksLikeIPv6(s) {
		return parseIPv6(s)
	}
	return nil, false
}

// looksLikeIPv4 is digits.digits.digits.digits.
func looksLikeIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// looksLikeIPv6 is hex digits and colons, with at least one colon.
func looksLikeIPv6(s string) bool {
	return strings.Contains(s, ":") && strings.Trim(s, "0123456789abcdefABCDEF:") == ""
}

func parseIPv4(s string) ([]byte, bool) {
	out := make([]byte, 0, 4)
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n > 255 {
			return nil, false
		}
		out = append(out, byte(n))
	}
	return out, true
}

// parseIPv6 parses eight groups of up to four hex digits, with at most one
// "::" standing for the missing zero groups.
func parseIPv6(s string) ([]byte, bool) {
	head, tail, double := strings.Cut(s, "::")
	if double && strings.Contains(tail, "::") {
		return nil, false
	}
	hg, ok1 := hexGroups(head)
	tg, ok2 := hexGroups(tail)
	if !ok1 || !ok2 {
		return nil, false
	}
	missing := 8 - len(hg) - len(tg)
	if (double && missing < 1) || (!double && missing != 0) {
		return nil, false
	}
	groups := append(append(hg, make([]uint16, missing)...), tg...)
	out := make([]byte, 0, 16)
	for _, g := range groups {
		out = append(out, byte(g>>8), byte(g))
	}
	return out, true
}

func hexGroups(s string) ([]uint16, bool) {
	if s == "" {
		return nil, true
	}
	var out []uint16
	for _, p := range strings.Split(s, ":") {
		if p == "" || len(p) > 4 {
			return nil, false
		}
		n, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return nil, false
		}
		out = append(out, uint16(n))
	}
	return out, true
}
