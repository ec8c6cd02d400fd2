package bench

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/iotemu/pki"
)

// brokerMosquittoPath is Debian's mosquitto broker.
const brokerMosquittoPath = "/usr/sbin/mosquitto"

func mosquittoAvailable() bool {
	_, err := os.Stat(brokerMosquittoPath)
	return err == nil
}

// mosquittoBroker starts Debian's mosquitto with the equivalent of
// stepwire's setup: TLS 1.2+, 100 QoS 1 messages in flight per client, a required client certificate from the CA,
// the certificate CN as identity, and an ACL confining each client to
// bench/<CN>. The process is killed when the benchmark ends.
func mosquittoBroker(b *testing.B) *brokerTarget {
	dir := b.TempDir()
	ca, server, clients := brokerPKI(b)
	keyDER, err := x509.MarshalECPrivateKey(server.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		b.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			b.Fatal(err)
		}
		return p
	}
	caFile := write("ca.pem", ca.CertPEM)
	certFile := write("server.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate[0]}))
	keyFile := write("server.key", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	aclFile := write("acl", []byte("pattern readwrite bench/%u\n"))
	port := brokerFreePort(b)
	conf := write("mosquitto.conf", []byte(fmt.Sprintf(`per_listener_settings false
user %s
persistence false
log_dest stderr
log_type error
allow_anonymous false
acl_file %s
max_queued_messages 100000
max_inflight_messages 100
listener %d 127.0.0.1
cafile %s
certfile %s
keyfile %s
tls_version tlsv1.2
require_certificate true
use_identity_as_username true
`, brokerUser(), aclFile, port, caFile, certFile, keyFile)))
	cmd := exec.Command(brokerMosquittoPath, "-c", conf)
	var stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			_ = c.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("mosquitto did not listen on %s: %s", addr, stderr.String())
		}
		time.Sleep(10 * time.Millisecond) // polling with a deadline
	}
	return &brokerTarget{name: "mosquitto", addr: addr, client: clients}
}

// brokerPKI makes what a broker other than stepwire's needs for the
// benchmark: a throwaway CA, a server certificate for 127.0.0.1 and the
// clients' TLS configurations (CN brokerClientID(i)).
func brokerPKI(b *testing.B) (*pki.CA, tls.Certificate, func(i int) *tls.Config) {
	ca, err := pki.NewCA()
	if err != nil {
		b.Fatal(err)
	}
	server, err := ca.IssueServer([]string{"localhost", "127.0.0.1"})
	if err != nil {
		b.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	cfgs := make([]*tls.Config, brokerManyClients)
	for i := range cfgs {
		iss, err := ca.IssueClient(brokerClientID(i))
		if err != nil {
			b.Fatal(err)
		}
		pair, err := tls.X509KeyPair(iss.CertPEM, iss.PrivateKeyPEM)
		if err != nil {
			b.Fatal(err)
		}
		cfgs[i] = &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	return ca, server, func(i int) *tls.Config { return cfgs[i%len(cfgs)] }
}

// lockedBuffer collects a child process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// brokerUser keeps mosquitto, when started as root, as the same user, so
// it can read the test's private temporary files.
func brokerUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "root"
}

func brokerFreePort(b *testing.B) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
