package iotemu

import (
	"encoding/json"
	"net/http"
	"sort"
)

func (s *Service) ruleRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /rules", s.handleListTopicRules)
	m.HandleFunc("POST /rules/{ruleName}", s.handleCreateTopicRule)
	m.HandleFunc("PATCH /rules/{ruleName}", s.handleReplaceTopicRule)
	m.HandleFunc("GET /rules/{ruleName}", s.handleGetTopicRule)
	m.HandleFunc("DELETE /rules/{ruleName}", s.handleDeleteTopicRule)
	m.HandleFunc("POST /rules/{ruleName}/enable", s.handleEnableTopicRule(true))
	m.HandleFunc("POST /rules/{ruleName}/disable", s.handleEnableTopicRule(false))
}

// wireRule is topicRulePayload as the API sends it.
type wireRule struct {
	SQL              string                       `json:"sql"`
	Description      string                       `json:"description,omitempty"`
	RuleDisabled     bool                         `json:"ruleDisabled"`
	AWSIotSQLVersion string                       `json:"awsIotSqlVersion,omitempty"`
	Actions          []map[string]json.RawMessage `json:"actions"`
	ErrorAction      map[string]json.RawMessage   `json:"errorAction,omitempty"`
}

type wireStepFunctions struct {
	StateMachineName    string `json:"stateMachineName"`
	ExecutionNamePrefix string `json:"executionNamePrefix,omitempty"`
	RoleArn             string `json:"roleArn"`
}

type wireRepublish struct {
	Topic   string `json:"topic"`
	Qos     int    `json:"qos"`
	RoleArn string `json:"roleArn"`
}

func actionFromWire(m map[string]json.RawMessage) (Action, error) {
	if len(m) != 1 {
		return Action{}, invalid("an action names exactly one kind")
	}
	for kind, raw := range m {
		switch kind {
		case "lambda":
			var l struct {
				FunctionArn string `json:"functionArn"`
			}
			if err := json.Unmarshal(raw, &l); err != nil || l.FunctionArn == "" {
				return Action{}, invalid("lambda action needs functionArn")
			}
			return Action{LambdaFunctionArn: l.FunctionArn}, nil
		case "stepFunctions":
			var sf wireStepFunctions
			if err := json.Unmarshal(raw, &sf); err != nil {
				return Action{}, invalid("stepFunctions action: %v", err)
			}
			return Action{StepFunctions: &StepFunctionsAction{StateMachineName: sf.StateMachineName,
				ExecutionNamePrefix: sf.ExecutionNamePrefix, RoleArn: sf.RoleArn}}, nil
		case "republish":
			var rp wireRepublish
			if err := json.Unmarshal(raw, &rp); err != nil {
				return Action{}, invalid("republish action: %v", err)
			}
			return Action{Republish: &RepublishAction{Topic: rp.Topic, Qos: rp.Qos, RoleArn: rp.RoleArn}}, nil
		default:
			return Action{Kind: kind, Raw: raw}, nil
		}
	}
	return Action{}, nil
}

func actionToWire(a Action) map[string]any {
	switch {
	case a.LambdaFunctionArn != "":
		return map[string]any{"lambda": map[string]string{"functionArn": a.LambdaFunctionArn}}
	case a.StepFunctions != nil:
		return map[string]any{"stepFunctions": wireStepFunctions(*a.StepFunctions)}
	case a.Republish != nil:
		return map[string]any{"republish": wireRepublish(*a.Republish)}
	}
	return map[string]any{a.Kind: a.Raw}
}

func (s *Service) decodeRule(r *http.Request) (TopicRule, error) {
	var in wireRule
	if err := decodeBody(r, &in); err != nil {
		return TopicRule{}, err
	}
	rule := TopicRule{SQL: in.SQL, AWSIotSQLVersion: in.AWSIotSQLVersion, Description: in.Description, Disabled: in.RuleDisabled}
	for _, wa := range in.Actions {
		a, err := actionFromWire(wa)
		if err != nil {
			return TopicRule{}, err
		}
		rule.Actions = append(rule.Actions, a)
	}
	if in.ErrorAction != nil {
		a, err := actionFromWire(in.ErrorAction)
		if err != nil {
			return TopicRule{}, err
		}
		rule.ErrorAction = &a
	}
	return rule, nil
}

func (s *Service) handleCreateTopicRule(w http.ResponseWriter, r *http.Request) {
	rule, err := s.decodeRule(r)
	if err == nil {
		err = s.CreateTopicRule(r.PathValue("ruleName"), rule)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleReplaceTopicRule(w http.ResponseWriter, r *http.Request) {
	rule, err := s.decodeRule(r)
	if err == nil {
		err = s.ReplaceTopicRule(r.PathValue("ruleName"), rule)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleGetTopicRule(w http.ResponseWriter, r *http.Request) {
	ri, err := s.GetTopicRule(r.PathValue("ruleName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	actions := make([]map[string]any, 0, len(ri.Rule.Actions))
	for _, a := range ri.Rule.Actions {
		actions = append(actions, actionToWire(a))
	}
	rule := map[string]any{
		"ruleName": ri.Name, "sql": ri.Rule.SQL, "description": ri.Rule.Description, "ruleDisabled": ri.Rule.Disabled,
		"awsIotSqlVersion": ri.Rule.AWSIotSQLVersion, "actions": actions, "createdAt": epoch(ri.Created),
	}
	if ri.Rule.ErrorAction != nil {
		rule["errorAction"] = actionToWire(*ri.Rule.ErrorAction)
	}
	writeJSON(w, map[string]any{"ruleArn": ri.ARN, "rule": rule})
}

func (s *Service) handleListTopicRules(w http.ResponseWriter, r *http.Request) {
	max, err := queryInt(r, "maxResults")
	if err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	var disabled *bool
	if v := q.Get("ruleDisabled"); v != "" {
		b := v == "true"
		disabled = &b
	}
	rs, next, err := s.ListTopicRules(q.Get("topic"), q.Get("nextToken"), max, disabled)
	if err != nil {
		writeErr(w, err)
		return
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
	out := make([]map[string]any, len(rs))
	for i, ri := range rs {
		topic := ""
		if sr, err := s.reg.rulesQuery(ri.Name); err == nil {
			topic = sr
		}
		out[i] = map[string]any{"ruleArn": ri.ARN, "ruleName": ri.Name, "topicPattern": topic,
			"createdAt": epoch(ri.Created), "ruleDisabled": ri.Rule.Disabled}
	}
	resp := map[string]any{"rules": out}
	if next != "" {
		resp["nextToken"] = next
	}
	writeJSON(w, resp)
}

func (s *Service) handleDeleteTopicRule(w http.ResponseWriter, r *http.Request) {
	if err := s.DeleteTopicRule(r.PathValue("ruleName")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleEnableTopicRule(enable bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.SetTopicRuleEnabled(r.PathValue("ruleName"), enable); err != nil {
			writeErr(w, err)
			return
		}
		writeJSON(w, struct{}{})
	}
}
