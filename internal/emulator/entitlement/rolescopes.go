package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Resource role scopes of an access package (spec 1.4). The API id is
// <catalog role id>_<catalog scope id>; since packages of one catalog can grant the
// same role scope, documents are stored under <packageId>_<roleId>_<scopeId> with the
// API id in "id" and _accessPackageId, _roleId, _scopeId, _resourceId, _catalogId.

func (s *API) roleScopeRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/resourceRoleScopes", map[string]route.Handler{
		http.MethodGet:  s.listRoleScopes,
		http.MethodPost: s.createRoleScope,
	})
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/resourceRoleScopes/{rsId}", map[string]route.Handler{
		http.MethodGet:    s.getRoleScope,
		http.MethodDelete: s.deleteRoleScope,
	})
}

func roleScopeKey(packageID, roleScopeID string) string {
	return strings.ToLower(packageID) + "_" + strings.ToLower(roleScopeID)
}

var roleScopeFilterable = []string{"id", "createdDateTime", "role/id", "role/originId", "role/originSystem", "scope/id", "scope/originId"}

// roleScopeView adds role{id, originId, originSystem} and scope{id, originId} for $filter.
func (s *API) roleScopeView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+2)
	for k, x := range rec.Body {
		v[k] = x
	}
	role := map[string]any{"id": wire.StrField(rec.Body, ifRoleID)}
	if rr, err := s.Store.Get(collCatalogRoles, wire.StrField(rec.Body, ifRoleID)); err == nil {
		role["originId"], role["originSystem"] = rr.Body["originId"], rr.Body["originSystem"]
	}
	scope := map[string]any{"id": wire.StrField(rec.Body, ifScopeID)}
	if sr, err := s.Store.Get(collCatalogScopes, wire.StrField(rec.Body, ifScopeID)); err == nil {
		scope["originId"] = sr.Body["originId"]
	}
	v["role"], v["scope"] = role, scope
	return v
}

// renderRoleScope writes {id, createdDateTime} plus role and scope when expanded.
func (s *API) renderRoleScope(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	out := odata.ApplySelect(wire.Public(doc), sel)
	delete(out, "role")
	delete(out, "scope")
	for _, it := range items {
		coll, field := collCatalogRoles, ifRoleID
		if it.Name == "scope" {
			coll, field = collCatalogScopes, ifScopeID
		}
		out[it.Name] = nil
		if rec, err := s.Store.Get(coll, wire.StrField(doc, field)); err == nil {
			out[it.Name] = s.renderRoleOrScope(rec.Body, it.Nested, it.Selects)
		}
	}
	return out
}

func (s *API) listRoleScopes(w http.ResponseWriter, r *http.Request, p route.Params) error {
	cq, err := s.ParseQuery(r, roleScopeFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typeRoleScope)
	if err != nil {
		return err
	}
	pkg, err := s.GetVisible(AccessPackages, p["id"])
	if err != nil {
		return err
	}
	recs, err := s.childRecords(collRoleScopes, ifAccessPackageID, pkg.ID)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), s.roleScopeView, func(v map[string]any, sel []string) map[string]any {
		return s.renderRoleScope(v, items, sel)
	}, navContext("accessPackages", pkg.ID, "resourceRoleScopes"))
	return nil
}

func (s *API) getRoleScope(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typeRoleScope)
	if err != nil {
		return err
	}
	pkg, err := s.GetVisible(AccessPackages, p["id"])
	if err != nil {
		return err
	}
	rec, err := s.GetVisible(collRoleScopes, roleScopeKey(pkg.ID, p["rsId"]))
	if err != nil {
		return wire.NotFound(p["rsId"])
	}
	out := s.renderRoleScope(rec.Body, items, odata.SelectList(r))
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, wire.EntityContext(r, navContext("accessPackages", pkg.ID, "resourceRoleScopes"))))
	return nil
}

