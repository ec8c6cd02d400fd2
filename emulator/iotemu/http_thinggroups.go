package iotemu

import (
	"net/http"
	"strconv"
)

// thingGroupRoutes serves static thing groups (docs/iot-core.md §8.1).
func (s *Service) thingGroupRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /thing-groups", s.handleListThingGroups)
	m.HandleFunc("POST /thing-groups/{thingGroupName}", s.handleCreateThingGroup)
	m.HandleFunc("GET /thing-groups/{thingGroupName}", s.handleDescribeThingGroup)
	m.HandleFunc("DELETE /thing-groups/{thingGroupName}", s.handleDeleteThingGroup)
	m.HandleFunc("GET /thing-groups/{thingGroupName}/things", s.handleListThingsInThingGroup)
	m.HandleFunc("PUT /thing-groups/addThingToThingGroup", s.handleThingGroupMembership(true))
	m.HandleFunc("PUT /thing-groups/removeThingFromThingGroup", s.handleThingGroupMembership(false))
	m.HandleFunc("GET /things/{thingName}/thing-groups", s.handleListThingGroupsForThing)
}

func (s *Service) handleCreateThingGroup(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ParentGroupName      string `json:"parentGroupName"`
		ThingGroupProperties struct {
			ThingGroupDescription string `json:"thingGroupDescription"`
			AttributePayload      struct {
				Attributes map[string]string `json:"attributes"`
			} `json:"attributePayload"`
		} `json:"thingGroupProperties"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	props := in.ThingGroupProperties
	g, err := s.CreateThingGroup(r.PathValue("thingGroupName"), ThingGroupSpec{Parent: in.ParentGroupName,
		Description: props.ThingGroupDescription, Attributes: props.AttributePayload.Attributes})
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]string{"thingGroupName": g.Name, "thingGroupArn": g.ARN, "thingGroupId": g.ID})
}

func (s *Service) handleDescribeThingGroup(w http.ResponseWriter, r *http.Request) {
	g, err := s.DescribeThingGroup(r.PathValue("thingGroupName"))
	if err != nil {
		writeErr(w, err)
		return
	}
	props := map[string]any{"attributePayload": map[string]any{"attributes": g.Attributes}}
	if g.Description != "" {
		props["thingGroupDescription"] = g.Description
	}
	meta := map[string]any{"creationDate": epoch(g.Created)}
	if g.Parent != "" {
		meta["parentGroupName"] = g.Parent
		roots := make([]map[string]string, len(g.Ancestors))
		for i, n := range g.Ancestors {
			roots[i] = map[string]string{"groupName": n, "groupArn": s.arn("thinggroup/" + n)}
		}
		meta["rootToParentThingGroups"] = roots
	}
	writeJSON(w, map[string]any{"thingGroupName": g.Name, "thingGroupId": g.ID, "thingGroupArn": g.ARN,
		"version": g.Version, "thingGroupProperties": props, "thingGroupMetadata": meta})
}

func (s *Service) handleDeleteThingGroup(w http.ResponseWriter, r *http.Request) {
	var expected int64
	if v := r.URL.Query().Get("expectedVersion"); v != "" {
		var err error
		if expected, err = strconv.ParseInt(v, 10, 64); err != nil {
			writeErr(w, invalid("expectedVersion must be an integer"))
			return
		}
	}
	if err := s.DeleteThingGroup(r.PathValue("thingGroupName"), expected); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func writeGroupRefs(w http.ResponseWriter, gs []ThingGroupInfo, next string) {
	out := make([]map[string]string, len(gs))
	for i, g := range gs {
		out[i] = map[string]string{"groupName": g.Name, "groupArn": g.ARN}
	}
	resp := map[string]any{"thingGroups": out}
	if next != "" {
		resp["nextToken"] = next
	}
	writeJSON(w, resp)
}

func (s *Service) handleListThingGroups(w http.ResponseWriter, r *http.Request) {
	max, err := queryInt(r, "maxResults")
	if err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	gs, next, err := s.ListThingGroups(q.Get("parentGroup"), q.Get("namePrefixFilter"), q.Get("recursive") == "true", q.Get("nextToken"), max)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeGroupRefs(w, gs, next)
}

func (s *Service) handleListThingGroupsForThing(w http.ResponseWriter, r *http.Request) {
	max, err := queryInt(r, "maxResults")
	if err != nil {
		writeErr(w, err)
		return
	}
	gs, next, err := s.ListThingGroupsForThing(r.PathValue("thingName"), r.URL.Query().Get("nextToken"), max)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeGroupRefs(w, gs, next)
}

func (s *Service) handleListThingsInThingGroup(w http.ResponseWriter, r *http.Request) {
	max, err := queryInt(r, "maxResults")
	if err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	names, next, err := s.ListThingsInThingGroup(r.PathValue("thingGroupName"), q.Get("recursive") == "true", q.Get("nextToken"), max)
	if err != nil {
		writeErr(w, err)
		return
	}
	resp := map[string]any{"things": names}
	if next != "" {
		resp["nextToken"] = next
	}
	writeJSON(w, resp)
}

// handleThingGroupMembership serves AddThingToThingGroup and
// RemoveThingFromThingGroup; each side is named by name or by ARN.
func (s *Service) handleThingGroupMembership(add bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			ThingGroupName string `json:"thingGroupName"`
			ThingGroupArn  string `json:"thingGroupArn"`
			ThingName      string `json:"thingName"`
			ThingArn       string `json:"thingArn"`
		}
		if err := decodeBody(r, &in); err != nil {
			writeErr(w, err)
			return
		}
		op := s.RemoveThingFromThingGroup
		if add {
			op = s.AddThingToThingGroup
		}
		if err := op(in.ThingGroupName, in.ThingGroupArn, in.ThingName, in.ThingArn); err != nil {
			writeErr(w, err)
			return
		}
		writeJSON(w, struct{}{})
	}
}
