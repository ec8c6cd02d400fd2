package schedexpr

import (
	"fmt"
	"strconv"
	"strings"
)

// cronSpec is a parsed cron(minutes hours day-of-month month day-of-week
// year) expression (docs/eventbridge.md §6). Exactly one of the two day
// fields is "?"; the other decides which days match.
type cronSpec struct {
	minutes, hours, months, years bits
	dom                           domSpec
	dow                           dowSpec
}

// bits is a set of small integers, the field's values minus its minimum.
type bits [4]uint64

func (b *bits) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b *bits) has(i int) bool { return i >= 0 && i < 256 && b[i/64]&(1<<(i%64)) != 0 }
func (b *bits) empty() bool    { return b[0]|b[1]|b[2]|b[3] == 0 }
func (b *bits) addRange(lo, hi, step int) {
	for v := lo; v <= hi; v += step {
		b.set(v)
	}
}

// field describes one cron field: its range and its names.
type field struct {
	name     string
	min, max int
	names    []string // names[i] is value min+i
}

var (
	minuteField = field{name: "minutes", min: 0, max: 59}
	hourField   = field{name: "hours", min: 0, max: 23}
	domField    = field{name: "day-of-month", min: 1, max: 31}
	monthField  = field{name: "month", min: 1, max: 12,
		names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}}
	dowField  = field{name: "day-of-week", min: 1, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}}
	yearField = field{name: "year", min: 1970, max: 2199}
)

// domSpec is the day-of-month field: any day ("?"), a set, the last day
// ("L") or the weekday nearest day n ("nW").
type domSpec struct {
	any, last bool
	nearest   int // nW; 0 when not used
	days      bits
}

// dowSpec is the day-of-week field: any day ("?"), a set of weekdays
// (1 = SUN), the last given weekday of the month ("6L"; "L" alone is the
// last Saturday) or the nth given weekday ("6#3").
type dowSpec struct {
	any      bool
	days     bits
	lastOf   int // 1-7 for dL; 0 when not used
	nthDay   int // d of d#n
	nthCount int // n of d#n; 0 when not used
}

func parseCron(s string) (*cronSpec, error) {
	body := strings.TrimSuffix(strings.TrimPrefix(s, "cron("), ")")
	if !strings.HasSuffix(s, ")") {
		return nil, fmt.Errorf("want cron(minutes hours day-of-month month day-of-week year)")
	}
	f := strings.Fields(body)
	if len(f) != 6 {
		return nil, fmt.Errorf("want 6 fields (minutes hours day-of-month month day-of-week year), got %d", len(f))
	}
	c := &cronSpec{}
	var err error
	for _, p := range []struct {
		dst  *bits
		text string
		fd   field
	}{{&c.minutes, f[0], minuteField}, {&c.hours, f[1], hourField}, {&c.months, f[3], monthField}, {&c.years, f[5], yearField}} {
		if *p.dst, err = parseSet(p.text, p.fd); err != nil {
			return nil, err
		}
	}
	if c.dom, err = parseDOM(f[2]); err != nil {
		return nil, err
	}
	if c.dow, err = parseDOW(f[4]); err != nil {
		return nil, err
	}
	if c.dom.any == c.dow.any {
		return nil, fmt.Errorf("exactly one of day-of-month and day-of-week must be ?")
	}
	return c, nil
}

// parseSet reads a comma list of *, values, ranges a-b and steps (*/s,
// a/s, a-b/s).
func parseSet(text string, fd field) (bits, error) {
	var b bits
	for _, item := range strings.Split(text, ",") {
		if err := addItem(&b, item, fd); err != nil {
			return b, err
		}
	}
	return b, nil
}

func addItem(b *bits, item string, fd field) error {
	rng, stepText, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepText)
		if err != nil || n <= 0 || n > fd.max-fd.min+1 {
			return fmt.Errorf("%s: bad step %q in %q", fd.name, stepText, item)
		}
		step = n
	}
	lo, hi := fd.min, fd.max
	switch {
	case rng == "*":
	case strings.Contains(rng, "-"):
		a, z, _ := strings.Cut(rng, "-")
		var err error
		if lo, err = fd.value(a); err != nil {
			return err
		}
		if hi, err = fd.value(z); err != nil {
			return err
		}
		if lo > hi {
			return fmt.Errorf("%s: range %q runs backwards", fd.name, rng)
		}
	default:
		v, err := fd.value(rng)
		if err != nil {
			return err
		}
		lo = v
		if !hasStep {
			hi = v
		}
	}
	b.addRange(lo-fd.min, hi-fd.min, step)
	return nil
}

// value reads a number or a name of the field and checks its range.
func (fd field) value(s string) (int, error) {
	for i, n := range fd.names {
		if strings.EqualFold(s, n) {
			return fd.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < fd.min || v > fd.max {
		return 0, fmt.Errorf("%s: %q is not a value from %d to %d%s", fd.name, s, fd.min, fd.max, fd.nameHint())
	}
	return v, nil
}

func (fd field) nameHint() string {
	if len(fd.names) == 0 {
		return ""
	}
	return " or " + fd.names[0] + "-" + fd.names[len(fd.names)-1]
}

func parseDOM(text string) (domSpec, error) {
	switch {
	case text == "?":
		return domSpec{any: true}, nil
	case text == "L":
		return domSpec{last: true}, nil
	case strings.HasSuffix(text, "W"):
		n, err := domField.value(strings.TrimSuffix(text, "W"))
		if err != nil {
			return domSpec{}, fmt.Errorf("%q: W follows one day of the month: %w", text, err)
		}
		return domSpec{nearest: n}, nil
	}
	b, err := parseSet(text, domField)
	return domSpec{days: b}, err
}

func parseDOW(text string) (dowSpec, error) {
	switch {
	case text == "?":
		return dowSpec{any: true}, nil
	case text == "L":
		return dowSpec{lastOf: 7}, nil
	case strings.HasSuffix(text, "L"):
		d, err := dowField.value(strings.TrimSuffix(text, "L"))
		if err != nil {
			return dowSpec{}, fmt.Errorf("%q: L follows one weekday: %w", text, err)
		}
		return dowSpec{lastOf: d}, nil
	case strings.Contains(text, "#"):
		ds, ns, _ := strings.Cut(text, "#")
		d, err := dowField.value(ds)
		if err != nil {
			return dowSpec{}, fmt.Errorf("%q: %w", text, err)
		}
		n, err := strconv.Atoi(ns)
		if err != nil || n < 1 || n > 5 {
			return dowSpec{}, fmt.Errorf("day-of-week: %q: # is followed by 1 to 5", text)
		}
		return dowSpec{nthDay: d, nthCount: n}, nil
	}
	b, err := parseSet(text, dowField)
	return dowSpec{days: b}, err
}
