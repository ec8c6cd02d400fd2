package worker

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/eclipse/paho.golang/packets"
)

// recordingConn records each Write it gets.
type recordingConn struct {
	net.Conn
	writes [][]byte
	err    error
}

func (c *recordingConn) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	c.writes = append(c.writes, bytes.Clone(p))
	return len(p), nil
}

// plainWriter is a writer without a lock: paho writes to it piece by
// piece, the stream packetConn must reproduce.
type plainWriter struct{ bytes.Buffer }

func TestPacketConnWritesEachPacketOnce(t *testing.T) {
	big := []byte(strings.Repeat("x", 70000)) // a three-byte remaining length, and a buffer not kept
	cases := map[string]func(w ioWriter) error{
		"puback": func(w ioWriter) error {
			_, err := (&packets.Puback{PacketID: 7, Properties: &packets.Properties{}}).WriteTo(w)
			return err
		},
		"publish qos1": func(w ioWriter) error {
			_, err := (&packets.Publish{Topic: "tenant1/to/lambda", QoS: 1, PacketID: 9, Payload: []byte(`{"taskToken":"t","result":1}`),
				Properties: &packets.Properties{}}).WriteTo(w)
			return err
		},
		"publish big": func(w ioWriter) error {
			_, err := (&packets.Publish{Topic: "a/b", QoS: 1, PacketID: 10, Payload: big, Properties: &packets.Properties{}}).WriteTo(w)
			return err
		},
		"publish with properties": func(w ioWriter) error {
			_, err := (&packets.Publish{Topic: "a/b", Payload: []byte("p"),
				Properties: &packets.Properties{ContentType: "application/json", User: []packets.User{{Key: "k", Value: "v"}}}}).WriteTo(w)
			return err
		},
		"pingreq": func(w ioWriter) error {
			_, err := packets.NewControlPacket(packets.PINGREQ).WriteTo(w)
			return err
		},
		"disconnect": func(w ioWriter) error {
			_, err := (&packets.Disconnect{ReasonCode: 0, Properties: &packets.Properties{}}).WriteTo(w)
			return err
		},
	}
	for name, write := range cases {
		t.Run(name, func(t *testing.T) {
			var want plainWriter
			if err := write(&want); err != nil {
				t.Fatal(err)
			}
			rc := &recordingConn{}
			pc := newPacketConn(rc)
			for i := 0; i < 2; i++ { // twice: the buffer is reused, or dropped when big
				rc.writes = nil
				if err := write(pc); err != nil {
					t.Fatal(err)
				}
				if len(rc.writes) != 1 || !bytes.Equal(rc.writes[0], want.Bytes()) {
					t.Fatalf("writes %d, want one of the %d bytes paho writes in pieces", len(rc.writes), want.Len())
				}
				if len(pc.buf) != 0 {
					t.Fatalf("%d bytes left gathered", len(pc.buf))
				}
			}
		})
	}
}

type ioWriter = interface{ Write([]byte) (int, error) }

func TestPacketConnReturnsTheWriteError(t *testing.T) {
	broken := errors.New("broken pipe")
	rc := &recordingConn{err: broken}
	pc := newPacketConn(rc)
	_, err := (&packets.Puback{PacketID: 7, Properties: &packets.Properties{}}).WriteTo(pc)
	if !errors.Is(err, broken) {
		t.Fatalf("err %v, want %v", err, broken)
	}
	if len(pc.buf) != 0 {
		t.Fatalf("%d bytes left gathered after a failed write", len(pc.buf))
	}
}

func TestPacketLen(t *testing.T) {
	for _, c := range []struct {
		b      []byte
		n      int
		ok     bool
		reason string
	}{
		{nil, 0, false, "empty"},
		{[]byte{0x40}, 0, false, "type byte only"},
		{[]byte{0x40, 0x02}, 4, true, "one length byte"},
		{[]byte{0xc0, 0x00}, 2, true, "no remaining bytes"},
		{[]byte{0x30, 0x80}, 0, false, "length continues"},
		{[]byte{0x30, 0x80, 0x01}, 131, true, "two length bytes: 128"},
		{[]byte{0x30, 0xff, 0xff, 0xff, 0x7f}, 1 + 4 + 268435455, true, "four length bytes"},
		{[]byte{0x30, 0xff, 0xff, 0xff, 0xff}, -1, false, "a fifth length byte"},
	} {
		if n, ok := packetLen(c.b); n != c.n || ok != c.ok {
			t.Errorf("%s: packetLen(% x) = %d, %v; want %d, %v", c.reason, c.b, n, ok, c.n, c.ok)
		}
	}
}
