//go:build e2e

package e2e

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}
