package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Incompatibility links of access packages (spec 1.5): $ref collections
// incompatibleAccessPackages (to other packages) and incompatibleGroups (to groups),
// kept as id arrays in the package document (_incompatibleAccessPackages,
// _incompatibleGroups); accessPackagesIncompatibleWith is the reverse direction.

// Link kinds for AddLink and RemoveLink.
const (
	LinkIncompatibleAccessPackages = "incompatibleAccessPackages"
	LinkIncompatibleGroups         = "incompatibleGroups"
)

func (s *API) incompatibleRoutes(t *route.Table) {
	for _, kind := range []string{LinkIncompatibleAccessPackages, LinkIncompatibleGroups} {
		t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/"+kind, map[string]route.Handler{
			http.MethodGet: func(w http.ResponseWriter, r *http.Request, p route.Params) error { return s.listLinks(w, r, p, kind) },
		})
		t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/"+kind+"/$ref", map[string]route.Handler{
			http.MethodPost: func(w http.ResponseWriter, r *http.Request, p route.Params) error { return s.addLinkRef(w, r, p, kind) },
		})
		t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/"+kind+"/{otherId}/$ref", map[string]route.Handler{
			http.MethodDelete: func(w http.ResponseWriter, r *http.Request, p route.Params) error {
				return s.removeLinkRef(w, r, p, kind)
			},
		})
	}
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/accessPackagesIncompatibleWith", map[string]route.Handler{
		http.MethodGet: func(w http.ResponseWriter, r *http.Request, p route.Params) error {
			return s.listLinks(w, r, p, "accessPackagesIncompatibleWith")
		},
	})
	t.Add(route.Control, nil, "/_emulator/links/{kind}/{fromId}/{toId}", map[string]route.Handler{
		http.MethodPost:   s.ctlAddLink,
		http.MethodDelete: s.ctlRemoveLink,
	})
}

func linkField(kind string) (field, target string, ok bool) {
	switch kind {
	case LinkIncompatibleAccessPackages:
		return ifIncompatiblePackages, AccessPackages, true
	case LinkIncompatibleGroups:
		return ifIncompatibleGroups, directory.Groups, true
	}
	return "", "", false
}

func removeID(ids []string, id string) []string {
	out := ids[:0:0]
	for _, x := range ids {
		if !strings.EqualFold(x, id) {
			out = append(out, x)
		}
	}
	return out
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}

// linkedRecords reads the existing objects among ids, in insertion order.
func (s *API) linkedRecords(collection string, ids []string) []*store.Record {
	var out []*store.Record
	for _, id := range ids {
		if rec, err := s.Store.Get(collection, id); err == nil {
			out = append(out, rec)
		}
	}
	sortBySeq(out)
	return out
}

// packagesIncompatibleWith lists the packages that name id as incompatible.
func (s *API) packagesIncompatibleWith(id string) []*store.Record {
	recs, err := s.Store.List(AccessPackages)
	if err != nil {
		return nil
	}
	var out []*store.Record
	for _, rec := range recs {
		if containsID(wire.StrList(rec.Body[ifIncompatiblePackages]), id) {
			out = append(out, rec)
		}
	}
	return out
}

func (s *API) listLinks(w http.ResponseWriter, r *http.Request, p route.Params, kind string) error {
	filterable := accessPackageFilterable
	if kind == LinkIncompatibleGroups {
		filterable = []string{"id", "displayName", "description", "mailNickname", "securityEnabled", "mailEnabled"}
	}
	cq, err := s.ParseQuery(r, filterable)
	if err != nil {
		return err
	}
	var items []odata.ExpandItem
	if kind != LinkIncompatibleGroups {
		if items, err = expandQuery(r, typeAccessPackage); err != nil {
			return err
		}
	}
	pkg, err := s.GetVisible(AccessPackages, p["id"])
	if err != nil {
		return err
	}
	var recs []*store.Record
	switch kind {
	case LinkIncompatibleAccessPackages:
		recs = s.linkedRecords(AccessPackages, wire.StrList(pkg.Body[ifIncompatiblePackages]))
	case LinkIncompatibleGroups:
		recs = s.linkedRecords(directory.Groups, wire.StrList(pkg.Body[ifIncompatibleGroups]))
		s.writeList(w, r, cq, recs, func(rec *store.Record) map[string]any { return rec.Body },
			func(v map[string]any, sel []string) map[string]any { return odata.ApplySelect(wire.Public(v), sel) }, "groups")
		return nil
	default:
		recs = s.packagesIncompatibleWith(pkg.ID)
	}
	s.writeList(w, r, cq, recs, accessPackageView, func(v map[string]any, sel []string) map[string]any {
		return s.renderAccessPackage(v, items, sel)
	}, "identityGovernance/entitlementManagement/accessPackages")
	return nil
}

