package scenarios

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// Result is what a run produced: the executions, the MQTT messages and the
// log records, as of the end (or of a step's expectations).
type Result struct {
	// Status, Output, Error, Cause, Elapsed and History are those of the
	// first execution started.
	Status, Output, Error, Cause string
	Elapsed                      time.Duration
	History                      []string
	// Transcript is every execution's normalised history and the MQTT
	// trace, for golden-file comparison (transcript.go).
	Transcript string

	// wall says the times were measured on the wall clock: elapsed then
	// allows for latency (wallSlack).
	wall  bool
	execs map[string]execResult
	order []string
	mqtt  []seenMessage
	logs  []logRecord
}

// execResult is one execution as DescribeExecution and
// GetExecutionHistory show it.
type execResult struct {
	Status, Output, Error, Cause string
	At, Elapsed                  time.Duration // end since the scenario began; end since start
	Ended                        bool
	Events                       []map[string]json.RawMessage // history events as on the wire
}

// snapshot reads the state of every execution, the MQTT messages seen and
// the log records.
func (r *runner) snapshot(ctx context.Context) (Result, error) {
	res := Result{wall: r.fake == nil, execs: map[string]execResult{}, order: r.order, logs: r.book.snapshot(), mqtt: r.observer.messages()}
	for _, c := range r.clients {
		res.mqtt = append(res.mqtt, c.messages()...)
	}
	for _, name := range r.order {
		e, err := r.readExecution(ctx, r.execs[name])
		if err != nil {
			return res, err
		}
		res.execs[name] = e
	}
	if len(r.order) > 0 {
		m := res.execs[r.order[0]]
		res.Status, res.Output, res.Error, res.Cause, res.Elapsed = m.Status, m.Output, m.Error, m.Cause, m.Elapsed
		for _, ev := range m.Events {
			var typ string
			_ = json.Unmarshal(ev["type"], &typ)
			res.History = append(res.History, typ)
		}
	}
	res.Transcript = transcript(res)
	return res, nil
}

func (r *runner) readExecution(ctx context.Context, arn string) (execResult, error) {
	d, err := r.sfn.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		return execResult{}, fmt.Errorf("describe execution: %w", err)
	}
	e := execResult{Status: string(d.Status), Output: aws.ToString(d.Output), Error: aws.ToString(d.Error), Cause: aws.ToString(d.Cause)}
	if d.StopDate != nil {
		e.Ended = true
		e.At = d.StopDate.Sub(r.t0).Round(time.Millisecond)
		e.Elapsed = d.StopDate.Sub(aws.ToTime(d.StartDate)).Round(time.Millisecond)
	}
	e.Events, err = rawHistory(ctx, r.w, arn)
	return e, err
}

// rawHistory reads an execution's history as the wire carries it (awsJson
// 1.0), so that expectations name the fields as the API documents them.
// The request is signed with the world's credentials (SigV4), as the SDK
// would sign it.
func rawHistory(ctx context.Context, w *world, arn string) ([]map[string]json.RawMessage, error) {
	var out []map[string]json.RawMessage
	next := ""
	for {
		req := map[string]any{"executionArn": arn, "maxResults": 1000}
		if next != "" {
			req["nextToken"] = next
		}
		body, _ := json.Marshal(req)
		hr, err := http.NewRequestWithContext(ctx, http.MethodPost, w.api+"/", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		hr.Header.Set("Content-Type", "application/x-amz-json-1.0")
		hr.Header.Set("X-Amz-Target", "AWSStepFunctions.GetExecutionHistory")
		if err := sign(ctx, w.cfg, hr, body); err != nil {
			return nil, fmt.Errorf("get execution history: %w", err)
		}
		resp, err := httpClient(w.cfg).Do(hr)
		if err != nil {
			return nil, fmt.Errorf("get execution history: %w", err)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("get execution history: %s %s %v", resp.Status, b, err)
		}
		var page struct {
			Events    []map[string]json.RawMessage `json:"events"`
			NextToken string                       `json:"nextToken"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, fmt.Errorf("get execution history: %w", err)
		}
		out = append(out, page.Events...)
		if next = page.NextToken; next == "" {
			return out, nil
		}
	}
}

// sign signs a Step Functions request with cfg's credentials, if any.
func sign(ctx context.Context, cfg aws.Config, req *http.Request, body []byte) error {
	if cfg.Credentials == nil {
		return nil
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "states", cfg.Region, time.Now())
}

func httpClient(cfg aws.Config) aws.HTTPClient {
	if cfg.HTTPClient != nil {
		return cfg.HTTPClient
	}
	return http.DefaultClient
}
