package emulator

import (
	"encoding/json"
	"net/http"
)

// localAPI serves stepwire's own endpoints under /_stepwire/: the CA that
// signs the broker's certificate (what Amazon's root CA is on AWS) and the
// endpoints, for tools that reach the emulator over the network.
func (e *Emulator) localAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_stepwire/ca", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(e.IoT.CACertPEM())
	})
	mux.HandleFunc("GET /_stepwire/endpoints", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(e.ends)
	})
	return mux
}
