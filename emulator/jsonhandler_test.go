package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// One in-process function serves concurrent invocations (Step Functions
// dispatching many jobs at once): each must get its own result, intact.
// Run with -race.
func TestJSONHandlerConcurrentInvocations(t *testing.T) {
	h := jsonHandler[map[string]int, map[string]string](func(_ context.Context, in map[string]int) (map[string]string, error) {
		return map[string]string{"echo": strings.Repeat(fmt.Sprint(in["n"]), 64)}, nil
	})
	var wg sync.WaitGroup
	for n := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := h.Invoke(context.Background(), []byte(fmt.Sprintf(`{"n":%d}`, n)))
			want, _ := json.Marshal(map[string]string{"echo": strings.Repeat(fmt.Sprint(n), 64)})
			if err != nil || string(out) != string(want) {
				t.Errorf("invoke %d = %s, %v; want %s", n, out, err, want)
			}
		}()
	}
	wg.Wait()
}

func TestJSONHandlerErrors(t *testing.T) {
	boom := errors.New("boom")
	h := noResult(func(context.Context, json.RawMessage) error { return boom })
	if _, err := h.Invoke(context.Background(), []byte(`{}`)); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the handler's", err)
	}
	ok := noResult(func(context.Context, json.RawMessage) error { return nil })
	if out, err := ok.Invoke(context.Background(), []byte(`{}`)); err != nil || string(out) != "null" {
		t.Fatalf("a handler without a result returned %s, %v; want null", out, err)
	}
	typed := jsonHandler[struct{ A int }, int](func(context.Context, struct{ A int }) (int, error) { return 1, nil })
	var se *json.SyntaxError
	if _, err := typed.Invoke(context.Background(), []byte(`{`)); !errors.As(err, &se) {
		t.Fatalf("a payload that is not JSON: err %v, want a *json.SyntaxError", err)
	}
}

var rawPayloads = []string{`{"a":15}`, ` {"a" : [1, "x\"y"]} `, "\t\n[]\r ", `"s"`, `null`, `12`, `{"a":}`, `{`, ``, " ", "\u00a0{}", `{} x`}

// TestJSONHandlerRawMessageAsUnmarshal checks that a handler taking a
// json.RawMessage gets what json.Unmarshal gives it, and the same error.
func TestJSONHandlerRawMessageAsUnmarshal(t *testing.T) {
	for _, p := range rawPayloads {
		checkRawPayload(t, []byte(p))
	}
}

func FuzzJSONHandlerRawMessage(f *testing.F) {
	for _, p := range rawPayloads {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, payload []byte) { checkRawPayload(t, payload) })
}

func checkRawPayload(t *testing.T, payload []byte) {
	t.Helper()
	var got json.RawMessage
	h := jsonHandler[json.RawMessage, *struct{}](func(_ context.Context, in json.RawMessage) (*struct{}, error) {
		got = in
		return nil, nil
	})
	_, err := h.Invoke(context.Background(), payload)
	var want json.RawMessage
	wantErr := json.Unmarshal(payload, &want)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) || err == nil && !bytes.Equal(got, want) {
		t.Errorf("%q: got %q, %v; json.Unmarshal %q, %v", payload, got, err, want, wantErr)
	}
}
