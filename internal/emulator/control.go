package emulator

import (
	"encoding/json"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"net"
	"net/http"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The control API (/_emulator/...) lets tests and the demo reset the tenant, change
// objects behind the provider's back (drift, disappearance), read request counts and
// switch faults. It answers loopback callers only and needs no token.

func (s *Server) controlRoutes(t *route.Table) {
	t.Add(route.Control, nil, "/_emulator/health", map[string]route.Handler{http.MethodGet: s.ctlHealth})
	t.Add(route.Control, nil, "/_emulator/reset", map[string]route.Handler{http.MethodPost: s.ctlReset})
	t.Add(route.Control, nil, "/_emulator/objects/{collection}", map[string]route.Handler{http.MethodGet: s.ctlList})
	t.Add(route.Control, nil, "/_emulator/objects/{collection}/{id}", map[string]route.Handler{
		http.MethodGet:    s.ctlGet,
		http.MethodPatch:  s.ctlPatch,
		http.MethodDelete: s.ctlDelete,
	})
	t.Add(route.Control, nil, "/_emulator/requests", map[string]route.Handler{
		http.MethodGet:    s.ctlRequests,
		http.MethodDelete: s.ctlResetRequests,
	})
	t.Add(route.Control, nil, "/_emulator/faults", map[string]route.Handler{
		http.MethodGet: s.ctlGetFaults,
		http.MethodPut: s.ctlPutFaults,
	})
	s.normalisedRoutes(t)
	s.clockRoutes(t)
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ---- Go methods ----

// Reset wipes every object and seeds again; keys and the CA are kept.
func (s *Server) Reset() error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.Store.Wipe(); err != nil {
		return err
	}
	// The effects belonged to objects that are gone; the clock keeps its time (never back).
	s.clock.Clear()
	return s.seed()
}

// ChangeObject merges patch into a stored object (RFC 7396 merge patch: null removes a
// property, objects merge) without validation, and bumps modifiedDateTime (or
// lastModifiedDateTime) when the object has one and the patch does not set it. A changed user
// is a change entitlement management sees, as PATCH /users/{id} is (automatic assignment rules).
func (s *Server) ChangeObject(collection, id string, patch map[string]any) error {
	if err := s.changeObject(collection, id, patch); err != nil {
		return err
	}
	if collection == directory.Users {
		s.dir.UserChanged(id)
	}
	return nil
}

func (s *Server) changeObject(collection, id string, patch map[string]any) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.Store.Update(collection, s.ent.ControlStoreID(collection, id), func(obj map[string]any) error {
		wire.MergePatch(obj, patch)
		// Custom extensions name it lastModifiedDateTime.
		for _, k := range []string{"modifiedDateTime", "lastModifiedDateTime"} {
			if _, has := obj[k]; has {
				if _, set := patch[k]; !set {
					obj[k] = s.Timestamp()
				}
			}
		}
		return nil
	})
}

// DeleteObject removes a stored object without any checks. Access packages take their
// role scopes and the links to them along, catalog resources their roles, scopes and
// role scopes; role scopes are named by their API id <roleId>_<scopeId>.
func (s *Server) DeleteObject(collection, id string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.ent.ControlDelete(collection, id)
}

// GetObject returns a stored object as Graph would serialise it (without annotations).
func (s *Server) GetObject(collection, id string) (map[string]any, error) {
	s.ent.BeforeControlRead(collection)
	rec, err := s.Store.Get(collection, s.ent.ControlStoreID(collection, id))
	if err != nil {
		return nil, err
	}
	return rec.Body, nil
}

// ListObjects returns every object of a collection in insertion order.
func (s *Server) ListObjects(collection string) ([]map[string]any, error) {
	s.ent.BeforeControlRead(collection)
	recs, err := s.Store.List(collection)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.Body)
	}
	return out, nil
}

// ObjectCounts returns how many objects each non-empty collection holds (the acceptance report compares
// them before and after a test).
func (s *Server) ObjectCounts() (map[string]int, error) { return s.Store.Counts() }

// ---- HTTP wrappers ----

func (s *Server) ctlHealth(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	wire.WriteJSON(w, http.StatusOK, map[string]any{"status": "ok"})
	return nil
}

func (s *Server) ctlReset(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	if err := s.Reset(); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) ctlList(w http.ResponseWriter, r *http.Request, p route.Params) error {
	objs, err := s.ListObjects(p["collection"])
	if err != nil {
		return route.ControlError(err)
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"value": objs})
	return nil
}

func (s *Server) ctlGet(w http.ResponseWriter, r *http.Request, p route.Params) error {
	obj, err := s.GetObject(p["collection"], p["id"])
	if err != nil {
		return route.ControlError(err)
	}
	wire.WriteJSON(w, http.StatusOK, obj)
	return nil
}

func (s *Server) ctlPatch(w http.ResponseWriter, r *http.Request, p route.Params) error {
	var patch map[string]any
	if err := json.NewDecoder(r.Body).Decode(&patch); err != nil {
		return wire.BadRequest("body must be a JSON object: " + err.Error())
	}
	if err := s.ChangeObject(p["collection"], p["id"], patch); err != nil {
		return route.ControlError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) ctlDelete(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if err := s.DeleteObject(p["collection"], p["id"]); err != nil {
		return route.ControlError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) ctlRequests(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	wire.WriteJSON(w, http.StatusOK, s.RequestCount())
	return nil
}

func (s *Server) ctlResetRequests(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	s.ResetRequestCount()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) ctlGetFaults(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	wire.WriteJSON(w, http.StatusOK, s.Faults())
	return nil
}

func (s *Server) ctlPutFaults(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	var f Faults
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
		return wire.BadRequest("body must be a Faults JSON object: " + err.Error())
	}
	if f.ThrottleRate < 0 || f.ThrottleRate > 1 || f.ServerErrorRate < 0 || f.ServerErrorRate > 1 || f.Latency < 0 || f.ReadAfterCreateDelay < 0 {
		return wire.BadRequest("rates must be within [0,1] and durations not negative")
	}
	s.SetFaults(f)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
