package awsapi

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []Credential
		err        string
	}{
		{"default first", `
# CI keys
[ci]
aws_access_key_id = AKIDCI
aws_secret_access_key = ci/secret+x=
[default]
aws_access_key_id=AKIDDEF
aws_secret_access_key=def
; a comment
region = us-east-1
[tmp]
aws_access_key_id = ASIATMP
aws_secret_access_key = tmp
aws_session_token = tok
`, []Credential{
			{Profile: "default", AccessKeyID: "AKIDDEF", SecretAccessKey: "def"},
			{Profile: "ci", AccessKeyID: "AKIDCI", SecretAccessKey: "ci/secret+x="},
			{Profile: "tmp", AccessKeyID: "ASIATMP", SecretAccessKey: "tmp", SessionToken: "tok"},
		}, ""},
		{"profiles without keys are skipped", "[a]\nregion=x\n[b]\naws_access_key_id=K\naws_secret_access_key=S\n",
			[]Credential{{Profile: "b", AccessKeyID: "K", SecretAccessKey: "S"}}, ""},
		{"empty", "# nothing\n", nil, "no aws_access_key_id / aws_secret_access_key pair"},
		{"half pair", "[a]\naws_access_key_id=K\n", nil, "profile [a]: needs both"},
		{"duplicate key", "[a]\naws_access_key_id=K\naws_secret_access_key=S\n[b]\naws_access_key_id=K\naws_secret_access_key=T\n",
			nil, "profiles [a] and [b] have the same access key id"},
		{"outside a section", "aws_access_key_id=K\n", nil, "line 1: \"aws_access_key_id\" is outside any [profile] section"},
		{"not key=value", "[a]\njunk\n", nil, "line 2: want key = value"},
		{"bad section", "[a\n", nil, "line 1: unterminated section"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCredentials(strings.NewReader(tc.file))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
