package worker

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// subscribeTimeout bounds one SUBSCRIBE round trip.
const subscribeTimeout = 10 * time.Second

// subscribeRetryPace is the wait before the first retry of a SUBSCRIBE
// refused with 0x91, and the step it grows by.
const subscribeRetryPace = 20 * time.Millisecond

// The session and its pitfall. The worker connects with Clean Start false
// and a Session Expiry Interval (Config.SessionExpiry), so the broker keeps
// its subscriptions and queues the QoS 1 jobs published while it is away.
// On reconnect the broker sends them right after CONNACK, before the worker
// has subscribed again. A client that installs its message handler only
// after connecting (or after subscribing) receives those messages with no
// handler, and many MQTT clients (paho included) then acknowledge them
// anyway: the job is acknowledged and lost, and its task times out. The
// worker's handler is part of the client configuration (OnPublishReceived),
// in place before the first CONNECT, and it acknowledges a job only once
// it has taken it on (admission.go).
func (w *Worker) clientConfig() autopaho.ClientConfig {
	return autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{w.url},
		TlsCfg:                        w.tls,
		AttemptConnection:             attemptConnection, // packetConn: one write a packet
		KeepAlive:                     w.cfg.KeepAlive,
		CleanStartOnInitialConnection: false,
		SessionExpiryInterval:         w.cfg.SessionExpiry,
		ReconnectBackoff:              w.backoffOnClock(reconnectBackoff),
		ConnectTimeout:                10 * time.Second,
		OnConnectionUp: func(cm *autopaho.ConnectionManager, ack *paho.Connack) {
			go w.subscribe(cm, ack)
		},
		OnConnectionDown: func() bool {
			w.forgetLine()
			w.acks.forget()
			w.writeHealth(HealthConnecting)
			w.logger.Warn("mqtt connection lost; reconnecting")
			return true
		},
		OnConnectError: func(err error) {
			w.logger.Warn("mqtt connect failed", "err", err)
		},
		ClientConfig: paho.ClientConfig{
			ClientID:          w.cfg.ClientID,
			OnPublishReceived: []func(paho.PublishReceived) (bool, error){w.onPublish},
			Session:           w.acks, // acknowledges in order, once the worker is done with a message
			OnClientError: func(err error) {
				w.logger.Warn("mqtt client error", "err", err)
			},
			OnServerDisconnect: func(d *paho.Disconnect) {
				w.logger.Warn("mqtt server disconnected the worker", "reasonCode", d.ReasonCode)
			},
		},
	}
}

// subscribe subscribes to the job topic and, in a SUBSCRIBE of its own, to
// the control topic, on every connection: a resumed session keeps them, but a
// new one does not. A refused subscription is logged; the worker keeps
// running.
//
// Jobs come at QoS 1, and so do cancel messages (the cancel Lambda
// publishes them at QoS 1), so a cancel published while the worker is
// offline waits in its session. The broker's in-flight window counts them
// with the jobs: when it is full of jobs waiting for a slot, a cancel waits
// behind them.
func (w *Worker) subscribe(cm *autopaho.ConnectionManager, ack *paho.Connack) {
	defer w.rescue("subscribing", jobwire.Job{}, nil, false)
	ctx, cancel := context.WithTimeout(w.jobsCtx, subscribeTimeout)
	defer cancel()
	w.logger.Info("mqtt connected", "sessionPresent", ack.SessionPresent)
	if err := subscribeOne(ctx, cm, w.cfg.JobFilter(), 1); err != nil {
		w.logger.Error("subscribe to job topic failed; no jobs will arrive", "topic", w.cfg.JobFilter(), "err", err)
		return
	}
	if err := subscribeOne(ctx, cm, w.cfg.ControlTopic(), 1); err != nil {
		w.logger.Warn("subscribe to control topic failed; jobs cannot be cancelled", "topic", w.cfg.ControlTopic(), "err", err)
	}
	w.logger.Info("worker ready", "topic", w.cfg.JobFilter())
	w.writeHealth(HealthReady)
	if w.cfg.OnReady != nil {
		w.cfg.OnReady()
	}
	w.readyOnce.Do(func() { close(w.ready) })
}

