//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"

	"github.com/stepwire/stepwire/internal/target"
)

// The sample with the template's Lambdas as the very artifact `make
// deploy` ships: the bootstrap binaries `make lambdas` builds, run by the
// emulator container as processes under the Lambda Runtime API (up
// --lambda-mode process). Each function's log shows a REPORT line with an
// Init Duration: a cold start of its bootstrap process, not an in-process
// call.
func TestSampleOnBootstrapBinaries(t *testing.T) {
	if suiteTarget(t) == target.AWS {
		t.Skip("TARGET=aws: the deployed stack's functions are these bootstrap binaries already; TestSampleAcrossContainers runs them")
	}
	e := setUpWith(t, emulatorOpts{lambdaMode: "process"})
	waitLog(t, e.emulator, 10*time.Second, len(lambdas), "function runs as processes", "/bootstrap")
	e.startWorker(t, "w1", workerOpts{})
	expectSample(t, e.runSample(t))
	for _, fn := range []string{"SendToWorkerFunction", "SendToLambdaFunction"} {
		log := string(fetch(t, e.endpoint+"/_stepwire/logs/"+e.function(t, fn)))
		if countLines(log, "REPORT RequestId:", "Init Duration:") < 1 {
			t.Errorf("%s: no REPORT line with an Init Duration in its log:\n%s", fn, log)
		}
	}
}

// lambdas are the template's functions, each a directory of bin/lambda.
var lambdas = []string{"dispatch", "complete", "cancel"}

// bootstraps are the Lambdas' bootstrap binaries for the image's
// architecture (the host's), copied into the emulator container where
// the template's CodeUri finds them: /bin/lambda/<name>/bootstrap. They are
// copied at start rather than built into an image: 14 MB each would
// take the emulator's image past 60 MB.
func bootstraps(t *testing.T) []testcontainers.ContainerFile {
	t.Helper()
	dir := filepath.Join("..", "bin", "lambda")
	if runtime.GOARCH == "arm64" {
		dir += "-arm64"
	}
	var files []testcontainers.ContainerFile
	for _, name := range lambdas {
		p := filepath.Join(dir, name, "bootstrap")
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%v: run make lambdas first (make e2e does)", err)
		}
		files = append(files, testcontainers.ContainerFile{HostFilePath: p,
			ContainerFilePath: "/bin/lambda/" + name + "/bootstrap", FileMode: 0o755})
	}
	return files
}
