package iotemu

import (
	"net/http"
)

func epoch(c interface{ Unix() int64 }) float64 { return float64(c.Unix()) }

func (s *Service) handleCreateKeysAndCertificate(w http.ResponseWriter, r *http.Request) {
	active := r.URL.Query().Get("setAsActive") == "true"
	c, iss, err := s.createKeysAndCertificate("", active)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{
		"certificateArn": c.arn,
		"certificateId":  c.id,
		"certificatePem": c.pem,
		"keyPair":        map[string]string{"PublicKey": string(iss.PublicKeyPEM), "PrivateKey": string(iss.PrivateKeyPEM)},
	})
}

func (s *Service) handleDescribeCertificate(w http.ResponseWriter, r *http.Request) {
	c, err := s.reg.describeCertificate(r.PathValue("certificateId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"certificateDescription": map[string]any{
		"certificateArn":   c.arn,
		"certificateId":    c.id,
		"certificatePem":   c.pem,
		"status":           c.status,
		"ownedBy":          s.cfg.Account,
		"creationDate":     epoch(c.created),
		"lastModifiedDate": epoch(c.created),
		"certificateMode":  "DEFAULT",
		"customerVersion":  1,
	}})
}

func (s *Service) handleUpdateCertificate(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("newStatus")
	if status == "" {
		writeErr(w, invalid("newStatus is required"))
		return
	}
	if err := s.UpdateCertificate(r.PathValue("certificateId"), status); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleCreatePolicy(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PolicyDocument string `json:"policyDocument"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	name := r.PathValue("policyName")
	if err := s.CreatePolicy(name, in.PolicyDocument); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]string{"policyName": name, "policyArn": s.arn("policy/" + name),
		"policyDocument": in.PolicyDocument, "policyVersionId": "1"})
}

func (s *Service) handleGetPolicy(w http.ResponseWriter, r *http.Request) {
	p, err := s.reg.getPolicy(r.PathValue("policyName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"policyName": p.name, "policyArn": p.arn, "policyDocument": p.doc,
		"defaultVersionId": "1", "creationDate": epoch(p.created), "lastModifiedDate": epoch(p.created)})
}

func (s *Service) handleAttachPolicy(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Target string `json:"target"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	if in.Target == "" {
		writeErr(w, invalid("target is required"))
		return
	}
	if err := s.AttachPolicy(r.PathValue("policyName"), in.Target); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleCreateThing(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AttributePayload struct {
			Attributes map[string]string `json:"attributes"`
		} `json:"attributePayload"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	name := r.PathValue("thingName")
	if err := s.CreateThing(name, in.AttributePayload.Attributes); err != nil {
		writeErr(w, err)
		return
	}
	th, err := s.reg.describeThing(name)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]string{"thingName": th.Name, "thingArn": th.ARN, "thingId": th.ID})
}

func (s *Service) handleDescribeThing(w http.ResponseWriter, r *http.Request) {
	th, err := s.reg.describeThing(r.PathValue("thingName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"thingName": th.Name, "thingArn": th.ARN, "thingId": th.ID,
		"defaultClientId": th.Name, "attributes": th.Attributes, "version": th.Version})
}

func (s *Service) handleAttachThingPrincipal(w http.ResponseWriter, r *http.Request) {
	principal := r.Header.Get("x-amzn-principal")
	if principal == "" {
		writeErr(w, invalid("header x-amzn-principal is required"))
		return
	}
	if err := s.AttachThingPrincipal(r.PathValue("thingName"), principal); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleListThingPrincipals(w http.ResponseWriter, r *http.Request) {
	ps, err := s.reg.thingPrincipals(r.PathValue("thingName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"principals": ps})
}

type wireRule struct {
	SQL              string `json:"sql"`
	Description      string `json:"description,omitempty"`
	RuleDisabled     bool   `json:"ruleDisabled"`
	AWSIotSQLVersion string `json:"awsIotSqlVersion,omitempty"`
	Actions          []struct {
		Lambda *struct {
			FunctionArn string `json:"functionArn"`
		} `json:"lambda,omitempty"`
	} `json:"actions"`
}

func (s *Service) handleCreateTopicRule(w http.ResponseWriter, r *http.Request) {
	var in wireRule
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	rule := TopicRule{SQL: in.SQL, AWSIotSQLVersion: in.AWSIotSQLVersion, Disabled: in.RuleDisabled}
	for i, a := range in.Actions {
		if a.Lambda == nil || a.Lambda.FunctionArn == "" {
			writeErr(w, invalid("action %d: only lambda actions are supported", i))
			return
		}
		rule.Actions = append(rule.Actions, Action{LambdaFunctionArn: a.Lambda.FunctionArn})
	}
	if err := s.CreateTopicRule(r.PathValue("ruleName"), rule); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleGetTopicRule(w http.ResponseWriter, r *http.Request) {
	sr, err := s.reg.getRule(r.PathValue("ruleName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	actions := make([]map[string]any, 0, len(sr.rule.Actions))
	for _, a := range sr.rule.Actions {
		actions = append(actions, map[string]any{"lambda": map[string]string{"functionArn": a.LambdaFunctionArn}})
	}
	version := sr.rule.AWSIotSQLVersion
	if version == "" {
		version = "2015-10-08"
	}
	writeJSON(w, map[string]any{"ruleArn": s.arn("rule/" + sr.name), "rule": map[string]any{
		"ruleName": sr.name, "sql": sr.rule.SQL, "ruleDisabled": sr.rule.Disabled,
		"awsIotSqlVersion": version, "actions": actions,
	}})
}
