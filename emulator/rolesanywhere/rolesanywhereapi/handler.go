// Package rolesanywhereapi serves the emulator's Roles Anywhere
// CreateSession (POST /sessions, rest-json) on its one HTTP endpoint: it
// verifies the request's X.509 signature and hands the certificates and
// the ARNs to emulator/rolesanywhere (docs/roles-anywhere.md §3).
package rolesanywhereapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/rolesanywhere"
	wire "github.com/stepwire/stepwire/internal/rolesanywhere"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// Path is CreateSession's path.
const Path = "/sessions"

// maxBody bounds the request body; CreateSession's is a few fields.
const maxBody = 64 << 10

// Handler serves CreateSession for svc.
func Handler(svc *rolesanywhere.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		out, aerr := createSession(svc, req)
		if aerr != nil {
			awsapi.WriteRESTError(w, aerr)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(out)
	})
}

func createSession(svc *rolesanywhere.Service, req *http.Request) (wire.SessionOutput, *awsapi.Error) {
	if req.URL.Path != Path || req.Method != http.MethodPost {
		return wire.SessionOutput{}, &awsapi.Error{Status: http.StatusNotFound, Code: "UnknownOperationException",
			Message: "no operation serves " + req.Method + " " + req.URL.Path}
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return wire.SessionOutput{}, awsapi.Validation("request body unreadable or above 64 KiB")
	}
	s, aerr := verify(req, body, svc.Region(), svc.Now())
	if aerr != nil {
		return wire.SessionOutput{}, aerr
	}
	in, aerr := sessionInput(req, body, s)
	if aerr != nil {
		return wire.SessionOutput{}, aerr
	}
	sess, err := svc.CreateSession(in)
	if err != nil {
		return wire.SessionOutput{}, errorFor(err)
	}
	return output(sess), nil
}

// sessionInput reads the ARNs from the query, as AWS's credential helper
// sends them, or else from the body, which the API also accepts
// (docs/roles-anywhere.md §2.1).
func sessionInput(req *http.Request, body []byte, s signed) (rolesanywhere.SessionInput, *awsapi.Error) {
	var b struct {
		wire.SessionBody
		TrustAnchorArn string `json:"trustAnchorArn"`
		ProfileArn     string `json:"profileArn"`
		RoleArn        string `json:"roleArn"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &b); err != nil {
			return rolesanywhere.SessionInput{}, awsapi.Validation("request body is not valid JSON: " + err.Error())
		}
	}
	q := req.URL.Query()
	pick := func(name, fromBody string) string {
		if v := q.Get(name); v != "" {
			return v
		}
		return fromBody
	}
	return rolesanywhere.SessionInput{
		Leaf: s.leaf, Intermediates: s.intermediates,
		TrustAnchorArn: pick("trustAnchorArn", b.TrustAnchorArn), ProfileArn: pick("profileArn", b.ProfileArn),
		RoleArn: pick("roleArn", b.RoleArn), DurationSeconds: b.DurationSeconds, RoleSessionName: b.RoleSessionName,
	}, nil
}

func output(s rolesanywhere.Session) wire.SessionOutput {
	return wire.SessionOutput{
		SubjectArn: s.SubjectArn,
		CredentialSet: []wire.CredentialSetItem{{
			AssumedRoleUser: wire.AssumedRoleUser{Arn: s.AssumedRoleArn, AssumedRoleID: s.AssumedRoleID},
			Credentials: wire.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey,
				SessionToken: s.SessionToken, Expiration: s.Expiration.UTC().Format("2006-01-02T15:04:05Z")},
			RoleArn: s.RoleArn, SourceIdentity: s.SourceIdentity,
		}},
	}
}

// errorFor maps the service's error kinds to AWS's codes.
func errorFor(err error) *awsapi.Error {
	msg := err.Error()
	var se *svcerr.Error
	if errors.As(err, &se) {
		msg = se.Detail
	}
	switch {
	case errors.Is(err, rolesanywhere.ErrAccessDenied):
		return &awsapi.Error{Status: http.StatusForbidden, Code: "AccessDeniedException", Message: msg}
	case errors.Is(err, rolesanywhere.ErrNotFound):
		return &awsapi.Error{Status: http.StatusNotFound, Code: "ResourceNotFoundException", Message: msg}
	case errors.Is(err, rolesanywhere.ErrValidation):
		return &awsapi.Error{Status: http.StatusBadRequest, Code: "ValidationException", Message: msg}
	case errors.Is(err, rolesanywhere.ErrTooManySessions):
		return &awsapi.Error{Status: http.StatusTooManyRequests, Code: "ThrottlingException", Message: msg}
	}
	return awsapi.Internal(err)
}
