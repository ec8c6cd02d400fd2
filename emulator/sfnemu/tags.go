package sfnemu

import (
	"context"
	"fmt"
	"strings"
)

// Tags of state machines and activities: TagResource, UntagResource,
// ListTagsForResource. Stored and listed only; nothing reads them.

// maxTags is the number of tags a resource may carry.
const maxTags = 50

// tagSet is a resource's tags in the order they were first set. Guarded
// by the owner's mutex.
type tagSet []Tag

// set adds tags, replacing the values of keys already present.
func (ts *tagSet) set(tags []Tag) {
	for _, t := range tags {
		replaced := false
		for i, old := range *ts {
			if old.Key == t.Key {
				(*ts)[i], replaced = t, true
			}
		}
		if !replaced {
			*ts = append(*ts, t)
		}
	}
}

// remove drops the given keys.
func (ts *tagSet) remove(keys []string) {
	out := (*ts)[:0]
	for _, t := range *ts {
		drop := false
		for _, k := range keys {
			drop = drop || t.Key == k
		}
		if !drop {
			out = append(out, t)
		}
	}
	*ts = out
}

// count is the number of distinct keys after adding tags.
func (ts tagSet) count(tags []Tag) int {
	seen := map[string]bool{}
	for _, t := range ts {
		seen[t.Key] = true
	}
	for _, t := range tags {
		seen[t.Key] = true
	}
	return len(seen)
}

// taggable finds the tags of a state machine or activity ARN and runs f
// on them under the owner's lock.
func (s *Service) taggable(arn string, f func(ts *tagSet) error) error {
	if !strings.HasPrefix(arn, "arn:") {
		return fail(ErrInvalidArn, "Invalid ARN prefix: "+arn)
	}
	if sm, err := s.stateMachine(arn); err == nil {
		sm.mu.Lock()
		defer sm.mu.Unlock()
		return f(&sm.tags)
	}
	if a, err := s.activity(arn); err == nil {
		a.mu.Lock()
		defer a.mu.Unlock()
		return f(&a.tags)
	}
	return fail(ErrResourceNotFound, arn)
}

// TagResource tags a state machine or an activity: at most 50 keys.
func (s *Service) TagResource(_ context.Context, r TagResourceInput) error {
	return s.taggable(r.ResourceArn, func(ts *tagSet) error {
		if ts.count(r.Tags) > maxTags {
			return fail(ErrTooManyTags, fmt.Sprintf("Too many tags: %s", r.ResourceArn))
		}
		ts.set(r.Tags)
		return nil
	})
}

// UntagResource removes tags by key.
func (s *Service) UntagResource(_ context.Context, r UntagResourceInput) error {
	return s.taggable(r.ResourceArn, func(ts *tagSet) error {
		ts.remove(r.TagKeys)
		return nil
	})
}

// ListTagsForResource lists a resource's tags in the order first set.
func (s *Service) ListTagsForResource(_ context.Context, arn string) ([]Tag, error) {
	out := []Tag{}
	err := s.taggable(arn, func(ts *tagSet) error {
		out = append(out, (*ts)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
