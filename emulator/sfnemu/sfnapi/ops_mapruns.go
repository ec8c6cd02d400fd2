package sfnapi

import (
	"context"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// DescribeMapRun, ListMapRuns and UpdateMapRun: the Map Runs of
// Distributed Map states (docs/step-functions.md, "Distributed Map").

type mapRunArnInput struct {
	MapRunArn *string `json:"mapRunArn"`
}

type mapRunCounts struct {
	Pending               int64 `json:"pending"`
	Running               int64 `json:"running"`
	Succeeded             int64 `json:"succeeded"`
	Failed                int64 `json:"failed"`
	TimedOut              int64 `json:"timedOut"`
	Aborted               int64 `json:"aborted"`
	Total                 int64 `json:"total"`
	ResultsWritten        int64 `json:"resultsWritten"`
	FailuresNotRedrivable int64 `json:"failuresNotRedrivable"`
	PendingRedrive        int64 `json:"pendingRedrive"`
}

func wireCounts(c interp.MapRunCounts, written int64) mapRunCounts {
	return mapRunCounts{Pending: c.Pending, Running: c.Running, Succeeded: c.Succeeded, Failed: c.Failed,
		TimedOut: c.TimedOut, Aborted: c.Aborted, Total: c.Total, ResultsWritten: written}
}

type describeMapRunOutput struct {
	MapRunArn                  string       `json:"mapRunArn"`
	ExecutionArn               string       `json:"executionArn"`
	Status                     string       `json:"status"`
	StartDate                  epoch        `json:"startDate"`
	StopDate                   *epoch       `json:"stopDate,omitempty"`
	MaxConcurrency             int64        `json:"maxConcurrency"`
	ToleratedFailurePercentage float64      `json:"toleratedFailurePercentage"`
	ToleratedFailureCount      int64        `json:"toleratedFailureCount"`
	ItemCounts                 mapRunCounts `json:"itemCounts"`
	ExecutionCounts            mapRunCounts `json:"executionCounts"`
	RedriveCount               int          `json:"redriveCount"`
}

func describeMapRun(s *sfnemu.Service, ctx context.Context, r *mapRunArnInput) (any, error) {
	if err := requiredArn("mapRunArn", r.MapRunArn); err != nil {
		return nil, err
	}
	d, err := s.DescribeMapRun(ctx, *r.MapRunArn)
	if err != nil {
		return nil, err
	}
	// Without a ResultWriter every result a child gave is kept in the
	// state output: "written".
	return describeMapRunOutput{MapRunArn: d.MapRunArn, ExecutionArn: d.ExecutionArn, Status: string(d.Status),
		StartDate: epoch(d.StartDate), StopDate: epochPtr(d.StopDate), MaxConcurrency: d.MaxConcurrency,
		ToleratedFailurePercentage: d.ToleratedFailurePercentage, ToleratedFailureCount: d.ToleratedFailureCount,
		ItemCounts:      wireCounts(d.ItemCounts, d.ItemCounts.Succeeded+d.ItemCounts.Failed),
		ExecutionCounts: wireCounts(d.ExecutionCounts, d.ExecutionCounts.Succeeded+d.ExecutionCounts.Failed)}, nil
}

type listMapRunsInput struct {
	ExecutionArn *string `json:"executionArn"`
	MaxResults   int32   `json:"maxResults"`
	NextToken    string  `json:"nextToken"`
}

type mapRunListItem struct {
	ExecutionArn    string `json:"executionArn"`
	MapRunArn       string `json:"mapRunArn"`
	StateMachineArn string `json:"stateMachineArn"`
	StartDate       epoch  `json:"startDate"`
	StopDate        *epoch `json:"stopDate,omitempty"`
}

type listMapRunsOutput struct {
	MapRuns   []mapRunListItem `json:"mapRuns"`
	NextToken string           `json:"nextToken,omitempty"`
}

func listMapRuns(s *sfnemu.Service, ctx context.Context, r *listMapRunsInput) (any, error) {
	if err := requiredArn("executionArn", r.ExecutionArn); err != nil {
		return nil, err
	}
	var v violations
	checkList(&v, r.MaxResults, r.NextToken, 3096)
	if err := v.err(); err != nil {
		return nil, err
	}
	list, err := s.ListMapRuns(ctx, *r.ExecutionArn, page("mr", r.MaxResults, r.NextToken))
	if err != nil {
		return nil, err
	}
	out := listMapRunsOutput{MapRuns: make([]mapRunListItem, len(list.MapRuns)), NextToken: nextToken("mr", list.Next)}
	for i, m := range list.MapRuns {
		out.MapRuns[i] = mapRunListItem{ExecutionArn: m.ExecutionArn, MapRunArn: m.MapRunArn,
			StateMachineArn: m.StateMachineArn, StartDate: epoch(m.StartDate), StopDate: epochPtr(m.StopDate)}
	}
	return out, nil
}

type updateMapRunInput struct {
	MapRunArn                  *string  `json:"mapRunArn"`
	MaxConcurrency             *int64   `json:"maxConcurrency"`
	ToleratedFailurePercentage *float64 `json:"toleratedFailurePercentage"`
	ToleratedFailureCount      *int64   `json:"toleratedFailureCount"`
}

func updateMapRun(s *sfnemu.Service, ctx context.Context, r *updateMapRunInput) (any, error) {
	if err := requiredArn("mapRunArn", r.MapRunArn); err != nil {
		return nil, err
	}
	var v violations
	if r.MaxConcurrency != nil {
		v.rangeInt("maxConcurrency", *r.MaxConcurrency, 0, 1<<31-1)
	}
	if r.ToleratedFailureCount != nil {
		v.rangeInt("toleratedFailureCount", *r.ToleratedFailureCount, 0, 1<<62)
	}
	if p := r.ToleratedFailurePercentage; p != nil && (*p < 0 || *p > 100) {
		return nil, awsapi.Validation("toleratedFailurePercentage must be between 0 and 100")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	err := s.UpdateMapRun(ctx, sfnemu.UpdateMapRunInput{MapRunArn: *r.MapRunArn, MaxConcurrency: r.MaxConcurrency,
		ToleratedFailurePercentage: r.ToleratedFailurePercentage, ToleratedFailureCount: r.ToleratedFailureCount})
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
