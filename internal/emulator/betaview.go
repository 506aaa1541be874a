package emulator

import (
	"context"
	"net/http"
)

// What the beta view (internal/emulator/beta) needs from the server: a dispatch for the v1.0
// calls it makes on a beta request's behalf.

// translatedKey marks a request the beta view made on behalf of a beta request.
type translatedKey struct{}

// dispatchTranslated runs a v1.0 call of the beta view through the full dispatch (faults,
// token, permission, validation). It is not counted: the counters count what clients sent,
// and the beta request it serves was counted once, as its beta route.
func (s *Server) dispatchTranslated(w http.ResponseWriter, r *http.Request) {
	s.dispatch(w, r.WithContext(context.WithValue(r.Context(), translatedKey{}, true)))
}

func isTranslated(r *http.Request) bool { return r.Context().Value(translatedKey{}) != nil }
