package iotemu

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead}

// FuzzHTTP sends an arbitrary method, path (with query), principal header
// and body to the IoT restJson handler (control and data plane). The
// answer is never a 5xx and never a panic; an error carries
// X-Amzn-ErrorType and a JSON body. One service serves every input of a
// fuzzing process (its CA takes a while to make), so state accumulates.
func FuzzHTTP(f *testing.F) {
	certID := strings.Repeat("ab", 32)
	seeds := []struct{ method, path, principal, body string }{
		{"POST", "/policies/p1", "", `{"policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}"}`},
		{"POST", "/policies/p2", "", `{"policyDocument":"{\"Statement\":` + strings.Repeat("[", 5000) + `"}`},
		{"GET", "/policies?pageSize=0&marker=%ff&isAscendingOrder=maybe", "", ``},
		{"PUT", "/target-policies/p1", "", `{"target":"arn:aws:iot:us-east-1:123456789012:cert/` + certID + `"}`},
		{"PUT", "/principal-policies/p1", "arn:aws:iot:us-east-1:123456789012:cert/\xff", ``},
		{"POST", "/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Acert%2Fx?recursive=true", "", ``},
		{"POST", "/test-authorization?clientId=c", "", `{"principal":"x","authInfos":[{"actionType":"PUBLISH","resources":["arn:aws:iot:us-east-1:123456789012:topic/a"]}]}`},
		{"POST", "/rules/r1", "", `{"sql":"SELECT * FROM 'a/#' WHERE concat(a, a, a) = 'x'","actions":[{"lambda":{"functionArn":"f"}}],"errorAction":{"republish":{"topic":"errors/${topic(1)}","roleArn":"r","qos":1}}}`},
		{"PATCH", "/rules/r1", "", `{"sql":"SELECT VALUE * FROM '#'","awsIotSqlVersion":"beta","actions":[{"stepFunctions":{"stateMachineName":"sm","executionNamePrefix":"${newuuid()}","roleArn":"r"}}]}`},
		{"POST", "/rules/r1/disable", "", ``},
		{"POST", "/rules/bad name", "", `{"sql":"SELECT * FROM 'a/#/b'","actions":[]}`},
		{"POST", "/things/t1", "", `{"attributePayload":{"attributes":{"k":"v"}},"thingTypeName":123}`},
		{"PUT", "/things/t1/principals", "arn:aws:iot:us-east-1:123456789012:cert/" + certID, ``},
		{"GET", "/principals/things?maxResults=99999999999999999999", "x", ``},
		{"POST", "/keys-and-certificate?setAsActive=true", "", ``},
		{"POST", "/certificate/register", "", `{"certificatePem":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n","caCertificatePem":"garbage"}`},
		{"PUT", "/certificates/" + certID + "?newStatus=REVOKED", "", ``},
		{"DELETE", "/certificates/" + certID + "?forceDelete=true", "", ``},
		{"POST", "/topics/a/b?qos=1&retain=true", "", `{"x":1}`},
		{"POST", "/topics/a//b/?qos=7", "", "\xff\xfe"},
		{"POST", "/topics/$aws/things/x/shadow/update", "", `{}`},
		{"POST", "/topics/a/+/#", "", `{}`},
		{"GET", "/retainedMessage/a/b", "", ``},
		{"GET", "/retainedMessage?maxResults=-1&nextToken=zz", "", ``},
		{"DELETE", "/connections/c%2F1?cleanSession=true&preventWillMessage=x", "", ``},
		{"GET", "/endpoint?endpointType=iot:Data-ATS", "", ``},
		{"GET", "/nope/../topics/a", "", ``},
		{"HEAD", "/things", "", ``},
		{"POST", "/topics/" + strings.Repeat("a/", 300), "", strings.Repeat("x", 2000)},
	}
	for _, s := range seeds {
		f.Add(uint8(indexOf(fuzzMethods, s.method)), s.path, s.principal, []byte(s.body))
	}
	s, err := New(Config{
		DataDir: f.TempDir(), MQTTAddr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler),
		InvokeAsync:    func(context.Context, string, []byte) error { return nil },
		StartExecution: func(context.Context, string, string, string) error { return nil },
	})
	if err != nil {
		f.Fatal(err)
	}
	if err := s.Start(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = s.Close() })
	h := s.Handler()
	f.Fuzz(func(t *testing.T, method uint8, path, principal string, body []byte) {
		u, err := url.ParseRequestURI(path)
		if err != nil || !strings.HasPrefix(path, "/") || strings.ContainsAny(principal, "\r\n\x00") {
			return // not a request an HTTP server would accept
		}
		req := httptest.NewRequest(fuzzMethods[int(method)%len(fuzzMethods)], "/", bytes.NewReader(body))
		req.URL, req.RequestURI = u, path
		req.Header.Set("x-amzn-iot-principal", principal)
		req.Header.Set("x-amzn-principal", principal)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s answered %d %s", req.Method, path, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			if rec.Header().Get("X-Amzn-ErrorType") == "" || !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s %s answered %d without X-Amzn-ErrorType or a JSON body: %.200q", req.Method, path, rec.Code, rec.Body)
			}
		}
	})
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return 0
}
