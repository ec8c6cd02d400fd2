package iotemu

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// flakyListener fails its first Accept calls with EMFILE, as a process
// out of file descriptors sees.
type flakyListener struct {
	net.Listener
	fails atomic.Int32
}

func (f *flakyListener) Accept() (net.Conn, error) {
	if f.fails.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return f.Listener.Accept()
}

// TestAcceptRetriesEMFILE: the listener backs off and logs on EMFILE, then
// accepts again; Close ends Serve.
func TestAcceptRetriesEMFILE(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	logs := &syncBuffer{}
	l := newMQTTListener("test", "", &tls.Config{}, time.Minute, 10)
	flaky := &flakyListener{Listener: ln}
	flaky.fails.Store(4)
	l.ln = flaky
	require.NoError(t, l.Init(slog.New(slog.NewTextHandler(logs, nil))))
	accepted, served := make(chan net.Conn, 1), make(chan struct{})
	go func() {
		l.Serve(func(_ string, c net.Conn) error { accepted <- c; return nil })
		close(served)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	select {
	case sc := <-accepted:
		_ = sc.Close()
	case <-time.After(30 * time.Second):
		t.Fatal("no connection accepted after EMFILE")
	}
	require.Equal(t, 4, strings.Count(logs.String(), "mqtt accept failed"), logs.String())
	require.Contains(t, logs.String(), "too many open files")
	require.Contains(t, logs.String(), "mqtt accepting connections again")
	l.Close(func(string) {})
	select {
	case <-served:
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after Close")
	}
}

// TestBrokerSurvivesFDExhaustion runs a broker in a child process whose
// file descriptors run out while a client dials; once the child frees
// them, a good client connects.
func TestBrokerSurvivesFDExhaustion(t *testing.T) {
	if os.Getenv("STEPWIRE_EMFILE_CHILD") != "" {
		emfileChild(t)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBrokerSurvivesFDExhaustion$")
	cmd.Env = append(os.Environ(), "STEPWIRE_EMFILE_CHILD="+dir)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = stdin.Close(); _ = cmd.Wait() })
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	awaitLine(t, lines, "EXHAUSTED")
	addr := readFile(t, dir, "addr")
	early, err := net.Dial("tcp", addr) // queued in the backlog: Accept sees EMFILE
	require.NoError(t, err)
	defer early.Close()
	awaitLine(t, lines, "mqtt accept failed")
	_, err = io.WriteString(stdin, "release\n")
	require.NoError(t, err)
	awaitLine(t, lines, "RELEASED")

	cfg := childClientTLS(t, dir)
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 30 * time.Second}, "tcp", addr, cfg)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)))
	_, err = conn.Write(connect311("mqtt-container-client"))
	require.NoError(t, err)
	ack := make([]byte, 4)
	_, err = io.ReadFull(conn, ack)
	require.NoError(t, err)
	require.Equal(t, []byte{0x20, 2, 0, 0}, ack, "CONNACK accepted")
	awaitLine(t, lines, "mqtt accepting connections again")
}

// emfileChild is the child of TestBrokerSurvivesFDExhaustion: it starts
// a broker, writes its address and a client's credentials, exhausts its
// descriptors, and frees them when told to on stdin.
func emfileChild(t *testing.T) {
	dir := os.Getenv("STEPWIRE_EMFILE_CHILD")
	s := startServiceWith(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(os.Stdout, nil))
	})
	require.NoError(t, s.CreatePolicy("OnPremContainer", samplePolicy))
	require.NoError(t, s.CreateThing("mqtt-container-client", nil))
	certPEM, keyPEM, _, err := s.IssueCertificate("mqtt-container-client", "OnPremContainer")
	require.NoError(t, err)
	for name, data := range map[string][]byte{"cert": certPEM, "key": keyPEM, "ca": s.CACertPEM(), "addr": []byte(s.MQTTAddr())} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	held := exhaustFDs(t)
	fmt.Println("EXHAUSTED")
	in := bufio.NewScanner(os.Stdin)
	require.True(t, in.Scan())
	for _, f := range held {
		_ = f.Close()
	}
	fmt.Println("RELEASED")
	for in.Scan() { // until the parent closes stdin
	}
}

// exhaustFDs lowers RLIMIT_NOFILE and opens /dev/null until EMFILE.
func exhaustFDs(t *testing.T) []*os.File {
	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim))
	lim.Cur = 256
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim))
	var held []*os.File
	for {
		f, err := os.Open(os.DevNull)
		if errors.Is(err, syscall.EMFILE) {
			return held
		}
		require.NoError(t, err)
		held = append(held, f)
	}
}

func awaitLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			require.True(t, ok, "child exited before printing %q", want)
			if strings.Contains(l, want) {
				return
			}
		case <-deadline:
			t.Fatalf("child did not print %q", want)
		}
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

// childClientTLS is the TLS configuration of a client of the child's broker.
func childClientTLS(t *testing.T, dir string) *tls.Config {
	t.Helper()
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM([]byte(readFile(t, dir, "ca"))))
	pair, err := tls.X509KeyPair([]byte(readFile(t, dir, "cert")), []byte(readFile(t, dir, "key")))
	require.NoError(t, err)
	return &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
}
