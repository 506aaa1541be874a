package emulator

import (
	"context"
	"errors"
	"net/http"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
)

// What the beta view (internal/emulator/beta) needs from the server: a dispatch for the v1.0
// calls it makes on a beta request's behalf, and a place for the beta values v1.0 cannot hold.

// translatedKey marks a request the beta view made on behalf of a beta request.
type translatedKey struct{}

// dispatchTranslated runs a v1.0 call of the beta view through the full dispatch (faults,
// token, permission, validation). It is not counted: the counters count what clients sent,
// and the beta request it serves was counted once, as its beta route.
func (s *Server) dispatchTranslated(w http.ResponseWriter, r *http.Request) {
	s.dispatch(w, r.WithContext(context.WithValue(r.Context(), translatedKey{}, true)))
}

func isTranslated(r *http.Request) bool { return r.Context().Value(translatedKey{}) != nil }

// betaMemo keeps the beta view's memos in the store's meta table, so they survive a restart
// of a file-backed server like the objects they belong to.
type betaMemo struct{ st *store.Store }

const betaMemoPrefix = "beta-memo/"

func (m betaMemo) Load(key string) ([]byte, error) {
	v, err := m.st.GetMeta(betaMemoPrefix + key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

func (m betaMemo) Save(key string, value []byte) error {
	return m.st.SetMeta(map[string][]byte{betaMemoPrefix + key: value})
}
