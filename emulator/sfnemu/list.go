package sfnemu

// Execution statuses ListExecutions filters on, in AWS's enum order.
var statusEnum = []string{"SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"}

// listStateMachines is ListStateMachines, in creation order.
func (s *Service) listStateMachines(maxResults int32, nextToken string) (listStateMachinesOutput, error) {
	var v violations
	v.rangeInt("maxResults", int64(maxResults), 0, 1000)
	v.length("nextToken", nextToken, 0, 1024, false)
	if err := v.err(); err != nil {
		return listStateMachinesOutput{}, err
	}
	all := s.stateMachines()
	off, err := decodePage("sm", nextToken, len(all))
	if err != nil {
		return listStateMachinesOutput{}, err
	}
	end := min(off+pageSize(maxResults), len(all))
	out := listStateMachinesOutput{StateMachines: make([]stateMachineListItem, 0, end-off)}
	for _, sm := range all[off:end] {
		out.StateMachines = append(out.StateMachines, stateMachineListItem{
			StateMachineArn: sm.arn, Name: sm.name, Type: sm.typ, CreationDate: epoch(sm.created)})
	}
	if end < len(all) {
		out.NextToken = encodePage("sm", end)
	}
	return out, nil
}

// listExecutions is ListExecutions: newest first, optionally filtered by
// status. The token is the number of executions already looked at.
func (s *Service) listExecutions(in *listExecutionsInput) (listExecutionsOutput, error) {
	var v violations
	if in.StatusFilter != nil {
		v.enum("statusFilter", *in.StatusFilter, statusEnum...)
	}
	v.rangeInt("maxResults", int64(in.MaxResults), 0, 1000)
	v.length("nextToken", in.NextToken, 0, 3096, false)
	if err := v.err(); err != nil {
		return listExecutionsOutput{}, err
	}
	if in.StateMachineArn == nil {
		return listExecutionsOutput{}, fail(ErrValidation, "Must provide a StateMachine ARN or MapRun ARN")
	}
	ref, err := parseMachineRef(*in.StateMachineArn)
	if err != nil {
		return listExecutionsOutput{}, err
	}
	sm, err := s.stateMachine(ref.base)
	if err != nil {
		return listExecutionsOutput{}, fail(ErrStateMachineDoesNotExist, ref.arn)
	}
	if sm.typ == typeExpress {
		return listExecutionsOutput{}, fail(ErrStateMachineTypeNotSupported,
			"This operation is not supported by this type of state machine")
	}
	all := sm.executions()
	seen, err := decodePage("ex", in.NextToken, len(all))
	if err != nil {
		return listExecutionsOutput{}, err
	}
	out := listExecutionsOutput{Executions: []executionListItem{}}
	limit := pageSize(in.MaxResults)
	for ; seen < len(all) && len(out.Executions) < limit; seen++ {
		info := all[len(all)-1-seen].info()
		if (in.StatusFilter == nil || info.status == *in.StatusFilter) && startedThrough(info, ref) {
			out.Executions = append(out.Executions, listItem(info))
		}
	}
	if seen < len(all) {
		out.NextToken = encodePage("ex", seen)
	}
	return out, nil
}

func listItem(info execInfo) executionListItem {
	return executionListItem{ExecutionArn: info.arn, StateMachineArn: info.smArn, Name: info.name,
		StateMachineVersionArn: info.versionArn, StateMachineAliasArn: info.aliasArn,
		Status: info.status, StartDate: epoch(info.start), StopDate: epochPtr(info.stop)}
}

// startedThrough reports whether an execution was started through ref:
// any execution for a machine ARN, those started with the version or the
// alias for a version or an alias ARN.
func startedThrough(info execInfo, ref machineRef) bool {
	switch {
	case ref.version > 0:
		return info.versionArn == ref.arn
	case ref.alias != "":
		return info.aliasArn == ref.arn
	}
	return true
}
