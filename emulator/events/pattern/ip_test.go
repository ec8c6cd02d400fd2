package pattern

import "testing"

// docs/eventbridge.md §2.2 cidr: IPv4 and IPv6 addresses and ranges.
func TestParseIP(t *testing.T) {
	for _, c := range []struct {
		in  string
		len int // 0: refused
	}{
		{"10.0.0.1", 4}, {"255.255.255.255", 4}, {"10.0.0.256", 0}, {"10.0.0", 0}, {"a.b.c.d", 0},
		{"::", 16}, {"::1", 16}, {"2001:db8::", 16}, {"2001:0db8:1234:1a00:0:0:0:0", 16},
		{"1:2:3:4:5:6:7:8", 16}, {"1:2:3:4:5:6:7", 0}, {"1:2:3:4:5:6:7:8:9", 0}, {"1::2::3", 0},
		{"12345::", 0}, {"1:2:3:4::5:6:7:8", 0}, {"example.com", 0},
	} {
		ip, ok := parseIP(c.in)
		if (c.len == 0) == ok || (ok && len(ip) != c.len) {
			t.Errorf("parseIP(%q) = %v, %v; want %d bytes", c.in, ip, ok, c.len)
		}
	}
}

func TestCIDRRange(t *testing.T) {
	for _, c := range []struct {
		cidr, ip string
		want     bool
	}{
		{"10.0.0.0/8", "10.255.255.255", true},
		{"10.0.0.0/8", "11.0.0.0", false},
		{"10.0.0.0/0", "200.1.1.1", true},
		{"10.0.0.0/24", "::1", false},
		{"::/0", "ffff::", true},
		{"2001:db8::/32", "2001:db9::", false},
		// the base address's host bits are not cleared (EventBridge's matcher)
		{"10.0.0.5/24", "10.0.0.4", false},
	} {
		r, err := parseCIDR(c.cidr)
		if err != nil {
			t.Fatalf("parseCIDR(%q): %v", c.cidr, err)
		}
		if got := r.contains(c.ip); got != c.want {
			t.Errorf("%s contains %s = %v, want %v", c.cidr, c.ip, got, c.want)
		}
	}
}

// docs/eventbridge.md §2.2 wildcard: "*" spans any run, "/" included.
func TestWildcardMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"*", "anything", true}, {"", "", true}, {"", "x", false},
		{"a*", "abc", true}, {"*c", "abc", true}, {"a*c", "ac", true}, {"a*c", "abcb", false},
		{"a*b*c", "aXbYc", true}, {"a*b*c", "acb", false}, {"ab*ba", "aba", false},
		{"*/init/*", "dir/init/file", true}, {`\\*`, `\x`, true}, {`\**`, `*x`, true},
	} {
		w, err := parseWildcard(c.pattern)
		if err != nil {
			t.Fatalf("parseWildcard(%q): %v", c.pattern, err)
		}
		if got := w.match(c.s); got != c.want {
			t.Errorf("wildcard %q vs %q = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}
