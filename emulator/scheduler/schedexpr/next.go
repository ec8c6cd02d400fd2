package schedexpr

import "time"

// next returns the first minute strictly after after whose wall time in
// loc matches. It walks days, skipping whole years and months that do not
// match, and stops after the last year a cron expression may name.
func (c *cronSpec) next(after time.Time, loc *time.Location) (time.Time, bool) {
	w := after.In(loc)
	day := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC) // a calendar date, not an instant
	first := true
	for day.Year() <= yearField.max {
		y, m := day.Year(), day.Month()
		switch {
		case !c.years.has(y - yearField.min):
			day, first = time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC), false
			continue
		case !c.months.has(int(m) - monthField.min):
			day, first = time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC), false
			continue
		}
		if c.dayMatches(day) {
			h0, m0 := 0, 0
			if first {
				h0, m0 = w.Hour(), w.Minute()
			}
			if t, ok := c.firstInDay(day, h0, m0, after, loc); ok {
				return t, true
			}
		}
		day, first = day.AddDate(0, 0, 1), false
	}
	return time.Time{}, false
}

// firstInDay returns the day's first matching minute at or after h0:m0
// (wall time) that is after after and exists in loc.
func (c *cronSpec) firstInDay(day time.Time, h0, m0 int, after time.Time, loc *time.Location) (time.Time, bool) {
	for h := h0; h < 24; h++ {
		if !c.hours.has(h) {
			continue
		}
		mStart := 0
		if h == h0 {
			mStart = m0
		}
		for mi := mStart; mi < 60; mi++ {
			if !c.minutes.has(mi) {
				continue
			}
			t := time.Date(day.Year(), day.Month(), day.Day(), h, mi, 0, 0, loc)
			if t.Hour() != h || t.Minute() != mi || t.Day() != day.Day() {
				continue // skipped by a daylight-saving change
			}
			if t.After(after) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// dayMatches applies whichever day field is not "?".
func (c *cronSpec) dayMatches(day time.Time) bool {
	last := daysIn(day.Year(), day.Month())
	d := day.Day()
	if !c.dom.any {
		switch {
		case c.dom.last:
			return d == last
		case c.dom.nearest > 0:
			return d == nearestWeekday(day.Year(), day.Month(), c.dom.nearest, last)
		}
		return c.dom.days.has(d - domField.min)
	}
	wd := int(day.Weekday()) + 1 // 1 = SUN
	switch {
	case c.dow.lastOf > 0:
		return wd == c.dow.lastOf && d+7 > last
	case c.dow.nthCount > 0:
		return wd == c.dow.nthDay && (d-1)/7+1 == c.dow.nthCount
	}
	return c.dow.days.has(wd - dowField.min)
}

// nearestWeekday is the weekday (Monday to Friday) nearest day n of the
// month, never crossing into another month; 0 when the month has no day n.
func nearestWeekday(y int, m time.Month, n, last int) int {
	if n > last {
		return 0
	}
	switch time.Date(y, m, n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
