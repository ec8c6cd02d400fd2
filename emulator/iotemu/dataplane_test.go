package iotemu

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"
	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/stepwire/stepwire/internal/awscli"
	"github.com/stepwire/stepwire/internal/clock"
)

// Reference §3.3, §5.1: GetRetainedMessage and ListRetainedMessages
// through aws-sdk-go-v2 and the aws CLI: payload, QoS, user properties,
// lastModifiedTime (ms, on the service clock), pages, deletion by an
// empty retained publish.
func TestSDKRetainedMessages(t *testing.T) {
	fake := clock.NewFake(time.UnixMilli(1_700_000_000_123))
	s := startServiceWith(t, func(c *Config) { c.Clock = fake })
	_, data, url := sdkClients(t, s)
	ctx := context.Background()

	mc := mustDial(t, s, setupThing(t, s, "dev", ""), "dev")
	_, err := mc.Publish(ctxT(t), &paho.Publish{Topic: "dev/state", QoS: 1, Retain: true, Payload: []byte(`{"on":true}`),
		Properties: &paho.PublishProperties{User: paho.UserProperties{{Key: "site", Value: "berlin"}}}})
	require.NoError(t, err)
	fake.Advance(time.Second)
	_, err = data.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String("dev/config"), Retain: true, Payload: []byte(`{"v":2}`)})
	require.NoError(t, err)

	got, err := data.GetRetainedMessage(ctx, &iotdataplane.GetRetainedMessageInput{Topic: aws.String("dev/state")})
	require.NoError(t, err)
	require.Equal(t, "dev/state", aws.ToString(got.Topic))
	require.Equal(t, `{"on":true}`, string(got.Payload))
	require.Equal(t, int32(1), got.Qos)
	require.Equal(t, int64(1_700_000_000_123), got.LastModifiedTime)
	require.JSONEq(t, `[{"site":"berlin"}]`, string(got.UserProperties))
	_, err = data.GetRetainedMessage(ctx, &iotdataplane.GetRetainedMessageInput{Topic: aws.String("dev/none")})
	require.Equal(t, "ResourceNotFoundException", apiCode(err))

	list, err := data.ListRetainedMessages(ctx, &iotdataplane.ListRetainedMessagesInput{MaxResults: aws.Int32(1)})
	require.NoError(t, err)
	require.Len(t, list.RetainedTopics, 1)
	first := list.RetainedTopics[0]
	require.Equal(t, "dev/config", aws.ToString(first.Topic))
	require.Equal(t, int64(len(`{"v":2}`)), first.PayloadSize)
	require.Equal(t, int64(1_700_000_001_123), first.LastModifiedTime)
	require.NotNil(t, list.NextToken)
	list, err = data.ListRetainedMessages(ctx, &iotdataplane.ListRetainedMessagesInput{NextToken: list.NextToken})
	require.NoError(t, err)
	require.Len(t, list.RetainedTopics, 1)
	require.Equal(t, "dev/state", aws.ToString(list.RetainedTopics[0].Topic))
	require.Nil(t, list.NextToken)

	// An empty retained publish deletes the message.
	_, err = data.Publish(ctx, &iotdataplane.PublishInput{Topic: aws.String("dev/config"), Retain: true})
	require.NoError(t, err)
	list, err = data.ListRetainedMessages(ctx, &iotdataplane.ListRetainedMessagesInput{})
	require.NoError(t, err)
	require.Len(t, list.RetainedTopics, 1)

	if testing.Short() {
		return
	}
	cli := &cliRunner{t: t, cli: awscli.Path(t), url: url, dir: t.TempDir()}
	out := cli.must("iot-data", "get-retained-message", "--topic", "dev/state")
	payload, err := base64.StdEncoding.DecodeString(out["payload"].(string))
	require.NoError(t, err)
	require.Equal(t, `{"on":true}`, string(payload))
	require.EqualValues(t, 1_700_000_000_123, out["lastModifiedTime"])
	topics := cli.must("iot-data", "list-retained-messages")["retainedTopics"].([]any)
	require.Equal(t, "dev/state", topics[0].(map[string]any)["topic"])
}

