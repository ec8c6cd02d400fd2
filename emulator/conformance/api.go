package conformance

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/conformance/casematch"
)

// runAPI replays a case's API calls and compares the last one's answer.
func runAPI(ctx context.Context, e *env, c *Case, exp *jsonv.Object) error {
	api := c.object("api")
	callsV, _ := api.Get("calls")
	calls, _ := callsV.([]any)
	var results []*jsonv.Object
	var last *jsonv.Object
	var lastErr *APIError
	for i, cv := range calls {
		call := asObject(cv)
		op, _ := str(call, "action")
		params, _ := call.Get("params")
		if params == nil {
			params = jsonv.NewObject(0)
		}
		params = substitute(params, results)
		if op == "WaitForExecution" {
			if err := waitFor(ctx, e, asObject(params)); err != nil {
				return fmt.Errorf("call %d: %w", i, err)
			}
			results = append(results, jsonv.NewObject(0))
			continue
		}
		last, lastErr = e.api.call(op, params)
		if last == nil {
			last = jsonv.NewObject(0)
		}
		results = append(results, last)
	}
	return compareAPI(exp, last, lastErr)
}

// compareAPI checks the last call's error or response.
func compareAPI(exp, last *jsonv.Object, lastErr *APIError) error {
	if want := asObject(valueOf(exp, "api_error")); want != nil {
		code, _ := str(want, "code")
		msg, _ := str(want, "message")
		if lastErr == nil {
			return fmt.Errorf("succeeded with %s, want %s: %s", short(jsonv.EncodeString(last), 300), code, msg)
		}
		if lastErr.Code != code || !casematch.String(msg, lastErr.Message) {
			return fmt.Errorf("error %s: %s\n    want  %s: %s", lastErr.Code, lastErr.Message, code, msg)
		}
		return nil
	}
	if want, ok := exp.Get("api_response"); ok {
		if lastErr != nil {
			return fmt.Errorf("error %s: %s, want %s", lastErr.Code, lastErr.Message, short(jsonv.EncodeString(want), 300))
		}
		if !casematch.Value(want, last) {
			return fmt.Errorf("response %s\n    want     %s", jsonv.EncodeString(last), jsonv.EncodeString(want))
		}
		return nil
	}
	return fmt.Errorf("api case expects neither api_error nor api_response")
}

func valueOf(o *jsonv.Object, key string) any {
	v, _ := o.Get(key)
	return v
}

var refPattern = regexp.MustCompile(`\$\{([^}]+)\}`)

// substitute replaces ${N.field}, ${roleArn}, ${region} and ${account} in
// every string of v.
func substitute(v any, results []*jsonv.Object) any {
	switch x := v.(type) {
	case string:
		return refPattern.ReplaceAllStringFunc(x, func(ref string) string {
			return resolve(ref[2:len(ref)-1], results, ref)
		})
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = substitute(x[i], results)
		}
		return out
	case *jsonv.Object:
		out := jsonv.NewObject(x.Len())
		for _, m := range x.Members {
			out.Set(m.Key, substitute(m.Value, results))
		}
		return out
	}
	return v
}

func resolve(ref string, results []*jsonv.Object, orig string) string {
	switch ref {
	case "roleArn":
		return roleArn
	case "region":
		return region
	case "account":
		return account
	}
	idx, path, ok := strings.Cut(ref, ".")
	var n int
	if _, err := fmt.Sscanf(idx, "%d", &n); err != nil || !ok || n >= len(results) {
		return orig
	}
	var cur any = results[n]
	for _, k := range strings.Split(path, ".") {
		cur = valueOf(asObject(cur), k)
	}
	if s, ok := cur.(string); ok {
		return s
	}
	if cur == nil {
		return orig
	}
	return jsonv.EncodeString(cur)
}

// waitFor moves the virtual clock until the execution reaches the state
// WaitForExecution names: started, succeeded, terminated or aborted.
func waitFor(ctx context.Context, e *env, p *jsonv.Object) error {
	arn, _ := str(p, "executionArn")
	until, _ := str(p, "until")
	for {
		out, err := e.svc.DescribeExecution(ctx, arn)
		if err != nil {
			return fmt.Errorf("WaitForExecution: %w", err)
		}
		if reached(until, string(out.Status)) {
			return nil
		}
		if !e.clk.FireNext() {
			select {
			case <-ctx.Done():
				return fmt.Errorf("WaitForExecution %s: %w", until, ctx.Err())
			case <-time.After(100 * time.Microsecond):
			}
		}
	}
}

func reached(until, status string) bool {
	switch until {
	case "started":
		return true
	case "succeeded":
		return status == "SUCCEEDED"
	case "aborted":
		return status == "ABORTED"
	}
	return status != "RUNNING"
}
