package asl

import "strings"

// msgResourceNotRecognized is the text for an integration resource AWS does
// not offer, as AWS gave it for arn:aws:states:::dynamodb:query (a
// recording of 2025-11-06 in LocalStack's snapshot tests,
// docs/step-functions.md §4.6).
const msgResourceNotRecognized = "The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."

// ParseIntegration splits a service integration resource,
// arn:<partition>:states:::<service>:<action>[<pattern>] or
// arn:<partition>:states:::aws-sdk:<service>:<action>[<pattern>]. ok is
// false for every other resource (Lambda function and activity ARNs
// among them), which this parse says nothing about.
func ParseIntegration(res string) (in Integration, ok bool) {
	parts := strings.SplitN(res, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return Integration{}, false
	}
	rest := parts[5]
	in.Service, rest, _ = strings.Cut(rest, ":")
	if in.Service == sdkService {
		in.SDKService, rest, _ = strings.Cut(rest, ":")
	}
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		in.Action, in.Suffix = rest[:i], rest[i:]
	} else {
		in.Action = rest
	}
	return in, true
}

// checkIntegration refuses a service integration resource AWS does not
// offer: an unknown service, an action the service's integration does not
// have, or a pattern the action does not support (.sync for an aws-sdk
// integration, for one). It reports whether the resource passed, so that
// the Express checks do not add a second problem for it.
func (ps *parser) checkIntegration(res, loc string) bool {
	in, ok := ParseIntegration(res)
	if !ok || in.Offered() {
		return true
	}
	ps.p.schema(loc, msgResourceNotRecognized, res)
	return false
}
