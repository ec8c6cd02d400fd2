package iotemu

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// connectionJSON is GetConnection's response: times in Unix
// milliseconds, absent members left out (botocore's iot-data model).
type connectionJSON struct {
	ClientID          string `json:"clientId"`
	Connected         bool   `json:"connected"`
	CleanSession      bool   `json:"cleanSession"`
	ThingName         string `json:"thingName,omitempty"`
	KeepAliveDuration int    `json:"keepAliveDuration,omitempty"`
	ConnectedSince    int64  `json:"connectedSince,omitempty"`
	DisconnectedSince int64  `json:"disconnectedSince,omitempty"`
	DisconnectReason  string `json:"disconnectReason,omitempty"`
	SessionExpiry     int64  `json:"sessionExpiry,omitempty"`
	SourceIP          string `json:"sourceIp,omitempty"`
	SourcePort        int    `json:"sourcePort,omitempty"`
	TargetIP          string `json:"targetIp,omitempty"`
	TargetPort        int    `json:"targetPort,omitempty"`
}

type subscriptionJSON struct {
	TopicFilter string `json:"topicFilter"`
	QoS         int    `json:"qos"`
}

// handleConnectionQuery serves GET /connections/{clientId}
// ?includeSocketInformation= and GET /connections/{clientId}/subscriptions
// ?maxResults=&nextToken=. The client id is percent-encoded, so a slash
// in it arrives as %2F and the escaped path tells the two apart.
func (s *Service) handleConnectionQuery(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/connections/")
	escaped, list := strings.CutSuffix(rest, "/subscriptions")
	clientID, err := url.PathUnescape(escaped)
	if err != nil || strings.Contains(escaped, "/") {
		writeErr(w, invalid("clientId must be percent-encoded"))
		return
	}
	if list {
		s.handleListSubscriptions(w, r, clientID)
		return
	}
	socket := false
	if v := r.URL.Query().Get("includeSocketInformation"); v != "" {
		if socket, err = strconv.ParseBool(v); err != nil {
			writeErr(w, invalid("includeSocketInformation must be true or false"))
			return
		}
	}
	info, err := s.GetConnection(clientID, socket)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, connectionJSON{ClientID: info.ClientID, Connected: info.Connected, CleanSession: info.CleanSession,
		ThingName: info.ThingName, KeepAliveDuration: info.KeepAlive, ConnectedSince: unixMilli(info.ConnectedSince),
		DisconnectedSince: unixMilli(info.DisconnectedSince), DisconnectReason: info.DisconnectReason,
		SessionExpiry: int64(info.SessionExpiry.Seconds()), SourceIP: info.SourceIP, SourcePort: info.SourcePort,
		TargetIP: info.TargetIP, TargetPort: info.TargetPort})
}

func (s *Service) handleListSubscriptions(w http.ResponseWriter, r *http.Request, clientID string) {
	limit, err := queryInt(r, "maxResults")
	if err != nil {
		writeErr(w, err)
		return
	}
	subs, next, err := s.ListSubscriptions(clientID, r.URL.Query().Get("nextToken"), limit)
	if err != nil {
		writeErr(w, err)
		return
	}
	out := struct {
		Subscriptions []subscriptionJSON `json:"subscriptions"`
		NextToken     string             `json:"nextToken,omitempty"`
	}{Subscriptions: make([]subscriptionJSON, len(subs)), NextToken: next}
	for i, sub := range subs {
		out.Subscriptions[i] = subscriptionJSON{TopicFilter: sub.TopicFilter, QoS: int(sub.QoS)}
	}
	writeJSON(w, out)
}

// unixMilli is t in Unix milliseconds, 0 for the zero time.
func unixMilli(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
