package sfnapi

import "fmt"

// Wire shapes of the activity and tagging operations (service model
// names).

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

type getActivityTaskInput struct {
	ActivityArn *string `json:"activityArn"`
	WorkerName  *string `json:"workerName"`
}

type getActivityTaskOutput struct {
	TaskToken *string `json:"taskToken,omitempty"`
	Input     *string `json:"input,omitempty"`
}

type tag struct {
	Key   *string `json:"key,omitempty"`
	Value *string `json:"value,omitempty"`
}

type tagResourceInput struct {
	ResourceArn *string  `json:"resourceArn"`
	Tags        []tag    `json:"tags"`
	TagKeys     []string `json:"tagKeys"`
}

type tagOutput struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type listTagsOutput struct {
	Tags []tagOutput `json:"tags"`
}

// checkTags validates a tags member (Coral names list elements
// "tags.<n>.member.<field>", counting from 1).
func checkTags(v *violations, tags []tag) {
	for i, t := range tags {
		if t.Key != nil {
			v.length(fmt.Sprintf("tags.%d.member.key", i+1), *t.Key, 1, 128, false)
		}
		if t.Value != nil {
			v.length(fmt.Sprintf("tags.%d.member.value", i+1), *t.Value, 0, 256, false)
		}
	}
}
