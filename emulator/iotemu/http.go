package iotemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stepwire/stepwire/emulator/awsapi"
)

// maxPayload is IoT Core's message size limit (128 KiB).
const maxPayload = 128 * 1024

// routes builds the restJson routes, with paths and fields as the aws CLI
// and aws-sdk-go-v2's service/iot and service/iotdataplane send them
// (docs/iot-core.md §5).
func (s *Service) routes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("POST /topics/", s.handlePublish)
	m.HandleFunc("GET /endpoint", s.handleDescribeEndpoint)
	s.dataPlaneRoutes(m)
	s.certificateRoutes(m)
	s.caRoutes(m)
	s.thingRoutes(m)
	s.thingGroupRoutes(m)
	s.policyRoutes(m)
	s.ruleRoutes(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		awsapi.WriteRESTError(w, &awsapi.Error{Status: http.StatusNotFound, Code: "UnknownOperationException",
			Message: fmt.Sprintf("no IoT operation serves %s %s", r.Method, r.URL.Path)})
	})
	return m
}

// apiError maps registry sentinels to AWS error codes, at the HTTP
// boundary only.
func apiError(err error) *awsapi.Error {
	table := []struct {
		sentinel error
		status   int
		code     string
	}{
		{ErrNotFound, http.StatusNotFound, "ResourceNotFoundException"},
		{ErrAlreadyExists, http.StatusConflict, "ResourceAlreadyExistsException"},
		{ErrMalformedPolicy, http.StatusBadRequest, "MalformedPolicyException"},
		{ErrSQLParse, http.StatusBadRequest, "SqlParseException"},
		{ErrCertificateState, http.StatusNotAcceptable, "CertificateStateException"},
		{ErrCertificateValidation, http.StatusBadRequest, "CertificateValidationException"},
		{ErrDeleteConflict, http.StatusConflict, "DeleteConflictException"},
		{ErrLimitExceeded, http.StatusGone, "LimitExceededException"},
		{ErrVersionsLimitExceeded, http.StatusConflict, "VersionsLimitExceededException"},
		{ErrVersionConflict, http.StatusConflict, "VersionConflictException"},
		{ErrRegistrationCode, http.StatusBadRequest, "RegistrationCodeValidationException"},
		{ErrInvalidRequest, http.StatusBadRequest, "InvalidRequestException"},
	}
	for _, e := range table {
		if errors.Is(err, e.sentinel) {
			return &awsapi.Error{Status: e.status, Code: e.code, Message: err.Error()}
		}
	}
	return awsapi.Internal(err)
}

func writeErr(w http.ResponseWriter, err error) { awsapi.WriteRESTError(w, apiError(err)) }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidRequest, fmt.Sprintf(format, args...))
}

// maxRequestBody bounds a control-plane JSON request body. The largest
// documents IoT accepts are far smaller (a topic rule is at most 256 KB).
const maxRequestBody = 1 << 20

// decodeBody reads a JSON request body into v; an empty body is allowed.
// A body over maxRequestBody is refused as such (it reads one byte more to
// tell), rather than cut and reported as malformed JSON.
func decodeBody(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return invalid("read body: %v", err)
	}
	if len(body) > maxRequestBody {
		return invalid("request body exceeds %d bytes", maxRequestBody)
	}
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return invalid("malformed request body: %v", err)
	}
	return nil
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, invalid("%s must be a non-negative integer", name)
	}
	return n, nil
}

// epoch renders a control-plane date the way restJson does: seconds since
// the epoch (the data plane's lastModifiedTime is milliseconds instead).
func epoch(t time.Time) awsapi.Epoch { return awsapi.Epoch(t) }

// handlePublish serves iot-data Publish: POST /topics/{topic}?qos=&retain=.
// The topic may arrive with `/` escaped (%2F) or plain; URL.Path holds it
// unescaped either way.
func (s *Service) handlePublish(w http.ResponseWriter, r *http.Request) {
	topic := strings.TrimPrefix(r.URL.Path, "/topics/")
	qos := 0
	if q := r.URL.Query().Get("qos"); q != "" {
		var err error
		if qos, err = strconv.Atoi(q); err != nil || qos < 0 || qos > 1 {
			writeErr(w, invalid("qos must be 0 or 1"))
			return
		}
	}
	retain := r.URL.Query().Get("retain") == "true"
	payload, err := awsapi.ReadBody(r, maxPayload)
	if err != nil {
		writeErr(w, invalid("read payload: %v", err))
		return
	}
	if len(payload) > maxPayload {
		awsapi.WriteRESTError(w, &awsapi.Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLargeException",
			Message: "payload exceeds 128 KiB"})
		return
	}
	if err := s.publish(r.Context(), topic, payload, byte(qos), retain); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, struct{}{})
}

// handleDescribeEndpoint answers every endpoint type with the MQTT
// listener's host:port (dataEndpoint). Real IoT returns a bare host name
// (port 8883 or 443 implied); stepwire includes the port because its
// listener port is chosen at start.
func (s *Service) handleDescribeEndpoint(w http.ResponseWriter, r *http.Request) {
	switch t := r.URL.Query().Get("endpointType"); t {
	case "", "iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs":
	default:
		writeErr(w, invalid("unknown endpointType %q", t))
		return
	}
	writeJSON(w, map[string]string{"endpointAddress": s.dataEndpoint()})
}

// dataEndpoint is the address clients dial: the listener's, or, when it
// listens on every interface (as in a container), the first extra name
// its certificate covers (up --mqtt-host), on the listener's port.
func (s *Service) dataEndpoint() string {
	addr := s.MQTTAddr()
	host, port, err := net.SplitHostPort(addr)
	if err != nil || len(s.cfg.ServerNames) == 0 {
		return addr
	}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return addr
	}
	return net.JoinHostPort(s.cfg.ServerNames[0], port)
}
