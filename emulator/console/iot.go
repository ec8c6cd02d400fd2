package console

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stepwire/stepwire/emulator/iotemu"
)

func (c *Console) clientsPage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.IoT == nil {
		http.Error(w, "no IoT Core service", http.StatusNotFound)
		return
	}
	c.render(w, r, view{Title: "MQTT clients", Nav: "clients"}, clientsContent(c.cfg.IoT.Clients()))
}

// messageRow is a recent message with the decisions on its deliveries.
type messageRow struct {
	iotemu.MessageRecord
	Time      string
	Preview   string
	Cut       bool
	Decisions []iotemu.DecisionRecord
}

type messagesView struct {
	Filter   string
	Messages []messageRow
	Denied   []iotemu.DecisionRecord
}

// messagesPage lists recent messages newest first whose topic matches the
// filter (an MQTT topic filter, "#" by default), each with the
// iot:Receive decisions taken for its deliveries; and recent denials.
func (c *Console) messagesPage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.IoT == nil {
		http.Error(w, "no IoT Core service", http.StatusNotFound)
		return
	}
	filter := strings.TrimSpace(r.URL.Query().Get("filter"))
	if filter == "" {
		filter = "#"
	}
	c.render(w, r, view{Title: "MQTT messages", Nav: "messages"}, messagesContent(c.messages(filter)))
}

func (c *Console) messages(filter string) messagesView {
	v := messagesView{Filter: filter}
	decisions := c.cfg.IoT.RecentDecisions()
	msgs := c.cfg.IoT.RecentMessages()
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if !topicMatch(filter, m.Topic) {
			continue
		}
		row := messageRow{MessageRecord: m, Time: fmtTime(m.Time), Preview: preview(m.Preview), Cut: m.Size > len(m.Preview)}
		lo, hi := uint64(0), ^uint64(0)
		if i > 0 {
			lo = msgs[i-1].Seq
		}
		if i+1 < len(msgs) {
			hi = msgs[i+1].Seq
		}
		row.Decisions = receiveDecisions(decisions, m.Topic, lo, hi)
		v.Messages = append(v.Messages, row)
	}
	for i := len(decisions) - 1; i >= 0 && len(v.Denied) < 50; i-- {
		if !decisions[i].Allowed {
			v.Denied = append(v.Denied, decisions[i])
		}
	}
	return v
}

// receiveDecisions are the iot:Receive decisions on topic taken between
// the messages published before and after it (a message is recorded once
// delivered, so its decisions come just before it).
func receiveDecisions(all []iotemu.DecisionRecord, topic string, lo, hi uint64) []iotemu.DecisionRecord {
	var out []iotemu.DecisionRecord
	i, _ := slices.BinarySearchFunc(all, lo, func(d iotemu.DecisionRecord, seq uint64) int { return cmp.Compare(d.Seq, seq) })
	for ; i < len(all) && all[i].Seq < hi && len(out) < 20; i++ {
		if d := all[i]; d.Action == "iot:Receive" && d.Resource == "topic/"+topic {
			out = append(out, d)
		}
	}
	return out
}

// preview is the payload as text, or a note for binary payloads.
func preview(b []byte) string {
	if !utf8.Valid(b) {
		return "(binary)"
	}
	return string(b)
}

// topicMatch reports whether an MQTT topic filter matches a topic.
func topicMatch(filter, topic string) bool {
	fs, ts := strings.Split(filter, "/"), strings.Split(topic, "/")
	for i, f := range fs {
		if f == "#" {
			return true
		}
		if i >= len(ts) || (f != "+" && f != ts[i]) {
			return false
		}
	}
	return len(fs) == len(ts)
}

func (c *Console) rulesPage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.IoT == nil {
		http.Error(w, "no IoT Core service", http.StatusNotFound)
		return
	}
	runs := c.cfg.IoT.RecentRuleRuns()
	slices.Reverse(runs)
	rules, _, _ := c.cfg.IoT.ListTopicRules("", "", 1000, nil)
	c.render(w, r, view{Title: "Topic rules", Nav: "rules"}, rulesContent(rules, runs))
}

// certRow is a certificate without its PEM: the console shows no key
// material, and no private key is ever kept.
type certRow struct {
	ID, Status        string
	Created, NotAfter time.Time
	Policies          []string
}

func (c *Console) certificatesPage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.IoT == nil {
		http.Error(w, "no IoT Core service", http.StatusNotFound)
		return
	}
	var rows []certRow
	marker := ""
	for len(rows) < 1000 {
		certs, next, err := c.cfg.IoT.ListCertificates(marker, 250, true)
		if err != nil {
			break
		}
		for _, ci := range certs {
			rows = append(rows, certRow{ID: ci.ID, Status: ci.Status, Created: ci.Created, NotAfter: ci.NotAfter, Policies: ci.Policies})
		}
		if marker = next; marker == "" {
			break
		}
	}
	c.render(w, r, view{Title: "Certificates", Nav: "certificates"}, certificatesContent(rows))
}

// setCertificate sets a certificate INACTIVE, REVOKED or ACTIVE; leaving
// ACTIVE drops its connections, as UpdateCertificate does.
func (c *Console) setCertificate(w http.ResponseWriter, r *http.Request) {
	id, status := r.PostFormValue("id"), r.PostFormValue("status")
	if status != "INACTIVE" && status != "REVOKED" && status != "ACTIVE" {
		http.Error(w, "status: want ACTIVE, INACTIVE or REVOKED", http.StatusBadRequest)
		return
	}
	if err := c.cfg.IoT.UpdateCertificate(id, status); err != nil {
		http.Error(w, "update certificate: "+err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/console/iot/certificates", http.StatusSeeOther)
}
