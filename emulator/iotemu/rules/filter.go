// Package rules implements the AWS IoT rules engine's SQL (versions
// 2015-10-08 and 2016-03-23): SELECT [VALUE] ... FROM '<filter>'
// [WHERE ...] with expressions, functions and non-JSON payloads, topic
// matching, and the ${expr} substitution templates of action fields. It
// knows nothing of actions or the broker, reads no clock and draws no
// random numbers: the caller passes the timestamp and a UUID source.
package rules

import "strings"

// MatchFilter reports whether topic matches the MQTT topic filter with AWS
// IoT's semantics: `+` is one level, `#` (last level only) is any number of
// levels below its parent but, unlike the MQTT specification, not the
// parent itself: `a/#` matches `a/` and `a/b` but not `a` (docs/iot-core.md §3.1).
// Wildcards at the first level never match topics starting with `$`.
func MatchFilter(filter, topic string) bool {
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	for {
		fl, frest, fmore := strings.Cut(filter, "/")
		if fl == "#" && !fmore {
			return true
		}
		tl, trest, tmore := strings.Cut(topic, "/")
		if fl != "+" && fl != tl {
			return false
		}
		if !fmore || !tmore {
			return fmore == tmore
		}
		filter, topic = frest, trest
	}
}

// ValidFilter reports whether filter is a well-formed MQTT topic filter.
func ValidFilter(filter string) bool {
	if filter == "" {
		return false
	}
	levels := strings.Split(filter, "/")
	for i, l := range levels {
		if strings.Contains(l, "#") && (l != "#" || i != len(levels)-1) {
			return false
		}
		if strings.Contains(l, "+") && l != "+" {
			return false
		}
	}
	return true
}
