package schedulerapi

import (
	"net/http"
	"strconv"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/scheduler"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// summary is one schedule in ListSchedules' answer.
type summary struct {
	Arn                  string
	CreationDate         awsapi.Epoch
	GroupName            string
	LastModificationDate awsapi.Epoch
	Name                 string
	State                string
	Target               struct{ Arn string }
}

// list serves ListSchedules: a page of at most MaxResults (1 to 100)
// schedules; NextToken is the offset of the next page.
func (a *api) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	max, from := 100, 0
	if v := q.Get("MaxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, svcerr.Newf(scheduler.ErrValidation, "MaxResults must be from 1 to 100."))
			return
		}
		max = n
	}
	if v := q.Get("NextToken"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, svcerr.Newf(scheduler.ErrValidation, "The NextToken is not valid."))
			return
		}
		from = n
	}
	all := a.svc.List(q.Get("ScheduleGroup"), q.Get("NamePrefix"), q.Get("State"))
	out := struct {
		Schedules []summary
		NextToken *string `json:",omitempty"`
	}{Schedules: []summary{}}
	for i := from; i < len(all) && i < from+max; i++ {
		s := all[i]
		sm := summary{Arn: s.Arn, CreationDate: awsapi.Epoch(s.CreationDate), GroupName: s.GroupName,
			LastModificationDate: awsapi.Epoch(s.LastModificationDate), Name: s.Name, State: s.State}
		sm.Target.Arn = s.Target.Arn
		out.Schedules = append(out.Schedules, sm)
	}
	if from+max < len(all) {
		next := strconv.Itoa(from + max)
		out.NextToken = &next
	}
	writeJSON(w, out)
}
