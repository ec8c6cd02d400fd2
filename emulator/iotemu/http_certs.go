package iotemu

import (
	"net/http"
)

func (s *Service) certificateRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /keys-and-certificate", s.handleCreateKeysAndCertificate)
	m.HandleFunc("POST /certificate/register", s.handleRegisterCertificate)
	m.HandleFunc("POST /certificate/register-no-ca", s.handleRegisterCertificate)
	m.HandleFunc("GET /certificates", s.handleListCertificates)
	m.HandleFunc("GET /certificates/{certificateId}", s.handleDescribeCertificate)
	m.HandleFunc("PUT /certificates/{certificateId}", s.handleUpdateCertificate)
	m.HandleFunc("DELETE /certificates/{certificateId}", s.handleDeleteCertificate)
}

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

// handleRegisterCertificate serves RegisterCertificate and
// RegisterCertificateWithoutCA.
func (s *Service) handleRegisterCertificate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CertificatePem   string `json:"certificatePem"`
		CACertificatePem string `json:"caCertificatePem"`
		Status           string `json:"status"`
	}
	if err := decodeBody(r, &in); err != nil {
		writeErr(w, err)
		return
	}
	if in.CertificatePem == "" {
		writeErr(w, invalid("certificatePem is required"))
		return
	}
	if in.Status == "" && r.URL.Query().Get("setAsActive") == "true" {
		in.Status = StatusActive
	}
	c, err := s.RegisterCertificate(in.CertificatePem, in.CACertificatePem, in.Status)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]string{"certificateArn": c.ARN, "certificateId": c.ID})
}

func (s *Service) handleDescribeCertificate(w http.ResponseWriter, r *http.Request) {
	c, err := s.DescribeCertificate(r.PathValue("certificateId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, map[string]any{"certificateDescription": map[string]any{
		"certificateArn":   c.ARN,
		"certificateId":    c.ID,
		"certificatePem":   c.PEM,
		"status":           c.Status,
		"ownedBy":          s.cfg.Account,
		"creationDate":     epoch(c.Created),
		"lastModifiedDate": epoch(c.Modified),
		"certificateMode":  "DEFAULT",
		"customerVersion":  1,
		"validity":         map[string]any{"notBefore": epoch(c.NotBefore), "notAfter": epoch(c.NotAfter)},
	}})
}

func (s *Service) handleListCertificates(w http.ResponseWriter, r *http.Request) {
	size, err := queryInt(r, "pageSize")
	if err != nil {
		writeErr(w, err)
		return
	}
	certs, next, err := s.ListCertificates(r.URL.Query().Get("marker"), size, r.URL.Query().Get("isAscendingOrder") == "true")
	if err != nil {
		writeErr(w, err)
		return
	}
	out := make([]map[string]any, len(certs))
	for i, c := range certs {
		out[i] = map[string]any{"certificateArn": c.ARN, "certificateId": c.ID, "status": c.Status,
			"certificateMode": "DEFAULT", "creationDate": epoch(c.Created)}
	}
	resp := map[string]any{"certificates": out}
	if next != "" {
		resp["nextMarker"] = next
	}
	writeJSON(w, resp)
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

func (s *Service) handleDeleteCertificate(w http.ResponseWriter, r *http.Request) {
	force := r.URL.Query().Get("forceDelete") == "true"
	if err := s.DeleteCertificate(r.PathValue("certificateId"), force); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}
