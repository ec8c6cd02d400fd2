package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stepwire/stepwire/emulator/interp"
	"github.com/stepwire/stepwire/emulator/sfnemu"
)

// Bounds of the list pages.
const (
	maxMachines = 500
	// maxCounted bounds the executions counted by status per machine.
	maxCounted = 10000
	// execPageSize is the executions list's page.
	execPageSize = 50
)

var statuses = []interp.Status{interp.StatusRunning, interp.StatusSucceeded, interp.StatusFailed,
	interp.StatusTimedOut, interp.StatusAborted}

type machineRow struct {
	Arn, Name, Type     string
	Versions, Aliases   int
	Counts              map[interp.Status]int
	Total               int
	CountsCut, NoCounts bool
}

func (c *Console) machinesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := c.cfg.SFN.ListStateMachines(ctx, sfnemu.Page{Size: maxMachines})
	if err != nil {
		http.Error(w, "list state machines: "+err.Error(), http.StatusInternalServerError)
		return
	}
	rows := make([]machineRow, 0, len(list.StateMachines))
	for _, m := range list.StateMachines {
		rows = append(rows, c.machineRow(ctx, m))
	}
	c.render(w, r, view{Title: "State machines", Nav: "machines"}, machinesContent(rows))
}

func (c *Console) machineRow(ctx context.Context, m sfnemu.StateMachineListItem) machineRow {
	row := machineRow{Arn: m.StateMachineArn, Name: m.Name, Type: m.Type, Counts: map[interp.Status]int{}}
	if v, err := c.cfg.SFN.ListStateMachineVersions(ctx, sfnemu.ListVersionsInput{StateMachineArn: m.StateMachineArn, Page: sfnemu.Page{Size: 1000}}); err == nil {
		row.Versions = len(v.Versions)
	}
	if a, err := c.cfg.SFN.ListStateMachineAliases(ctx, sfnemu.ListAliasesInput{StateMachineArn: m.StateMachineArn, Page: sfnemu.Page{Size: 1000}}); err == nil {
		row.Aliases = len(a.Aliases)
	}
	start := 0
	for row.Total < maxCounted {
		l, err := c.cfg.SFN.ListExecutions(ctx, sfnemu.ListExecutionsInput{StateMachineArn: m.StateMachineArn, Page: sfnemu.Page{Start: start, Size: 1000}})
		if err != nil {
			row.NoCounts = true
			return row
		}
		for _, e := range l.Executions {
			row.Counts[e.Status]++
			row.Total++
		}
		if start = l.Next; start == 0 {
			return row
		}
	}
	row.CountsCut = true
	return row
}

// execFilter is the executions list's query: machine, status, a name
// substring and the page's start.
type execFilter struct {
	Machine, Name string
	Status        interp.Status
	Start         int
}

func readExecFilter(q url.Values) execFilter {
	f := execFilter{Machine: q.Get("machine"), Name: strings.TrimSpace(q.Get("name")), Status: interp.Status(q.Get("status"))}
	f.Start, _ = strconv.Atoi(q.Get("start"))
	f.Start = max(0, f.Start)
	return f
}

// link is the list's URL with another start.
func (f execFilter) link(start int) string {
	q := url.Values{"machine": {f.Machine}}
	if f.Status != "" {
		q.Set("status", string(f.Status))
	}
	if f.Name != "" {
		q.Set("name", f.Name)
	}
	if start > 0 {
		q.Set("start", strconv.Itoa(start))
	}
	return "/console/executions?" + q.Encode()
}

type executionsView struct {
	Filter      execFilter
	Machine     sfnemu.StateMachineDescription
	Executions  []sfnemu.ExecutionDescription
	Statuses    []interp.Status
	Next, Prev  string
	DefaultName string
}

// executionsPage lists a machine's executions newest first, filtered by
// status (by the service) and by a name substring (here), a page at a
// time; Next is where the following page starts.
func (c *Console) executionsPage(w http.ResponseWriter, r *http.Request) {
	f := readExecFilter(r.URL.Query())
	v, err := c.executions(r.Context(), f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	c.render(w, r, view{Title: v.Machine.Name, Nav: "machines"}, executionsContent(v))
}

func (c *Console) executions(ctx context.Context, f execFilter) (executionsView, error) {
	v := executionsView{Filter: f, Statuses: statuses}
	m, err := c.cfg.SFN.DescribeStateMachine(ctx, f.Machine)
	if err != nil {
		return v, err
	}
	v.Machine = m
	start := f.Start
	for len(v.Executions) < execPageSize {
		l, err := c.cfg.SFN.ListExecutions(ctx, sfnemu.ListExecutionsInput{StateMachineArn: f.Machine, StatusFilter: f.Status,
			Page: sfnemu.Page{Start: start, Size: execPageSize - len(v.Executions)}})
		if err != nil {
			return v, err
		}
		for _, e := range l.Executions {
			if f.Name == "" || strings.Contains(e.Name, f.Name) {
				v.Executions = append(v.Executions, e)
			}
		}
		if start = l.Next; start == 0 {
			break
		}
	}
	if start > 0 {
		v.Next = f.link(start)
	}
	if f.Start > 0 {
		v.Prev = f.link(0)
	}
	return v, nil
}

// start starts an execution from the form of the executions page; the
// input must be JSON (checked in the browser too).
func (c *Console) start(w http.ResponseWriter, r *http.Request) {
	machine, name, input := r.PostFormValue("machine"), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("input")
	if strings.TrimSpace(input) == "" {
		input = "{}"
	}
	if !validJSON(input) {
		http.Error(w, "the input is not valid JSON", http.StatusBadRequest)
		return
	}
	in := sfnemu.StartExecutionInput{StateMachineArn: machine, Input: &input}
	if name != "" {
		in.Name = &name
	}
	out, err := c.cfg.SFN.StartExecution(r.Context(), in)
	if err != nil {
		http.Error(w, "start execution: "+err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, executionURL(out.ExecutionArn), http.StatusSeeOther)
}

// stop stops an execution from its page.
func (c *Console) stop(w http.ResponseWriter, r *http.Request) {
	arn := r.PostFormValue("execution")
	in := sfnemu.StopExecutionInput{ExecutionArn: arn}
	if e := strings.TrimSpace(r.PostFormValue("error")); e != "" {
		in.Error = &e
	}
	if cause := strings.TrimSpace(r.PostFormValue("cause")); cause != "" {
		in.Cause = &cause
	}
	if _, err := c.cfg.SFN.StopExecution(r.Context(), in); err != nil {
		http.Error(w, "stop execution: "+err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, executionURL(arn), http.StatusSeeOther)
}

func executionURL(arn string) string { return "/console/execution?arn=" + url.QueryEscape(arn) }
