package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stepwire/stepwire/emulator/lambdaemu/fnlog"
	"github.com/stepwire/stepwire/emulator/lambdaemu/procenv"
	"github.com/stepwire/stepwire/emulator/lambdaemu/runtimes"
)

// BenchmarkLambdaRuntimes measures, per runtime, a cold start (a new
// execution environment's first invocation through the Runtime API) and a
// warm invocation's latency, p50 and p99 (docs/lambda.md §2.1). It prints
// one line per runtime: lambda_<runtime>_cold_ms=… warm_p50_ms=… warm_p99_ms=….
func BenchmarkLambdaRuntimes(b *testing.B) {
	for _, rt := range []struct{ name, runtime, dir, handler string }{
		{"go", "provided.al2023", "../emulator/testdata/lambda/gofn", "bootstrap"},
		{"python", "python3.12", "../emulator/testdata/lambda/pyfn", "probe.handler"},
		{"node", "nodejs20.x", "../emulator/testdata/lambda/nodefn", "index.handler"},
	} {
		b.Run(rt.name, func(b *testing.B) {
			dir, _ := filepath.Abs(rt.dir)
			l, err := runtimes.Prepare(runtimes.Options{Runtime: rt.runtime, Handler: rt.handler, CodeDir: dir, WorkDir: b.TempDir()})
			if err != nil {
				b.Skipf("runtime %s: %v", rt.runtime, err)
			}
			env := append([]string{"_HANDLER=" + rt.handler, "LAMBDA_TASK_ROOT=" + dir, "AWS_REGION=us-east-1",
				"AWS_DEFAULT_REGION=us-east-1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x", "PATH=/usr/bin:/bin"}, l.Env...)
			spec := procenv.Spec{Name: rt.name, ARN: "arn:aws:lambda:us-east-1:123456789012:function:" + rt.name,
				Command: l.Command, Dir: dir, Env: env, Timeout: 10 * time.Second, MemoryMB: 128, Log: fnlog.NewBook(discard())}
			var cold []time.Duration
			for range 5 {
				p := procenv.New(spec)
				cold = append(cold, timeInvoke(b, p))
				p.Close()
			}
			p := procenv.New(spec)
			defer p.Close()
			timeInvoke(b, p)
			var warm []time.Duration
			for range 300 {
				warm = append(warm, timeInvoke(b, p))
			}
			fmt.Printf("lambda_%s_cold_ms=%.1f lambda_%s_warm_p50_ms=%.3f lambda_%s_warm_p99_ms=%.3f\n",
				rt.name, ms(pct(cold, 50)), rt.name, ms(pct(warm, 50)), rt.name, ms(pct(warm, 99)))
		})
	}
}

func timeInvoke(b *testing.B, p *procenv.Pool) time.Duration {
	t0 := time.Now()
	r, err := p.Invoke(context.Background(), []byte(`{"op":"pid"}`))
	if err != nil || r.FunctionError {
		b.Fatalf("invoke: %v %s", err, r.Payload)
	}
	return time.Since(t0)
}

func pct(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
