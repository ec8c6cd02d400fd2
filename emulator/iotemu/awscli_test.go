package iotemu

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/awscli"
)

type cliRunner struct {
	t       *testing.T
	cli     string
	url     string
	dir     string
	lastErr string
}

// run calls `aws iot …` (or iot-data) and decodes its JSON output; on a
// failure it returns nil and keeps stderr in lastErr.
func (c *cliRunner) run(args ...string) map[string]any {
	c.t.Helper()
	cmd := exec.Command(c.cli, append([]string{"--endpoint-url", c.url, "--output", "json"}, args...)...)
	cmd.Env = awscli.Environ()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		c.lastErr = stderr.String()
		return nil
	}
	m := map[string]any{}
	if len(strings.TrimSpace(string(out))) > 0 {
		require.NoError(c.t, json.Unmarshal(out, &m), "aws %v: %s", args, out)
	}
	return m
}

func (c *cliRunner) must(args ...string) map[string]any {
	c.t.Helper()
	m := c.run(args...)
	require.NotNil(c.t, m, "aws %v: %s", args, c.lastErr)
	return m
}

func (c *cliRunner) fails(code string, args ...string) {
	c.t.Helper()
	require.Nil(c.t, c.run(args...), "aws %v should fail", args)
	require.Contains(c.t, c.lastErr, code)
}

func (c *cliRunner) file(name, content string) string {
	p := filepath.Join(c.dir, name)
	require.NoError(c.t, os.WriteFile(p, []byte(content), 0o600))
	return "file://" + p
}

// selfSigned makes a self-signed client certificate (a user's own).
func selfSigned(t *testing.T, cn string) (certPEM, keyPEM []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn, Organization: []string{"acme"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kd, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})
}

