package awsapi

import (
	"encoding/xml"
	"net/http"
	"strings"
)

// IsQueryRequest reports an awsQuery request: a form-encoded POST to "/"
// without X-Amz-Target, the protocol of CloudFormation (its Action names
// the operation).
func IsQueryRequest(req *http.Request) bool {
	return req.Method == http.MethodPost && req.URL.Path == "/" && req.Header.Get("X-Amz-Target") == "" &&
		strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
}

// HandleQuery routes awsQuery requests (IsQueryRequest) to h.
func (r *Router) HandleQuery(h http.Handler) { r.query = h }

// queryError is an awsQuery error body.
type queryError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Error   struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

// WriteQueryError writes e as an awsQuery error: `<ErrorResponse><Error>
// <Type>Sender</Type><Code/><Message/></Error><RequestId/>` in namespace
// xmlns, with Content-Type text/xml. A status of 500 or more is a
// Receiver error.
func WriteQueryError(w http.ResponseWriter, xmlns string, e *Error) {
	body := queryError{Xmlns: xmlns, RequestID: w.Header().Get("X-Amzn-RequestId")}
	body.Error.Type, body.Error.Code, body.Error.Message = "Sender", e.Code, e.Message
	if e.status() >= 500 {
		body.Error.Type = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.status())
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(body)
}
