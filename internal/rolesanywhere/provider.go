package rolesanywhere

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// ExpiryWindow is how long before expiry cached credentials are renewed,
// as the credential helper's `update` command does (docs/roles-anywhere.md §4).
const ExpiryWindow = 5 * time.Minute

// Provider is an aws.CredentialsProvider that calls CreateSession on each
// Retrieve. Wrap it in aws.NewCredentialsCache (NewCredentialsProvider
// does) so that a session is reused until shortly before it expires.
type Provider struct {
	Client *Client
	Input  SessionInput
}

// NewCredentialsProvider returns a cached provider of Roles Anywhere
// sessions, renewed ExpiryWindow before they expire.
func NewCredentialsProvider(c *Client, in SessionInput) aws.CredentialsProvider {
	return aws.NewCredentialsCache(&Provider{Client: c, Input: in}, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = ExpiryWindow
	})
}

// Retrieve implements aws.CredentialsProvider.
func (p *Provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	out, err := p.Client.CreateSession(ctx, p.Input)
	if err != nil {
		return aws.Credentials{}, err
	}
	c := out.CredentialSet[0].Credentials
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("rolesanywhere: CreateSession: expiration %q: %w", c.Expiration, err)
	}
	return aws.Credentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Source: "RolesAnywhere", CanExpire: true, Expires: exp,
	}, nil
}
