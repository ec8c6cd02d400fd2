package iotemu

import (
	"net/http"
)

func (s *Service) thingRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /things", s.handleListThings)
	m.HandleFunc("POST /things/{thingName}", s.handleCreateThing)
	m.HandleFunc("GET /things/{thingName}", s.handleDescribeThing)
	m.HandleFunc("DELETE /things/{thingName}", s.handleDeleteThing)
	m.HandleFunc("PUT /things/{thingName}/principals", s.handleAttachThingPrincipal)
	m.HandleFunc("DELETE /things/{thingName}/principals", s.handleDetachThingPrincipal)
	m.HandleFunc("GET /things/{thingName}/principals", s.handleListThingPrincipals)
	m.HandleFunc("GET /principals/things", s.handleListPrincipalThings)
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
	th, err := s.DescribeThing(name)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]string{"thingName": th.Name, "thingArn": th.ARN, "thingId": th.ID})
}

func (s *Service) handleDescribeThing(w http.ResponseWriter, r *http.Request) {
	th, err := s.DescribeThing(r.PathValue("thingName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"thingName": th.Name, "thingArn": th.ARN, "thingId": th.ID,
		"defaultClientId": th.Name, "attributes": th.Attributes, "version": th.Version})
}

func (s *Service) handleListThings(w http.ResponseWriter, r *http.Request) {
	max, err := queryInt(r, "maxResults")
	if err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	things, next, err := s.ListThings(q.Get("nextToken"), max, q.Get("attributeName"), q.Get("attributeValue"))
	if err != nil {
		writeErr(w, err)
		return
	}
	out := make([]map[string]any, len(things))
	for i, th := range things {
		out[i] = map[string]any{"thingName": th.Name, "thingArn": th.ARN, "attributes": th.Attributes, "version": th.Version}
	}
	resp := map[string]any{"things": out}
	if next != "" {
		resp["nextToken"] = next
	}
	writeJSON(w, resp)
}

func (s *Service) handleDeleteThing(w http.ResponseWriter, r *http.Request) {
	if err := s.DeleteThing(r.PathValue("thingName")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func principalHeader(r *http.Request) (string, error) {
	p := r.Header.Get("x-amzn-principal")
	if p == "" {
		return "", invalid("header x-amzn-principal is required")
	}
	return p, nil
}

func (s *Service) handleAttachThingPrincipal(w http.ResponseWriter, r *http.Request) {
	principal, err := principalHeader(r)
	if err == nil {
		err = s.AttachThingPrincipal(r.PathValue("thingName"), principal)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleDetachThingPrincipal(w http.ResponseWriter, r *http.Request) {
	principal, err := principalHeader(r)
	if err == nil {
		err = s.DetachThingPrincipal(r.PathValue("thingName"), principal)
	}
	if err != nil {
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

func (s *Service) handleListPrincipalThings(w http.ResponseWriter, r *http.Request) {
	principal, err := principalHeader(r)
	var things []string
	if err == nil {
		things, err = s.reg.principalThings(principal)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"things": things})
}
