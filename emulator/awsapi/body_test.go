package awsapi

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestReadBody(t *testing.T) {
	for _, c := range []struct {
		body          string
		contentLength int64
		limit         int
		want          string
	}{
		{"hello", 5, 10, "hello"},
		{"hello", -1, 10, "hello"},
		{"hello", 0, 10, "hello"},
		{"hello world", 11, 5, "hello "},      // over the limit: limit+1 bytes
		{"hello world", 3, 20, "hello world"}, // a short Content-Length
		{"", 0, 10, ""},
	} {
		req := &http.Request{Body: io.NopCloser(strings.NewReader(c.body)), ContentLength: c.contentLength}
		got, err := ReadBody(req, c.limit)
		if err != nil || !bytes.Equal(got, []byte(c.want)) {
			t.Errorf("ReadBody(%q, length %d, limit %d) = %q, %v; want %q", c.body, c.contentLength, c.limit, got, err, c.want)
		}
	}
}
