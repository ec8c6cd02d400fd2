package emulator

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/lambdaemu"
	"github.com/stepwire/stepwire/emulator/lambdaemu/procenv"
	"github.com/stepwire/stepwire/emulator/lambdaemu/runtimes"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/uuid"
)

// The Lambda modes of Config.LambdaMode.
const (
	LambdaInProcess = "inprocess"
	LambdaProcess   = "process"
)

// registerProcessFunction binds f to execution environments running its
// own code as processes (docs/lambda.md §2, §3).
func (e *Emulator) registerProcessFunction(f template.Function, templateDir string) error {
	codeDir := f.CodeURI
	if !filepath.IsAbs(codeDir) {
		codeDir = filepath.Join(templateDir, codeDir)
	}
	codeDir, err := filepath.Abs(codeDir)
	if err != nil {
		return fmt.Errorf("function %s: CodeUri %s: %w", f.LogicalID, f.CodeURI, err)
	}
	workDir, err := filepath.Abs(filepath.Join(e.cfg.DataDir, "lambda", f.Name))
	if err != nil {
		return fmt.Errorf("function %s: %w", f.LogicalID, err)
	}
	launch, err := runtimes.Prepare(runtimes.Options{Runtime: f.Runtime, Handler: f.Handler, CodeDir: codeDir,
		WorkDir: workDir, Logger: e.cfg.Logger.With("function", f.Name)})
	if err != nil {
		return fmt.Errorf("function %s: %w", f.LogicalID, err)
	}
	env, err := e.lambdaEnv(f, codeDir)
	if err != nil {
		return fmt.Errorf("function %s: %w", f.LogicalID, err)
	}
	spec := procenv.Spec{Name: f.Name, ARN: e.Lambda.ARN(f.Name), Command: launch.Command, Dir: codeDir,
		Env: append(env, launch.Env...), Timeout: time.Duration(f.Timeout * float64(time.Second)),
		MemoryMB: f.MemorySize, IdleTimeout: e.cfg.LambdaIdleTimeout, Log: e.Lambda.Logs(),
		Logger: e.cfg.Logger.With("function", f.Name)}
	spec.Reserved = f.ReservedConcurrency // past it, throttled as on AWS; 0 throttles all
	e.Lambda.Register(lambdaemu.Function{Name: f.Name, Pool: procenv.New(spec), Config: functionConfig(f)})
	e.cfg.Logger.Info("function runs as processes", "function", f.Name, "runtime", f.Runtime, "command", launch.Command[0])
	return nil
}

// reservedVariables are the keys Lambda sets itself, which a function's
// Environment may not set (docs/lambda.md §2.2).
var reservedVariables = []string{"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
	"LAMBDA_RUNTIME_DIR"}

// lambdaEnv is the environment of f's processes: the variables Lambda
// sets, credentials and the endpoint that reach the emulator, the host's
// PATH, and f's own Environment.Variables last.
func (e *Emulator) lambdaEnv(f template.Function, codeDir string) ([]string, error) {
	key, secret, token := "test", "test", ""
	if len(e.cfg.Credentials) > 0 {
		c := e.cfg.Credentials[0]
		key, secret, token = c.AccessKeyID, c.SecretAccessKey, c.SessionToken
	}
	env := []string{
		"AWS_REGION=" + e.cfg.Region, "AWS_DEFAULT_REGION=" + e.cfg.Region,
		"AWS_LAMBDA_FUNCTION_NAME=" + f.Name, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(f.MemorySize),
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + f.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME=" + time.Now().UTC().Format("2006/01/02") + "/[$LATEST]" + strings.ReplaceAll(uuid.New(), "-", ""),
		"_HANDLER=" + f.Handler, "LAMBDA_TASK_ROOT=" + codeDir,
		"AWS_ACCESS_KEY_ID=" + key, "AWS_SECRET_ACCESS_KEY=" + secret,
		"AWS_ENDPOINT_URL=" + e.ends.HTTP,
		// Keep the user's own AWS configuration and profiles out.
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"TZ=:UTC", "LANG=en_US.UTF-8", "PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(),
	}
	if token != "" {
		env = append(env, "AWS_SESSION_TOKEN="+token)
	}
	keys := make([]string, 0, len(f.Environment))
	for k := range f.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, r := range reservedVariables {
			if k == r {
				return nil, fmt.Errorf("environment variable %s is reserved by Lambda and cannot be set", k)
			}
		}
		env = append(env, k+"="+f.Environment[k])
	}
	return env, nil
}
