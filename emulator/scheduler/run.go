package scheduler

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/stepwire/stepwire/internal/uuid"
)

// runSchedule runs a Scheduler schedule's target once, its input's context
// attributes filled in (docs/eventbridge.md §7.3). A failure is logged:
// stepwire has no retry policy or dead-letter queue.
func (s *Service) runSchedule(sc *Schedule, at time.Time) {
	input := sc.Target.Input
	if input == "" {
		input = "{}"
	}
	if strings.Contains(input, "<aws.scheduler.") {
		input = contextAttributes(sc.Arn, at).Replace(input)
	}
	s.start(sc.Target.Arn, input, "schedule", sc.Arn, at)
}

// contextAttributes fills in the placeholders a target's input may hold.
func contextAttributes(scheduleArn string, at time.Time) *strings.Replacer {
	return strings.NewReplacer(
		"<aws.scheduler.schedule-arn>", scheduleArn,
		"<aws.scheduler.scheduled-time>", at.UTC().Format(time.RFC3339),
		"<aws.scheduler.execution-id>", uuid.New(),
		"<aws.scheduler.attempt-number>", "1",
	)
}

// start hands a run to Config.Start and logs the outcome.
func (s *Service) start(target, input, kind, source string, at time.Time) {
	if s.cfg.Start == nil {
		return
	}
	if err := s.cfg.Start(s.ctx, target, input); err != nil {
		s.logger.Error("scheduled run failed", kind, source, "target", target, "scheduledTime", at, "error", err)
		return
	}
	s.logger.Debug("scheduled run", kind, source, "target", target, "scheduledTime", at)
}

// scheduledEvent is the event a rule's schedule sends its target when the
// target has no Input (docs/eventbridge.md §6.4).
func (s *Service) scheduledEvent(ruleArn string, at time.Time) string {
	b, _ := json.Marshal(map[string]any{
		"version": "0", "id": uuid.New(), "detail-type": "Scheduled Event", "source": "aws.events",
		"account": s.cfg.Account, "time": at.UTC().Format(time.RFC3339), "region": s.cfg.Region,
		"resources": []string{ruleArn}, "detail": map[string]any{},
	})
	return string(b)
}
