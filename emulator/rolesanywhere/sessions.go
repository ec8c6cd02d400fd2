package rolesanywhere

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// Credentials are a session's temporary credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

// sessionStore holds the live sessions by access key id, at most max.
type sessionStore struct {
	max  int
	byID map[string]Credentials
}

func newSessionStore(max int) sessionStore {
	return sessionStore{max: max, byID: map[string]Credentials{}}
}

// issue mints and stores credentials for a checked request. Expired
// sessions are dropped first; when max live sessions remain, the request is
// refused (ErrTooManySessions).
func (s *Service) issue(in SessionInput, now time.Time, d time.Duration) (Session, error) {
	c := Credentials{
		AccessKeyID: "ASIA" + randomString(16, upperAlnum), SecretAccessKey: randomString(40, base64Chars),
		SessionToken: randomToken(), Expiration: now.Add(d).UTC().Truncate(time.Second),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions.dropExpired(now)
	if len(s.sessions.byID) >= s.sessions.max {
		return Session{}, svcerr.Newf(ErrTooManySessions, "%d sessions are live, the emulator's limit", s.sessions.max)
	}
	s.sessions.byID[c.AccessKeyID] = c
	roleName := in.RoleArn[strings.LastIndex(in.RoleArn, "/")+1:]
	sessionName := in.RoleSessionName
	if sessionName == "" {
		sessionName = in.Leaf.SerialNumber.String()
	}
	roleID := "AROA" + randomString(17, upperAlnum)
	return Session{
		Credentials: c, RoleArn: in.RoleArn,
		AssumedRoleArn: "arn:aws:sts::" + s.cfg.Account + ":assumed-role/" + roleName + "/" + sessionName,
		AssumedRoleID:  roleID + ":" + sessionName,
		SourceIdentity: in.Leaf.Subject.CommonName,
		SubjectArn:     arn.RolesAnywhere(s.cfg.Region, s.cfg.Account, "subject/"+subjectID(in.Leaf)),
	}, nil
}

func (st *sessionStore) dropExpired(now time.Time) {
	for id, c := range st.byID {
		if !now.Before(c.Expiration) {
			delete(st.byID, id)
		}
	}
}

// Lookup returns the live session with access key id akid, for the SigV4
// verifier. An expired session is not found.
func (s *Service) Lookup(akid string) (Credentials, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.sessions.byID[akid]
	if !ok {
		return Credentials{}, false
	}
	if !s.cfg.Clock.Now().Before(c.Expiration) {
		delete(s.sessions.byID, akid)
		return Credentials{}, false
	}
	return c, true
}

// LiveSessions counts the sessions not yet expired.
func (s *Service) LiveSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions.dropExpired(s.cfg.Clock.Now())
	return len(s.sessions.byID)
}

const (
	upperAlnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// randomString draws n characters of alphabet, whose length divides 256.
func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("rolesanywhere: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// randomToken is a session token about as long as STS's.
func randomToken() string {
	b := make([]byte, 300)
	if _, err := rand.Read(b); err != nil {
		panic("rolesanywhere: crypto/rand failed: " + err.Error())
	}
	return "IQoJb3JpZ2luX2Vj" + base64.StdEncoding.EncodeToString(b)
}