func (s *API) addLinkRef(w http.ResponseWriter, r *http.Request, p route.Params, kind string) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	collections := []string{"accessPackages"}
	if kind == LinkIncompatibleGroups {
		collections = []string{"groups", "directoryObjects"}
	}
	target, err := refTarget(body, collections...)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.addLink(kind, p["id"], target); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) removeLinkRef(w http.ResponseWriter, r *http.Request, p route.Params, kind string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.removeLink(kind, p["id"], p["otherId"]); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// addLink adds a link (idempotent). Errors are API errors; callers hold the write lock (Deps.WriteMu).
func (s *API) addLink(kind, fromID, toID string) error {
	field, targetColl, ok := linkField(kind)
	if !ok {
		return wire.BadRequest(fmt.Sprintf("Unknown link kind '%s'.", kind))
	}
	if _, err := s.Store.Get(AccessPackages, fromID); errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(fromID)
	} else if err != nil {
		return err
	}
	if kind == LinkIncompatibleAccessPackages && strings.EqualFold(fromID, toID) {
		return wire.BadRequest("An access package cannot be incompatible with itself.")
	}
	target, err := s.Store.Get(targetColl, toID)
	if errors.Is(err, store.ErrNotFound) {
		if kind == LinkIncompatibleGroups {
			return &wire.Error{Status: http.StatusNotFound, Code: "Request_ResourceNotFound",
				Message: fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", toID)}
		}
		return wire.NotFound(toID)
	}
	if err != nil {
		return err
	}
	return s.Store.Update(AccessPackages, fromID, func(obj map[string]any) error {
		ids := wire.StrList(obj[field])
		if !containsID(ids, target.ID) {
			obj[field] = wire.AnyList(append(ids, target.ID))
		}
		return nil
	})
}

// removeLink removes a link; 404 when the package or the link does not exist.
func (s *API) removeLink(kind, fromID, toID string) error {
	field, _, ok := linkField(kind)
	if !ok {
		return wire.BadRequest(fmt.Sprintf("Unknown link kind '%s'.", kind))
	}
	err := s.Store.Update(AccessPackages, fromID, func(obj map[string]any) error {
		ids := wire.StrList(obj[field])
		if !containsID(ids, toID) {
			return wire.NotFound(toID)
		}
		obj[field] = wire.AnyList(removeID(ids, toID))
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(fromID)
	}
	return err
}

// linkErr maps the API errors of addLink/removeLink to store.ErrNotFound for the Go methods.
func linkErr(err error) error {
	var ae *wire.Error
	if errors.As(err, &ae) {
		if ae.Status == http.StatusNotFound {
			return fmt.Errorf("%w: %s", store.ErrNotFound, ae.Message)
		}
		return errors.New("emulator: " + ae.Message)
	}
	return err
}

// AddLink adds an incompatibility link out of band: kind is
// LinkIncompatibleAccessPackages ("incompatibleAccessPackages", toID a package id) or
// LinkIncompatibleGroups ("incompatibleGroups", toID a group id). Adding an existing
// link succeeds; a missing package or target is store.ErrNotFound.
func (s *API) AddLink(kind, fromID, toID string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return linkErr(s.addLink(kind, fromID, toID))
}

// RemoveLink removes an incompatibility link out of band; store.ErrNotFound when the
// package or the link does not exist.
func (s *API) RemoveLink(kind, fromID, toID string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return linkErr(s.removeLink(kind, fromID, toID))
}

func (s *API) ctlAddLink(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if err := s.AddLink(p["kind"], p["fromId"], p["toId"]); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return route.ControlError(store.ErrNotFound)
		}
		return wire.BadRequest(err.Error())
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) ctlRemoveLink(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if err := s.RemoveLink(p["kind"], p["fromId"], p["toId"]); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return route.ControlError(store.ErrNotFound)
		}
		return wire.BadRequest(err.Error())
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
