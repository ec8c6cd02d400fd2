// Package schedexpr parses the schedule expressions of EventBridge rules
// and EventBridge Scheduler, rate(...), cron(...) and at(...), and computes
// when they fire next (docs/eventbridge.md §6).
//
// It is a pure core: no clock, no I/O. The caller passes the current time,
// the instant a rate counts from and the time zone (a *time.Location it
// loaded), so the same expression runs on the real clock and on a fake one.
package schedexpr

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind says which form an expression takes.
type Kind int

// The three forms of docs/eventbridge.md §6.
const (
	Rate Kind = iota + 1
	Cron
	At
)

// Expr is a parsed schedule expression.
type Expr struct {
	text   string
	kind   Kind
	period time.Duration // Rate
	cron   *cronSpec     // Cron
	at     time.Time     // At: the wall time, read in UTC; Next reads it again in the zone
}

// String returns the expression as written.
func (e Expr) String() string { return e.text }

// Kind returns the expression's form.
func (e Expr) Kind() Kind { return e.kind }

var (
	rateRe = regexp.MustCompile(`^rate\(([0-9]+) (minute|minutes|hour|hours|day|days)\)$`)
	atRe   = regexp.MustCompile(`^at\(([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})\)$`)
)

var rateUnits = map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}

// Parse reads rate(value unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss).
// Its error says what is wrong; the services quote AWS's own message
// around it.
func Parse(s string) (Expr, error) {
	switch {
	case strings.HasPrefix(s, "rate("):
		return parseRate(s)
	case strings.HasPrefix(s, "cron("):
		c, err := parseCron(s)
		if err != nil {
			return Expr{}, fmt.Errorf("schedule expression %q: %w", s, err)
		}
		return Expr{text: s, kind: Cron, cron: c}, nil
	case strings.HasPrefix(s, "at("):
		return parseAt(s)
	}
	return Expr{}, fmt.Errorf("schedule expression %q: want rate(...), cron(...) or at(...)", s)
}

// parseRate reads rate(value unit): a positive integer and minute(s),
// hour(s) or day(s), singular exactly when the value is 1.
func parseRate(s string) (Expr, error) {
	m := rateRe.FindStringSubmatch(s)
	if m == nil {
		return Expr{}, fmt.Errorf("schedule expression %q: want rate(value unit) with unit minute(s), hour(s) or day(s)", s)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 {
		return Expr{}, fmt.Errorf("schedule expression %q: the value must be a positive integer", s)
	}
	unit := m[2]
	singular := !strings.HasSuffix(unit, "s")
	if singular != (n == 1) {
		return Expr{}, fmt.Errorf("schedule expression %q: the unit is singular for 1 and plural otherwise", s)
	}
	return Expr{text: s, kind: Rate, period: time.Duration(n) * rateUnits[strings.TrimSuffix(unit, "s")]}, nil
}

// parseAt reads at(yyyy-mm-ddThh:mm:ss), a wall time without zone.
func parseAt(s string) (Expr, error) {
	m := atRe.FindStringSubmatch(s)
	if m == nil {
		return Expr{}, fmt.Errorf("schedule expression %q: want at(yyyy-mm-ddThh:mm:ss)", s)
	}
	t, err := time.Parse("2006-01-02T15:04:05", m[1])
	if err != nil {
		return Expr{}, fmt.Errorf("schedule expression %q: %w", s, err)
	}
	return Expr{text: s, kind: At, at: t}, nil
}

// Next returns the first time the expression fires strictly after after,
// and false when it never fires again. A rate fires at base plus whole
// periods (base is when the rule was created or the schedule's start
// date); cron and at read their fields as wall time in loc (nil: UTC). A
// wall time that a daylight-saving change skips does not fire; one it
// repeats fires once.
func (e Expr) Next(after, base time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	switch e.kind {
	case Rate:
		k := int64(1)
		if after.After(base) {
			k = int64(after.Sub(base)/e.period) + 1
		}
		return base.Add(time.Duration(k) * e.period), true
	case Cron:
		return e.cron.next(after, loc)
	case At:
		t := time.Date(e.at.Year(), e.at.Month(), e.at.Day(), e.at.Hour(), e.at.Minute(), e.at.Second(), 0, loc)
		return t, t.After(after)
	}
	return time.Time{}, false
}
