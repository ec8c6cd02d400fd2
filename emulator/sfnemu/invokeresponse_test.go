package sfnemu

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

// marshalInvokeResponse is how invokeResponse encoded its answer before
// encodeInvokeResponse: json.Marshal of an invokeOutput with header maps.
func marshalInvokeResponse(res InvokeResult, status int, id, date string) json.RawMessage {
	version := res.ExecutedVersion
	if version == "" {
		version = "$LATEST"
	}
	payload := json.RawMessage(res.Payload)
	if len(payload) == 0 {
		payload = json.RawMessage("null")
	} else if !json.Valid(payload) {
		payload, _ = json.Marshal(string(res.Payload))
	}
	headers := map[string]string{
		"Connection":                     "keep-alive",
		"Content-Length":                 strconv.Itoa(len(res.Payload)),
		"Content-Type":                   "application/json",
		"Date":                           date,
		"X-Amz-Executed-Version":         version,
		"x-amzn-Remapped-Content-Length": "0",
		"x-amzn-RequestId":               id,
	}
	all := make(map[string][]string, len(headers))
	for k, v := range headers {
		all[k] = []string{v}
	}
	out, _ := json.Marshal(invokeOutput{
		ExecutedVersion: version, Payload: payload,
		SdkHTTPMetadata:     sdkHTTPMetadata{AllHTTPHeaders: all, HTTPHeaders: headers, HTTPStatusCode: status},
		SdkResponseMetadata: sdkResponseMetadata{RequestID: id},
		StatusCode:          status,
	})
	return out
}

type invokeOutput struct {
	ExecutedVersion     string              `json:"ExecutedVersion"`
	Payload             json.RawMessage     `json:"Payload"`
	SdkHTTPMetadata     sdkHTTPMetadata     `json:"SdkHttpMetadata"`
	SdkResponseMetadata sdkResponseMetadata `json:"SdkResponseMetadata"`
	StatusCode          int                 `json:"StatusCode"`
}

type sdkHTTPMetadata struct {
	AllHTTPHeaders map[string][]string `json:"AllHttpHeaders"`
	HTTPHeaders    map[string]string   `json:"HttpHeaders"`
	HTTPStatusCode int                 `json:"HttpStatusCode"`
}

type sdkResponseMetadata struct {
	RequestID string `json:"RequestId"`
}

func TestInvokeResponseAsJSONMarshal(t *testing.T) {
	payloads := []string{"", `null`, `""`, `{"statusCode":200,"body":"job published to tenant1/to/worker"}`,
		"{ \"a\" : [1, 2,\n3],\t\"b\": \"x y\" }", `{"h":"<b>&amp;</b>"}`, "{\"s\":\"\u2028\u2029 caf\u00e9\"}", `{"s":"café  "}`,
		`not json`, "tab\there <&>", `[1.50,-0,1e3]`, `"\\u003c"`, "\xff\xfe"}
	versions := []string{"", "$LATEST", "3", `we"ird<&>`, "café"}
	for _, p := range payloads {
		for _, v := range versions {
			for _, status := range []int{200, 202} {
				res := InvokeResult{Payload: []byte(p), ExecutedVersion: v}
				id, date := "0f8fad5b-d9cb-469f-a165-70867728950e", "Sun, 06 Dec 2026 05:40:00 UTC"
				got, want := encodeInvokeResponse(res, status, id, date), marshalInvokeResponse(res, status, id, date)
				if !bytes.Equal(got, want) {
					t.Errorf("payload %q version %q status %d:\n got %s\nwant %s", p, v, status, got, want)
				}
			}
		}
	}
}

var invokeParamSeeds = []string{
	`{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:dispatch","Payload":{"Input":{"a":15},"TaskToken":"t"}}`,
	`{"FunctionName":"f","Payload":"s","InvocationType":"Event","Qualifier":"3"}`, `{"FunctionName":"f","Payload":null}`,
	`{"functionName":"f"}`, `{"FunctionName":"f\u0041"}`, `{"FunctionName":1}`, `{"FunctionName":"f","Other":[1,{"x":null}]}`,
	`{"FunctionName":"f","Payload":1,"Payload":[2]}`, `{"FunctionName":"f",}`, `[]`, `{}`, `{"FunctionName":null}`,
}

// TestDecodeInvokeParamsAsUnmarshal checks that the plain reading of a
// lambda:invoke task's Parameters gives what json.Unmarshal gives.
func TestDecodeInvokeParamsAsUnmarshal(t *testing.T) {
	for _, s := range invokeParamSeeds {
		checkInvokeParams(t, []byte(s))
	}
}

func FuzzDecodeInvokeParams(f *testing.F) {
	for _, s := range invokeParamSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkInvokeParams(t, data) })
}

func checkInvokeParams(t *testing.T, data []byte) {
	t.Helper()
	got, gotErr := decodeInvokeParams(data)
	var want invokeParams
	wantErr := json.Unmarshal(data, &want)
	if (gotErr == nil) != (wantErr == nil) || gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Errorf("%s: decodeInvokeParams = %+v, %v; Unmarshal %+v, %v", data, got, gotErr, want, wantErr)
	}
}
