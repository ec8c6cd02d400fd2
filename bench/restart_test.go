package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepwire/stepwire/emulator"
)

const (
	restartThings   = 10000
	restartMachines = 500
)

// BenchmarkRestart fills a durable emulator with 10,000 things and 500
// state machines with a version each, closes it, and reports how long a
// new one takes to be ready on the same data dir and the state file's
// size (docs/durability.md §5). BenchmarkRestartExecutions does the same
// with executions.
func BenchmarkRestart(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	e := startDurable(b, dir)
	for i := range restartThings {
		if err := e.IoT.CreateThing(fmt.Sprintf("thing-%05d", i), map[string]string{"site": "berlin"}); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.IoT.SaveRegistry(); err != nil {
		b.Fatal(err)
	}
	c := sfn.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(e.Endpoints().HTTP),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	for i := range restartMachines {
		_, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(fmt.Sprintf("m-%04d", i)),
			Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`),
			RoleArn:    aws.String("arn:aws:iam::123456789012:role/r"), Publish: true})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		begin := time.Now()
		e := startDurable(b, dir)
		ready := time.Since(begin)
		b.StopTimer()
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(dir, emulator.StateFile))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(ms(ready), "restart_ms")
		fmt.Printf("restart_ms=%.1f (things=%d state_machines=%d) restart_state_file_kib=%d\n",
			ms(ready), restartThings, restartMachines, st.Size()/1024)
		b.StartTimer()
	}
}

func startDurable(b *testing.B, dir string) *emulator.Emulator {
	b.Helper()
	e, err := emulator.New(emulator.Config{DataDir: dir, Durable: true, Logger: slog.New(slog.DiscardHandler),
		HTTPAddr: "127.0.0.1:0", MQTTAddr: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	return e
}
