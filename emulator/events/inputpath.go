package events

import "strings"

// validInputPath accepts the JSONPaths stepwire can apply: "$" and
// "$.a.b" (docs/eventbridge.md §3.3).
func validInputPath(p string) bool {
	if p == "$" {
		return true
	}
	rest, ok := strings.CutPrefix(p, "$.")
	if !ok {
		return false
	}
	for _, seg := range strings.Split(rest, ".") {
		if seg == "" || strings.ContainsAny(seg, "[]*'\"") {
			return false
		}
	}
	return true
}

// selectPath applies a valid InputPath to a decoded event.
func selectPath(v any, p string) (any, bool) {
	if p == "$" {
		return v, true
	}
	for _, seg := range strings.Split(strings.TrimPrefix(p, "$."), ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}
