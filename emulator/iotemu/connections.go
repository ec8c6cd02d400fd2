package iotemu

import (
	"fmt"
	"sync/atomic"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// DeleteConnection disconnects an MQTT client like the iot-data
// DeleteConnection API (docs/iot-core.md §3.4, §3.8, §5.1): the lifecycle event
// says API_INITIATED_DISCONNECT, an MQTT 5 client gets DISCONNECT 0x98
// (administrative action), the Last Will is published unless preventWill,
// and cleanSession ends a persistent session instead of keeping it.
//
// A client that is not connected is not found, except that cleanSession
// ends a disconnected client's persistent session.
func (s *Service) DeleteConnection(clientID string, cleanSession, preventWill bool) error {
	cl, ok := s.broker.Clients.Get(clientID)
	if !ok || cl.Net.Inline {
		return fmt.Errorf("delete connection %q: %w: no such client", clientID, ErrNotFound)
	}
	if cl.Closed() {
		if cleanSession && s.sessions.end(cl) {
			return nil
		}
		return fmt.Errorf("delete connection %q: %w: the client is not connected", clientID, ErrNotFound)
	}
	if preventWill {
		// mochi reads the flag atomically before it sends a will.
		atomic.StoreUint32(&cl.Properties.Will.Flag, 0)
	}
	if cleanSession {
		s.sessions.endOnDisconnect(cl)
	}
	s.lifecycle.setReason(cl, reasonAPIInitiated)
	s.log.Info("connection deleted", "client", clientID, "cleanSession", cleanSession, "preventWillMessage", preventWill)
	s.kick(cl, packets.ErrAdministrativeAction)
	return nil
}

// kick ends a connection from the server side; an MQTT 5 client first
// gets DISCONNECT with code (3.1.1 has no server DISCONNECT). It closes
// the socket instead of calling cl.Stop: mochi's read loop then fails and
// publishes the will, whereas a Stop that lands between two packets ends
// the loop quietly, without the will.
func (s *Service) kick(cl *mqtt.Client, code packets.Code) {
	if cl.Properties.ProtocolVersion == 5 {
		_ = cl.WritePacket(packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Disconnect},
			ReasonCode: code.Code, Properties: packets.Properties{ReasonString: code.Reason}})
	}
	if cl.Net.Conn != nil {
		_ = cl.Net.Conn.Close()
	}
}
