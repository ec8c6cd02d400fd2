package console

import "github.com/stepwire/stepwire/emulator/iotemu"

// The IoT Core pages' content (see pages.go).

func clientsContent(clients []iotemu.ClientInfo) content {
	return func(h *htmlw, _ *view) {
		h.m(`<h1>Connected MQTT clients</h1>
<div id="live">
<table class="list" id="clients">
<thead><tr><th>Client ID</th><th>Thing</th><th>Certificate</th><th>State</th><th>Protocol</th><th>Since</th><th>Subscriptions</th></tr></thead>
<tbody>
`)
		for _, cl := range clients {
			h.m(`<tr><td>`).text(cl.ClientID).m(`</td><td>`).text(cl.Thing).m(`</td><td><code title="`).text(cl.CertificateID).m(`">`)
			if cl.IAM != "" {
				h.m(`IAM `).text(cl.IAM)
			} else {
				h.cut(cl.CertificateID, 12).m(`…`)
			}
			h.m(`</code></td><td>`).text(cl.CertificateStatus).m("</td>\n<td>MQTT ")
			if cl.Protocol == 5 {
				h.m(`5`)
			} else {
				h.m(`3.1.1`)
			}
			if cl.WebSocket {
				h.m(` / WSS`)
			} else {
				h.m(` / TLS`)
			}
			h.m(`</td><td>`).time(cl.Since).m("</td>\n<td>")
			for _, s := range cl.Subscriptions {
				h.m(`<code>`).text(s).m(`</code> `)
			}
			h.m("</td></tr>\n")
		}
		if len(clients) == 0 {
			h.m("<tr><td colspan=\"7\">No client is connected.</td></tr>\n")
		}
		h.m("</tbody>\n</table>\n</div>\n")
	}
}

func messagesContent(p messagesView) content {
	return func(h *htmlw, _ *view) {
		h.m(`<h1>MQTT messages</h1>
<form method="get" action="/console/iot/messages" class="filters">
  <label>Topic filter <input name="filter" id="topic-filter" value="`).text(p.Filter).m(`"></label><button>Show</button>
</form>
<div id="live">
<table class="list" id="messages">
<thead><tr><th>Time</th><th>Topic</th><th>From</th><th>QoS</th><th>Retained</th><th>Payload</th><th>Deliveries</th></tr></thead>
<tbody>
`)
		for _, msg := range p.Messages {
			h.m(`<tr><td>`).text(msg.Time).m(`</td><td><code>`).text(msg.Topic).m(`</code></td><td>`)
			if msg.ClientID != "" {
				h.text(msg.ClientID)
			} else {
				h.m(`<i>data plane / rule</i>`)
			}
			h.m(`</td><td>`).int(int64(msg.QoS)).m(`</td><td>`).when(msg.Retain, `yes`).m("</td>\n")
			h.m(`<td><details><summary>`).cut(msg.Preview, 80).m(`</summary><pre>`).text(prettyJSON(msg.Preview))
			if msg.Cut {
				h.m("\n… (").int(int64(msg.Size)).m(` bytes)`)
			}
			h.m("</pre></details></td>\n<td>")
			for _, d := range msg.Decisions {
				h.m(`<div class="`)
				if d.Allowed {
					h.m(`ok">`).text(d.ClientID).m(`: allowed`)
				} else {
					h.m(`fail">`).text(d.ClientID).m(`: denied`)
				}
				h.m(` by <code>`)
				if d.Statement != "" {
					h.text(d.Statement)
				} else {
					h.m(`no statement (implicit deny)`)
				}
				h.m(`</code></div>`)
			}
			h.m("</td></tr>\n")
		}
		if len(p.Messages) == 0 {
			h.m(`<tr><td colspan="7">No messages on `).text(p.Filter).m(" yet.</td></tr>\n")
		}
		h.m(`</tbody>
</table>
<h2>Recent denials</h2>
<table class="list" id="denials">
<thead><tr><th>Time</th><th>Client</th><th>Action</th><th>Resource</th><th>Statement</th></tr></thead>
<tbody>
`)
		for _, d := range p.Denied {
			h.m(`<tr class="fail"><td>`).time(d.Time).m(`</td><td>`).text(d.ClientID).m(`</td><td>`).text(d.Action).m(`</td><td><code>`).text(d.Resource).m(`</code></td><td>`)
			if d.Statement != "" {
				h.text(d.Statement)
			} else {
				h.m(`implicit deny`)
			}
			h.m("</td></tr>\n")
		}
		if len(p.Denied) == 0 {
			h.m("<tr><td colspan=\"5\">None.</td></tr>\n")
		}
		h.m("</tbody>\n</table>\n</div>\n")
	}
}

