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

func (w *Worker) clientConfig() autopaho.ClientConfig {
	return autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{w.url},
		TlsCfg:                        w.tls,
		KeepAlive:                     w.cfg.KeepAlive,
		CleanStartOnInitialConnection: false,
		SessionExpiryInterval:         w.cfg.SessionExpiry,
		ReconnectBackoff:              w.backoffOnClock(reconnectBackoff),
		ConnectTimeout:                10 * time.Second,
		OnConnectionUp: func(cm *autopaho.ConnectionManager, ack *paho.Connack) {
			go w.subscribe(cm, ack)
		},
		OnConnectionDown: func() bool {
			w.logger.Warn("mqtt connection lost; reconnecting")
			return true
		},
		OnConnectError: func(err error) {
			w.logger.Warn("mqtt connect failed", "err", err)
		},
		ClientConfig: paho.ClientConfig{
			ClientID:          w.cfg.ClientID,
			OnPublishReceived: []func(paho.PublishReceived) (bool, error){w.onPublish},
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
func (w *Worker) subscribe(cm *autopaho.ConnectionManager, ack *paho.Connack) {
	defer w.rescue("subscribing", jobwire.Job{}, nil, false)
	ctx, cancel := context.WithTimeout(w.jobsCtx, subscribeTimeout)
	defer cancel()
	w.logger.Info("mqtt connected", "sessionPresent", ack.SessionPresent)
	if err := subscribeOne(ctx, cm, w.cfg.SubscribeTopic); err != nil {
		w.logger.Error("subscribe to job topic failed; no jobs will arrive", "topic", w.cfg.SubscribeTopic, "err", err)
		return
	}
	if err := subscribeOne(ctx, cm, w.cfg.ControlTopic()); err != nil {
		w.logger.Warn("subscribe to control topic failed; jobs cannot be cancelled", "topic", w.cfg.ControlTopic(), "err", err)
	}
	w.logger.Info("worker ready", "topic", w.cfg.SubscribeTopic)
	if w.cfg.OnReady != nil {
		w.cfg.OnReady()
	}
	w.readyOnce.Do(func() { close(w.ready) })
}

func subscribeOne(ctx context.Context, cm *autopaho.ConnectionManager, topic string) error {
	ack, err := cm.Subscribe(ctx, &paho.Subscribe{
		Subscriptions: []paho.SubscribeOptions{{Topic: topic, QoS: 1}},
	})
	if err != nil && ack != nil && len(ack.Reasons) == 1 {
		return fmt.Errorf("subscribe %q: SUBACK reason code 0x%02X: %w", topic, ack.Reasons[0], err)
	}
	if err != nil {
		return fmt.Errorf("subscribe %q: %w", topic, err)
	}
	return nil
}

// onPublish receives every message. It runs on paho's receive goroutine, so
// it only decodes and hands work to other goroutines.
func (w *Worker) onPublish(pr paho.PublishReceived) (bool, error) {
	defer w.rescue("receiving a message", jobwire.Job{}, nil, true)
	if pr.Packet.Topic == w.cfg.ControlTopic() {
		w.onCancel(pr.Packet.Payload)
	} else {
		w.onJob(pr.Packet.Payload)
	}
	return true, nil
}

// publish sends payload to the submit topic at QoS 1, waiting for the
// connection if it is down, for at most Config.PublishTimeout.
func (w *Worker) publish(ctx context.Context, payload []byte) error {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.PublishTimeout)
	defer cancel()
	select {
	case <-w.cmSet:
	case <-ctx.Done():
		return fmt.Errorf("publish: %w", ctx.Err())
	}
	for {
		_, err := w.cm.Publish(ctx, &paho.Publish{Topic: w.cfg.SubmitTopic, QoS: 1, Payload: payload})
		if !errors.Is(err, autopaho.ConnectionDownError) {
			if err != nil {
				return fmt.Errorf("publish to %q: %w", w.cfg.SubmitTopic, err)
			}
			w.published.Add(1)
			return nil
		}
		if err := w.cm.AwaitConnection(ctx); err != nil {
			return fmt.Errorf("publish to %q: waiting for connection: %w", w.cfg.SubmitTopic, err)
		}
	}
}
