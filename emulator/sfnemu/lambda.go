package sfnemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/asl"
	"github.com/stepwire/stepwire/emulator/asl/jsonv"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/hop"
	"github.com/stepwire/stepwire/internal/jsonobj"
	"github.com/stepwire/stepwire/internal/uuid"
)

// Resources the emulator can run.
const (
	resourceInvoke     = "arn:aws:states:::lambda:invoke"
	resourceInvokeWait = "arn:aws:states:::lambda:invoke.waitForTaskToken"
	legacyLambdaPrefix = "arn:aws:lambda:"
)

// runTask runs one Task attempt and returns the event that reports its
// outcome (nil when the service is closing or the outcome was delivered).
// Executions started with a test case (run not nil) go through the mock
// config.
func (s *Service) runTask(e *execution, run *mockRun, c interp.InvokeTask) interp.Event {
	if run != nil {
		return s.runMocked(e, run, c)
	}
	return s.runResource(e, c)
}

// runResource runs one Task attempt's resource for real.
func (s *Service) runResource(e *execution, c interp.InvokeTask) interp.Event {
	switch {
	case c.Resource == resourceInvoke || c.Resource == resourceInvokeWait:
		return s.runInvoke(e, c)
	case strings.HasPrefix(c.Resource, legacyLambdaPrefix):
		return s.runLegacyLambda(e, c)
	}
	return taskFailed(c.TaskID, string(asl.StatesRuntime), fmt.Sprintf(
		"stepwire cannot run the resource '%s' of state '%s': it runs only "+
			"arn:aws:states:::lambda:invoke[.waitForTaskToken] and arn:aws:lambda:...:function:... resources",
		c.Resource, c.StateName))
}

// invokeParams are the Parameters of a lambda:invoke Task.
type invokeParams struct {
	FunctionName   string          `json:"FunctionName"`
	Payload        json.RawMessage `json:"Payload"`
	Qualifier      string          `json:"Qualifier"`
	InvocationType string          `json:"InvocationType"`
}

// invokeParamKeys are invokeParams' JSON names, in struct order.
var invokeParamKeys = [...]string{"FunctionName", "Payload", "Qualifier", "InvocationType"}

// decodeInvokeParams decodes a lambda:invoke Task's Parameters as
// json.Unmarshal does, without reflection when they are plain
// (jsonobj.Plain), as the interpreter writes them.
func decodeInvokeParams(params []byte) (invokeParams, error) {
	var p invokeParams
	if jsonobj.Plain(params, invokeParamKeys[:], p.set) {
		return p, nil
	}
	p = invokeParams{}
	err := json.Unmarshal(params, &p)
	return p, err
}

// set stores value, a member's JSON text, in the field invokeParamKeys[field]
// names, if it is plain.
func (p *invokeParams) set(field int, value []byte) bool {
	switch field {
	case 0:
		return jsonobj.SetString(&p.FunctionName, value)
	case 1:
		return jsonobj.SetRaw(&p.Payload, value)
	case 2:
		return jsonobj.SetString(&p.Qualifier, value)
	case 3:
		return jsonobj.SetString(&p.InvocationType, value)
	}
	return false
}

// runInvoke runs arn:aws:states:::lambda:invoke[.waitForTaskToken]: the
// function gets Payload as its event; the result is Lambda's Invoke
// response. InvocationType "Event" answers 202 at once and runs the
// function in the background.
func (s *Service) runInvoke(e *execution, c interp.InvokeTask) interp.Event {
	p, err := decodeInvokeParams(c.Parameters)
	if err != nil || p.FunctionName == "" {
		return taskFailed(c.TaskID, string(asl.StatesRuntime), fmt.Sprintf(
			"The Parameters of state '%s' must be an object with a string field 'FunctionName'", c.StateName))
	}
	payload := []byte(p.Payload)
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if p.InvocationType == "Event" {
		s.spawn(e, "the Event invocation of state '"+c.StateName+"'", func() { s.invoke(e, c.TaskID, p.FunctionName, payload) })
		return interp.TaskInvoked{TaskID: c.TaskID, Output: s.invokeResponse(InvokeResult{Payload: []byte(`""`)}, 202)}
	}
	res, ev, err := s.invoke(e, c.TaskID, p.FunctionName, payload)
	if err != nil || ev != nil {
		return ev
	}
	return interp.TaskInvoked{TaskID: c.TaskID, Output: s.invokeResponse(res, 200)}
}

// runLegacyLambda runs a Lambda function ARN resource: the function gets
// the effective parameters and its payload is the task result.
func (s *Service) runLegacyLambda(e *execution, c interp.InvokeTask) interp.Event {
	res, ev, err := s.invoke(e, c.TaskID, c.Resource, c.Parameters)
	if err != nil || ev != nil {
		return ev
	}
	out := json.RawMessage(res.Payload)
	if !json.Valid(out) {
		out, _ = json.Marshal(string(res.Payload))
	}
	return interp.TaskInvoked{TaskID: c.TaskID, Output: out}
}

// ErrFunctionNotFound is the error Config.Invoke returns (wrapped or not)
// for a function that does not exist: the task fails with
// Lambda.ResourceNotFoundException.
var ErrFunctionNotFound = errors.New("function not found")

