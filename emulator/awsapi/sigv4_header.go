package awsapi

import (
	"net/http"
	"strings"
	"time"
)

const (
	sigV4Algorithm = "AWS4-HMAC-SHA256"
	amzDateLayout  = "20060102T150405Z"
	scopeTerm      = "aws4_request"
)

// authHeader is a parsed SigV4 Authorization header:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/states/aws4_request,
//	  SignedHeaders=content-type;host;x-amz-date, Signature=<64 hex digits>
type authHeader struct {
	accessKeyID, date, region, service, term string
	signedHeaders                            []string
	signature                                string
	// amzDate is the request's X-Amz-Date.
	amzDate time.Time
}

// parseAuth parses the Authorization header and X-Amz-Date. Its refusals
// are IncompleteSignatureException with AWS's wording where it is known
// (quoted in SDK and tool issues; the unsupported-algorithm and bad-date
// texts are stepwire's own).
func parseAuth(req *http.Request) (authHeader, *Error) {
	raw := req.Header.Get("Authorization")
	alg, rest, _ := strings.Cut(raw, " ")
	if alg != sigV4Algorithm {
		return authHeader{}, authError(req, codeIncomplete, "Unsupported Authorization algorithm '"+alg+
			"': stepwire verifies "+sigV4Algorithm+" signatures only. Authorization="+raw)
	}
	params, aerr := authParams(req, raw, rest)
	if aerr != nil {
		return authHeader{}, aerr
	}
	if aerr := requireParams(req, raw, params); aerr != nil {
		return authHeader{}, aerr
	}
	h := authHeader{signature: params["Signature"], signedHeaders: strings.Split(params["SignedHeaders"], ";")}
	if aerr := h.parseCredential(req, params["Credential"]); aerr != nil {
		return authHeader{}, aerr
	}
	t, err := time.Parse(amzDateLayout, req.Header.Get("X-Amz-Date"))
	if err != nil {
		return authHeader{}, authError(req, codeIncomplete, "X-Amz-Date must be in the ISO 8601 basic format "+
			"yyyyMMdd'T'HHmmss'Z', got '"+req.Header.Get("X-Amz-Date")+"'.")
	}
	h.amzDate = t
	return h, nil
}

// authParams splits "k=v, k=v, ..." after the algorithm.
func authParams(req *http.Request, raw, rest string) (map[string]string, *Error) {
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, authError(req, codeIncomplete, "'"+part+"' not a valid key=value pair (missing equal-sign) in Authorization header: '"+raw+"'.")
		}
		params[k] = v
	}
	return params, nil
}

// requireParams checks for Credential, Signature, SignedHeaders and a
// date, naming every one that is missing in one message as AWS does.
// stepwire needs X-Amz-Date: a request dated only by the Date header,
// which AWS also accepts, is refused with the same message.
func requireParams(req *http.Request, raw string, params map[string]string) *Error {
	var missing []string
	for _, p := range []string{"Credential", "Signature", "SignedHeaders"} {
		if params[p] == "" {
			missing = append(missing, "Authorization header requires '"+p+"' parameter.")
		}
	}
	if req.Header.Get("X-Amz-Date") == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) == 0 {
		return nil
	}
	return authError(req, codeIncomplete, strings.Join(missing, " ")+" Authorization="+raw)
}

// parseCredential splits AKID/date/region/service/aws4_request.
func (h *authHeader) parseCredential(req *http.Request, cred string) *Error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return authError(req, codeIncomplete, "Credential must have exactly 5 slash-delimited elements, "+
			"e.g. keyid/date/region/service/term, got '"+cred+"'")
	}
	h.accessKeyID, h.date, h.region, h.service, h.term = parts[0], parts[1], parts[2], parts[3], parts[4]
	return nil
}

// checkScope checks the credential scope against the request's date, the
// emulator's region and the services that serve the request, in AWS's
// wording (InvalidSignatureException).
func (h authHeader) checkScope(req *http.Request, region string, services []string) *Error {
	switch {
	case h.term != scopeTerm:
		return authError(req, codeInvalidSignature, "Credential should be scoped with a valid terminator: '"+scopeTerm+"', not '"+h.term+"'.")
	case h.date != h.amzDate.Format("20060102"):
		return authError(req, codeInvalidSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+
			h.date+"' != '"+h.amzDate.Format("20060102")+"', from '"+h.amzDate.Format(amzDateLayout)+"'.")
	case h.region != region:
		return authError(req, codeInvalidSignature, "Credential should be scoped to a valid region, not '"+h.region+"'.")
	}
	for _, s := range services {
		if h.service == s {
			return nil
		}
	}
	return authError(req, codeInvalidSignature, "Credential should be scoped to correct service: '"+strings.Join(services, "' or '")+"'.")
}

// checkSignedHeaders requires host among the signed headers and every
// signed header in the request.
func (h authHeader) checkSignedHeaders(req *http.Request) *Error {
	hasHost := false
	for _, name := range h.signedHeaders {
		switch name {
		case "host":
			hasHost = true
		case "content-length":
			if req.ContentLength < 0 && req.Header.Get("Content-Length") == "" {
				return authError(req, codeIncomplete, "'content-length' is named as a SignedHeader, but it does not exist in the HTTP request.")
			}
		default:
			if len(req.Header.Values(name)) == 0 {
				return authError(req, codeIncomplete, "'"+name+"' is named as a SignedHeader, but it does not exist in the HTTP request.")
			}
		}
	}
	if !hasHost {
		return authError(req, codeIncomplete, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return nil
}
