// Package pattern matches events against Amazon EventBridge event patterns,
// the way EventBridge's matcher does (docs/eventbridge.md §2): fields named
// in the pattern must all match, any value listed for a field may match,
// arrays in the event match when any element matches, and the content
// filters prefix, suffix, equals-ignore-case, wildcard, anything-but,
// numeric, exists, cidr and $or. Invalid patterns are refused with the
// reason EventBridge gives after "Event pattern is not valid. Reason: ".
//
// The package is a pure core: no I/O, clock or randomness.
package pattern

import (
	"errors"
	"fmt"
)

// Error is an invalid event pattern. Reason is worded as EventBridge words
// it in an InvalidEventPatternException (docs/eventbridge.md §2.3).
type Error struct {
	Reason string
}

func (e *Error) Error() string { return "invalid event pattern: " + e.Reason }

// invalid builds an *Error with a formatted reason.
func invalid(format string, args ...any) *Error {
	return &Error{Reason: fmt.Sprintf(format, args...)}
}

// Pattern is a compiled, valid event pattern. It is immutable and safe
// for concurrent use.
type Pattern struct {
	root  *node
	src   string
	paths []string // the fields it tests (paths.go)
}

// Parse compiles an event pattern. An invalid pattern is an *Error.
func Parse(src string) (*Pattern, error) {
	doc, err := decodeOrdered(src)
	if err != nil {
		return nil, err
	}
	if doc.kind != jObject {
		return nil, invalid("Filter is not an object")
	}
	root, perr := compileObject(doc, "", false)
	if perr != nil {
		return nil, perr
	}
	if n := root.branches(); n > maxBranches {
		return nil, invalid("Rule is too complex - the pattern has %d $or combinations, more than %d", n, maxBranches)
	}
	return &Pattern{root: root, src: src, paths: root.paths(map[string]bool{}, nil)}, nil
}

// String returns the pattern's source text.
func (p *Pattern) String() string { return p.src }

// Matches reports whether the event matches the pattern.
func (p *Pattern) Matches(e *Event) bool { return p.root.match(e.fields) }

// Match parses both documents and reports whether the event matches the
// pattern (TestEventPattern's question).
func Match(patternSrc string, event []byte) (bool, error) {
	p, err := Parse(patternSrc)
	if err != nil {
		return false, err
	}
	e, err := ParseEvent(event)
	if err != nil {
		return false, err
	}
	return p.Matches(e), nil
}

// IsInvalid reports whether err is an invalid-pattern *Error and returns
// its reason.
func IsInvalid(err error) (string, bool) {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Reason, true
	}
	return "", false
}
