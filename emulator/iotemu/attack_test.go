package iotemu

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// tenantWorkerPolicy is the multi-tenant policy of the attack suite: each
// worker is a thing whose "tenant" attribute scopes every topic; workers
// of one tenant share its jobs through $share/<tenant>/.
const tenantWorkerPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
  "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":[
   "arn:aws:iot:*:*:topicfilter/${iot:Connection.Thing.Attributes[tenant]}/to/worker",
   "arn:aws:iot:*:*:topicfilter/$share/${iot:Connection.Thing.Attributes[tenant]}/${iot:Connection.Thing.Attributes[tenant]}/to/worker"]},
 {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/${iot:Connection.Thing.Attributes[tenant]}/to/worker"},
 {"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish"],"Resource":"arn:aws:iot:*:*:topic/${iot:Connection.Thing.Attributes[tenant]}/to/lambda"}]}`

// lenientSubscribePolicy grants iot:Subscribe on every filter but scopes
// iot:Receive: the attacks then pass SUBSCRIBE and must fail at delivery.
const lenientSubscribePolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":"*"},
 {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/${iot:Connection.Thing.Attributes[tenant]}/*"}]}`

type attackFiles struct {
	dir, ca string
}

// certFiles writes a certificate and key and returns mosquitto's options.
func (f attackFiles) certFiles(t *testing.T, name string, certPEM, keyPEM []byte) []string {
	t.Helper()
	c, k := filepath.Join(f.dir, name+".pem"), filepath.Join(f.dir, name+".key")
	require.NoError(t, os.WriteFile(c, certPEM, 0o600))
	require.NoError(t, os.WriteFile(k, keyPEM, 0o600))
	return []string{"--cafile", f.ca, "--cert", c, "--key", k}
}

// mosquitto runs a Debian mosquitto client and returns its combined output
// and whether it exited 0. The command is bounded by a deadline.
func mosquitto(t *testing.T, s *Service, tool string, args ...string) (string, bool) {
	t.Helper()
	host, port, _ := strings.Cut(s.MQTTAddr(), ":")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, tool, append([]string{"-h", host, "-p", port}, args...)...).CombinedOutput()
	res := strings.TrimSpace(string(out))
	if ctx.Err() != nil {
		res += " (socket closed by stepwire; the client kept retrying until the test's 5 s deadline)"
	}
	return res, err == nil
}

func mosquittoTools(t *testing.T) (sub, pub string) {
	t.Helper()
	sub, err1 := exec.LookPath("mosquitto_sub")
	pub, err2 := exec.LookPath("mosquitto_pub")
	if err1 != nil || err2 != nil {
		t.Skip("mosquitto-clients not installed: run through `make test`")
	}
	return sub, pub
}

// subscribedCount reports how many subscriptions the broker holds for a
// client id.
func subscribedCount(s *Service, clientID string) int {
	cl, ok := s.broker.Clients.Get(clientID)
	if !ok || cl.Closed() {
		return 0
	}
	return cl.State.Subscriptions.Len()
}

// waitSubscribed polls, with a deadline, until a client holds n
// subscriptions.
func waitSubscribed(t *testing.T, s *Service, clientID string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for subscribedCount(s, clientID) < n {
		require.True(t, time.Now().Before(deadline), "%s never subscribed", clientID)
		time.Sleep(5 * time.Millisecond) // polling with a deadline
	}
}

// waitGone polls, with a deadline, until the broker forgets a client id.
func waitGone(t *testing.T, s *Service, clientID string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := s.broker.Clients.Get(clientID); !ok {
			return
		}
		require.True(t, time.Now().Before(deadline), "%s never went away", clientID)
		time.Sleep(5 * time.Millisecond) // polling with a deadline
	}
}

// mosquittoUntilClosed runs a mosquitto client through a loopback relay
// and stops it as soon as stepwire closes the relayed connection. Clients
// that reconnect after a refusal (MQTT 3.1.1 without CONNACK or SUBACK,
// plain TCP) then end when the refusal happens rather than at the
// deadline. It reports whether stepwire closed the connection.
func mosquittoUntilClosed(t *testing.T, s *Service, tool string, args ...string) (string, bool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = ln.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var closedByServer atomic.Bool
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				if relay(c, s.MQTTAddr()) {
					closedByServer.Store(true)
					cancel()
				}
			}()
		}
	}()
	host, port, _ := strings.Cut(ln.Addr().String(), ":")
	out, _ := exec.CommandContext(ctx, tool, append([]string{"-h", host, "-p", port}, args...)...).CombinedOutput()
	return strings.TrimSpace(string(out)), closedByServer.Load()
}

