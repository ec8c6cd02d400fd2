package conformance

// skipTable is the one place a case may be skipped: features stepwire does
// not have, each with its reason. A case is skipped when it carries one of
// these tags; every other case runs.
// It is empty: every recorded feature is emulated.
var skipTable = []struct{ tag, reason string }{}

// SkipReason says why a case is skipped; empty means it runs.
func SkipReason(c *Case) string {
	for _, s := range skipTable {
		if c.HasTag(s.tag) {
			return s.reason
		}
	}
	return ""
}

// queryTags mark the cases of the JSONata query language and workflow
// variables, which have a pass bar of their own.
var queryTags = []string{"jsonata", "variables"}

func isQueryCase(c *Case) bool {
	for _, t := range queryTags {
		if c.HasTag(t) {
			return true
		}
	}
	return false
}

// InBar reports whether a case counts toward the core pass bar: the
// JSONPath language and the API, without JSONata, variables or skipped
// features.
func InBar(c *Case) bool { return SkipReason(c) == "" && !isQueryCase(c) }

// InQueryBar reports whether a case counts toward the JSONata and
// variables bar.
func InQueryBar(c *Case) bool { return SkipReason(c) == "" && isQueryCase(c) }
