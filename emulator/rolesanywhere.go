package emulator

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/rolesanywhere"
	"github.com/stepwire/stepwire/emulator/rolesanywhere/rolesanywhereapi"
	"github.com/stepwire/stepwire/emulator/template"
)

// newRolesAnywhere creates IAM Roles Anywhere and serves its CreateSession
// on POST /sessions (docs/roles-anywhere.md §3).
func (e *Emulator) newRolesAnywhere() {
	e.RolesAnywhere = rolesanywhere.New(rolesanywhere.Config{Region: e.cfg.Region, Account: e.cfg.Account,
		Clock: e.cfg.Clock, Logger: e.cfg.Logger.With("service", "rolesanywhere")})
	e.router.HandlePrefix(rolesanywhereapi.Path, rolesanywhereapi.Handler(e.RolesAnywhere))
}

// isCreateSession reports a CreateSession request signed with a
// certificate: the SigV4 verifier leaves it to rolesanywhereapi.
func isCreateSession(req *http.Request) bool {
	return req.URL.Path == rolesanywhereapi.Path && rolesanywhereapi.IsX509Signed(req)
}

// sessionCredential finds Roles Anywhere's live temporary credentials for
// the SigV4 verifier.
func (e *Emulator) sessionCredential(akid string) (awsapi.Credential, bool) {
	c, ok := e.RolesAnywhere.Lookup(akid)
	if !ok {
		return awsapi.Credential{}, false
	}
	return awsapi.Credential{Profile: "rolesanywhere", AccessKeyID: c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, true
}

// loadRolesAnywhere registers the template's roles, trust anchors and
// profiles. A trust anchor whose certificate data is empty is the
// emulator's own CA, the one `stepwire certs issue` signs with
// (docs/roles-anywhere.md §3.1).
func (e *Emulator) loadRolesAnywhere(t *template.Template) error {
	for _, r := range t.Roles {
		e.RolesAnywhere.PutRole(rolesanywhere.Role{Arn: r.Arn, TrustsRolesAnywhere: r.TrustsRolesAnywhere})
	}
	for _, ta := range t.TrustAnchors {
		pemData := []byte(ta.CertificatePEM)
		if len(pemData) == 0 {
			pemData = e.IoT.CACertPEM()
		}
		certs, err := parseCertificates(pemData)
		if err != nil {
			return fmt.Errorf("trust anchor %s: %w", ta.LogicalID, err)
		}
		if err := e.RolesAnywhere.PutTrustAnchor(rolesanywhere.TrustAnchor{Arn: ta.Arn, Name: ta.Name,
			Enabled: ta.Enabled, Certificates: certs}); err != nil {
			return err
		}
	}
	for _, p := range t.Profiles {
		if err := e.RolesAnywhere.PutProfile(rolesanywhere.Profile{Arn: p.Arn, Name: p.Name, Enabled: p.Enabled,
			RoleArns: p.RoleArns, DurationSeconds: p.DurationSeconds, AcceptRoleSessionName: p.AcceptRoleSessionName}); err != nil {
			return err
		}
	}
	return nil
}

// parseCertificates reads every CERTIFICATE block of a PEM bundle.
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("X509CertificateData holds no PEM certificate")
	}
	return certs, nil
}
