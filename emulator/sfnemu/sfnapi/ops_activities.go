package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Operations on activities.

func createActivity(s *sfnemu.Service, ctx context.Context, r *createActivityInput) (any, error) {
	var v violations
	v.required("name", r.Name != nil)
	if r.Name != nil {
		v.length("name", *r.Name, 1, maxNameLen, false)
	}
	checkTags(&v, r.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	a, err := s.CreateActivity(ctx, sfnemu.CreateActivityInput{Name: *r.Name, Tags: toTags(r.Tags)})
	if err != nil {
		return nil, err
	}
	return activityOutput{ActivityArn: a.ActivityArn, CreationDate: epoch(a.CreationDate)}, nil
}

func describeActivity(s *sfnemu.Service, ctx context.Context, r *activityArnInput) (any, error) {
	if err := requiredArn("activityArn", r.ActivityArn); err != nil {
		return nil, err
	}
	a, err := s.DescribeActivity(ctx, *r.ActivityArn)
	if err != nil {
		return nil, err
	}
	return activityOutput{ActivityArn: a.ActivityArn, Name: a.Name, CreationDate: epoch(a.CreationDate)}, nil
}

func deleteActivity(s *sfnemu.Service, ctx context.Context, r *activityArnInput) (any, error) {
	if err := requiredArn("activityArn", r.ActivityArn); err != nil {
		return nil, err
	}
	return none(s.DeleteActivity(ctx, *r.ActivityArn))
}

func listActivities(s *sfnemu.Service, ctx context.Context, r *listInput) (any, error) {
	var v violations
	checkList(&v, r.MaxResults, r.NextToken, maxPageToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	list, err := s.ListActivities(ctx, page("act", r.MaxResults, r.NextToken))
	if err != nil {
		return nil, err
	}
	out := listActivitiesOutput{Activities: make([]activityOutput, len(list.Activities)), NextToken: nextToken("act", list.Next)}
	for i, a := range list.Activities {
		out.Activities[i] = activityOutput{ActivityArn: a.ActivityArn, Name: a.Name, CreationDate: epoch(a.CreationDate)}
	}
	return out, nil
}

// maxWorkerNameLen is the longest workerName.
const maxWorkerNameLen = 80

func getActivityTask(s *sfnemu.Service, ctx context.Context, r *getActivityTaskInput) (any, error) {
	var v violations
	v.required("activityArn", r.ActivityArn != nil)
	if r.ActivityArn != nil {
		v.length("activityArn", *r.ActivityArn, 1, maxArnLen, false)
	}
	if r.WorkerName != nil {
		v.length("workerName", *r.WorkerName, 1, maxWorkerNameLen, false)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	t, err := s.GetActivityTask(ctx, sfnemu.GetActivityTaskInput{ActivityArn: *r.ActivityArn, WorkerName: derefOr(r.WorkerName)})
	if err != nil || t.TaskToken == "" {
		return getActivityTaskOutput{}, err
	}
	return getActivityTaskOutput{TaskToken: &t.TaskToken, Input: &t.Input}, nil
}
