package asl

// Failure is an error name and a cause as Step Functions reports a
// failure: in a Fail state, a task's or callback's failure, StopExecution,
// history (error and cause details) and DescribeExecution. Either part may
// be absent, which AWS tells from an empty string: history leaves an absent
// key out and a catcher's error output holds null for it. HasError and
// HasCause say which parts are present.
type Failure struct {
	Error, Cause       string
	HasError, HasCause bool
}

// NewFailure is a failure with both an error name and a cause.
func NewFailure(name ErrorName, cause string) Failure {
	return Failure{Error: string(name), Cause: cause, HasError: true, HasCause: true}
}

// ErrorOnly is a failure with an error name and no cause, such as
// States.Timeout.
func ErrorOnly(name ErrorName) Failure {
	return Failure{Error: string(name), HasError: true}
}

// Name is the error name as Retry and Catch match it.
func (f Failure) Name() ErrorName { return ErrorName(f.Error) }

// ErrorPtr is the error name for a details field: nil when absent.
func (f Failure) ErrorPtr() *string { return optional(f.Error, f.HasError) }

// CausePtr is the cause for a details field: nil when absent.
func (f Failure) CausePtr() *string { return optional(f.Cause, f.HasCause) }

func optional(s string, ok bool) *string {
	if !ok {
		return nil
	}
	return &s
}
