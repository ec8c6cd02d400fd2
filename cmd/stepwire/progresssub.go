package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"

	"github.com/stepwire/stepwire/internal/iotws"
	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/internal/uuid"
)

// subscribeSource follows an execution's progress live, the same way
// against the emulator and AWS: the retained reports first (retainedSource's
// Snapshot, since IoT Core sends retained messages only to a subscription
// to the exact topic), then every report and every clearing as it is
// published, over MQTT over WebSocket signed with the caller's AWS
// credentials (internal/iotws), subscribed to
// <results>/progress/<execution name>/+.
type subscribeSource struct {
	*retainedSource
	ws iotws.Config
	// queue bounds the messages waiting for Watch's goroutine; past it the
	// oldest wait, and paho's flow control holds the broker back.
	queue int
}

// subscribeTarget is where and as whom subscribeSource connects.
type subscribeTarget struct {
	endpoint, region string
	creds            aws.CredentialsProvider
}

func newSubscribeSource(retained *retainedSource, t subscribeTarget) *subscribeSource {
	return &subscribeSource{retainedSource: retained, queue: 64, ws: iotws.Config{
		Endpoint: t.endpoint, Region: t.region, Credentials: t.creds,
		ClientID: "stepwire-progress-" + uuid.New()[:8],
	}}
}

type progressMsg struct {
	topic   string
	payload []byte
}

// Watch calls update with the retained reports, then after every change.
// It subscribes before it reads the retained reports, so no report falls
// between the two; a live message older than the snapshot is followed by
// the newer ones, in order, so the view converges on the latest.
func (s *subscribeSource) Watch(ctx context.Context, update func([]taskProgress)) error {
	msgs := make(chan progressMsg, s.queue)
	cm, err := s.connect(ctx, msgs)
	if err != nil {
		return err
	}
	defer disconnect(cm)
	ps, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	byTopic := map[string]taskProgress{}
	for _, p := range ps {
		byTopic[p.Topic] = p
	}
	update(ps)
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-msgs:
			if s.apply(byTopic, m) {
				update(sortedProgress(byTopic))
			}
		}
	}
}

// connect subscribes to the execution's progress topics; messages go to
// msgs.
func (s *subscribeSource) connect(ctx context.Context, msgs chan<- progressMsg) (*autopaho.ConnectionManager, error) {
	cfg := s.ws
	sub := &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: s.prefix + "+", QoS: 1}}}
	first := true
	cfg.OnConnectionUp = func(cm *autopaho.ConnectionManager, _ *paho.Connack) {
		if !first { // a reconnect: subscribe again (clean session)
			_, _ = cm.Subscribe(ctx, sub)
		}
		first = false
	}
	cfg.OnPublish = func(pr paho.PublishReceived) (bool, error) {
		select {
		case msgs <- progressMsg{topic: pr.Packet.Topic, payload: pr.Packet.Payload}:
		case <-ctx.Done():
		}
		return true, nil
	}
	cc, err := iotws.ClientConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("subscribe to progress: %w", err)
	}
	cm, err := autopaho.NewConnection(ctx, cc) // lives until ctx is done
	if err != nil {
		return nil, fmt.Errorf("subscribe to progress: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, iotws.DefaultConnectTimeout)
	defer cancel()
	if err := cm.AwaitConnection(cctx); err != nil {
		disconnect(cm)
		return nil, fmt.Errorf("subscribe to progress: connect to %s: %w", cfg.Endpoint, err)
	}
	if _, err := cm.Subscribe(cctx, sub); err != nil {
		disconnect(cm)
		return nil, fmt.Errorf("subscribe to progress: %w", err)
	}
	return cm, nil
}

// apply records one message in byTopic and reports whether it changed
// anything: an empty message clears the task's report, and only reports
// of this execution count.
func (s *subscribeSource) apply(byTopic map[string]taskProgress, m progressMsg) bool {
	if !strings.HasPrefix(m.topic, s.prefix) {
		return false
	}
	if len(m.payload) == 0 {
		_, had := byTopic[m.topic]
		delete(byTopic, m.topic)
		return had
	}
	r, err := jobwire.ParseResult(m.payload)
	if err != nil || r.Kind != jobwire.KindProgress || r.ExecutionArn != s.executionArn {
		return false
	}
	p := taskProgress{Topic: m.topic, TaskRef: m.topic[strings.LastIndexByte(m.topic, '/')+1:], JobID: r.JobID,
		Raw: r.Progress, Updated: time.Now()}
	p.Report, p.OK = jobwire.ReadProgressReport(r.Progress)
	byTopic[m.topic] = p
	return true
}

func sortedProgress(byTopic map[string]taskProgress) []taskProgress {
	out := make([]taskProgress, 0, len(byTopic))
	for _, p := range byTopic {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Topic < out[j].Topic })
	return out
}

// disconnect ends the subscription, waiting at most a second.
func disconnect(cm *autopaho.ConnectionManager) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = cm.Disconnect(ctx)
}

// followProgress prints src's changes on w, one plain line each, until ctx
// is done (the command is interrupted).
func followProgress(ctx context.Context, src progressSource, w io.Writer) error {
	r := &progressRenderer{w: w, printed: map[string]string{}}
	err := src.Watch(ctx, r.update)
	if ctx.Err() != nil {
		return nil
	}
	return err
}
