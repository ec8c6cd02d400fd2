package awsapi

import (
	"errors"
	"io"
	"net/http"
)

// ReadBody reads req's body, up to limit+1 bytes so that a caller can
// tell a body over limit (len > limit). A declared Content-Length up to
// limit sizes the buffer at once, instead of growing it from 512 bytes as
// io.ReadAll does.
func ReadBody(req *http.Request, limit int) ([]byte, error) {
	r := io.LimitReader(req.Body, int64(limit)+1)
	n := req.ContentLength
	if n <= 0 || n > int64(limit) {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, n+1) // +1: the read that sees EOF needs room
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
