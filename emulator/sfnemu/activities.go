package sfnemu

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/stepwire/stepwire/internal/arn"
)

// Activities are the other way on-premises workers reach Step Functions:
// they long-poll GetActivityTask (outbound HTTPS only) and answer with
// SendTask*. This file is the registry and its API; activityqueue.go hands
// tasks out.

// activity is one created activity. arn, name and created are immutable.
type activity struct {
	arn, name string
	created   time.Time

	mu    sync.Mutex
	tags  tagSet
	queue activityQueue
}

func (s *Service) activityArn(name string) string {
	return arn.Activity(s.cfg.Region, s.cfg.Account, name)
}

// CreateActivity creates an activity, or returns the existing one of that
// name (CreateActivity is idempotent).
func (s *Service) CreateActivity(_ context.Context, r CreateActivityInput) (ActivityDescription, error) {
	a, err := s.createActivity(r)
	if err != nil {
		return ActivityDescription{}, err
	}
	return a.describe(), nil
}

func (a *activity) describe() ActivityDescription {
	return ActivityDescription{ActivityArn: a.arn, Name: a.name, CreationDate: a.created}
}

func (s *Service) createActivity(r CreateActivityInput) (*activity, error) {
	if !validName(r.Name) {
		return nil, fail(ErrInvalidName, r.Name)
	}
	a := &activity{arn: s.activityArn(r.Name), name: r.Name, created: s.cfg.Clock.Now()}
	a.tags.set(r.Tags)
	s.actMu.Lock()
	defer s.actMu.Unlock()
	if old := s.activities[a.arn]; old != nil {
		return old, nil
	}
	s.activities[a.arn] = a
	s.actOrder = append(s.actOrder, a)
	return a, nil
}

// activity returns the activity with the given ARN.
func (s *Service) activity(arn string) (*activity, error) {
	if _, err := parseArn(arn, "activity"); err != nil {
		return nil, err
	}
	s.actMu.RLock()
	a := s.activities[arn]
	s.actMu.RUnlock()
	if a == nil {
		return nil, fail(ErrActivityDoesNotExist, arn)
	}
	return a, nil
}

// DescribeActivity describes an activity.
func (s *Service) DescribeActivity(_ context.Context, arn string) (ActivityDescription, error) {
	a, err := s.activity(arn)
	if err != nil {
		return ActivityDescription{}, err
	}
	return a.describe(), nil
}

// DeleteActivity forgets an activity. Tasks already queued for it stay
// queued until their executions end; pollers waiting on it get no task.
// An unknown activity is not an error.
func (s *Service) DeleteActivity(_ context.Context, arn string) error {
	a, err := s.activity(arn)
	if err != nil {
		if errors.Is(err, ErrActivityDoesNotExist) {
			return nil
		}
		return err
	}
	s.actMu.Lock()
	delete(s.activities, arn)
	for i, o := range s.actOrder {
		if o == a {
			s.actOrder = append(s.actOrder[:i:i], s.actOrder[i+1:]...)
			break
		}
	}
	s.actMu.Unlock()
	return nil
}

// ListActivities lists the activities in creation order.
func (s *Service) ListActivities(_ context.Context, p Page) (ActivityList, error) {
	s.actMu.RLock()
	all := append([]*activity(nil), s.actOrder...)
	s.actMu.RUnlock()
	from, to, err := p.bounds(len(all))
	if err != nil {
		return ActivityList{}, err
	}
	out := ActivityList{Activities: make([]ActivityDescription, 0, to-from), Next: next(to, len(all))}
	for _, a := range all[from:to] {
		out.Activities = append(out.Activities, a.describe())
	}
	return out, nil
}
