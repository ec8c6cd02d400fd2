package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/emulatortest"
	"github.com/stepwire/stepwire/internal/awscli"
)

// ciKey is the key a signing emulator accepts in these tests.
var ciKey = awsapi.Credential{Profile: "default", AccessKeyID: "AKIDSTEPWIRECI", SecretAccessKey: "ci-secret"}

func signedEmulator(t *testing.T, opts ...emulatortest.Option) *emulatortest.Server {
	return emulatortest.New(t, append([]emulatortest.Option{emulatortest.WithTemplate(templatePath), emulatortest.WithCredentials(ciKey)}, opts...)...)
}

// withKey is srv's SDK config signing with another key (or unsigned when
// creds is nil), without retries.
func withKey(srv *emulatortest.Server, creds aws.CredentialsProvider) aws.Config {
	cfg := srv.AWSConfig()
	cfg.Credentials = creds
	if creds == nil {
		cfg.Credentials = aws.AnonymousCredentials{}
	}
	cfg.RetryMaxAttempts = 1
	return cfg
}

// The SDK clients of each API reach a signing emulator with its key and
// get AWS's codes with any other.
func TestSignatureCheckingWithTheSDK(t *testing.T) {
	srv := signedEmulator(t)
	ctx := context.Background()
	calls := map[string]func(aws.Config) error{
		"sfn": func(c aws.Config) error {
			_, err := sfn.NewFromConfig(c).ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
			return err
		},
		"iot": func(c aws.Config) error {
			_, err := iot.NewFromConfig(c).ListThings(ctx, &iot.ListThingsInput{})
			return err
		},
		"iotdata": func(c aws.Config) error {
			_, err := iotdataplane.NewFromConfig(c).Publish(ctx, &iotdataplane.PublishInput{
				Topic: aws.String("tenant1/to/worker"), Payload: []byte(`{}`)})
			return err
		},
	}
	for _, tc := range []struct {
		name  string
		creds aws.CredentialsProvider
		code  string
	}{
		{"configured key", credentials.NewStaticCredentialsProvider(ciKey.AccessKeyID, ciKey.SecretAccessKey, ""), ""},
		{"wrong secret", credentials.NewStaticCredentialsProvider(ciKey.AccessKeyID, "not-it", ""), "InvalidSignatureException"},
		{"unknown key", credentials.NewStaticCredentialsProvider("AKIDSOMEONEELSE", "x", ""), "UnrecognizedClientException"},
		{"unsigned", nil, "MissingAuthenticationTokenException"},
	} {
		for api, call := range calls {
			t.Run(tc.name+"/"+api, func(t *testing.T) {
				err := call(withKey(srv, tc.creds))
				var ae smithy.APIError
				switch {
				case tc.code == "" && err != nil:
					t.Fatalf("err = %v", err)
				case tc.code != "" && (!errors.As(err, &ae) || ae.ErrorCode() != tc.code):
					t.Fatalf("err = %v, want %s", err, tc.code)
				}
			})
		}
	}
}