func (s *API) deleteRoleScope(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	pkg, err := s.Store.Get(AccessPackages, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	err = s.Store.Delete(collRoleScopes, roleScopeKey(pkg.ID, p["rsId"]))
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["rsId"])
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func roleNotFound() error {
	return &wire.Error{Status: http.StatusNotFound, Code: "RoleNotFound", Message: "The role was not found."}
}

func (s *API) createRoleScope(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	for k := range body {
		if strings.Contains(k, "@") {
			continue
		}
		switch k {
		case "id", "createdDateTime", "role", "scope":
		default:
			return wire.UnknownProperty(k, typeRoleScope)
		}
	}
	role, present, err := wire.BodyObject(body, "role")
	if err != nil {
		return err
	}
	if !present {
		return wire.RequiredProperty("role", typeRoleScope)
	}
	scope, scopeGiven, err := wire.BodyObject(body, "scope")
	if err != nil {
		return err
	}

	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	pkg, err := s.Store.Get(AccessPackages, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	catalogID := wire.StrField(pkg.Body, ifCatalogID)
	roleRec, err := s.resolveRole(catalogID, role)
	if err != nil {
		return err
	}
	resourceID := wire.StrField(roleRec.Body, ifResourceID)
	scopeRec, err := s.resolveScope(resourceID, scope, scopeGiven)
	if err != nil {
		return err
	}
	id := roleRec.ID + "_" + scopeRec.ID
	key := roleScopeKey(pkg.ID, id)
	if _, err := s.Store.Get(collRoleScopes, key); err == nil {
		return wire.BadRequest("The role scope already exists in the access package.")
	}
	doc := map[string]any{
		"id":              id,
		"createdDateTime": s.Timestamp(),
		ifAccessPackageID: pkg.ID,
		ifRoleID:          roleRec.ID,
		ifScopeID:         scopeRec.ID,
		ifResourceID:      resourceID,
		ifCatalogID:       catalogID,
	}
	if err := s.Store.Insert(collRoleScopes, key, doc, s.Now()); err != nil {
		return err
	}
	out := s.renderRoleScope(doc, []odata.ExpandItem{{Name: "role"}, {Name: "scope"}}, nil)
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/accessPackages/"+pkg.ID+"/resourceRoleScopes/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(out, wire.EntityContext(r, navContext("accessPackages", pkg.ID, "resourceRoleScopes"))))
	return nil
}

// resolveRole finds the catalog role a role-scope body names: by resource{id} (or a
// whole resource object) plus originId, by the role id, or by originSystem + originId
// when that is unambiguous in the catalog. Extra read-only fields are accepted (spec 7).
func (s *API) resolveRole(catalogID string, role map[string]any) (*store.Record, error) {
	originID, _, err := wire.BodyString(role, "originId")
	if err != nil {
		return nil, err
	}
	system := ""
	if raw, present, err := wire.BodyString(role, "originSystem"); err != nil {
		return nil, err
	} else if present && raw != "" {
		var ok bool
		if system, ok = canonicalOriginSystem(raw); !ok {
			return nil, roleNotFound()
		}
	}
	roleID, _, err := wire.BodyString(role, "id")
	if err != nil {
		return nil, err
	}
	res, _, err := wire.BodyObject(role, "resource")
	if err != nil {
		return nil, err
	}
	resourceID := ""
	if res != nil {
		if resourceID, _, err = wire.BodyString(res, "id"); err != nil {
			return nil, err
		}
	}
	if resourceID != "" {
		resRec, err := s.Store.Get(collCatalogResources, resourceID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, wire.NotFound(resourceID)
		}
		if err != nil {
			return nil, err
		}
		if !strings.EqualFold(wire.StrField(resRec.Body, ifCatalogID), catalogID) {
			return nil, wire.BadRequest(fmt.Sprintf("The resource '%s' is not in the catalog of the access package; add it to catalog '%s' first.", resourceID, catalogID))
		}
		resourceID = resRec.ID
	}
	roles, err := s.childRecords(collCatalogRoles, ifCatalogID, catalogID)
	if err != nil {
		return nil, err
	}
	var matches []*store.Record
	for _, rec := range roles {
		switch {
		case resourceID != "" && !strings.EqualFold(wire.StrField(rec.Body, ifResourceID), resourceID):
		case system != "" && wire.StrField(rec.Body, "originSystem") != system:
		case originID != "":
			if sameOrigin(wire.StrField(rec.Body, "originSystem"), wire.StrField(rec.Body, "originId"), originID) {
				matches = append(matches, rec)
			}
		case roleID != "":
			if strings.EqualFold(rec.ID, roleID) {
				matches = append(matches, rec)
			}
		}
	}
	if originID == "" && roleID == "" {
		return nil, wire.BadRequest("The role must carry its 'originId' and 'originSystem' with 'resource': {'id': '<catalog resource id>'}.")
	}
	switch len(matches) {
	case 0:
		return nil, roleNotFound()
	case 1:
		return matches[0], nil
	}
	// Several resources of the catalog expose this origin id (e.g. SharePoint group "4").
	if roleID != "" {
		for _, m := range matches {
			if strings.EqualFold(m.ID, roleID) {
				return m, nil
			}
		}
	}
	return nil, wire.BadRequest("The role is ambiguous in the catalog; name the resource with 'role.resource.id'.")
}

// resolveScope finds the scope of the role's resource: the root scope when the body has
// none, else by scope id or originId (+ isRootScope).
func (s *API) resolveScope(resourceID string, scope map[string]any, given bool) (*store.Record, error) {
	scopes, err := s.childRecords(collCatalogScopes, ifResourceID, resourceID)
	if err != nil {
		return nil, err
	}
	if !given {
		for _, rec := range scopes {
			if rec.Body["isRootScope"] == true {
				return rec, nil
			}
		}
		return nil, &wire.Error{Status: http.StatusNotFound, Code: wire.CodeResourceNotFound, Message: "The resource has no root scope."}
	}
	originID, _, err := wire.BodyString(scope, "originId")
	if err != nil {
		return nil, err
	}
	scopeID, _, err := wire.BodyString(scope, "id")
	if err != nil {
		return nil, err
	}
	isRoot, hasRoot := scope["isRootScope"]
	if hasRoot {
		ps := wire.Prop{Name: "isRootScope", Kind: wire.KindBool, Nullable: true}
		if isRoot, err = ps.Convert(isRoot); err != nil {
			return nil, err
		}
	}
	for _, rec := range scopes {
		system := wire.StrField(rec.Body, "originSystem")
		switch {
		case originID != "":
			if sameOrigin(system, wire.StrField(rec.Body, "originId"), originID) && (!hasRoot || isRoot == nil || rec.Body["isRootScope"] == isRoot) {
				return rec, nil
			}
		case scopeID != "":
			if strings.EqualFold(rec.ID, scopeID) {
				return rec, nil
			}
		case isRoot == true:
			if rec.Body["isRootScope"] == true {
				return rec, nil
			}
		}
	}
	what := originID
	if what == "" {
		what = scopeID
	}
	return nil, &wire.Error{Status: http.StatusNotFound, Code: wire.CodeResourceNotFound,
		Message: fmt.Sprintf("Resource scope '%s' does not exist or one of its queried reference-property objects are not present.", what)}
}
