package iotemu

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/clock"
)

// docs/iot-core.md §8.5 (API_iotdata_GetConnection): a connected client's
// thing, session kind, keep-alive, since-when (Unix ms) and, when asked,
// its socket; after a disconnect the reason and time, for 30 minutes, or
// as long as a persistent session lives.
func TestSDKGetConnection(t *testing.T) {
	fake := clock.NewFake(time.UnixMilli(1_700_000_000_000))
	s := startServiceWith(t, func(c *Config) { c.Clock = fake })
	_, data, _ := sdkClients(t, s)
	ctx := context.Background()
	get := func(id string, socket bool) (*iotdataplane.GetConnectionOutput, error) {
		return data.GetConnection(ctx, &iotdataplane.GetConnectionInput{ClientId: aws.String(id), IncludeSocketInformation: socket})
	}

	cfg := setupThing(t, s, "dev", "")
	mc, _, err := dialWith(t, s, cfg, &paho.Connect{ClientID: "dev", KeepAlive: 45, CleanStart: true})
	require.NoError(t, err)
	// The broker records the session just after it sends CONNACK.
	var out *iotdataplane.GetConnectionOutput
	waitFor(t, func() bool { out, err = get("dev", false); return err == nil && out.ConnectedSince != 0 },
		"the session was not recorded")
	require.True(t, out.Connected)
	require.Equal(t, "dev", aws.ToString(out.ClientId))
	require.Equal(t, "dev", aws.ToString(out.ThingName), "the client id names a thing attached to its certificate")
	require.True(t, out.CleanSession)
	require.Equal(t, int32(45), out.KeepAliveDuration)
	require.Equal(t, int64(1_700_000_000_000), out.ConnectedSince)
	require.Zero(t, out.DisconnectedSince)
	require.Nil(t, out.SourceIp, "socket information only when asked")

	out, err = get("dev", true)
	require.NoError(t, err)
	host, port, _ := net.SplitHostPort(s.MQTTAddr())
	require.Equal(t, host, aws.ToString(out.TargetIp))
	require.Equal(t, port, strconv.Itoa(int(out.TargetPort)))
	require.Equal(t, "127.0.0.1", aws.ToString(out.SourceIp))
	require.NotZero(t, out.SourcePort)

	fake.Advance(time.Minute)
	require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
	waitFor(t, func() bool { o, err := get("dev", false); return err == nil && !o.Connected }, "the disconnect was not seen")
	out, err = get("dev", true)
	require.NoError(t, err)
	require.Equal(t, "CLIENT_INITIATED_DISCONNECT", aws.ToString(out.DisconnectReason))
	require.Equal(t, int64(1_700_000_060_000), out.DisconnectedSince)
	require.Zero(t, out.ConnectedSince)
	require.Nil(t, out.SourceIp, "no socket once disconnected")
	require.Equal(t, "dev", aws.ToString(out.ThingName))

	fake.Advance(departedRetention + time.Second)
	_, err = get("dev", false)
	require.Equal(t, "ResourceNotFoundException", apiCode(err), "a clean client is forgotten after 30 minutes")

	// A persistent session outlives the 30 minutes.
	expiry := uint32(7200)
	_, _, err = dialWith(t, s, cfg, &paho.Connect{ClientID: "dev", KeepAlive: 30,
		Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry}})
	require.NoError(t, err)
	out, err = get("dev", false)
	require.NoError(t, err)
	require.False(t, out.CleanSession)
	require.Equal(t, int64(7200), out.SessionExpiry)
	_, err = data.DeleteConnection(ctx, &iotdataplane.DeleteConnectionInput{ClientId: aws.String("dev")})
	require.NoError(t, err)
	waitFor(t, func() bool { o, err := get("dev", false); return err == nil && !o.Connected }, "the delete was not seen")
	fake.Advance(time.Hour)
	out, err = get("dev", false)
	require.NoError(t, err)
	require.False(t, out.Connected)
	require.Equal(t, int64(7200), out.SessionExpiry)
	require.Equal(t, int32(30), out.KeepAliveDuration)

	for _, id := range []string{"nobody", "$aws"} {
		_, err = get(id, false)
		want := map[string]string{"nobody": "ResourceNotFoundException", "$aws": "InvalidRequestException"}[id]
		require.Equal(t, want, apiCode(err), id)
	}
}

// docs/iot-core.md §8.5 (API_iotdata_ListSubscriptions): the filters and
// QoS of a connected client or an offline persistent session, sorted, in
// pages of maxResults (at most 200).
func TestSDKListSubscriptions(t *testing.T) {
	s, _ := startService(t)
	_, data, _ := sdkClients(t, s)
	ctx := context.Background()
	list := func(id string, max int32, next *string) (*iotdataplane.ListSubscriptionsOutput, error) {
		in := &iotdataplane.ListSubscriptionsInput{ClientId: aws.String(id), NextToken: next}
		if max > 0 {
			in.MaxResults = aws.Int32(max)
		}
		return data.ListSubscriptions(ctx, in)
	}

	expiry := uint32(3600)
	mc, _, err := dialWith(t, s, setupThing(t, s, "dev", ""), &paho.Connect{ClientID: "dev", KeepAlive: 30,
		Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry}})
	require.NoError(t, err)
	require.Equal(t, byte(1), subscribe(t, mc, "dev/jobs/#"))
	ack, err := mc.Subscribe(ctxT(t), &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "dev/control", QoS: 0}}})
	require.NoError(t, err)
	require.Equal(t, []byte{0}, ack.Reasons)

	out, err := list("dev", 1, nil)
	require.NoError(t, err)
	require.Len(t, out.Subscriptions, 1)
	require.Equal(t, "dev/control", aws.ToString(out.Subscriptions[0].TopicFilter))
	require.Equal(t, int32(0), out.Subscriptions[0].Qos)
	require.NotNil(t, out.NextToken)
	out, err = list("dev", 0, out.NextToken)
	require.NoError(t, err)
	require.Len(t, out.Subscriptions, 1)
	require.Equal(t, "dev/jobs/#", aws.ToString(out.Subscriptions[0].TopicFilter))
	require.Equal(t, int32(1), out.Subscriptions[0].Qos)
	require.Nil(t, out.NextToken)

	require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
	waitFor(t, func() bool {
		o, err := list("dev", 0, nil)
		return err == nil && len(o.Subscriptions) == 2 && s.isOffline("dev")
	},
		"the offline session lost its subscriptions")

	_, err = list("dev", 201, nil)
	require.Equal(t, "InvalidRequestException", apiCode(err))
	_, err = list("nobody", 0, nil)
	require.Equal(t, "ResourceNotFoundException", apiCode(err))
}

// isOffline reports whether clientID's session lives on without a
// connection.
func (s *Service) isOffline(clientID string) bool {
	cl, ok := s.broker.Clients.Get(clientID)
	return ok && cl.Closed()
}