// stepwire's own read-only endpoints need no signature: `certs issue`
// reads the CA before anything else.
func TestSignatureCheckingLeavesLocalReadsOpen(t *testing.T) {
	srv := signedEmulator(t)
	for _, path := range []string{"/_stepwire/ca", "/_stepwire/endpoints"} {
		resp, err := http.Get(srv.Endpoints().HTTP + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
	}
}

// X-Amz-Date is checked against the emulator's clock (here the fake one)
// with AWS's five-minute window and wording.
func TestSignatureExpiredOnTheFakeClock(t *testing.T) {
	srv := signedEmulator(t, emulatortest.WithFakeClock())
	now := srv.Clock.Now()
	for _, tc := range []struct {
		at         time.Time
		status     int
		code, text string
	}{
		{now.Add(-4 * time.Minute), 200, "", ""},
		{now.Add(-6 * time.Minute), 400, "InvalidSignatureException",
			"Signature expired: 20251231T235400Z is now earlier than 20251231T235500Z (20260101T000000Z - 5 min.)"},
		{now.Add(6 * time.Minute), 400, "InvalidSignatureException",
			"Signature not yet current: 20260101T000600Z is still later than 20260101T000500Z (20260101T000000Z + 5 min.)"},
	} {
		body := `{}`
		req, _ := http.NewRequest(http.MethodPost, srv.Endpoints().HTTP+"/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: ciKey.AccessKeyID, SecretAccessKey: ciKey.SecretAccessKey}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "states", "us-east-1", tc.at); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ Type, Message string }
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		_ = json.Unmarshal(b, &struct {
			Type    *string `json:"__type"`
			Message *string `json:"message"`
		}{&e.Type, &e.Message})
		if resp.StatusCode != tc.status || e.Type != tc.code || e.Message != tc.text {
			t.Errorf("signed at %v: %d %s", tc.at, resp.StatusCode, b)
		}
	}

	// The SDK signs with the wall clock, months away from the fake one: its
	// first attempt is refused, and its retry, signed at the time the
	// emulator's Date header gave, is let in (aws-sdk-go-v2's clock skew
	// correction, as against AWS).
	ctx := context.Background()
	_, err := sfn.NewFromConfig(withKey(srv, srv.AWSConfig().Credentials)).ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err == nil || !strings.Contains(err.Error(), "Signature not yet current") {
		t.Fatalf("one attempt on the wall clock: err = %v, want Signature not yet current", err)
	}
	if _, err := sfn.NewFromConfig(srv.AWSConfig()).ListStateMachines(ctx, &sfn.ListStateMachinesInput{}); err != nil {
		t.Fatalf("with retries: %v", err)
	}
}

// The sample job end to end with signing on: the test's client, the
// dispatch Lambda's iot-data Publish and the complete Lambda's
// SendTaskSuccess are all signed and checked.
func TestSampleRoundTripWithSignatureChecking(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []emulatortest.Option
	}{
		{"real clock", nil},
		// The SDK corrects its signing clock from the emulator's Date header
		// after its first request is refused as expired, as on AWS.
		{"fake clock", []emulatortest.Option{emulatortest.WithFakeClock()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := signedEmulator(t, tc.opts...)
			startWorker(t, srv)
			c := sfn.NewFromConfig(srv.AWSConfig())
			d := waitDone(t, c, start(t, c, machineArn, `{"a":15,"b":42}`))
			if d.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("status %s error %q cause %q", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
			}
			if got, want := aws.ToString(d.Output), `{"a":15,"b":42,"lambdaOutput":{"result":57}}`; got != want {
				t.Errorf("output = %s, want %s", got, want)
			}
		})
	}
}

// Debian's aws CLI (botocore's signer) is let in with the key and refused
// with another.
func TestSignatureCheckingWithTheAWSCLI(t *testing.T) {
	cli := awscli.Path(t)
	srv := signedEmulator(t)
	run := func(akid, secret string, args ...string) (string, error) {
		cmd := exec.Command(cli, append([]string{"--endpoint-url", srv.Endpoints().HTTP, "--output", "json"}, args...)...)
		cmd.Env = append(awscli.Environ(), "AWS_ACCESS_KEY_ID="+akid, "AWS_SECRET_ACCESS_KEY="+secret, "AWS_MAX_ATTEMPTS=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	var (
		sfnList = []string{"stepfunctions", "list-state-machines"}
		iotList = []string{"iot", "list-things"}
		publish = []string{"iot-data", "publish", "--topic", "tenant1/to/worker", "--cli-binary-format", "raw-in-base64-out", "--payload", `{"x":1}`}
	)
	for _, tc := range []struct {
		name, akid, secret string
		args               []string
		code               string
	}{
		{"sfn", ciKey.AccessKeyID, ciKey.SecretAccessKey, sfnList, ""},
		{"iot", ciKey.AccessKeyID, ciKey.SecretAccessKey, iotList, ""},
		{"iot-data", ciKey.AccessKeyID, ciKey.SecretAccessKey, publish, ""},
		{"sfn wrong secret", ciKey.AccessKeyID, "wrong", sfnList, "InvalidSignatureException"},
		{"iot-data unknown key", "AKIDSOMEONEELSE", ciKey.SecretAccessKey, publish, "UnrecognizedClientException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each CLI start takes seconds
			out, err := run(tc.akid, tc.secret, tc.args...)
			if tc.code == "" && err != nil || tc.code != "" && (err == nil || !strings.Contains(out, "("+tc.code+")")) {
				t.Errorf("aws %v: %v\n%s", tc.args, err, out)
			}
		})
	}
}
