package iotemu

import (
	"net/http"
)

// caRoutes serves CA registration (docs/iot-core.md §8.3).
func (s *Service) caRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /registrationcode", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"registrationCode": s.RegistrationCode()})
	})
	m.HandleFunc("POST /cacertificate", s.handleRegisterCACertificate)
	m.HandleFunc("GET /cacertificates", s.handleListCACertificates)
	m.HandleFunc("GET /cacertificate/{caCertificateId}", s.handleDescribeCACertificate)
	m.HandleFunc("PUT /cacertificate/{caCertificateId}", s.handleUpdateCACertificate)
	m.HandleFunc("DELETE /cacertificate/{caCertificateId}", s.handleDeleteCACertificate)
}

func (s *Service) handleRegisterCACertificate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CACertificate           string `json:"caCertificate"`
		VerificationCertificate string `json:"verificationCertificate"`
		CertificateMode         string `json:"certificateMode"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	c, err := s.RegisterCACertificate(RegisterCAInput{CACertificatePEM: in.CACertificate, VerificationCertificatePEM: in.VerificationCertificate,
		Mode: in.CertificateMode, SetAsActive: q.Get("setAsActive") == "true", AllowAutoRegistration: q.Get("allowAutoRegistration") == "true"})
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]string{"certificateArn": c.ARN, "certificateId": c.ID})
}

func (s *Service) handleListCACertificates(w http.ResponseWriter, r *http.Request) {
	size, err := queryInt(r, "pageSize")
	if err != nil {
		writeErr(w, err)
		return
	}
	cs, next, err := s.ListCACertificates(r.URL.Query().Get("marker"), size, r.URL.Query().Get("isAscendingOrder") != "false")
	if err != nil {
		writeErr(w, err)
		return
	}
	out := make([]map[string]any, len(cs))
	for i, c := range cs {
		out[i] = map[string]any{"certificateArn": c.ARN, "certificateId": c.ID, "status": c.Status, "creationDate": epoch(c.Created)}
	}
	resp := map[string]any{"certificates": out}
	if next != "" {
		resp["nextMarker"] = next
	}
	writeJSON(w, resp)
}

func (s *Service) handleDescribeCACertificate(w http.ResponseWriter, r *http.Request) {
	c, err := s.DescribeCACertificate(r.PathValue("caCertificateId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"certificateDescription": map[string]any{
		"certificateArn": c.ARN, "certificateId": c.ID, "status": c.Status, "certificatePem": c.PEM,
		"ownedBy": s.cfg.Account, "creationDate": epoch(c.Created), "lastModifiedDate": epoch(c.Modified),
		"autoRegistrationStatus": c.AutoRegistration, "certificateMode": c.Mode, "customerVersion": 1, "generationId": c.ID,
		"validity": map[string]any{"notBefore": epoch(c.NotBefore), "notAfter": epoch(c.NotAfter)},
	}})
}

func (s *Service) handleUpdateCACertificate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := s.UpdateCACertificate(r.PathValue("caCertificateId"), q.Get("newStatus"), q.Get("newAutoRegistrationStatus")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

func (s *Service) handleDeleteCACertificate(w http.ResponseWriter, r *http.Request) {
	if err := s.DeleteCACertificate(r.PathValue("caCertificateId")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}
