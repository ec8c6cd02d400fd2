package rolesanywhere

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// SessionInput is a CreateSession request (docs/roles-anywhere.md §2.1).
type SessionInput struct {
	TrustAnchorArn, ProfileArn, RoleArn string
	// DurationSeconds is the session's length, 900 to 43200; 0 leaves it
	// to the profile (3600 by default).
	DurationSeconds int
	// RoleSessionName, when set, names the session (the profile must
	// accept it).
	RoleSessionName string
}

// SessionBody is CreateSession's JSON body.
type SessionBody struct {
	DurationSeconds *int   `json:"durationSeconds,omitempty"`
	RoleSessionName string `json:"roleSessionName,omitempty"`
}

// SessionOutput is CreateSession's 201 response.
type SessionOutput struct {
	CredentialSet []CredentialSetItem `json:"credentialSet"`
	SubjectArn    string              `json:"subjectArn"`
}

// CredentialSetItem is one role's credentials.
type CredentialSetItem struct {
	AssumedRoleUser  AssumedRoleUser `json:"assumedRoleUser"`
	Credentials      Credentials     `json:"credentials"`
	PackedPolicySize int             `json:"packedPolicySize"`
	RoleArn          string          `json:"roleArn"`
	SourceIdentity   string          `json:"sourceIdentity"`
}

// AssumedRoleUser is the session's principal.
type AssumedRoleUser struct {
	Arn           string `json:"arn"`
	AssumedRoleID string `json:"assumedRoleId"`
}

// Credentials are temporary credentials; Expiration is RFC 3339.
type Credentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      string `json:"expiration"`
}

// APIError is an error response of CreateSession.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("rolesanywhere: CreateSession: %s (HTTP %d): %s", e.Code, e.Status, e.Message)
}

// DefaultEndpoint is Roles Anywhere's endpoint in region.
func DefaultEndpoint(region string) string {
	return "https://rolesanywhere." + region + ".amazonaws.com"
}

// maxResponse bounds the response body read.
const maxResponse = 1 << 20

// Client calls CreateSession.
type Client struct {
	// Endpoint is the service URL (DefaultEndpoint(Region) when empty).
	Endpoint string
	Region   string
	Signer   *Signer
	// HTTP is the HTTP client (http.DefaultClient when nil).
	HTTP *http.Client
	// Now is the signing clock (time.Now when nil).
	Now func() time.Time
}

// CreateSession exchanges the signer's certificate for temporary
// credentials (docs/roles-anywhere.md §2.1): POST /sessions with the three
// ARNs as query parameters, as AWS's credential helper sends them, and
// durationSeconds in the JSON body.
func (c *Client) CreateSession(ctx context.Context, in SessionInput) (SessionOutput, error) {
	req, body, err := c.request(ctx, in)
	if err != nil {
		return SessionOutput{}, err
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if err := c.Signer.Sign(ctx, req, body, c.Region, now()); err != nil {
		return SessionOutput{}, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return SessionOutput{}, fmt.Errorf("rolesanywhere: CreateSession: %w", err)
	}
	defer resp.Body.Close()
	return decodeSession(resp)
}

func (c *Client) request(ctx context.Context, in SessionInput) (*http.Request, []byte, error) {
	b := SessionBody{RoleSessionName: in.RoleSessionName}
	if in.DurationSeconds != 0 {
		b.DurationSeconds = &in.DurationSeconds
	}
	body, err := json.Marshal(b)
	if err != nil {
		return nil, nil, fmt.Errorf("rolesanywhere: encode request: %w", err)
	}
	endpoint := c.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint(c.Region)
	}
	q := url.Values{"profileArn": {in.ProfileArn}, "roleArn": {in.RoleArn}, "trustAnchorArn": {in.TrustAnchorArn}}
	u := strings.TrimSuffix(endpoint, "/") + "/sessions?" + strings.ReplaceAll(q.Encode(), "+", "%20")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("rolesanywhere: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req, body, nil
}

func decodeSession(resp *http.Response) (SessionOutput, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return SessionOutput{}, fmt.Errorf("rolesanywhere: CreateSession: read response: %w", err)
	}
	if resp.StatusCode != http.StatusCreated {
		return SessionOutput{}, apiError(resp, b)
	}
	var out SessionOutput
	if err := json.Unmarshal(b, &out); err != nil {
		return SessionOutput{}, fmt.Errorf("rolesanywhere: CreateSession: decode response: %w", err)
	}
	if len(out.CredentialSet) == 0 {
		return SessionOutput{}, fmt.Errorf("rolesanywhere: CreateSession: response has no credentials")
	}
	return out, nil
}

// apiError reads a rest-json error: the code from X-Amzn-ErrorType (its
// part before ':'), else the body's __type or code.
func apiError(resp *http.Response, body []byte) *APIError {
	var e struct {
		Type    string `json:"__type"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &e)
	code := resp.Header.Get("X-Amzn-ErrorType")
	for _, c := range []string{e.Type, e.Code, "UnknownError"} {
		if code == "" {
			code = c
		}
	}
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndex(code, "#"); i >= 0 {
		code = code[i+1:]
	}
	return &APIError{Status: resp.StatusCode, Code: code, Message: e.Message}
}
