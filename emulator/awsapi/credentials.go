package awsapi

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Credential is one access key the emulator accepts when it checks
// signatures.
type Credential struct {
	// Profile is the section of the credentials file it came from.
	Profile string
	// AccessKeyID and SecretAccessKey are the key pair.
	AccessKeyID, SecretAccessKey string
	// SessionToken, when set, must come with every request signed by the
	// key (X-Amz-Security-Token), as with temporary credentials on AWS.
	SessionToken string
}

// LoadCredentials reads a credentials file in the AWS shared credentials
// format (see ParseCredentials).
func LoadCredentials(path string) ([]Credential, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load credentials: %w", err)
	}
	defer f.Close()
	creds, err := ParseCredentials(f)
	if err != nil {
		return nil, fmt.Errorf("load credentials %s: %w", path, err)
	}
	return creds, nil
}

// ParseCredentials reads the AWS shared credentials file format
// (~/.aws/credentials, "Configuration and credential file settings" in the
// AWS CLI user guide): INI sections, one per profile, each with
// aws_access_key_id, aws_secret_access_key and optionally
// aws_session_token; lines starting with # or ; are comments; other keys
// are ignored. Every profile's key is accepted. The [default] profile
// comes first in the result, then the others in file order. A file with no
// key, a profile with half a key pair, or an access key id given twice is
// an error.
func ParseCredentials(r io.Reader) ([]Credential, error) {
	var (
		creds   []Credential
		cur     *Credential
		seenKey = map[string]string{}
		sc      = bufio.NewScanner(r)
		lineNo  int
	)
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case strings.HasPrefix(line, "["):
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("line %d: unterminated section %q", lineNo, line)
			}
			creds = append(creds, Credential{Profile: strings.TrimSpace(line[1 : len(line)-1])})
			cur = &creds[len(creds)-1]
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: want key = value, got %q", lineNo, line)
		}
		if cur == nil {
			return nil, fmt.Errorf("line %d: %q is outside any [profile] section", lineNo, strings.TrimSpace(k))
		}
		setCredentialField(cur, strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return checkCredentials(creds, seenKey)
}

func setCredentialField(c *Credential, key, value string) {
	switch key {
	case "aws_access_key_id":
		c.AccessKeyID = value
	case "aws_secret_access_key":
		c.SecretAccessKey = value
	case "aws_session_token":
		c.SessionToken = value
	}
}

// checkCredentials drops sections without keys (a credentials file may
// hold other settings), refuses half pairs and duplicates, and puts the
// default profile first.
func checkCredentials(all []Credential, seen map[string]string) ([]Credential, error) {
	var out []Credential
	for _, c := range all {
		if c.AccessKeyID == "" && c.SecretAccessKey == "" {
			continue
		}
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return nil, fmt.Errorf("profile [%s]: needs both aws_access_key_id and aws_secret_access_key", c.Profile)
		}
		if p, dup := seen[c.AccessKeyID]; dup {
			return nil, fmt.Errorf("profiles [%s] and [%s] have the same access key id", p, c.Profile)
		}
		seen[c.AccessKeyID] = c.Profile
		if c.Profile == "default" {
			out = append([]Credential{c}, out...)
		} else {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no aws_access_key_id / aws_secret_access_key pair")
	}
	return out, nil
}
