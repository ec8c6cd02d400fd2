package lambdaemu

import (
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"strings"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// panicFrames is how many frames of a panic's stack the error payload
// carries, as in the Lambda Go runtime.
const panicFrames = 32

// panicPayload renders a handler's panic the way the Lambda Go runtime
// reports it (aws-lambda-go lambda/panic.go): {"errorMessage": the panic
// value as %v, "errorType": the value's type name, "stackTrace": [{"path",
// "line", "label"}]}. It must be called from the deferred function that
// recovered the panic.
func panicPayload(v any) []byte {
	if ive, ok := v.(messages.InvokeResponse_Error); ok {
		ive.ShouldExit = false
		b, _ := json.Marshal(ive)
		return b
	}
	b, _ := json.Marshal(messages.InvokeResponse_Error{
		Message: fmt.Sprintf("%v", v), Type: panicType(v), StackTrace: panicStack(),
	})
	return b
}

func panicType(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

// panicStack returns the panicking goroutine's frames from the panic on,
// formatted as the Lambda Go runtime formats them.
func panicStack() []*messages.InvokeResponse_Error_StackFrame {
	pcs := make([]uintptr, panicFrames)
	// Skip runtime.Callers, panicStack, panicPayload and the deferred
	// function, as the runtime does.
	n := runtime.Callers(4, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	out := []*messages.InvokeResponse_Error_StackFrame{}
	for {
		f, more := frames.Next()
		out = append(out, formatFrame(f))
		if !more {
			return out
		}
	}
}

// formatFrame strips the module path from a frame's file and the package
// from its function, like the Lambda Go runtime.
func formatFrame(f runtime.Frame) *messages.InvokeResponse_Error_StackFrame {
	path, label := f.File, f.Function
	i := len(path)
	for n, g := 0, strings.Count(label, "/")+2; n < g; n++ {
		i = strings.LastIndex(path[:i], "/")
		if i == -1 {
			break
		}
	}
	path = path[i+1:]
	label = label[strings.LastIndex(label, "/")+1:]
	label = label[strings.Index(label, ".")+1:]
	return &messages.InvokeResponse_Error_StackFrame{Path: path, Line: int32(f.Line), Label: label}
}
