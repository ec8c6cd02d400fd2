package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iotdataplane"

	"github.com/stepwire/stepwire/internal/jobwire"
)

// taskProgress is the latest progress report of one task of an execution.
type taskProgress struct {
	Topic   string
	TaskRef string // the last level of the topic: jobwire.TaskRef of the token
	JobID   string
	// Report is the conventional report; ok is false when the worker sent
	// other JSON, which Raw holds.
	Report jobwire.ProgressReport
	OK     bool
	Raw    json.RawMessage
	// Updated is when the broker stored the report.
	Updated time.Time
}

// progressSource yields the progress of one execution's running tasks:
// subscribeSource (progresssub.go), which reads the retained reports with
// retainedSource and then follows the progress topics.
type progressSource interface {
	// Snapshot returns the latest report of each task that has one, by
	// topic.
	Snapshot(ctx context.Context) ([]taskProgress, error)
	// Watch calls update with the reports each time they change, until ctx
	// is done or the source fails; it returns nil when ctx is done.
	Watch(ctx context.Context, update func([]taskProgress)) error
}

// Bounds of one snapshot: the pages of ListRetainedMessages it reads (200
// topics each) and the tasks of one execution it fetches.
const (
	maxRetainedPages = 50
	maxProgressTasks = 100
)

// retainedAPI is the part of the IoT data plane client retainedSource uses.
type retainedAPI interface {
	ListRetainedMessages(ctx context.Context, in *iotdataplane.ListRetainedMessagesInput, optFns ...func(*iotdataplane.Options)) (*iotdataplane.ListRetainedMessagesOutput, error)
	GetRetainedMessage(ctx context.Context, in *iotdataplane.GetRetainedMessageInput, optFns ...func(*iotdataplane.Options)) (*iotdataplane.GetRetainedMessageOutput, error)
}

// retainedSource reads an execution's progress from the retained messages
// under jobwire.ProgressPrefix(results, executionArn). It fetches a
// message again only when its lastModifiedTime changes.
type retainedSource struct {
	api          retainedAPI
	prefix       string
	executionArn string
	cache        map[string]cachedProgress // by topic
}

type cachedProgress struct {
	modified int64
	p        *taskProgress // nil: not a progress report of the execution
}

func newRetainedSource(api retainedAPI, results, executionArn string) *retainedSource {
	return &retainedSource{api: api, prefix: jobwire.ProgressPrefix(results, executionArn), executionArn: executionArn,
		cache: map[string]cachedProgress{}}
}

// Snapshot lists the retained topics under the execution's prefix and
// reads the reports that changed since the last call.
func (s *retainedSource) Snapshot(ctx context.Context) ([]taskProgress, error) {
	modified, err := s.list(ctx)
	if err != nil {
		return nil, err
	}
	var out []taskProgress
	for _, topic := range sortedKeys(modified) {
		c, ok := s.cache[topic]
		if !ok || c.modified != modified[topic] {
			p, err := s.get(ctx, topic)
			if err != nil {
				return nil, err
			}
			c = cachedProgress{modified: modified[topic], p: p}
		}
		s.cache[topic] = c
		if c.p != nil {
			out = append(out, *c.p)
		}
	}
	for topic := range s.cache {
		if _, ok := modified[topic]; !ok {
			delete(s.cache, topic)
		}
	}
	return out, nil
}

// list returns the lastModifiedTime of each retained topic under the
// prefix, at most maxProgressTasks of them.
func (s *retainedSource) list(ctx context.Context) (map[string]int64, error) {
	found := map[string]int64{}
	var next *string
	for page := 0; page < maxRetainedPages; page++ {
		out, err := s.api.ListRetainedMessages(ctx, &iotdataplane.ListRetainedMessagesInput{NextToken: next})
		if err != nil {
			return nil, fmt.Errorf("list retained messages: %w", err)
		}
		for _, m := range out.RetainedTopics {
			if t := aws.ToString(m.Topic); strings.HasPrefix(t, s.prefix) && len(found) < maxProgressTasks {
				found[t] = m.LastModifiedTime
			}
		}
		if next = out.NextToken; aws.ToString(next) == "" {
			break
		}
	}
	return found, nil
}

// get reads one retained report; nil when it is not a progress message of
// the execution (or was cleared meanwhile).
func (s *retainedSource) get(ctx context.Context, topic string) (*taskProgress, error) {
	m, err := s.api.GetRetainedMessage(ctx, &iotdataplane.GetRetainedMessageInput{Topic: aws.String(topic)})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get retained message %s: %w", topic, err)
	}
	r, err := jobwire.ParseResult(m.Payload)
	if err != nil || r.Kind != jobwire.KindProgress || r.ExecutionArn != s.executionArn {
		return nil, nil
	}
	p := &taskProgress{Topic: topic, TaskRef: topic[strings.LastIndexByte(topic, '/')+1:], JobID: r.JobID,
		Raw: r.Progress, Updated: time.UnixMilli(m.LastModifiedTime)}
	p.Report, p.OK = jobwire.ReadProgressReport(r.Progress)
	return p, nil
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
