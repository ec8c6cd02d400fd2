package conformance

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/lambdaemu/fnlog"
	"github.com/stepwire/stepwire/emulator/lambdaemu/procenv"
	"github.com/stepwire/stepwire/emulator/lambdaemu/runtimes"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// FunctionsFile is the name of the file, beside a case directory (in its
// parent), that lists the Lambda functions the recorded tests deployed
// where a recording does not hold their results (the README's "Deployed
// functions").
const FunctionsFile = "functions.json"

// functionTimeout is each deployed function's Timeout: long enough for a
// cold start on a loaded machine, within caseTimeout.
const functionTimeout = 15 * time.Second

// functionEnvironments caps each function's processes: one, which
// serves the invocations in turn. The recorded tests' functions answer in
// a millisecond, while starting a process is what costs (a fraction of a
// second, more behind a pyenv shim on a loaded machine).
const functionEnvironments = 1

// Function is one Lambda function a case's test deployed: its code runs
// as a process of its runtime through stepwire's Lambda service whenever
// an unmocked state of the case invokes it. Mocks keep priority: a state
// the case mocks never reaches the function.
type Function struct {
	// Case is the id of the case whose test deployed the function.
	Case string
	// Name is the function as the case's definition names it (a name or
	// an ARN); it is registered under its function name.
	Name string
	// Runtime and Handler as Lambda's CreateFunction takes them.
	Runtime, Handler string
	// CodeDir is the function's code, resolved against the functions
	// file's directory.
	CodeDir string
}

// loadFunctions reads the functions file beside the case directory dir
// and attaches each entry to its case; no file means no functions. An
// entry must name a case of dir, cite that case's test and the file that
// defines the function, and name a function the case's definition calls.
func loadFunctions(dir string, cases []*Case) error {
	path := filepath.Join(filepath.Dir(filepath.Clean(dir)), FunctionsFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load functions: %w", err)
	}
	fns, err := parseFunctions(data, filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("load functions %s: %w", path, err)
	}
	byID := map[string]*Case{}
	for _, c := range cases {
		byID[c.ID] = c
	}
	for _, f := range fns {
		c := byID[f.fn.Case]
		if c == nil {
			return fmt.Errorf("load functions %s: no case %q in %s", path, f.fn.Case, dir)
		}
		if test, _ := str(c.object("source"), "test"); test != f.test {
			return fmt.Errorf("load functions %s: the entry for %s cites test %q, the case was recorded by %q",
				path, f.fn.Case, f.test, test)
		}
		def, _ := c.get("definition")
		if !strings.Contains(jsonv.EncodeString(def), f.fn.Name) {
			return fmt.Errorf("load functions %s: the definition of %s does not name function %q", path, f.fn.Case, f.fn.Name)
		}
		c.Functions = append(c.Functions, f.fn)
	}
	return nil
}

// entry is one parsed entry with the test it cites.
type entry struct {
	fn   Function
	test string
}

func parseFunctions(data []byte, base string) ([]entry, error) {
	v, err := jsonv.Decode(data)
	if err != nil {
		return nil, err
	}
	doc := asObject(v)
	if doc == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	list, _ := doc.Get("functions")
	items, ok := list.([]any)
	if !ok {
		return nil, fmt.Errorf(`no "functions" list`)
	}
	var out []entry
	for i, it := range items {
		o := asObject(it)
		var e entry
		e.fn.Case, _ = str(o, "case")
		e.fn.Name, _ = str(o, "function")
		e.fn.Runtime, _ = str(o, "runtime")
		e.fn.Handler, _ = str(o, "handler")
		code, _ := str(o, "code")
		src, _ := fieldObject(o, "source")
		e.test, _ = str(src, "test")
		file, _ := str(src, "function_file")
		if e.fn.Case == "" || e.fn.Name == "" || e.fn.Runtime == "" || e.fn.Handler == "" || code == "" {
			return nil, fmt.Errorf("entry %d: case, function, runtime, handler and code are required", i)
		}
		if e.test == "" || file == "" {
			return nil, fmt.Errorf("entry %d (%s): source.test and source.function_file are required", i, e.fn.Case)
		}
		if !filepath.IsAbs(code) {
			code = filepath.Join(base, code)
		}
		if e.fn.CodeDir, err = filepath.Abs(code); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// lambdaService runs a case's deployed functions: one Lambda service with
// each function's code in processes of its runtime, and its work directory.
type lambdaService struct {
	svc     *lambdaemu.Service
	workDir string
}

// startFunctions prepares the case's functions; nil when it has none.
func startFunctions(fns []Function) (*lambdaService, error) {
	if len(fns) == 0 {
		return nil, nil
	}
	workDir, err := os.MkdirTemp("", "stepwire-conformance-lambda-")
	if err != nil {
		return nil, fmt.Errorf("deployed functions: %w", err)
	}
	logger := slog.New(slog.DiscardHandler)
	l := &lambdaService{svc: lambdaemu.New(region, account, logger), workDir: workDir}
	for _, f := range fns {
		if err := l.register(f, logger); err != nil {
			l.close()
			return nil, err
		}
	}
	return l, nil
}

func (l *lambdaService) register(f Function, logger *slog.Logger) error {
	name := lambdaemu.FunctionName(f.Name)
	launch, err := runtimes.Prepare(runtimes.Options{Runtime: f.Runtime, Handler: f.Handler, CodeDir: f.CodeDir,
		WorkDir: filepath.Join(l.workDir, name), Logger: logger})
	if err != nil {
		return fmt.Errorf("deployed function %s: %w", name, err)
	}
	env := []string{
		"AWS_REGION=" + region, "AWS_DEFAULT_REGION=" + region,
		"AWS_LAMBDA_FUNCTION_NAME=" + name, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + name, "AWS_LAMBDA_LOG_STREAM_NAME=conformance",
		"_HANDLER=" + f.Handler, "LAMBDA_TASK_ROOT=" + f.CodeDir,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"TZ=:UTC", "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"), "HOME=" + l.workDir,
	}
	spec := procenv.Spec{Name: name, ARN: l.svc.ARN(name), Command: launch.Command, Dir: f.CodeDir,
		Env: append(env, launch.Env...), Timeout: functionTimeout, MemoryMB: 128,
		MaxEnvironments: functionEnvironments, Log: fnlog.NewBook(logger), Logger: logger}
	l.svc.Register(lambdaemu.Function{Name: name, Pool: procenv.New(spec),
		Config: lambdaemu.Configuration{Runtime: f.Runtime, Handler: f.Handler, CodeURI: f.CodeDir,
			Timeout: functionTimeout.Seconds(), MemorySize: 128}})
	return nil
}

// invoke is the Step Functions service's Lambda: the case's functions,
// and Lambda.ResourceNotFoundException for any other.
func (l *lambdaService) invoke(ctx context.Context, fn string, payload []byte) (sfnemu.InvokeResult, error) {
	r, err := l.svc.Invoke(ctx, fn, payload)
	if errors.Is(err, lambdaemu.ErrFunctionNotFound) {
		err = fmt.Errorf("invoke %s: %w", fn, sfnemu.ErrFunctionNotFound)
	}
	return sfnemu.InvokeResult{Payload: r.Payload, FunctionError: r.FunctionError, ExecutedVersion: r.ExecutedVersion}, err
}

// close stops the functions' processes and removes their work directory.
func (l *lambdaService) close() {
	l.svc.Close()
	_ = os.RemoveAll(l.workDir)
}
