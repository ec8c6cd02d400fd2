package iotemu

import (
	"net/http"
)

// policyVersionRoutes serves the policy version operations
// (docs/iot-core.md §8.2).
func (s *Service) policyVersionRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /policies/{policyName}/version", s.handleCreatePolicyVersion)
	m.HandleFunc("GET /policies/{policyName}/version", s.handleListPolicyVersions)
	m.HandleFunc("GET /policies/{policyName}/version/{policyVersionId}", s.handleGetPolicyVersion)
	m.HandleFunc("PATCH /policies/{policyName}/version/{policyVersionId}", s.handleSetDefaultPolicyVersion)
	m.HandleFunc("DELETE /policies/{policyName}/version/{policyVersionId}", s.handleDeletePolicyVersion)
}

func (s *Service) handleCreatePolicyVersion(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PolicyDocument string `json:"policyDocument"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	if in.PolicyDocument == "" {
		writeErr(w, invalid("policyDocument is required"))
		return
	}
	v, err := s.CreatePolicyVersion(r.PathValue("policyName"), in.PolicyDocument, r.URL.Query().Get("setAsDefault") == "true")
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"policyArn": v.PolicyARN, "policyDocument": v.Document,
		"policyVersionId": v.VersionID, "isDefaultVersion": v.IsDefault})
}

func (s *Service) handleListPolicyVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := s.ListPolicyVersions(r.PathValue("policyName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	out := make([]map[string]any, len(vs))
	for i, v := range vs {
		out[i] = map[string]any{"versionId": v.VersionID, "isDefaultVersion": v.IsDefault, "createDate": epoch(v.Created)}
	}
	writeJSON(w, map[string]any{"policyVersions": out})
}

func (s *Service) handleGetPolicyVersion(w http.ResponseWriter, r *http.Request) {
	v, err := s.GetPolicyVersion(r.PathValue("policyName"), r.PathValue("policyVersionId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"policyArn": v.PolicyARN, "policyName": v.PolicyName, "policyDocument": v.Document,
		"policyVersionId": v.VersionID, "isDefaultVersion": v.IsDefault, "creationDate": epoch(v.Created),
		"lastModifiedDate": epoch(v.Created), "generationId": v.VersionID})
}

func (s *Service) handleSetDefaultPolicyVersion(w http.ResponseWriter, r *http.Request) {
	if err := s.SetDefaultPolicyVersion(r.PathValue("policyName"), r.PathValue("policyVersionId")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleDeletePolicyVersion(w http.ResponseWriter, r *http.Request) {
	if err := s.DeletePolicyVersion(r.PathValue("policyName"), r.PathValue("policyVersionId")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}
