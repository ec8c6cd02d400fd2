package eventsapi

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// validator checks a request against the service model's constraints.
type validator interface {
	validate() *awsapi.Error
}

// violations collects constraint failures in AWS's words.
type violations []string

// add records that value at member failed constraint.
func (v *violations) add(value, member, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint))
}

// required records a missing required member.
func (v *violations) required(member string) {
	*v = append(*v, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", member))
}

// err is the ValidationException for the collected failures, or nil.
func (v violations) err() *awsapi.Error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return validation("1 validation error detected: " + v[0])
	}
	return validation(fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; ")))
}

func validation(message string) *awsapi.Error {
	return awsapi.Errorf("", "ValidationException", "%s", message)
}

// namePattern is the model's pattern of rule names and target ids.
var namePattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]+$`)

// name checks a rule name or target id (1–64, namePattern).
func (v *violations) name(member string, s *string, required bool) {
	if s == nil {
		if required {
			v.required(member)
		}
		return
	}
	v.length(member, *s, 1, 64)
	if *s != "" && !namePattern.MatchString(*s) {
		v.add(*s, member, `Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+`)
	}
}

// length checks a string's length bounds.
func (v *violations) length(member, s string, lo, hi int) {
	switch {
	case len(s) < lo:
		v.add(s, member, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	case len(s) > hi:
		v.add(s, member, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

// optLength checks an optional string's length bounds.
func (v *violations) optLength(member string, s *string, lo, hi int) {
	if s != nil {
		v.length(member, *s, lo, hi)
	}
}

// limit checks a page size (1–100).
func (v *violations) limit(member string, n *int32) {
	switch {
	case n == nil:
	case *n < 1:
		v.add(fmt.Sprint(*n), member, "Member must have value greater than or equal to 1")
	case *n > 100:
		v.add(fmt.Sprint(*n), member, "Member must have value less than or equal to 100")
	}
}

// enum checks an optional member against its allowed values.
func (v *violations) enum(member string, s *string, allowed ...string) {
	if s == nil {
		return
	}
	for _, a := range allowed {
		if *s == a {
			return
		}
	}
	v.add(*s, member, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

// count checks a list's length bounds; the value is shown as AWS's
// validator shows lists (abridged: AWS prints every element).
func (v *violations) count(member, elem string, n, lo, hi int) {
	switch {
	case n < lo:
		v.add("[]", member, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	case n > hi:
		v.add("["+elem+"]", member, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}
