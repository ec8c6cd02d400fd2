package console

import "strconv"

// The pages' content, written with htmlw (html.go): every value goes
// through text, query or url; markup is constant.

func loginContent(next string, failed bool) content {
	return func(h *htmlw, v *view) {
		h.m(`<h1>Log in</h1>
<p>This emulator checks AWS signatures. Enter one of the access keys of its credentials file.</p>
`)
		h.when(failed, "<p class=\"error\" id=\"login-failed\">Unknown access key or wrong secret.</p>\n")
		h.m(`<form method="post" action="/console/login" class="card narrow">
  `).csrf(v).m(`
  <input type="hidden" name="next" value="`).text(next).m(`">
  <label>Access key ID <input name="accessKeyId" id="accessKeyId" autocomplete="username" required></label>
  <label>Secret access key <input name="secretAccessKey" id="secretAccessKey" type="password" autocomplete="current-password" required></label>
  <button id="login">Log in</button>
</form>
`)
	}
}

func machinesContent(rows []machineRow) content {
	return func(h *htmlw, _ *view) {
		h.m(`<h1>State machines</h1>
<div id="live">
<table class="list" id="machines">
<thead><tr><th>Name</th><th>Type</th><th>Versions</th><th>Aliases</th>`)
		for _, s := range statuses {
			h.m(`<th>`).text(string(s)).m(`</th>`)
		}
		h.m("</tr></thead>\n<tbody>\n")
		for _, m := range rows {
			h.m(`<tr>
  <td><a href="/console/executions?machine=`).query(m.Arn).m(`">`).text(m.Name).m(`</a></td>
  <td>`).text(m.Type).m(`</td><td>`).int(int64(m.Versions)).m(`</td><td>`).int(int64(m.Aliases)).m("</td>\n  ")
			for _, s := range statuses {
				h.m(`<td class="num s-`).text(string(s)).m(`">`)
				if m.NoCounts {
					h.m(`–`)
				} else {
					h.int(int64(m.Counts[s]))
				}
				h.m(`</td>`)
			}
			h.m("\n</tr>\n")
		}
		if len(rows) == 0 {
			h.m("<tr><td colspan=\"9\">No state machines.</td></tr>\n")
		}
		h.m("</tbody>\n</table>\n</div>\n")
	}
}

func executionsContent(p executionsView) content {
	return func(h *htmlw, v *view) {
		h.m(`<h1>`).text(p.Machine.Name).m(` <small>`).text(p.Machine.Type).m(`</small></h1>
<details class="card" id="start-card">
<summary>Start an execution</summary>
<form method="post" action="/console/start" id="start-form">
  `).csrf(v).m(`
  <input type="hidden" name="machine" value="`).text(p.Machine.StateMachineArn).m(`">
  <label>Name <input name="name" id="start-name" placeholder="(a UUID)" maxlength="80"></label>
  <label>Input (JSON) <textarea name="input" id="start-input" rows="6" data-json spellcheck="false">{}</textarea></label>
  <p class="json-error" id="start-input-error" aria-live="polite"></p>
  <button id="start-button">Start execution</button>
</form>
</details>
<form method="get" action="/console/executions" class="filters">
  <input type="hidden" name="machine" value="`).text(p.Machine.StateMachineArn).m(`">
  <label>Status <select name="status"><option value="">any</option>`)
		for _, s := range p.Statuses {
			h.m(`<option `).when(s == p.Filter.Status, `selected`).m(`>`).text(string(s)).m(`</option>`)
		}
		h.m(`</select></label>
  <label>Name contains <input name="name" value="`).text(p.Filter.Name).m(`"></label>
  <button>Filter</button>
</form>
<div id="live">
<table class="list" id="executions">
<thead><tr><th>Name</th><th>Status</th><th>Started</th><th>Stopped</th></tr></thead>
<tbody>
`)
		for _, e := range p.Executions {
			h.m(`<tr><td><a href="/console/execution?arn=`).query(e.ExecutionArn).m(`">`).text(e.Name).m(`</a></td>`)
			h.m(`<td><span class="badge s-`).text(string(e.Status)).m(`">`).text(string(e.Status)).m(`</span></td>`)
			h.m(`<td>`).time(e.StartDate).m(`</td><td>`).time(e.StopDate).m("</td></tr>\n")
		}
		if len(p.Executions) == 0 {
			h.m("<tr><td colspan=\"4\">No executions.</td></tr>\n")
		}
		h.m("</tbody>\n</table>\n<p class=\"pager\">")
		if p.Prev != "" {
			h.m(`<a href="`).url(p.Prev).m(`">« newest</a>`)
		}
		h.m(` `)
		if p.Next != "" {
			h.m(`<a href="`).url(p.Next).m(`" id="next-page">older »</a>`)
		}
		h.m("</p>\n</div>\n")
	}
}

