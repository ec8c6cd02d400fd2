package console_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/emulatortest"
)

const (
	templatePath = "../../template.yaml"
	machineArn   = "arn:aws:states:us-east-1:123456789012:stateMachine:MqttBasedStateMachine"
)

// browser is an HTTP client with a cookie jar that does not follow
// redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

func TestHostOriginAndCSRF(t *testing.T) {
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath))
	base := srv.Endpoints().HTTP
	c := browser(t)
	if res, _ := do(t, c, "GET", base+"/console/", nil, map[string]string{"Host": "evil.example:80"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Host: %d, want 403", res.StatusCode)
	}
	page := base + "/console/executions?machine=" + url.QueryEscape(machineArn)
	res, body := do(t, c, "GET", page, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("executions page: %d", res.StatusCode)
	}
	form := url.Values{"csrf": {csrfOf(t, body)}, "machine": {machineArn}, "input": {`{"a":1,"b":2}`}}
	if res, _ := do(t, c, "POST", base+"/console/start", form, map[string]string{"Origin": "http://evil.example"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Origin: %d, want 403", res.StatusCode)
	}
	if res, _ := do(t, c, "POST", base+"/console/start", url.Values{"machine": {machineArn}}, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF token: %d, want 403", res.StatusCode)
	}
	bad := url.Values{"csrf": form["csrf"], "machine": {machineArn}, "input": {`{"a":`}}
	if res, _ := do(t, c, "POST", base+"/console/start", bad, map[string]string{"Origin": base}); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("invalid JSON input: %d, want 400", res.StatusCode)
	}
	res, _ = do(t, c, "POST", base+"/console/start", form, map[string]string{"Origin": base})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/console/execution?arn=") {
		t.Fatalf("start: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, body := do(t, c, "GET", base+"/console/iot/certificates", nil, nil); res.StatusCode != http.StatusOK || strings.Contains(body, "PRIVATE KEY") {
		t.Fatalf("certificates page: %d", res.StatusCode)
	}
}

func TestLoginWithCredentials(t *testing.T) {
	key := awsapi.Credential{AccessKeyID: "AKIDCONSOLE", SecretAccessKey: "s3cret"}
	srv := emulatortest.New(t, emulatortest.WithTemplate(templatePath), emulatortest.WithCredentials(key))
	base := srv.Endpoints().HTTP
	c := browser(t)
	res, _ := do(t, c, "GET", base+"/console/", nil, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/console/login") {
		t.Fatalf("unauthenticated: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := do(t, c, "GET", base+"/console/events?watch=/console/", nil, nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unauthenticated stream: %d", res.StatusCode)
	}
	_, login := do(t, c, "GET", base+"/console/login", nil, nil)
	tok := csrfOf(t, login)
	res, _ = do(t, c, "POST", base+"/console/login", url.Values{"csrf": {tok}, "accessKeyId": {key.AccessKeyID}, "secretAccessKey": {"wrong"}}, nil)
	if !strings.Contains(res.Header.Get("Location"), "failed=1") {
		t.Fatalf("wrong secret: %s", res.Header.Get("Location"))
	}
	res, _ = do(t, c, "POST", base+"/console/login", url.Values{"csrf": {tok}, "accessKeyId": {key.AccessKeyID},
		"secretAccessKey": {key.SecretAccessKey}, "next": {"//evil.example/"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/" {
		t.Fatalf("login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, body := do(t, c, "GET", base+"/console/", nil, nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "MqttBasedStateMachine") {
		t.Fatalf("after login: %d", res.StatusCode)
	}
	if res, _ := do(t, browser(t), "GET", base+"/console/iot/clients", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another browser without the cookie: %d", res.StatusCode)
	}
}
