package sfnemu

import (
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

type createActivityInput struct {
	Name *string `json:"name"`
	Tags []tag   `json:"tags"`
}

type activityArnInput struct {
	ActivityArn *string `json:"activityArn"`
}

type activityOutput struct {
	ActivityArn  string `json:"activityArn"`
	Name         string `json:"name,omitempty"`
	CreationDate epoch  `json:"creationDate"`
}

type listActivitiesOutput struct {
	Activities []activityOutput `json:"activities"`
	NextToken  string           `json:"nextToken,omitempty"`
}

func (s *Service) activityArn(name string) string {
	return arn.Activity(s.cfg.Region, s.cfg.Account, name)
}

// CreateActivity creates an activity, or returns the existing one of that
// name (CreateActivity is idempotent), and returns its ARN.
func (s *Service) CreateActivity(name string) (string, error) {
	a, err := s.createActivity(&createActivityInput{Name: &name})
	if err != nil {
		return "", err
	}
	return a.arn, nil
}

func (s *Service) createActivity(r *createActivityInput) (*activity, error) {
	var v violations
	v.required("name", r.Name != nil)
	if r.Name != nil {
		v.length("name", *r.Name, 1, maxNameLen, false)
	}
	checkTags(&v, r.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !validName(*r.Name) {
		return nil, fail(ErrInvalidName, *r.Name)
	}
	a := &activity{arn: s.activityArn(*r.Name), name: *r.Name, created: s.cfg.Clock.Now()}
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

// deleteActivity forgets an activity. Tasks already queued for it stay
// queued until their executions end; pollers waiting on it get no task.
func (s *Service) deleteActivity(arn string) error {
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

func requiredActivityArn(arn *string) error {
	return requiredArn("activityArn", arn)
}

func createActivityOp(s *Service, r *createActivityInput) (any, error) {
	a, err := s.createActivity(r)
	if err != nil {
		return nil, err
	}
	return activityOutput{ActivityArn: a.arn, CreationDate: epoch(a.created)}, nil
}

func describeActivityOp(s *Service, r *activityArnInput) (any, error) {
	if err := requiredActivityArn(r.ActivityArn); err != nil {
		return nil, err
	}
	a, err := s.activity(*r.ActivityArn)
	if err != nil {
		return nil, err
	}
	return activityOutput{ActivityArn: a.arn, Name: a.name, CreationDate: epoch(a.created)}, nil
}

func deleteActivityOp(s *Service, r *activityArnInput) (any, error) {
	if err := requiredActivityArn(r.ActivityArn); err != nil {
		return nil, err
	}
	return struct{}{}, s.deleteActivity(*r.ActivityArn)
}

func listActivitiesOp(s *Service, r *listInput) (any, error) {
	var v violations
	v.rangeInt("maxResults", int64(r.MaxResults), 0, 1000)
	v.length("nextToken", r.NextToken, 0, 1024, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.actMu.RLock()
	all := append([]*activity(nil), s.actOrder...)
	s.actMu.RUnlock()
	off, err := decodePage("act", r.NextToken, len(all))
	if err != nil {
		return nil, err
	}
	end := min(off+pageSize(r.MaxResults), len(all))
	out := listActivitiesOutput{Activities: make([]activityOutput, 0, end-off)}
	for _, a := range all[off:end] {
		out.Activities = append(out.Activities, activityOutput{ActivityArn: a.arn, Name: a.name, CreationDate: epoch(a.created)})
	}
	if end < len(all) {
		out.NextToken = encodePage("act", end)
	}
	return out, nil
}
