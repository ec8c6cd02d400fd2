package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/aws/smithy-go"
)

// defaultResultsTopic is the template's LambdaTopic default: the results
// topic, under which the workers publish progress.
const defaultResultsTopic = "tenant1/to/lambda"

// iotEndpointEnv names the AWS IoT data endpoint when the flag does not.
const iotEndpointEnv = "STEPWIRE_IOT_ENDPOINT"

const progressUsage = `usage: stepwire progress [flags] EXECUTION_ARN

Shows the latest progress report of each running task of an execution: the
retained messages under <results topic>/progress/<execution name>/, read
with the IoT data plane API (ListRetainedMessages, GetRetainedMessage).
With --follow it then subscribes to those topics, over MQTT over WebSocket
signed with the same credentials, and prints each change until
interrupted.

Against the emulator it uses --endpoint (else AWS_ENDPOINT_URL, else
<data-dir>/endpoints.json). Against AWS, give the account's IoT data
endpoint with --iot-endpoint or STEPWIRE_IOT_ENDPOINT (find it with
"aws iot describe-endpoint --endpoint-type iot:Data-ATS"); the AWS SDK's
default configuration supplies the region and credentials, which need
iot:ListRetainedMessages and iot:GetRetainedMessage (and, to follow,
iot:Connect, iot:Subscribe and iot:Receive).

flags:
`

// progressFlags are the flags that say where progress is read.
type progressFlags struct {
	endpoint, dataDir, iotEndpoint, results string
}

func (f *progressFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.iotEndpoint, "iot-endpoint", "",
		"AWS IoT data endpoint (host or https URL) to read progress from on AWS (default: env "+iotEndpointEnv+")")
	fs.StringVar(&f.results, "results-topic", defaultResultsTopic, "the results topic (the template's LambdaTopic)")
}

func progressCmd(ctx context.Context, args []string) error {
	return progressTo(ctx, os.Stdout, args)
}

func progressTo(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("progress", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), progressUsage)
		fs.PrintDefaults()
	}
	var f progressFlags
	follow := fs.Bool("follow", false, "keep watching: print a line each time a task's progress changes, until interrupted")
	fs.StringVar(&f.endpoint, "endpoint", "", "emulator API endpoint (default: AWS_ENDPOINT_URL, else <data-dir>/endpoints.json)")
	fs.StringVar(&f.dataDir, "data-dir", ".stepwire", "emulator data directory, for endpoints.json")
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || !strings.HasPrefix(fs.Arg(0), "arn:") {
		fs.Usage()
		return errors.New("progress: give one execution ARN")
	}
	api, sub, err := f.target(ctx)
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	retained := newRetainedSource(api, f.results, fs.Arg(0))
	if *follow {
		return followProgress(ctx, newSubscribeSource(retained, sub), w)
	}
	ps, err := retained.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	if len(ps) == 0 {
		fmt.Fprintf(w, "no running task of %s reports progress\n", fs.Arg(0))
		return nil
	}
	now := time.Now()
	for _, p := range ps {
		fmt.Fprintln(w, progressLine(p, now))
	}
	return nil
}

// client is the IoT data plane client: on AWS's account endpoint with the
// SDK's default configuration when an IoT endpoint is given, otherwise on
// the emulator.
func (f progressFlags) client(ctx context.Context) (*iotdataplane.Client, error) {
	api, _, err := f.target(ctx)
	return api, err
}

// target is the IoT data plane client (see client) and where the same
// account's MQTT over WebSocket endpoint is, with the credentials that
// sign the connection: the emulator's AWS endpoint, or AWS's IoT data
// endpoint.
func (f progressFlags) target(ctx context.Context) (*iotdataplane.Client, subscribeTarget, error) {
	iotEndpoint := f.iotEndpoint
	if iotEndpoint == "" {
		iotEndpoint = os.Getenv(iotEndpointEnv)
	}
	if iotEndpoint == "" {
		endpoint := endpointURL(f.endpoint, f.dataDir)
		cfg, err := sdkConfig(ctx, endpoint)
		if err != nil {
			return nil, subscribeTarget{}, err
		}
		return iotdataplane.NewFromConfig(cfg), subscribeTarget{endpoint: endpoint, region: cfg.Region, creds: cfg.Credentials}, nil
	}
	if !strings.Contains(iotEndpoint, "://") {
		iotEndpoint = "https://" + iotEndpoint
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, subscribeTarget{}, fmt.Errorf("load aws config: %w", err)
	}
	api := iotdataplane.NewFromConfig(cfg, func(o *iotdataplane.Options) { o.BaseEndpoint = aws.String(iotEndpoint) })
	return api, subscribeTarget{endpoint: iotEndpoint, region: cfg.Region, creds: cfg.Credentials}, nil
}

// progressLine is one task's line: its reference and job id, a bar, the
// percent, the message (or the report's JSON) and the report's age.
func progressLine(p taskProgress, now time.Time) string {
	job := p.JobID
	if job == "" {
		job = "-"
	}
	age := max(now.Sub(p.Updated), 0).Round(time.Second)
	return fmt.Sprintf("%s  %s  %s  (%s ago)", p.TaskRef, job, progressText(p), age)
}

// progressText is a report as a bar, percent and message.
func progressText(p taskProgress) string {
	if !p.OK {
		return bar(nil) + "       " + clip(string(p.Raw), 80)
	}
	pct := "    --"
	if p.Report.Percent != nil {
		pct = fmt.Sprintf("%5.1f%%", *p.Report.Percent)
	}
	return strings.TrimRight(bar(p.Report.Percent)+" "+pct+" "+clip(p.Report.Message, 80), " ")
}

// barWidth is the number of cells of a progress bar.
const barWidth = 20

// bar draws percent as [#####     ]; an unknown percent is an empty bar.
func bar(percent *float64) string {
	n := 0
	if percent != nil {
		n = min(max(int(*percent*barWidth/100), 0), barWidth)
	}
	return "[" + strings.Repeat("#", n) + strings.Repeat(" ", barWidth-n) + "]"
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func isNotFound(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "ResourceNotFoundException"
}
