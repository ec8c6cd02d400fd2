package iotemu

import (
	"net/http"
)

func (s *Service) policyRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /policies", s.handleListPolicies)
	m.HandleFunc("POST /policies/{policyName}", s.handleCreatePolicy)
	m.HandleFunc("GET /policies/{policyName}", s.handleGetPolicy)
	m.HandleFunc("DELETE /policies/{policyName}", s.handleDeletePolicy)
	m.HandleFunc("PUT /target-policies/{policyName}", s.handleTargetPolicy(true))
	m.HandleFunc("POST /target-policies/{policyName}", s.handleTargetPolicy(false))
	m.HandleFunc("PUT /principal-policies/{policyName}", s.handlePrincipalPolicy(true))
	m.HandleFunc("DELETE /principal-policies/{policyName}", s.handlePrincipalPolicy(false))
	m.HandleFunc("POST /attached-policies/{target...}", s.handleListAttachedPolicies)
	m.HandleFunc("GET /principal-policies", s.handleListPrincipalPolicies)
	m.HandleFunc("POST /test-authorization", s.handleTestAuthorization)
	s.policyVersionRoutes(m)
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
	p, err := s.GetPolicy(r.PathValue("policyName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"policyName": p.Name, "policyArn": p.ARN, "policyDocument": p.Document,
		"defaultVersionId": p.DefaultVersionID, "creationDate": epoch(p.Created), "lastModifiedDate": epoch(p.Modified),
		"generationId": p.DefaultVersionID})
}

func (s *Service) handleDeletePolicy(w http.ResponseWriter, r *http.Request) {
	if err := s.DeletePolicy(r.PathValue("policyName")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func writePolicyList(w http.ResponseWriter, ps []PolicyInfo, next string) {
	out := make([]map[string]string, len(ps))
	for i, p := range ps {
		out[i] = map[string]string{"policyName": p.Name, "policyArn": p.ARN}
	}
	resp := map[string]any{"policies": out}
	if next != "" {
		resp["nextMarker"] = next
	}
	writeJSON(w, resp)
}

func (s *Service) handleListPolicies(w http.ResponseWriter, r *http.Request) {
	size, err := queryInt(r, "pageSize")
	if err != nil {
		writeErr(w, err)
		return
	}
	asc := r.URL.Query().Get("isAscendingOrder") != "false"
	ps, next, err := s.ListPolicies(r.URL.Query().Get("marker"), size, asc)
	if err != nil {
		writeErr(w, err)
		return
	}
	writePolicyList(w, ps, next)
}

// handleTargetPolicy serves AttachPolicy (PUT) and DetachPolicy (POST).
func (s *Service) handleTargetPolicy(attach bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
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
		s.attachOrDetach(w, attach, r.PathValue("policyName"), in.Target)
	}
}

// handlePrincipalPolicy serves the deprecated AttachPrincipalPolicy and
// DetachPrincipalPolicy, whose principal comes in x-amzn-iot-principal.
func (s *Service) handlePrincipalPolicy(attach bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := r.Header.Get("x-amzn-iot-principal")
		if p == "" {
			writeErr(w, invalid("header x-amzn-iot-principal is required"))
			return
		}
		s.attachOrDetach(w, attach, r.PathValue("policyName"), p)
	}
}

func (s *Service) attachOrDetach(w http.ResponseWriter, attach bool, policyName, target string) {
	var err error
	if attach {
		err = s.AttachPolicy(policyName, target)
	} else {
		err = s.DetachPolicy(policyName, target)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleListAttachedPolicies(w http.ResponseWriter, r *http.Request) {
	s.listAttached(w, r, r.PathValue("target"))
}

func (s *Service) handleListPrincipalPolicies(w http.ResponseWriter, r *http.Request) {
	s.listAttached(w, r, r.Header.Get("x-amzn-iot-principal"))
}

func (s *Service) listAttached(w http.ResponseWriter, r *http.Request, target string) {
	size, err := queryInt(r, "pageSize")
	if err != nil {
		writeErr(w, err)
		return
	}
	ps, next, err := s.ListAttachedPolicies(target, r.URL.Query().Get("marker"), size)
	if err != nil {
		writeErr(w, err)
		return
	}
	writePolicyList(w, ps, next)
}