// invoke calls cfg.Invoke and turns failures into TaskFailed: a function
// error carries the payload's errorType and the payload as cause; a missing
// function is Lambda.ResourceNotFoundException; any other failed call is
// Lambda.ServiceException with the error's text in the cause. The event is
// nil on success; errClosed reports a call cut short by Close.
func (s *Service) invoke(e *execution, taskID, function string, payload []byte) (InvokeResult, interp.Event, error) {
	if s.hopsOn() {
		hop.Log(context.Background(), s.log, "dispatch", "function", function, "executionArn", e.arn)
	}
	if s.cfg.Invoke == nil {
		return InvokeResult{}, s.functionNotFound(taskID, function), nil
	}
	res, err := s.cfg.Invoke(s.ctx, function, payload)
	switch {
	case s.ctx.Err() != nil:
		return InvokeResult{}, nil, errClosed
	case errors.Is(err, ErrFunctionNotFound):
		return InvokeResult{}, s.functionNotFound(taskID, function), nil
	case err != nil:
		s.log.Warn("lambda invoke failed", "function", function, "err", err)
		return InvokeResult{}, serviceException(taskID, err), nil
	case res.FunctionError != "":
		return InvokeResult{}, functionError(taskID, res), nil
	}
	return res, nil, nil
}

// errClosed reports work abandoned because the service closed.
var errClosed = errors.New("sfnemu: service closed")

func functionError(taskID string, res InvokeResult) interp.Event {
	var body struct {
		ErrorType string `json:"errorType"`
	}
	_ = json.Unmarshal(res.Payload, &body)
	name := body.ErrorType
	if name == "" {
		name = res.FunctionError
	}
	return taskFailed(taskID, name, string(res.Payload))
}

func (s *Service) functionNotFound(taskID, function string) interp.Event {
	fnArn := function
	if !strings.HasPrefix(fnArn, legacyLambdaPrefix) {
		fnArn = arn.LambdaFunction(s.cfg.Region, s.cfg.Account, function)
	}
	return taskFailed(taskID, "Lambda.ResourceNotFoundException", fmt.Sprintf(
		"Function not found: %s (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: %s; Proxy: null)",
		fnArn, uuid.New()))
}

// serviceException is a Lambda call that failed for another reason than a
// missing function, with the cause in the shape of AWS's service errors.
func serviceException(taskID string, err error) interp.Event {
	return taskFailed(taskID, "Lambda.ServiceException", fmt.Sprintf(
		"%s (Service: AWSLambda; Status Code: 500; Error Code: ServiceException; Request ID: %s; Proxy: null)",
		err, uuid.New()))
}

func taskFailed(taskID, name, cause string) interp.Event {
	return interp.TaskFailed{TaskID: taskID, Failure: asl.NewFailure(asl.ErrorName(name), cause)}
}

// invokeResponse is the Invoke response Step Functions hands to the state:
// {ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata,
// StatusCode}.
func (s *Service) invokeResponse(res InvokeResult, status int) json.RawMessage {
	return encodeInvokeResponse(res, status, uuid.New(), s.cfg.Clock.Now().UTC().Format(time.RFC1123))
}

// encodeInvokeResponse writes the Invoke response with request id id and
// Date date: the bytes json.Marshal made of an invokeOutput (keys in the
// struct's order, header maps' keys sorted, strings and payload escaped
// for HTML, the payload compacted), without building the header maps. A
// payload that needs compacting or escaping goes through encoding/json.
func encodeInvokeResponse(res InvokeResult, status int, id, date string) json.RawMessage {
	version := res.ExecutedVersion
	if version == "" {
		version = "$LATEST"
	}
	payload := json.RawMessage(res.Payload)
	if len(payload) == 0 {
		payload = json.RawMessage("null")
	} else if !jsonobj.Valid(payload) {
		payload, _ = json.Marshal(string(res.Payload))
	}
	// The headers in json.Marshal's order: keys sorted bytewise.
	headers := [...][2]string{
		{"Connection", "keep-alive"},
		{"Content-Length", strconv.Itoa(len(res.Payload))},
		{"Content-Type", "application/json"},
		{"Date", date},
		{"X-Amz-Executed-Version", version},
		{"x-amzn-Remapped-Content-Length", "0"},
		{"x-amzn-RequestId", id},
	}
	b := make([]byte, 0, 640+len(payload)+3*len(version))
	b = append(b, `{"ExecutedVersion":`...)
	b = jsonv.AppendMarshalString(b, version)
	b = append(b, `,"Payload":`...)
	b = appendMarshalRaw(b, payload)
	b = append(b, `,"SdkHttpMetadata":{"AllHttpHeaders":{`...)
	for i, h := range headers {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonv.AppendMarshalString(b, h[0])
		b = append(b, ":["...)
		b = jsonv.AppendMarshalString(b, h[1])
		b = append(b, ']')
	}
	b = append(b, `},"HttpHeaders":{`...)
	for i, h := range headers {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonv.AppendMarshalString(b, h[0])
		b = append(b, ':')
		b = jsonv.AppendMarshalString(b, h[1])
	}
	b = append(b, `},"HttpStatusCode":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, `},"SdkResponseMetadata":{"RequestId":`...)
	b = jsonv.AppendMarshalString(b, id)
	b = append(b, `},"StatusCode":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	return append(b, '}')
}

// appendMarshalRaw appends valid JSON raw as json.Marshal writes a
// json.RawMessage: compacted, with < > & U+2028 U+2029 escaped. Text with
// no space and none of those bytes is already so.
func appendMarshalRaw(b []byte, raw json.RawMessage) []byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r', '<', '>', '&', 0xe2: // 0xe2 leads U+2028 and U+2029 in UTF-8
			q, _ := json.Marshal(raw)
			return append(b, q...)
		}
	}
	return append(b, raw...)
}