// subscribeOne subscribes to topic. It retries a SUBACK 0x91 (Packet
// Identifier in use) a few times: the mochi broker (under the emulator)
// counts the packet IDs of its own messages and the client's in one space,
// so a resumed session whose redelivered job holds ID 1 refuses a SUBSCRIBE
// with ID 1 until that job is acknowledged, a few milliseconds later.
func subscribeOne(ctx context.Context, cm *autopaho.ConnectionManager, topic string, qos byte) error {
	for attempt := 1; ; attempt++ {
		ack, err := cm.Subscribe(ctx, &paho.Subscribe{
			Subscriptions: []paho.SubscribeOptions{{Topic: topic, QoS: qos}},
		})
		if err != nil && ack != nil && len(ack.Reasons) == 1 {
			if ack.Reasons[0] == packetIDInUse && attempt < subscribeAttempts {
				select {
				case <-time.After(time.Duration(attempt) * subscribeRetryPace): // the pace of the broker, on the wall clock
					continue
				case <-ctx.Done():
				}
			}
			return fmt.Errorf("subscribe %q: SUBACK reason code 0x%02X: %w", topic, ack.Reasons[0], err)
		}
		if err != nil {
			return fmt.Errorf("subscribe %q: %w", topic, err)
		}
		return nil
	}
}

// packetIDInUse is the SUBACK reason code 0x91; subscribeAttempts bounds
// how often subscribeOne tries when it gets it.
const (
	packetIDInUse     = 0x91
	subscribeAttempts = 8
)

// onPublish receives every message. It runs on paho's receive goroutine, so
// it only decodes and hands work to other goroutines. A cancel message is
// acknowledged at once (it is QoS 1, so a cancel sent while the worker is
// offline waits in its session like a job); a job is acknowledged when it
// is taken on (admission.go).
func (w *Worker) onPublish(pr paho.PublishReceived) (bool, error) {
	in := w.inboundOf(pr)
	w.route(pr.Packet.Topic, in)
	return true, nil
}

// route hands a message to onCancel or onJob. After a panic it acknowledges
// the message, which would otherwise hold back every later acknowledgement.
func (w *Worker) route(topic string, in inbound) {
	done := false
	defer func() {
		if !done {
			in.ack()
		}
	}()
	defer w.rescue("receiving a message", jobwire.Job{}, nil, true)
	if topic == w.cfg.ControlTopic() {
		w.onCancel(in.payload) // first: the PUBACK write need not delay the cancel
		in.ack()
	} else {
		w.onJob(in)
	}
	done = true
}

// publish sends payload to the submit topic at QoS 1, waiting for the
// connection if it is down, for at most Config.PublishTimeout.
func (w *Worker) publish(ctx context.Context, payload []byte) error {
	return w.publishTo(ctx, w.cfg.SubmitTopic, payload, false)
}

// publishTo is publish to any topic, retained if retain is set.
func (w *Worker) publishTo(ctx context.Context, topic string, payload []byte, retain bool) error {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.PublishTimeout)
	defer cancel()
	select {
	case <-w.cmSet:
	case <-ctx.Done():
		return fmt.Errorf("publish: %w", ctx.Err())
	}
	for {
		_, err := w.cm.Publish(ctx, &paho.Publish{Topic: topic, QoS: 1, Retain: retain, Payload: payload})
		if !errors.Is(err, autopaho.ConnectionDownError) {
			if err != nil {
				return fmt.Errorf("publish to %q: %w", topic, err)
			}
			if len(payload) > 0 { // an empty publish clears a retained report: no message for a consumer
				w.published.Add(1)
			}
			return nil
		}
		if err := w.cm.AwaitConnection(ctx); err != nil {
			return fmt.Errorf("publish to %q: waiting for connection: %w", topic, err)
		}
	}
}
