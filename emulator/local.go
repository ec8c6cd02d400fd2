package emulator

import (
	"encoding/json"
	"net/http"
)

// localAPI serves stepwire's own endpoints under /_stepwire/: the CA that
// signs the broker's certificate (what Amazon's root CA is on AWS), the
// endpoints, for tools that reach the emulator over the network, and each
// function's recent log lines (`stepwire logs FUNCTION`; what CloudWatch
// Logs holds on AWS).
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
	mux.HandleFunc("GET /_stepwire/logs/{function}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("function")
		if _, ok := e.Lambda.Lookup(name); !ok {
			http.Error(w, "no function "+name, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, l := range e.Lambda.Logs().Lines(name) {
			_, _ = w.Write([]byte(l + "\n"))
		}
	})
	return mux
}
