// Package schedulerapi serves emulator/scheduler over EventBridge
// Scheduler's restJson protocol: CreateSchedule, GetSchedule,
// UpdateSchedule, DeleteSchedule and ListSchedules on /schedules
// (docs/eventbridge.md §7). It owns the wire shapes and the AWS error codes.
package schedulerapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/stepwire/stepwire/emulator/awsapi"
	"github.com/stepwire/stepwire/emulator/scheduler"
	"github.com/stepwire/stepwire/internal/svcerr"
)

// PathPrefix is the path the router sends to Handler.
const PathPrefix = "/schedules"

// maxBody bounds a request body: a schedule with the largest input.
const maxBody = 512 << 10

// Handler serves the Scheduler API of svc.
func Handler(svc *scheduler.Service) http.Handler {
	a := &api{svc: svc}
	m := http.NewServeMux()
	m.HandleFunc("POST /schedules/{Name}", a.create)
	m.HandleFunc("PUT /schedules/{Name}", a.update)
	m.HandleFunc("GET /schedules/{Name}", a.get)
	m.HandleFunc("DELETE /schedules/{Name}", a.delete)
	m.HandleFunc("GET /schedules", a.list)
	return m
}

type api struct{ svc *scheduler.Service }

func (a *api) create(w http.ResponseWriter, r *http.Request) { a.put(w, r, a.svc.Create) }
func (a *api) update(w http.ResponseWriter, r *http.Request) { a.put(w, r, a.svc.Update) }

func (a *api) put(w http.ResponseWriter, r *http.Request, op func(scheduler.Schedule) (string, error)) {
	var in scheduleInput
	if err := readJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	s, err := in.schedule(r.PathValue("Name"))
	if err != nil {
		writeError(w, err)
		return
	}
	arn, err := op(s)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, map[string]string{"ScheduleArn": arn})
}

func (a *api) get(w http.ResponseWriter, r *http.Request) {
	s, err := a.svc.Get(r.URL.Query().Get("groupName"), r.PathValue("Name"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, toOutput(s))
}

func (a *api) delete(w http.ResponseWriter, r *http.Request) {
	if err := a.svc.Delete(r.URL.Query().Get("groupName"), r.PathValue("Name")); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func readJSON(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return svcerr.Newf(scheduler.ErrValidation, "read request body: %v", err)
	}
	if len(b) > maxBody {
		return svcerr.Newf(scheduler.ErrValidation, "The request body exceeds %d bytes.", maxBody)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return svcerr.Newf(scheduler.ErrValidation, "The request body is not valid JSON: %v", err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// codes maps the service's sentinels to Scheduler's error codes and HTTP
// statuses (docs/eventbridge.md §7.2).
var codes = []struct {
	kind   error
	code   string
	status int
}{
	{scheduler.ErrValidation, "ValidationException", http.StatusBadRequest},
	{scheduler.ErrNotFound, "ResourceNotFoundException", http.StatusNotFound},
	{scheduler.ErrConflict, "ConflictException", http.StatusConflict},
	{scheduler.ErrQuotaExceeded, "ServiceQuotaExceededException", http.StatusPaymentRequired},
}

func writeError(w http.ResponseWriter, err error) {
	var se *svcerr.Error
	for _, c := range codes {
		if errors.Is(err, c.kind) && errors.As(err, &se) {
			awsapi.WriteRESTError(w, &awsapi.Error{Status: c.status, Code: c.code, Message: se.Detail})
			return
		}
	}
	awsapi.WriteRESTError(w, awsapi.Internal(fmt.Errorf("scheduler: %w", err)))
}
