package sfnemu

import "time"

// The typed activity and tagging API.

// CreateActivityInput creates an activity (or names an existing one).
type CreateActivityInput struct {
	Name string
	Tags []Tag
}

// ActivityDescription describes an activity.
type ActivityDescription struct {
	ActivityArn, Name string
	CreationDate      time.Time
}

// ActivityList is one page of activities, in creation order.
type ActivityList struct {
	Activities []ActivityDescription
	Next       int
}

// GetActivityTaskInput polls an activity for a task.
type GetActivityTaskInput struct {
	ActivityArn, WorkerName string
}

// ActivityTask is a task handed to a worker; TaskToken is empty when no
// task came before the poll ended.
type ActivityTask struct {
	TaskToken, Input string
}

// TagResourceInput adds tags to a state machine or activity, replacing
// the values of keys it has.
type TagResourceInput struct {
	ResourceArn string
	Tags        []Tag
}

// UntagResourceInput removes tags by key.
type UntagResourceInput struct {
	ResourceArn string
	TagKeys     []string
}
