package cfnemu

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestQueryErrors: the awsQuery error shape of docs/cloudformation.md §2
// for a missing stack, a missing StackName and an unknown action.
func TestQueryErrors(t *testing.T) {
	svc := New()
	svc.Put(Stack{Name: "s", ID: "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1", CreationTime: time.Unix(0, 0)})
	srv := httptest.NewServer(Handler(svc))
	defer srv.Close()
	tests := []struct {
		form       url.Values
		status     int
		wantInBody string
	}{
		{url.Values{"Action": {"DescribeStacks"}, "StackName": {"foo"}}, 400,
			"<Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id foo does not exist</Message></Error>"},
		{url.Values{"Action": {"ListStackResources"}}, 400, "Value null at &#39;stackName&#39;"},
		{url.Values{"Action": {"CreateStack"}}, 400, "<Code>InvalidAction</Code>"},
		{url.Values{"Action": {"DescribeStacks"}, "StackName": {"arn:aws:cloudformation:us-east-1:123456789012:stack/s/1"}}, 200,
			"<StackName>s</StackName>"},
	}
	for _, tt := range tests {
		resp, err := http.PostForm(srv.URL, tt.form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.wantInBody) ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
			t.Errorf("%v: %d %s\n%s", tt.form, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
}
