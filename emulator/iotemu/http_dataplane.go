package iotemu

import (
	"net/http"
	"strconv"
	"strings"
)

// The iot-data operations other than Publish, with paths and fields as
// botocore's iot-data 2015-05-28 model and aws-sdk-go-v2's
// service/iotdataplane send them (docs/iot-core.md §5.1).

// retainedMessageJSON is GetRetainedMessage's response; Payload and
// UserProperties are blobs, base64 in JSON.
type retainedMessageJSON struct {
	Topic            string `json:"topic"`
	Payload          []byte `json:"payload"`
	Qos              int    `json:"qos"`
	LastModifiedTime int64  `json:"lastModifiedTime"`
	UserProperties   []byte `json:"userProperties,omitempty"`
}

// retainedSummaryJSON is one entry of ListRetainedMessages.
type retainedSummaryJSON struct {
	Topic            string `json:"topic"`
	PayloadSize      int    `json:"payloadSize"`
	Qos              int    `json:"qos"`
	LastModifiedTime int64  `json:"lastModifiedTime"`
}

func (s *Service) dataPlaneRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /retainedMessage", s.handleListRetainedMessages)
}

// handleGetRetainedMessage serves GET /retainedMessage/{topic}; the topic
// arrives with `/` escaped and URL.Path holds it unescaped.
func (s *Service) handleGetRetainedMessage(w http.ResponseWriter, r *http.Request) {
	m, err := s.GetRetainedMessage(strings.TrimPrefix(r.URL.Path, "/retainedMessage/"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, retainedMessageJSON{Topic: m.Topic, Payload: m.Payload, Qos: int(m.Qos),
		LastModifiedTime: m.LastModified, UserProperties: m.UserProperties})
}

// handleListRetainedMessages serves GET /retainedMessage?maxResults=&nextToken=.
func (s *Service) handleListRetainedMessages(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r, "maxResults")
	if err != nil {
		writeErr(w, err)
		return
	}
	ms, next, err := s.ListRetainedMessages(r.URL.Query().Get("nextToken"), limit)
	if err != nil {
		writeErr(w, err)
		return
	}
	out := struct {
		RetainedTopics []retainedSummaryJSON `json:"retainedTopics"`
		NextToken      string                `json:"nextToken,omitempty"`
	}{RetainedTopics: make([]retainedSummaryJSON, len(ms)), NextToken: next}
	for i, m := range ms {
		out.RetainedTopics[i] = retainedSummaryJSON{Topic: m.Topic, PayloadSize: len(m.Payload), Qos: int(m.Qos),
			LastModifiedTime: m.LastModified}
	}
	writeJSON(w, out)
}

// handleDeleteConnection serves DELETE /connections/{clientId}
// ?cleanSession=&preventWillMessage=.
func (s *Service) handleDeleteConnection(w http.ResponseWriter, r *http.Request) {
	clientID := strings.TrimPrefix(r.URL.Path, "/connections/")
	if clientID == "" || strings.HasPrefix(clientID, "$") {
		writeErr(w, invalid("clientId must be set and may not start with $"))
		return
	}
	flags := [2]bool{}
	for i, name := range []string{"cleanSession", "preventWillMessage"} {
		if v := r.URL.Query().Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				writeErr(w, invalid("%s must be true or false", name))
				return
			}
			flags[i] = b
		}
	}
	if err := s.DeleteConnection(clientID, flags[0], flags[1]); err != nil {
		writeErr(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}
