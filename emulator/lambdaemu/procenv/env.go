package procenv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/stepwire/stepwire/emulator/lambdaemu/fnlog"
)

// env is one execution environment: a process and the Runtime API
// listener it alone talks to (docs/lambda.md §1: each environment has its
// own host:port, as AWS_LAMBDA_RUNTIME_API must be a bare host:port).
type env struct {
	spec    *Spec
	ln      net.Listener
	srv     *http.Server
	cmd     *exec.Cmd
	started time.Time

	work    chan *invocation // handed to the runtime by /next
	exited  chan struct{}    // closed when the process has ended
	exitErr error            // set before exited is closed

	mu       sync.Mutex
	cur      *invocation // handed out, awaiting /response or /error
	initErr  []byte      // body of /init/error
	initDur  time.Duration
	ready    bool // the runtime reached /next at least once
	lastUsed time.Time
}

// invocation is one request travelling through an environment.
type invocation struct {
	id        string
	payload   []byte
	log       *fnlog.Invocation
	delivered chan struct{} // closed when /next hands the invocation out
	done      chan outcome  // the runtime's answer, buffered
	deadline  time.Time
}

type outcome struct {
	body  []byte
	fnErr bool
}

// startEnv starts a process and its Runtime API listener.
func startEnv(spec *Spec) (*env, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime api listener: %w", err)
	}
	e := &env{spec: spec, ln: ln, work: make(chan *invocation), exited: make(chan struct{}), started: time.Now()}
	e.srv = &http.Server{Handler: e.runtimeAPI(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.srv.Serve(ln) }()
	if err := e.startProcess(); err != nil {
		_ = e.srv.Close()
		return nil, err
	}
	return e, nil
}

func (e *env) startProcess() error {
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("output pipe: %w", err)
	}
	cmd := exec.Command(e.spec.Command[0], e.spec.Command[1:]...)
	cmd.Dir = e.spec.Dir
	cmd.Env = append(append([]string(nil), e.spec.Env...), "AWS_LAMBDA_RUNTIME_API="+e.ln.Addr().String())
	cmd.Stdout, cmd.Stderr = w, w
	// Its own process group, so that Close kills what the runtime starts
	// too; and killed with the emulator should the emulator die first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = r.Close()
		_ = w.Close()
		return err
	}
	_ = w.Close()
	e.cmd = cmd
	go e.readOutput(r)
	go func() {
		err := cmd.Wait()
		e.mu.Lock()
		e.exitErr = err
		e.mu.Unlock()
		close(e.exited)
	}()
	return nil
}

// readOutput sends each line the process writes to the current
// invocation's log, or to the function's log during init. Lines longer
// than fnlog.MaxLineLen are cut.
func (e *env) readOutput(r io.ReadCloser) {
	defer func() { _ = r.Close() }()
	br := bufio.NewReaderSize(r, fnlog.MaxLineLen)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			e.logLine(string(line))
			for errors.Is(err, bufio.ErrBufferFull) { // skip the rest of a long line
				_, err = br.ReadSlice('\n')
			}
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
}

func (e *env) logLine(line string) {
	e.mu.Lock()
	cur := e.cur
	e.mu.Unlock()
	if cur != nil {
		cur.log.Line(line)
		return
	}
	e.spec.Log.Line(e.spec.Name, line)
}

// kill ends the process group and the listener and waits for the process.
func (e *env) kill() {
	if e.cmd != nil && e.cmd.Process != nil {
		_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
		<-e.exited
	}
	_ = e.srv.Close()
}

// dead reports whether the process has ended.
func (e *env) dead() bool {
	select {
	case <-e.exited:
		return true
	default:
		return false
	}
}

// exitError returns how the process ended.
func (e *env) exitError() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.exitErr
}

// maxMemoryMB reads the process's peak resident memory (VmHWM) from
// /proc; 0 when it cannot.
func (e *env) maxMemoryMB() int {
	if e.cmd == nil || e.cmd.Process == nil {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(e.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return (kb + 1023) / 1024
		}
	}
	return 0
}
