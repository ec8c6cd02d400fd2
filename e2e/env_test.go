//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iot"
	iottypes "github.com/aws/aws-sdk-go-v2/service/iot/types"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/network"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/stepwire/stepwire/internal/stack"
	"github.com/stepwire/stepwire/internal/target"
)

const (
	emulatorImage = "stepwire:dev"
	workerImage   = "stepwire-worker:dev"
	// label marks every container and network the suite creates, so that
	// leftovers of an interrupted run can be found: docker ps -a --filter label=stepwire-e2e.
	label = "stepwire-e2e"
	// runLabel holds the id of the env that created a resource.
	runLabel = "stepwire-e2e.env"
	// policy is the IoT policy the suite creates for its workers (see
	// policyDoc).
	policy = "StepwireE2EWorker"
)

// policyDoc lets the workers connect with any client ID starting with
// e2e-, take jobs from the stack's worker topic (also as a shared
// subscription of any group) and its control topic, and publish results
// and progress to its results topic.
func policyDoc(jobs, results string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/e2e-*"},
 {"Effect":"Allow","Action":"iot:Subscribe","Resource":["arn:aws:iot:*:*:topicfilter/%[1]s",
   "arn:aws:iot:*:*:topicfilter/$share/*/%[1]s","arn:aws:iot:*:*:topicfilter/%[1]s/control"]},
 {"Effect":"Allow","Action":"iot:Receive","Resource":["arn:aws:iot:*:*:topic/%[1]s","arn:aws:iot:*:*:topic/%[1]s/control"]},
 {"Effect":"Allow","Action":["iot:Publish","iot:RetainPublish"],"Resource":["arn:aws:iot:*:*:topic/%[2]s",
   "arn:aws:iot:*:*:topic/%[2]s/progress/*"]}]}`, jobs, results)
}

// env is one test's world: the stack under test, found through its
// DescribeStacks outputs on either target, a docker network, and the
// workers started with startWorker on it. On the containers target (the
// default) the stack is an emulator container on the network (alias
// "stepwire"); with TARGET=aws it is the deployed stack (target_test.go).
// The host drives it over the wire only: the AWS API (SDK) and the docker
// CLI for the faults. Everything the test created is removed when it ends,
// failed or not.
type env struct {
	id   string
	kind target.Kind
	// netName is the workers' network; emulator is nil on AWS.
	netName  string
	emulator *testcontainers.DockerContainer
	aws      aws.Config
	endpoint string
	stack    *stack.Resources
	// caPEM is the broker's CA for the workers; nil on AWS, where the
	// image's CA bundle holds Amazon's root.
	caPEM []byte
	// certs holds each worker's certificate and key, to register them again
	// after the emulator restarts (its registry is in memory).
	certs map[string]workerCert
}

type workerCert struct{ certPEM, keyPEM string }

// emulatorOpts are the emulator container's settings beyond the default.
type emulatorOpts struct {
	// lambdaMode is up's --lambda-mode; "process" copies the bootstrap
	// binaries into the container (process_test.go).
	lambdaMode string
}

func setUp(t *testing.T) *env { return setUpWith(t, emulatorOpts{}) }

// setUpWith sets up the env on the suite's target.
func setUpWith(t *testing.T, o emulatorOpts) *env {
	t.Helper()
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	e := &env{id: os.Getenv(envIDVar), kind: suiteTarget(t), certs: map[string]workerCert{}}
	if e.id == "" {
		e.id = randomID(t)
	}
	if e.kind == target.AWS {
		e.useAWS(t)
	} else {
		e.startEmulator(t, o)
	}
	e.discover(t)
	e.provision(t)
	return e
}

// newNetwork creates the env's own docker network.
func (e *env) newNetwork(t *testing.T) {
	t.Helper()
	nw, err := network.New(context.Background(), network.WithLabels(e.labels()))
	testcontainers.CleanupNetwork(t, nw)
	if err != nil {
		t.Fatal(err)
	}
	e.netName = nw.Name
}

// startEmulator runs the emulator container, the stack of the containers
// target, on a network of its own.
func (e *env) startEmulator(t *testing.T, o emulatorOpts) {
	t.Helper()
	e.newNetwork(t)
	cmd := []string{"up", "--template", "/template.yaml", "--data-dir", "/data",
		"--http", "0.0.0.0:4566", "--mqtt", "0.0.0.0:8883", "--mqtt-host", "stepwire", "--http-host", "stepwire"}
	opts := []testcontainers.ContainerCustomizer{
		testcontainers.WithName(label + "-" + e.id + "-emulator"),
		testcontainers.WithLabels(e.labels()),
		network.WithNetworkName([]string{"stepwire"}, e.netName),
		testcontainers.WithWaitStrategy(wait.ForLog("stepwire is up").WithStartupTimeout(60 * time.Second)),
	}
	if o.lambdaMode != "" {
		cmd = append(cmd, "--lambda-mode", o.lambdaMode)
		opts = append(opts, testcontainers.WithFiles(bootstraps(t)...))
	}
	emu, err := testcontainers.Run(context.Background(), emulatorImage, append(opts, testcontainers.WithCmd(cmd...))...)
	testcontainers.CleanupContainer(t, emu)
	if err != nil {
		t.Fatal(err)
	}
	e.emulator = emu
	e.connect(t)
	e.caPEM = fetch(t, e.endpoint+"/_stepwire/ca")
}

// labels marks the env's containers and network.
func (e *env) labels() map[string]string { return map[string]string{label: "true", runLabel: e.id} }

// connect points the host's AWS clients at the emulator container. The
// host reaches it by its address on the suite's own network (nothing is
// published on the host's ports); a restart may change that address.
func (e *env) connect(t *testing.T) {
	t.Helper()
	ip, err := e.emulator.ContainerIP(context.Background())
	if err != nil || ip == "" {
		t.Fatalf("emulator address: %q %v", ip, err)
	}
	e.endpoint = "http://" + ip + ":4566"
	e.aws = aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(e.endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
}

// provision creates the workers' IoT policy and registers the certificates
// issued so far, as after an emulator restart.
func (e *env) provision(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c := iot.NewFromConfig(e.aws)
	_, err := c.CreatePolicy(ctx, &iot.CreatePolicyInput{PolicyName: aws.String(policy), PolicyDocument: aws.String(policyDoc(e.stack.WorkerTopic, e.stack.ResultsTopic))})
	var exists *iottypes.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		t.Fatal(err)
	}
	for _, cert := range e.certs {
		out, err := c.RegisterCertificateWithoutCA(ctx, &iot.RegisterCertificateWithoutCAInput{
			CertificatePem: aws.String(cert.certPEM), Status: iottypes.CertificateStatusActive})
		if err != nil && !errors.As(err, &exists) {
			t.Fatal(err)
		}
		if err == nil {
			e.attach(t, aws.ToString(out.CertificateArn))
		}
	}
}

func (e *env) attach(t *testing.T, certArn string) {
	t.Helper()
	_, err := iot.NewFromConfig(e.aws).AttachPolicy(context.Background(),
		&iot.AttachPolicyInput{PolicyName: aws.String(policy), Target: aws.String(certArn)})
	if err != nil {
		t.Fatal(err)
	}
}

// issue creates a certificate for worker id, as `stepwire certs issue` does.
func (e *env) issue(t *testing.T, id string) []testcontainers.ContainerFile {
	t.Helper()
	cert, err := iot.NewFromConfig(e.aws).CreateKeysAndCertificate(context.Background(),
		&iot.CreateKeysAndCertificateInput{SetAsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	e.attach(t, aws.ToString(cert.CertificateArn))
	if e.emulator == nil {
		t.Cleanup(func() { e.retire(t, cert) })
	}
	wc := workerCert{certPEM: aws.ToString(cert.CertificatePem), keyPEM: aws.ToString(cert.KeyPair.PrivateKey)}
	e.certs[id] = wc
	file := func(path string, data []byte) testcontainers.ContainerFile {
		return testcontainers.ContainerFile{Reader: bytes.NewReader(data), ContainerFilePath: path, FileMode: 0o644}
	}
	files := []testcontainers.ContainerFile{file("/certs/cert.pem", []byte(wc.certPEM)), file("/certs/priv.key", []byte(wc.keyPEM))}
	if e.caPEM != nil {
		files = append(files, file("/certs/root-CA.crt", e.caPEM))
	}
	return files
}

// caFile is the workers' CA_FILE: the broker's CA, or the image's bundle.
func (e *env) caFile() string {
	if e.caPEM != nil {
		return "/certs/root-CA.crt"
	}
	return "/etc/ssl/certs/ca-certificates.crt"
}

// workerOpts are a worker's settings beyond its certificate.
type workerOpts struct {
	shareGroup   string
	drainTimeout string
}

// startWorker runs a worker container on the stack's topics and IoT data
// endpoint, with client ID e2e-<env id>-<name> (and share group
// <group><env id>), unique to the env, so that tests sharing one deployed
// stack do not meet each other's sessions; it returns once the worker is
// connected and subscribed.
func (e *env) startWorker(t *testing.T, name string, o workerOpts) *testcontainers.DockerContainer {
	t.Helper()
	id := "e2e-" + e.id + "-" + name
	group := ""
	if o.shareGroup != "" {
		group = o.shareGroup + strings.ReplaceAll(e.id, "-", "")
	}
	vars := map[string]string{
		"ENDPOINT": e.stack.MQTTAddress(), "CA_FILE": e.caFile(), "DEVICE_CERT": "/certs/cert.pem",
		"PRIVATE_KEY": "/certs/priv.key", "CLIENT_ID": id,
		"SUBSCRIBE_TOPIC": e.stack.WorkerTopic, "SUBMIT_TOPIC": e.stack.ResultsTopic, "SHARE_GROUP": group,
	}
	var args []string
	if o.drainTimeout != "" {
		args = append(args, "--drain-timeout", o.drainTimeout)
	}
	w, err := testcontainers.Run(context.Background(), workerImage,
		testcontainers.WithName(label+"-"+e.id+"-"+name),
		testcontainers.WithLabels(e.labels()),
		network.WithNetworkName(nil, e.netName),
		testcontainers.WithEnv(vars),
		testcontainers.WithCmd(args...),
		testcontainers.WithFiles(e.issue(t, id)...),
		testcontainers.WithWaitStrategy(wait.ForLog("worker ready").WithStartupTimeout(60*time.Second)))
	testcontainers.CleanupContainer(t, w)
	if err != nil {
		t.Fatal(err)
	}
	// A paused container is unpaused before it is removed (cleanups run
	// last first), so a test that fails mid-pause leaves nothing behind.
	t.Cleanup(func() { _ = dockerQuiet("unpause", w.GetContainerID()) })
	return w
}

// docker runs the docker CLI, failing the test on error.
func docker(t *testing.T, args ...string) {
	t.Helper()
	if err := dockerQuiet(args...); err != nil {
		t.Fatal(err)
	}
}

// dockerQuiet runs the docker CLI with a deadline and returns its error.
func dockerQuiet(args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// logs returns a container's output so far (stdout and stderr).
func logs(t *testing.T, c *testcontainers.DockerContainer) string {
	t.Helper()
	r, err := c.Logs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitLog waits until a line of c's output contains every one of parts,
// at least n times.
func waitLog(t *testing.T, c *testcontainers.DockerContainer, within time.Duration, n int, parts ...string) {
	t.Helper()
	poll(t, within, fmt.Sprintf("%d log lines with %q", n, parts), func() bool {
		return countLines(logs(t, c), parts...) >= n
	})
}

func countLines(s string, parts ...string) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			n++
		}
	}
	return n
}

// poll checks cond every 100 ms until it holds, failing the test after
// within.
func poll(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(100 * time.Millisecond) // polling interval
	}
}

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}

func randomID(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
