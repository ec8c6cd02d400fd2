package sfnapi

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// violations collects model-constraint failures in AWS's wording:
// "1 validation error detected: Value '<v>' at '<member>' failed to satisfy
// constraint: <rule>" (several are joined with "; ").
type violations []string

// required records a missing required member.
func (v *violations) required(member string, present bool) {
	if !present {
		*v = append(*v, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", member))
	}
}

// length checks a string member's length in characters. Sensitive members
// omit the value, as AWS does.
func (v *violations) length(member, value string, min, max int, sensitive bool) {
	n := utf8.RuneCountInString(value)
	switch {
	case n < min:
		v.add(member, value, sensitive, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case n > max:
		v.add(member, value, sensitive, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// rangeInt checks an integer member.
func (v *violations) rangeInt(member string, value, min, max int64) {
	switch {
	case value < min:
		v.add(member, strconv.FormatInt(value, 10), false, fmt.Sprintf("Member must have value greater than or equal to %d", min))
	case value > max:
		v.add(member, strconv.FormatInt(value, 10), false, fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

// enum checks an enum member.
func (v *violations) enum(member, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add(member, value, false, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

func (v *violations) add(member, value string, sensitive bool, rule string) {
	if sensitive {
		*v = append(*v, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", member, rule))
		return
	}
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, member, rule))
}

// err returns the collected failures as one ValidationException, or nil.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return awsapi.Validation("1 validation error detected: " + v[0])
	}
	return awsapi.Validation(fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; ")))
}

// Limits of the model's shapes.
const (
	maxArnLen        = 256 // the Arn shape: stateMachineArn and the like
	maxNameLen       = 80
	maxDefinitionLen = 1048576
	maxRoleArnLen    = 256
	maxPayload       = 262144 // execution input and callback output
	maxTokenLen      = 2048
	maxErrorLen      = 256
	maxCauseLen      = 32768
	maxDescription   = 256 // versionDescription, description
	maxPageToken     = 1024
)

// requiredArn checks a required ARN member.
func requiredArn(member string, v *string) error {
	var vs violations
	vs.required(member, v != nil)
	if v != nil {
		vs.length(member, *v, 1, maxArnLen, false)
	}
	return vs.err()
}

// checkList validates the paging members of a List* operation.
func checkList(v *violations, maxResults int32, nextToken string, maxToken int) {
	v.rangeInt("maxResults", int64(maxResults), 0, 1000)
	v.length("nextToken", nextToken, 0, maxToken, false)
}