// relay copies between a client connection and stepwire; it reports
// whether stepwire closed its side while the client was still sending.
func relay(c net.Conn, addr string) bool {
	defer func() { _ = c.Close() }()
	up, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	defer func() { _ = up.Close() }()
	var clientDone atomic.Bool
	go func() {
		_, _ = io.Copy(up, c)
		clientDone.Store(true)
		_ = up.(*net.TCPConn).CloseWrite()
	}()
	_, _ = io.Copy(c, up)
	return !clientDone.Load()
}

// attack is one attempt of the attack suite; run returns the outcome it
// observed (the attempt's refusal) for the suite's table.
type attack struct {
	attempt, client string
	run             func(t *testing.T) string
}

type attackRow struct{ attempt, client, outcome string }

// The attack suite of docs/iot-core.md §1 and §2 with real clients: Debian's
// mosquitto_sub/mosquitto_pub (MQTT 5 and 3.1.1) and paho. Every attempt
// must be refused; each is a subtest, and the table of attempts and
// outcomes is logged.
func TestAttackSuite(t *testing.T) {
	sub, pub := mosquittoTools(t)
	s, invoked := startService(t)
	dir := t.TempDir()
	files := attackFiles{dir: dir, ca: filepath.Join(dir, "ca.pem")}
	require.NoError(t, os.WriteFile(files.ca, s.CACertPEM(), 0o600))
	require.NoError(t, s.CreatePolicy("TenantWorker", tenantWorkerPolicy))
	require.NoError(t, s.CreatePolicy("LenientSubscribe", lenientSubscribePolicy))
	require.NoError(t, s.CreateTopicRule("Complete", TopicRule{SQL: "SELECT * FROM '+/to/lambda'",
		Actions: []Action{{LambdaFunctionArn: "complete"}}}))
	issue := func(thing, tenant, pol string) ([]byte, []byte, string) {
		require.NoError(t, s.CreateThing(thing, map[string]string{"tenant": tenant}))
		c, k, id, err := s.IssueCertificate(thing, pol)
		require.NoError(t, err)
		return c, k, id
	}
	t1c, t1k, _ := issue("tenant1-w1", "tenant1", "TenantWorker")
	t2c, t2k, _ := issue("tenant2-w1", "tenant2", "TenantWorker")
	t3c, t3k, _ := issue("tenant3-w1", "tenant3", "LenientSubscribe")
	t2 := files.certFiles(t, "tenant2", t2c, t2k)
	t3 := files.certFiles(t, "tenant3", t3c, t3k)
	paho2 := func(t *testing.T) *mqttClient { return mustDial(t, s, clientTLS(t, s, t2c, t2k), "tenant2-w1") }

	// Positive control: tenant1's worker gets its own job. A retained
	// tenant1 job then waits for the attempts of section 2.
	job := []byte(`{"Input":{"a":1},"TaskToken":"tenant1-secret"}`)
	w1 := mustDial(t, s, clientTLS(t, s, t1c, t1k), "tenant1-w1")
	require.Equal(t, byte(1), subscribe(t, w1, "tenant1/to/worker"))
	require.NoError(t, s.Publish(context.Background(), "tenant1/to/worker", job, 1))
	require.Equal(t, job, receive(t, w1).Payload)
	require.NoError(t, s.publish(context.Background(), "tenant1/to/worker", job, 1, true))

	var attacks []attack
	add := func(attempt, client string, run func(t *testing.T) string) {
		attacks = append(attacks, attack{attempt, client, run})
	}

	// 1. Subscriptions to tenant1's jobs under the strict policy.
	for _, filter := range []string{"tenant1/to/worker", "+/to/worker", "#", "$share/tenant1/tenant1/to/worker", "$share/g/+/to/worker"} {
		add("subscribe `"+filter+"` (another tenant's jobs)", "mosquitto_sub v5", func(t *testing.T) string {
			// mosquitto_sub -E exits 0 but reports the refusal.
			out, _ := mosquitto(t, s, sub, append(t2, "-V", "mqttv5", "-i", "tenant2-w1", "-q", "1", "-t", filter, "-E")...)
			require.Contains(t, out, "denied")
			return "SUBACK 0x87: " + out
		})
	}
	add("subscribe `tenant1/to/worker`", "mosquitto_sub 3.1.1", func(t *testing.T) string {
		out, closed := mosquittoUntilClosed(t, s, sub, append(t2, "-V", "mqttv311", "-i", "tenant2-w1", "-q", "1", "-t", "tenant1/to/worker", "-E")...)
		require.True(t, closed, "stepwire did not close the connection: %s", out)
		require.NotContains(t, out, "denied", "a SUBACK reached the client")
		return "connection closed by stepwire, no SUBACK " + orQuiet(out)
	})
	for _, filter := range []string{"tenant1/to/worker", "#", "$share/tenant1/tenant1/to/worker"} {
		add("subscribe `"+filter+"`", "paho v5", func(t *testing.T) string {
			require.Equal(t, byte(0x87), subscribe(t, paho2(t), filter))
			return "SUBACK 0x87"
		})
	}

	// 2. Lenient Subscribe, scoped Receive: SUBSCRIBE passes, delivery
	// does not. The retained tenant1 job is waiting; after tenant1's jobs,
	// a tenant3 sentinel is published: it must be the first thing received.
	for i, filter := range []string{"tenant1/to/worker", "+/to/worker", "#", "$share/g/tenant1/to/worker", "$share/g/#"} {
		what := "live and retained job"
		if strings.ContainsAny(filter, "+#") || strings.HasPrefix(filter, "$share") {
			what = "live job"
		}
		add("receive "+what+" via `"+filter+"` (Subscribe allowed)", "mosquitto_sub v5", func(t *testing.T) string {
			id := "tenant3-w1"
			done := make(chan string, 1)
			go func() {
				out, _ := mosquitto(t, s, sub, append(t3, "-V", "mqttv5", "-i", id, "-q", "1", "-v", "-C", "1", "-t", filter, "-t", "tenant3/sentinel")...)
				done <- out
			}()
			waitSubscribed(t, s, id, 2)
			require.NoError(t, s.Publish(context.Background(), "tenant1/to/worker", job, 1))
			sentinel := fmt.Sprintf("sentinel-%d", i)
			require.NoError(t, s.Publish(context.Background(), "tenant3/sentinel", []byte(sentinel), 1))
			require.Equal(t, "tenant3/sentinel "+sentinel, <-done)
			waitGone(t, s, id)
			return "SUBACK 0; iot:Receive denied, nothing delivered; own sentinel arrives first"
		})
	}

	// 3. Forged results on tenant1's results topic.
	add("publish forged result to `tenant1/to/lambda`", "mosquitto_pub v5 QoS 1", func(t *testing.T) string {
		out, _ := mosquitto(t, s, pub, append(t2, "-V", "mqttv5", "-i", "tenant2-w1", "-q", "1", "-t", "tenant1/to/lambda", "-m", `{"TaskToken":"tenant1-secret","result":"forged"}`)...)
		return "PUBACK 0x87: " + orQuiet(out)
	})
	add("publish forged result to `tenant1/to/lambda`", "mosquitto_pub 3.1.1 QoS 0", func(t *testing.T) string {
		out, _ := mosquitto(t, s, pub, append(t2, "-V", "mqttv311", "-i", "tenant2-w1", "-q", "0", "-t", "tenant1/to/lambda", "-m", `{"result":"forged"}`)...)
		return "connection closed: " + orQuiet(out)
	})
	for _, retain := range []bool{false, true} {
		attempt := "publish forged result to `tenant1/to/lambda`"
		if retain {
			attempt = "retained forged result to `tenant1/to/lambda`"
		}
		add(attempt, "paho v5 QoS 1", func(t *testing.T) string {
			resp, err := paho2(t).Publish(ctxT(t), &paho.Publish{Topic: "tenant1/to/lambda", QoS: 1, Retain: retain, Payload: []byte(`{"result":"forged"}`)})
			require.Error(t, err)
			require.Equal(t, byte(0x87), resp.ReasonCode)
			return "PUBACK 0x87"
		})
	}
	add("forged results reach the `Complete` rule", "rules engine", func(t *testing.T) string {
		_, err := w1.Publish(ctxT(t), &paho.Publish{Topic: "tenant1/to/lambda", QoS: 1, Payload: []byte(`{"result":"real"}`)})
		require.NoError(t, err)
		require.JSONEq(t, `{"result":"real"}`, string((<-invoked).payload))
		return "not invoked: tenant1's own result is the first invocation"
	})

	// 4. Connecting as another thing.
	add("connect with client id `tenant1-w1` (another thing)", "mosquitto_sub v5", func(t *testing.T) string {
		out, ok := mosquitto(t, s, sub, append(t2, "-V", "mqttv5", "-i", "tenant1-w1", "-t", "tenant1/to/worker", "-E")...)
		require.False(t, ok, out)
		return "CONNACK 0x87: " + out
	})
	add("connect with client id `tenant1-w1`", "mosquitto_sub 3.1.1", func(t *testing.T) string {
		out, closed := mosquittoUntilClosed(t, s, sub, append(t2, "-V", "mqttv311", "-i", "tenant1-w1", "-t", "tenant1/to/worker", "-E")...)
		require.True(t, closed, "stepwire did not close the connection: %s", out)
		return "closed by stepwire without CONNACK " + orQuiet(out)
	})
	add("connect with client id `tenant1-w1`", "paho v5", func(t *testing.T) string {
		_, ack, err := dial(t, s, clientTLS(t, s, t2c, t2k), "tenant1-w1")
		require.Error(t, err)
		require.Equal(t, byte(0x87), ack.ReasonCode)
		return "CONNACK 0x87"
	})

	// 5. Certificates that must not connect.
	ic, ik, inactiveID := issue("inactive-w", "tenant1", "TenantWorker")
	require.NoError(t, s.UpdateCertificate(inactiveID, StatusInactive))
	rc, rk, revokedID := issue("revoked-w", "tenant1", "TenantWorker")
	require.NoError(t, s.UpdateCertificate(revokedID, StatusRevoked))
	other, err := pki.NewCA()
	require.NoError(t, err)
	foreign, err := other.IssueClient("tenant1-w1")
	require.NoError(t, err)
	for _, c := range []struct {
		name, id  string
		cert, key []byte
	}{
		{"INACTIVE certificate", "inactive-w", ic, ik},
		{"REVOKED certificate", "revoked-w", rc, rk},
		{"certificate from an unknown CA", "tenant1-w1", foreign.CertPEM, foreign.PrivateKeyPEM},
		{"no client certificate", "tenant1-w1", nil, nil},
	} {
		args := []string{"--cafile", files.ca}
		if c.cert != nil {
			args = files.certFiles(t, strings.ReplaceAll(c.name, " ", "-"), c.cert, c.key)
		}
		add("connect with "+c.name, "mosquitto_sub v5", func(t *testing.T) string {
			out, ok := mosquitto(t, s, sub, append(args, "-V", "mqttv5", "-i", c.id, "-t", "tenant1/to/worker", "-E")...)
			require.False(t, ok, out)
			return "TLS handshake refused: " + out
		})
		add("connect with "+c.name, "paho v5", func(t *testing.T) string {
			_, ack, err := dial(t, s, clientTLS(t, s, c.cert, c.key), c.id)
			require.Error(t, err)
			require.Nil(t, ack)
			return "TLS handshake refused: " + firstLine(err.Error())
		})
	}
	add("connect over plain TCP (no TLS)", "mosquitto_sub v5", func(t *testing.T) string {
		out, closed := mosquittoUntilClosed(t, s, sub, "-V", "mqttv5", "-i", "tenant1-w1", "-t", "tenant1/to/worker", "-E")
		require.True(t, closed, "stepwire did not close the connection: %s", out)
		return "closed by stepwire " + orQuiet(out)
	})

	rows := make([]attackRow, 0, len(attacks))
	t.Cleanup(func() {
		var b strings.Builder
		b.WriteString("\n| # | attempt | client | outcome |\n|---|---|---|---|\n")
		for i, r := range rows {
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", i+1, r.attempt, r.client, r.outcome)
		}
		t.Log(b.String())
	})
	name := strings.NewReplacer("/", "∕", "`", "")
	for i, a := range attacks {
		t.Run(fmt.Sprintf("%02d %s, %s", i+1, name.Replace(a.attempt), a.client), func(t *testing.T) {
			outcome := "FAILED: not refused as expected"
			defer func() { rows = append(rows, attackRow{a.attempt, a.client, outcome}) }()
			outcome = a.run(t)
		})
	}
}

func orQuiet(s string) string {
	if s == "" {
		return "(client printed nothing)"
	}
	return firstLine(s)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.ReplaceAll(s, "|", "/")
}
