package awsapi

import (
	"net/http"
	"time"
)

// The error codes AWS answers a refused signature with, as AWS responses
// quoted in SDK and tool issues show them (e.g. aws/aws-sdk-js-v3#7135 for
// Step Functions' five-minute window, localstack/localstack#1869 for Step
// Functions' UnrecognizedClientException with HTTP 400,
// aws/aws-sdk-js-v3#1569 for IoT's InvalidSignatureException with 403,
// aws/aws-sdk-js#4097 for the wrong-service wording). AWS documents the
// algorithm, not these answers.
const (
	codeMissingToken       = "MissingAuthenticationTokenException"
	codeIncomplete         = "IncompleteSignatureException"
	codeUnrecognizedClient = "UnrecognizedClientException"
	codeInvalidSignature   = "InvalidSignatureException"
)

// The messages AWS sends with them.
const (
	msgUnrecognizedClient = "The security token included in the request is invalid."
	msgInvalidSignature   = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	// AWS's awsJson services (DynamoDB observed) and restJson services
	// (Lambda observed) word the missing token differently.
	msgMissingTokenJSON = "Request is missing Authentication Token"
	msgMissingTokenREST = "Missing Authentication Token"
)

// authError builds a refusal in the request's protocol: awsJson services
// (a request with X-Amz-Target) answer HTTP 400, restJson services 403.
func authError(req *http.Request, code, message string) *Error {
	status := http.StatusForbidden
	if isJSONRequest(req) {
		status = http.StatusBadRequest
	}
	return &Error{Status: status, Code: code, Message: message}
}

func isJSONRequest(req *http.Request) bool { return req.Header.Get("X-Amz-Target") != "" }

func missingToken(req *http.Request) *Error {
	if isJSONRequest(req) {
		return authError(req, codeMissingToken, msgMissingTokenJSON)
	}
	return authError(req, codeMissingToken, msgMissingTokenREST)
}

// expired words a timestamp outside the window as AWS does, e.g.
// "Signature expired: 20131008T001036Z is now earlier than 20131008T001112Z
// (20131008T001612Z - 5 min.)".
func expired(req *http.Request, signed, now time.Time) *Error {
	f := func(t time.Time) string { return t.UTC().Format(amzDateLayout) }
	if signed.Before(now) {
		return authError(req, codeInvalidSignature, "Signature expired: "+f(signed)+" is now earlier than "+
			f(now.Add(-maxSkew))+" ("+f(now)+" - 5 min.)")
	}
	return authError(req, codeInvalidSignature, "Signature not yet current: "+f(signed)+" is still later than "+
		f(now.Add(maxSkew))+" ("+f(now)+" + 5 min.)")
}

// writeAuthError writes an authentication refusal in the request's
// protocol.
func writeAuthError(w http.ResponseWriter, req *http.Request, e *Error) {
	if isJSONRequest(req) {
		WriteJSON10Error(w, e)
		return
	}
	if IsQueryRequest(req) {
		WriteQueryError(w, "", e)
		return
	}
	WriteRESTError(w, e)
}