// Reference §3.4, §3.8, §5.1: DeleteConnection through aws-sdk-go-v2.
// The client gets DISCONNECT 0x98, the lifecycle event says
// API_INITIATED_DISCONNECT, the will is published unless
// preventWillMessage, and cleanSession ends the persistent session.
func TestSDKDeleteConnection(t *testing.T) {
	s, _ := startService(t)
	_, data, _ := sdkClients(t, s)
	ctx := context.Background()
	devTLS := setupThing(t, s, "dev", "")
	watcher := mustDial(t, s, setupThing(t, s, "watcher", ""), "watcher")
	require.Equal(t, byte(1), subscribe(t, watcher, "$aws/events/presence/disconnected/dev"))
	require.Equal(t, byte(1), subscribe(t, watcher, "dev/will"))
	disconnected := func() map[string]any {
		var ev map[string]any
		require.NoError(t, json.Unmarshal(receive(t, watcher).Payload, &ev))
		require.Equal(t, "disconnected", ev["eventType"])
		return ev
	}

	expiry := uint32(3600)
	connect := &paho.Connect{ClientID: "dev", KeepAlive: 30, Properties: &paho.ConnectProperties{SessionExpiryInterval: &expiry},
		WillMessage: &paho.WillMessage{Topic: "dev/will", QoS: 1, Payload: []byte(`{"gone":true}`)}}
	dev := func() (*mqttClient, bool, chan byte) {
		mc, ack, err := dialWith(t, s, devTLS, connect)
		require.NoError(t, err)
		codes := make(chan byte, 1)
		mc.onDisconnect = func(d *paho.Disconnect) {
			select {
			case codes <- d.ReasonCode:
			default:
			}
		}
		return mc, ack.SessionPresent, codes
	}

	mc, present, codes := dev()
	require.False(t, present)
	require.Equal(t, byte(1), subscribe(t, mc, "dev/jobs"))
	_, err := data.DeleteConnection(ctx, &iotdataplane.DeleteConnectionInput{ClientId: aws.String("dev")})
	require.NoError(t, err)
	require.Equal(t, byte(0x98), <-codes)
	require.Equal(t, "dev/will", receive(t, watcher).Topic, "the will is published")
	ev := disconnected()
	require.Equal(t, "API_INITIATED_DISCONNECT", ev["disconnectReason"])
	require.Equal(t, false, ev["clientInitiatedDisconnect"])

	_, present, codes = dev()
	require.True(t, present, "the persistent session survives")
	_, err = data.DeleteConnection(ctx, &iotdataplane.DeleteConnectionInput{ClientId: aws.String("dev"), CleanSession: true, PreventWillMessage: true})
	require.NoError(t, err)
	require.Equal(t, byte(0x98), <-codes)
	require.Equal(t, "API_INITIATED_DISCONNECT", disconnected()["disconnectReason"])
	// The will would have come before the event; the next message on the
	// will topic is this marker.
	require.NoError(t, s.Publish(ctx, "dev/will", []byte(`{"marker":true}`), 1))
	require.Equal(t, `{"marker":true}`, string(receive(t, watcher).Payload), "no will")

	mc, present, _ = dev()
	require.False(t, present, "cleanSession ended the session")
	_, err = data.DeleteConnection(ctx, &iotdataplane.DeleteConnectionInput{ClientId: aws.String("nobody")})
	require.Equal(t, "ResourceNotFoundException", apiCode(err))

	// A disconnected client's persistent session ends with cleanSession.
	require.NoError(t, mc.Disconnect(&paho.Disconnect{}))
	require.Equal(t, "CLIENT_INITIATED_DISCONNECT", disconnected()["disconnectReason"])
	_, err = data.DeleteConnection(ctx, &iotdataplane.DeleteConnectionInput{ClientId: aws.String("dev")})
	require.Equal(t, "ResourceNotFoundException", apiCode(err), "not connected")
	_, err = data.DeleteConnection(ctx, &iotdataplane.DeleteConnectionInput{ClientId: aws.String("dev"), CleanSession: true})
	require.NoError(t, err)
	_, present, _ = dev()
	require.False(t, present)
}

// DeleteConnection over plain HTTP: a client id with a slash, and bad
// query values.
func TestDeleteConnectionHTTP(t *testing.T) {
	s, _ := startService(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	for path, code := range map[string]string{
		"/connections/a%2Fb":                            "ResourceNotFoundException",
		"/connections/dev?cleanSession=maybe":           "InvalidRequestException",
		"/connections/%24aws":                           "InvalidRequestException",
		"/connections/dev?preventWillMessage=sometimes": "InvalidRequestException",
	} {
		req := httptest.NewRequest("DELETE", srv.URL+path, nil)
		req.RequestURI = ""
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.Equal(t, code, resp.Header.Get("X-Amzn-ErrorType"), path)
	}
}