func rulesContent(rules []iotemu.RuleInfo, runs []iotemu.RuleRunRecord) content {
	return func(h *htmlw, _ *view) {
		h.m(`<h1>Topic rules</h1>
<div id="live">
<table class="list" id="rules">
<thead><tr><th>Rule</th><th>SQL</th><th>Actions</th><th>Enabled</th></tr></thead>
<tbody>
`)
		for _, r := range rules {
			h.m(`<tr><td>`).text(r.Name).m(`</td><td><code>`).text(r.Rule.SQL).m(`</code></td><td>`).int(int64(len(r.Rule.Actions))).m(`</td><td>`)
			if r.Rule.Disabled {
				h.m(`no`)
			} else {
				h.m(`yes`)
			}
			h.m("</td></tr>\n")
		}
		if len(rules) == 0 {
			h.m("<tr><td colspan=\"4\">No rules.</td></tr>\n")
		}
		h.m(`</tbody>
</table>
<h2>Recent invocations</h2>
<table class="list" id="rule-runs">
<thead><tr><th>Time</th><th>Rule</th><th>Topic</th><th>Action</th><th>Resource</th><th>Result</th></tr></thead>
<tbody>
`)
		for _, run := range runs {
			if run.Error != "" {
				h.m(`<tr class="fail">`)
			} else {
				h.m(`<tr class="ok">`)
			}
			h.m(`<td>`).time(run.Time).m(`</td><td>`).text(run.Rule).m(`</td><td><code>`).text(run.Topic).m(`</code></td><td>`).text(run.Kind)
			h.m(`</td><td><code>`).text(shortArn(run.Resource)).m(`</code></td><td>`)
			if run.Error != "" {
				h.text(run.Error)
			} else {
				h.m(`ok`)
			}
			h.m("</td></tr>\n")
		}
		if len(runs) == 0 {
			h.m("<tr><td colspan=\"6\">No rule has run yet.</td></tr>\n")
		}
		h.m("</tbody>\n</table>\n</div>\n")
	}
}

// certStatuses are the statuses a certificate can be set to, with their
// buttons.
var certStatuses = []struct{ status, button markup }{
	{"ACTIVE", `<button name="status" value="ACTIVE">Activate</button>`},
	{"INACTIVE", `<button name="status" value="INACTIVE">Deactivate</button>`},
	{"REVOKED", `<button name="status" value="REVOKED" class="danger">Revoke</button>`},
}

func certificatesContent(rows []certRow) content {
	return func(h *htmlw, v *view) {
		h.m(`<h1>Certificates</h1>
<p>Private keys are never kept by the emulator, nor shown.</p>
<div id="live">
<table class="list" id="certificates">
<thead><tr><th>Certificate ID</th><th>Status</th><th>Created</th><th>Expires</th><th>Policies</th><th></th></tr></thead>
<tbody>
`)
		for _, ci := range rows {
			h.m(`<tr><td><code>`).text(ci.ID).m(`</code></td><td><span class="badge c-`).text(ci.Status).m(`">`).text(ci.Status).m(`</span></td>`)
			h.m(`<td>`).time(ci.Created).m(`</td><td>`).time(ci.NotAfter).m(`</td><td>`)
			for _, p := range ci.Policies {
				h.text(p).m(` `)
			}
			h.m(`</td>
<td><form method="post" action="/console/iot/certificates" class="inline">
  `).csrf(v).m(`<input type="hidden" name="id" value="`).text(ci.ID).m("\">\n")
			for _, s := range certStatuses {
				if ci.Status != string(s.status) {
					h.m(`  `).m(s.button).m("\n")
				}
			}
			h.m("</form></td></tr>\n")
		}
		if len(rows) == 0 {
			h.m("<tr><td colspan=\"6\">No certificates.</td></tr>\n")
		}
		h.m("</tbody>\n</table>\n</div>\n")
	}
}