// Reference §2 and §5.2: the setup a team scripts with the aws CLI —
// certificates (issued and registered), things, policies, attachments,
// endpoint — then an MQTT connection with the registered certificate.
func TestAWSCLIControlPlane(t *testing.T) {
	cli := awscli.Path(t)
	s, _ := startService(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &cliRunner{t: t, cli: cli, url: srv.URL, dir: t.TempDir()}

	kc := c.must("iot", "create-keys-and-certificate", "--set-as-active")
	id := kc["certificateId"].(string)
	require.Regexp(t, `^[0-9a-f]{64}$`, id)
	certArn := kc["certificateArn"].(string)
	require.Equal(t, "arn:aws:iot:us-east-1:123456789012:cert/"+id, certArn)

	certPEM, keyPEM := selfSigned(t, "device-7")
	reg := c.must("iot", "register-certificate-without-ca", "--certificate-pem", c.file("own.pem", string(certPEM)), "--status", "ACTIVE")
	ownID := reg["certificateId"].(string)
	require.Equal(t, sha256Hex(t, certPEM), ownID, "certificate id is SHA-256 of the DER")
	c.fails("ResourceAlreadyExistsException", "iot", "register-certificate", "--certificate-pem", c.file("own.pem", string(certPEM)))

	desc := c.must("iot", "describe-certificate", "--certificate-id", ownID)["certificateDescription"].(map[string]any)
	require.Equal(t, "ACTIVE", desc["status"])
	list := c.must("iot", "list-certificates")["certificates"].([]any)
	require.Len(t, list, 2)

	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},` +
		`{"Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":"arn:aws:iot:*:*:topic/${iot:Certificate.Subject.CommonName}/*"},` +
		`{"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/${iot:Certificate.Subject.CommonName}/*"}]}`
	c.must("iot", "create-policy", "--policy-name", "Device", "--policy-document", c.file("doc.json", doc))
	require.Equal(t, doc, c.must("iot", "get-policy", "--policy-name", "Device")["policyDocument"])
	require.Len(t, c.must("iot", "list-policies")["policies"], 1)
	c.must("iot", "create-thing", "--thing-name", "device-7", "--attribute-payload", `{"attributes":{"site":"berlin"}}`)
	require.Equal(t, "device-7", c.must("iot", "describe-thing", "--thing-name", "device-7")["thingName"])
	require.Len(t, c.must("iot", "list-things")["things"], 1)
	ownArn := reg["certificateArn"].(string)
	c.must("iot", "attach-policy", "--policy-name", "Device", "--target", ownArn)
	c.must("iot", "attach-thing-principal", "--thing-name", "device-7", "--principal", ownArn)
	attached := c.must("iot", "list-attached-policies", "--target", ownArn)["policies"].([]any)
	require.Equal(t, "Device", attached[0].(map[string]any)["policyName"])
	ep := c.must("iot", "describe-endpoint", "--endpoint-type", "iot:Data-ATS")
	require.Equal(t, s.MQTTAddr(), ep["endpointAddress"])

	// The self-signed certificate connects and uses its CN-scoped topics.
	mc := mustDial(t, s, clientTLS(t, s, certPEM, keyPEM), "device-7")
	require.Equal(t, byte(1), subscribe(t, mc, "device-7/cmd"))

	// Deletion rules (docs/iot-core.md §2.2).
	c.fails("DeleteConflictException", "iot", "delete-policy", "--policy-name", "Device")
	c.fails("CertificateStateException", "iot", "delete-certificate", "--certificate-id", ownID)
	c.must("iot", "update-certificate", "--certificate-id", ownID, "--new-status", "REVOKED")
	select {
	case <-mc.down:
	case <-time.After(5 * time.Second):
		t.Fatal("REVOKED certificate's connection stayed up")
	}
	c.fails("CertificateStateException", "iot", "update-certificate", "--certificate-id", ownID, "--new-status", "ACTIVE")
	c.fails("DeleteConflictException", "iot", "delete-certificate", "--certificate-id", ownID)
	c.must("iot", "detach-thing-principal", "--thing-name", "device-7", "--principal", ownArn)
	c.fails("DeleteConflictException", "iot", "delete-certificate", "--certificate-id", ownID)
	c.must("iot", "detach-policy", "--policy-name", "Device", "--target", ownArn)
	c.must("iot", "delete-certificate", "--certificate-id", ownID)
	c.must("iot", "delete-policy", "--policy-name", "Device")
	c.fails("ResourceNotFoundException", "iot", "describe-certificate", "--certificate-id", ownID)
	require.Len(t, c.must("iot", "list-certificates")["certificates"], 1)
}

// Reference §5.2: topic rule CRUD through the aws CLI.
func TestAWSCLITopicRules(t *testing.T) {
	cli := awscli.Path(t)
	s, _ := startService(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c := &cliRunner{t: t, cli: cli, url: srv.URL, dir: t.TempDir()}
	payload := `{"sql":"SELECT * FROM 'tenant1/to/lambda'","awsIotSqlVersion":"2016-03-23","ruleDisabled":false,` +
		`"actions":[{"lambda":{"functionArn":"arn:aws:lambda:us-east-1:123456789012:function:complete"}},` +
		`{"stepFunctions":{"stateMachineName":"Machine","executionNamePrefix":"iot","roleArn":"arn:aws:iam::123456789012:role/r"}}],` +
		`"errorAction":{"republish":{"topic":"errors/${topic(1)}","roleArn":"arn:aws:iam::123456789012:role/r"}}}`
	c.must("iot", "create-topic-rule", "--rule-name", "Complete", "--topic-rule-payload", c.file("rule.json", payload))
	c.fails("ResourceAlreadyExistsException", "iot", "create-topic-rule", "--rule-name", "Complete", "--topic-rule-payload", c.file("rule.json", payload))
	c.fails("SqlParseException", "iot", "create-topic-rule", "--rule-name", "Bad", "--topic-rule-payload",
		c.file("bad.json", `{"sql":"SELECT FROM","actions":[]}`))
	got := c.must("iot", "get-topic-rule", "--rule-name", "Complete")["rule"].(map[string]any)
	require.Equal(t, "2016-03-23", got["awsIotSqlVersion"])
	require.Len(t, got["actions"], 2)
	require.NotNil(t, got["errorAction"])
	c.must("iot", "disable-topic-rule", "--rule-name", "Complete")
	rules := c.must("iot", "list-topic-rules")["rules"].([]any)
	require.Equal(t, true, rules[0].(map[string]any)["ruleDisabled"])
	require.Equal(t, "tenant1/to/lambda", rules[0].(map[string]any)["topicPattern"])
	c.must("iot", "enable-topic-rule", "--rule-name", "Complete")
	c.must("iot", "replace-topic-rule", "--rule-name", "Complete", "--topic-rule-payload",
		c.file("r2.json", `{"sql":"SELECT a FROM 'x/#'","actions":[{"lambda":{"functionArn":"f"}}]}`))
	require.Equal(t, "SELECT a FROM 'x/#'", c.must("iot", "get-topic-rule", "--rule-name", "Complete")["rule"].(map[string]any)["sql"])
	c.must("iot", "delete-topic-rule", "--rule-name", "Complete")
	c.fails("ResourceNotFoundException", "iot", "get-topic-rule", "--rule-name", "Complete")
}