func executionContent(p *executionView) content {
	return func(h *htmlw, v *view) {
		e := p.Exec
		h.m(`<p class="crumbs"><a href="/console/executions?machine=`).query(e.StateMachineArn).m(`">`).text(shortArn(e.StateMachineArn)).m(`</a> /</p>
<div id="live">
<h1>`).text(e.Name).m(` <span class="badge s-`).text(string(e.Status)).m(`" id="exec-status">`).text(string(e.Status)).m(`</span></h1>
<dl class="facts">
  <dt>Started</dt><dd>`).time(e.StartDate).m("</dd>\n")
		if !e.StopDate.IsZero() {
			h.m(`  <dt>Stopped</dt><dd>`).time(e.StopDate).m("</dd>\n")
		}
		h.m(`  <dt>Duration</dt><dd>`).text(p.Elapsed).m("</dd>\n")
		if e.Error != nil {
			h.m(`  <dt>Error</dt><dd class="error" id="exec-error">`).text(*e.Error).m("</dd>\n")
		}
		if e.Cause != nil {
			h.m(`  <dt>Cause</dt><dd class="error"><pre>`).text(prettyJSON(*e.Cause)).m("</pre></dd>\n")
		}
		h.m("</dl>\n")
		if p.Running {
			h.m(`<form method="post" action="/console/stop" class="inline" id="stop-form">
  `).csrf(v).m(`
  <input type="hidden" name="execution" value="`).text(e.ExecutionArn).m(`">
  <input name="error" placeholder="error (optional)" maxlength="256">
  <input name="cause" placeholder="cause (optional)" maxlength="32768">
  <button class="danger" id="stop-button">Stop execution</button>
</form>
`)
		}
		if p.Waiting != nil {
			waitingContent(h, p.Waiting)
		}
		h.m(`<section class="graph-box" id="graph">
  <div class="legend"><span class="st-notreached">not reached</span><span class="st-running">running</span><span class="st-succeeded">succeeded</span><span class="st-failed">failed</span><span class="st-caught">caught</span><span class="st-retried">retried</span>
  <span class="l-next">next</span><span class="l-choice">choice</span><span class="l-catch">catch</span><span class="l-retry">retry</span></div>
  `)
		if p.GraphErr != "" {
			h.m(`<p class="error">`).text(p.GraphErr).m(`</p>`)
		} else {
			h.m(p.Graph)
		}
		h.m(`
</section>
<details class="card"><summary>Input</summary><pre>`).text(prettyJSON(e.Input)).m("</pre></details>\n")
		if p.Output != "" {
			h.m(`<details class="card" open><summary>Output</summary><pre id="exec-output">`).text(prettyJSON(p.Output)).m("</pre></details>\n")
		}
		h.m(`<h2>Events (`).int(int64(len(p.Events))).when(p.EventsCut, `, cut`).m(`)</h2>
<table class="list events" id="events">
<thead><tr><th>ID</th><th>Type</th><th>Step</th><th>Time</th><th>Details</th></tr></thead>
<tbody>
`)
		for _, ev := range p.Events {
			h.m(`<tr class="`).text(ev.Class).m(`"><td class="num">`).int(ev.ID).m(`</td><td>`).text(ev.Type).m(`</td><td>`).text(ev.Summary).m(`</td><td>`).text(ev.Time).m(`</td><td>`)
			if ev.Details != "" {
				h.m(`<details id="ev-`).int(ev.ID).m(`"><summary>show</summary><pre>`).text(ev.Details).m(`</pre></details>`)
			}
			h.m("</td></tr>\n")
		}
		h.m("</tbody>\n</table>\n</div>\n")
	}
}

// waitingContent is the card of a task waiting for its token.
func waitingContent(h *htmlw, w *waitingTask) {
	h.m(`<section class="card waiting" id="waiting">
  <h2>Waiting for a task token: `).text(w.State).m(`</h2>
  <dl class="facts">
    <dt>Since</dt><dd>`).time(w.Since).m(` (`).text(w.SinceAgo).m(" ago)</dd>\n")
	if w.TaskRef != "" {
		h.m(`    <dt>Task</dt><dd><code>`).text(w.TaskRef).m("</code></dd>\n")
	}
	if w.Heartbeat != 0 {
		h.m(`    <dt>Heartbeat</dt><dd>every `).int(w.Heartbeat).m(` s`)
		if !w.HeartbeatDeadline.IsZero() {
			h.m(`; times out at `).time(w.HeartbeatDeadline).m(`, in <span class="countdown" id="heartbeat-left" data-left-ms="`).int(w.HeartbeatLeftMs).m(`">`).text(w.HeartbeatLeft).m(`</span>`)
		}
		h.m("</dd>\n")
	}
	if !w.TimeoutDeadline.IsZero() {
		h.m(`    <dt>Timeout</dt><dd>`).time(w.TimeoutDeadline).m("</dd>\n")
	}
	if pr := w.Progress; pr != nil {
		h.m(`    <dt>Progress</dt><dd id="progress">`)
		if pr.Percent != nil {
			pct := strconv.FormatFloat(*pr.Percent, 'f', -1, 64)
			h.m(`<progress max="100" value="`).text(pct).m(`"></progress> `).text(pct).m(`% `)
		}
		h.text(pr.Message).m(` <small>(`).text(pr.Topic).m(")</small></dd>\n")
	} else {
		h.m("    <dt>Progress</dt><dd>none reported</dd>\n")
	}
	h.m("  </dl>\n</section>\n")
}
