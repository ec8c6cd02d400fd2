package arn

import (
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
)

// ARN is a parsed ARN: the SDK's fields (Partition, Service, Region,
// AccountID, Resource) with the resource read as a type and its fields,
// "stateMachine:M:3" as type stateMachine and fields [M 3], "role/a/b" as
// type role and fields [a/b]. Every ARN stepwire reads from a request or a
// definition is parsed here.
type ARN struct {
	awsarn.ARN
	// Type is the resource type: the resource up to its first ':' or '/'.
	Type string
	// Fields are the ':'-separated parts of the resource after Type.
	Fields []string
}

// Parse reads an ARN; it fails on a string that is not
// arn:partition:service:region:account:resource.
func Parse(s string) (ARN, error) {
	a, err := awsarn.Parse(s)
	if err != nil {
		return ARN{}, err
	}
	out := ARN{ARN: a, Type: a.Resource}
	if i := strings.IndexAny(a.Resource, ":/"); i >= 0 {
		out.Type = a.Resource[:i]
		out.Fields = strings.Split(a.Resource[i+1:], ":")
		if a.Resource[i] == '/' {
			out.Fields = []string{a.Resource[i+1:]}
		}
	}
	return out, nil
}

// ParseResource parses s and reports whether it is an ARN of service whose
// resource is of type typ with a non-empty first field, e.g. a Step
// Functions activity: ParseResource(s, "states", "activity").
func ParseResource(s, service, typ string) (ARN, bool) {
	a, err := Parse(s)
	if err != nil || a.Service != service || a.Type != typ || len(a.Fields) == 0 || a.Fields[0] == "" {
		return ARN{}, false
	}
	return a, true
}
