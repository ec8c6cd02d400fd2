package policy

import (
	"strconv"
	"strings"
)

// inCIDR reports whether the IPv4 address ip lies in cidr ("a.b.c.d/n" or
// a bare address). The package may not use net, so it parses IPv4 itself;
// IPv6 values compare as exact strings.
func inCIDR(ip, cidr string) bool {
	addr, ok := parseIPv4(ip)
	if !ok {
		return ip == cidr
	}
	base, bits := cidr, 32
	if b, n, found := strings.Cut(cidr, "/"); found {
		v, err := strconv.Atoi(n)
		if err != nil || v < 0 || v > 32 {
			return false
		}
		base, bits = b, v
	}
	net, ok := parseIPv4(base)
	if !ok {
		return false
	}
	mask := uint32(0)
	if bits > 0 {
		mask = ^uint32(0) << (32 - bits)
	}
	return addr&mask == net&mask
}

func parseIPv4(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, false
	}
	var v uint32
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || (len(p) > 1 && p[0] == '0') {
			return 0, false
		}
		v = v<<8 | uint32(n)
	}
	return v, true
}
