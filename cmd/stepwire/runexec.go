package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func runExecution(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	machine := fs.String("state-machine", "", "state machine name or ARN (default: the only one)")
	input := fs.String("input", "{}", "execution input (JSON)")
	endpoint := fs.String("endpoint", "", "emulator API endpoint (default: AWS_ENDPOINT_URL, else <data-dir>/endpoints.json)")
	dataDir := fs.String("data-dir", ".stepwire", "emulator data directory, for endpoints.json")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for the execution to end")
	var progress progressFlags // shown on stderr while waiting; see progresslive.go
	progress.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	progress.endpoint, progress.dataDir = *endpoint, *dataDir
	if !json.Valid([]byte(*input)) {
		return fmt.Errorf("run: --input is not valid JSON")
	}
	cfg, err := sdkConfig(ctx, endpointURL(*endpoint, *dataDir))
	if err != nil {
		return err
	}
	c := sfn.NewFromConfig(cfg)
	arn, err := stateMachineArn(ctx, c, *machine)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	start := time.Now()
	out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(arn), Input: input})
	if err != nil {
		return fmt.Errorf("run: start execution: %w", err)
	}
	fmt.Printf("%s  started %s\n", start.Format("15:04:05.000"), aws.ToString(out.ExecutionArn))
	stopProgress := startProgress(ctx, progress, aws.ToString(out.ExecutionArn))
	desc, err := waitExecution(ctx, c, aws.ToString(out.ExecutionArn))
	stopProgress()
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	fmt.Printf("%s  %s after %s\n", time.Now().Format("15:04:05.000"), desc.Status, time.Since(start).Round(time.Microsecond))
	if desc.Status != types.ExecutionStatusSucceeded {
		return fmt.Errorf("execution %s: error=%q cause=%q", desc.Status, aws.ToString(desc.Error), aws.ToString(desc.Cause))
	}
	fmt.Println(aws.ToString(desc.Output))
	return nil
}

func stateMachineArn(ctx context.Context, c *sfn.Client, ref string) (string, error) {
	if strings.HasPrefix(ref, "arn:") {
		return ref, nil
	}
	list, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil {
		return "", fmt.Errorf("list state machines: %w", err)
	}
	var names []string
	for _, sm := range list.StateMachines {
		if aws.ToString(sm.Name) == ref || (ref == "" && len(list.StateMachines) == 1) {
			return aws.ToString(sm.StateMachineArn), nil
		}
		names = append(names, aws.ToString(sm.Name))
	}
	return "", fmt.Errorf("state machine %q not found (have: %s)", ref, strings.Join(names, ", "))
}

// waitExecution polls DescribeExecution until the execution ends.
func waitExecution(ctx context.Context, c *sfn.Client, arn string) (*sfn.DescribeExecutionOutput, error) {
	delay := time.Millisecond
	for {
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return nil, fmt.Errorf("describe execution: %w", err)
		}
		if d.Status != types.ExecutionStatusRunning && d.Status != types.ExecutionStatusPendingRedrive {
			return d, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %s: %w", arn, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(2*delay, 50*time.Millisecond)
	}
}
