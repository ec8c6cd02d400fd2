package iotemu

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
)

// Connection queries of the iot-data API: GetConnection and
// ListSubscriptions (docs/iot-core.md §8.5).
const (
	// departedRetention is how long IoT Core answers GetConnection for a
	// client after it disconnected ("available for 30 minutes").
	departedRetention = 30 * time.Minute
	// maxDeparted bounds the disconnected clients remembered for
	// GetConnection; past it the oldest are forgotten first.
	maxDeparted = 10_000
	// ListSubscriptions pages: 20 by default, at most 200.
	defaultSubscriptionsPage = 20
	maxSubscriptionsPage     = 200
)

// ConnectionInfo is what GetConnection tells of one MQTT client. Times
// are on the service clock; zero values are left out of the answer.
type ConnectionInfo struct {
	ClientID          string
	Connected         bool
	ThingName         string
	CleanSession      bool
	KeepAlive         int
	ConnectedSince    time.Time
	DisconnectedSince time.Time
	DisconnectReason  string
	SessionExpiry     time.Duration
	// Socket, with includeSocketInformation and a live connection.
	SourceIP   string
	SourcePort int
	TargetIP   string
	TargetPort int
}

// Subscription is one topic filter of a client's session.
type Subscription struct {
	TopicFilter string
	QoS         byte
}

// departure is what is remembered of a client after it disconnected.
type departure struct {
	info ConnectionInfo
	at   time.Time
}

// departures remembers recently disconnected clients, bounded in number
// and age.
type departures struct {
	mu    sync.Mutex
	byID  map[string]departure
	order []string // client ids, oldest departure first; may hold stale ids
}

func (d *departures) add(info ConnectionInfo, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byID == nil {
		d.byID = map[string]departure{}
	}
	d.byID[info.ClientID] = departure{info: info, at: now}
	d.order = append(d.order, info.ClientID)
	d.pruneLocked(now)
}

// forget drops a client that connected again.
func (d *departures) forget(clientID string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.byID, clientID)
}

func (d *departures) get(clientID string, now time.Time) (ConnectionInfo, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dep, ok := d.byID[clientID]
	if !ok || now.Sub(dep.at) > departedRetention {
		return ConnectionInfo{}, false
	}
	return dep.info, true
}

// pruneLocked forgets departures past the retention or over the bound;
// order is compacted as it is walked so that it stays bounded too.
func (d *departures) pruneLocked(now time.Time) {
	drop := 0
	for _, id := range d.order {
		dep, ok := d.byID[id]
		stale := ok && (now.Sub(dep.at) > departedRetention || len(d.byID) > maxDeparted)
		if ok && !stale && len(d.order)-drop <= 2*maxDeparted {
			break
		}
		if stale {
			delete(d.byID, id)
		}
		drop++
	}
	d.order = d.order[drop:]
}

// GetConnection describes a client that is connected, has a persistent
// session, or disconnected less than 30 minutes ago; others are not
// found. socket adds the connection's addresses (a live connection only).
func (s *Service) GetConnection(clientID string, socket bool) (ConnectionInfo, error) {
	if err := checkQueryClientID(clientID); err != nil {
		return ConnectionInfo{}, err
	}
	cl, ok := s.broker.Clients.Get(clientID)
	if ok && !cl.Net.Inline && !cl.Closed() {
		return s.liveInfo(cl, socket), nil
	}
	info, gone := s.lifecycle.departed.get(clientID, s.cfg.Clock.Now())
	persistent := ok && !cl.Net.Inline && !cl.Properties.Clean
	if !gone && !persistent {
		return ConnectionInfo{}, fmt.Errorf("get connection %q: %w: no connection or session for this client id", clientID, ErrNotFound)
	}
	info.ClientID, info.Connected = clientID, false
	info.ConnectedSince, info.SourceIP, info.SourcePort, info.TargetIP, info.TargetPort = time.Time{}, "", 0, "", 0
	if persistent {
		info.CleanSession, info.SessionExpiry = false, s.sessions.expiryOf(cl)
		info.KeepAlive = int(cl.State.Keepalive)
	} else {
		info.SessionExpiry = 0
	}
	return info, nil
}

// liveInfo describes a connected client.
func (s *Service) liveInfo(cl *mqtt.Client, socket bool) ConnectionInfo {
	info := ConnectionInfo{ClientID: cl.ID, Connected: true, CleanSession: cl.Properties.Clean,
		KeepAlive: int(cl.State.Keepalive)}
	if sess, ok := s.lifecycle.sessions.Load(cl); ok {
		info.ConnectedSince = sess.since
	}
	if p := s.hook.principalOf(cl); p != nil {
		info.ThingName = p.thingName(s.reg)
	}
	if !info.CleanSession {
		info.SessionExpiry = s.sessions.expiryOf(cl)
	}
	if socket {
		info.SourceIP, info.SourcePort = splitAddr(cl.Net.Remote)
		if cl.Net.Conn != nil {
			info.TargetIP, info.TargetPort = splitAddr(cl.Net.Conn.LocalAddr().String())
		}
	}
	return info
}

// ListSubscriptions lists the topic filters of a client that is connected
// or has a persistent session, sorted, a page of at most maxResults (20
// when zero, 200 at most) after nextToken.
func (s *Service) ListSubscriptions(clientID, nextToken string, maxResults int) ([]Subscription, string, error) {
	if err := checkQueryClientID(clientID); err != nil {
		return nil, "", err
	}
	if maxResults < 0 || maxResults > maxSubscriptionsPage {
		return nil, "", invalid("maxResults must be between 1 and %d", maxSubscriptionsPage)
	}
	if maxResults == 0 {
		maxResults = defaultSubscriptionsPage
	}
	cl, ok := s.broker.Clients.Get(clientID)
	if !ok || cl.Net.Inline || (cl.Closed() && cl.Properties.Clean) {
		return nil, "", fmt.Errorf("list subscriptions %q: %w: no connection or session for this client id", clientID, ErrNotFound)
	}
	subs := cl.State.Subscriptions.GetAll()
	all := make([]Subscription, 0, len(subs))
	for filter, sub := range subs {
		all = append(all, Subscription{TopicFilter: filter, QoS: sub.Qos})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].TopicFilter < all[j].TopicFilter })
	return page(all, nextToken, maxResults)
}

// checkQueryClientID applies the API's client id constraints: 1 to 128
// characters, not starting with $.
func checkQueryClientID(id string) error {
	if id == "" || len(id) > maxClientIDBytes || strings.HasPrefix(id, "$") {
		return invalid("clientId must be 1 to %d characters and may not start with $", maxClientIDBytes)
	}
	return nil
}

func splitAddr(addr string) (string, int) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0
	}
	n, _ := strconv.Atoi(port)
	return host, n
}
