package entitlement

import (
	"errors"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Access packages (spec 1.3): bound to a catalog at creation (internal field
// _catalogId, shown only through $expand=catalog), PATCH of displayName, description
// and isHidden, DELETE refused while policies or assignments exist.

const (
	typeAccessPackage = "microsoft.graph.accessPackage"
	typeRoleScope     = "microsoft.graph.accessPackageResourceRoleScope"
)

var accessPackageType = &wire.EntityType{
	Name: typeAccessPackage,
	Props: []wire.Prop{
		{Name: "id", Kind: wire.KindString, ReadOnly: true},
		{Name: "displayName", Kind: wire.KindString, Required: true, NonEmpty: true},
		// description: required-present, "" allowed (spec 1.3 [U], section 7).
		{Name: "description", Kind: wire.KindString, Required: true, Nullable: true},
		{Name: "isHidden", Kind: wire.KindBool},
		{Name: "createdDateTime", Kind: wire.KindString, ReadOnly: true},
		{Name: "modifiedDateTime", Kind: wire.KindString, ReadOnly: true},
	},
}

var accessPackageFilterable = []string{"id", "displayName", "description", "isHidden", "catalog/id", "createdDateTime", "modifiedDateTime"}

func (s *API) accessPackageRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/accessPackages", map[string]route.Handler{
		http.MethodGet:  s.listAccessPackages,
		http.MethodPost: s.createAccessPackage,
	})
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}", map[string]route.Handler{
		http.MethodGet:    s.getAccessPackage,
		http.MethodPatch:  s.updateAccessPackage,
		http.MethodDelete: s.deleteAccessPackage,
	})
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/catalog", map[string]route.Handler{http.MethodGet: s.getAccessPackageCatalog})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}/accessPackages", map[string]route.Handler{http.MethodGet: s.listCatalogAccessPackages})
}

func (s *API) accessPackageContext(r *http.Request) string {
	return wire.EntityContext(r, "identityGovernance/entitlementManagement/accessPackages")
}

// accessPackageView adds catalog{id} so $filter=catalog/id eq '…' works.
func accessPackageView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+1)
	for k, x := range rec.Body {
		v[k] = x
	}
	v["catalog"] = map[string]any{"id": wire.StrField(rec.Body, ifCatalogID)}
	return v
}

func (s *API) listAccessPackages(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	return s.writeAccessPackages(w, r, "", "identityGovernance/entitlementManagement/accessPackages")
}

func (s *API) listCatalogAccessPackages(w http.ResponseWriter, r *http.Request, p route.Params) error {
	cat, err := s.visibleCatalog(p["id"])
	if err != nil {
		return err
	}
	return s.writeAccessPackages(w, r, cat.ID, navContext("catalogs", cat.ID, "accessPackages"))
}

func (s *API) writeAccessPackages(w http.ResponseWriter, r *http.Request, catalogID, contextPath string) error {
	cq, err := s.ParseQuery(r, accessPackageFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typeAccessPackage)
	if err != nil {
		return err
	}
	var recs []*store.Record
	if catalogID != "" {
		recs, err = s.childRecords(AccessPackages, ifCatalogID, catalogID)
	} else {
		recs, err = s.Store.List(AccessPackages)
	}
	if err != nil {
		return err
	}
	// https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-1.0
	// answers each element with its @odata.type.
	s.writeList(w, r, cq, s.Visible(recs), accessPackageView, func(v map[string]any, sel []string) map[string]any {
		out := s.renderAccessPackage(v, items, sel)
		out["@odata.type"] = "#" + typeAccessPackage
		return out
	}, contextPath)
	return nil
}

func (s *API) createAccessPackage(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	cat, present, err := wire.BodyObject(body, "catalog")
	if err != nil {
		return err
	}
	rest := make(map[string]any, len(body))
	for k, v := range body {
		if k != "catalog" {
			rest[k] = v
		}
	}
	in, err := accessPackageType.Validate(rest, true)
	if err != nil {
		return err
	}
	if !present {
		return wire.RequiredProperty("catalog", typeAccessPackage)
	}
	catalogID, _, err := wire.BodyString(cat, "id")
	if err != nil {
		return err
	}
	if catalogID == "" {
		return wire.BadRequest("The property 'catalog' must carry the 'id' of an existing catalog.")
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	catRec, err := s.Store.Get(Catalogs, catalogID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(catalogID)
	}
	if err != nil {
		return err
	}
	now := s.Timestamp()
	doc := map[string]any{
		"id":               uuid.NewString(),
		"displayName":      in["displayName"],
		"description":      in["description"],
		"isHidden":         false, // default when omitted [U]
		"createdDateTime":  now,
		"modifiedDateTime": now,
		ifCatalogID:        catRec.ID,
	}
	if v, ok := in["isHidden"]; ok {
		doc["isHidden"] = v
	}
	if err := s.Store.Insert(AccessPackages, doc["id"].(string), doc, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/accessPackages/"+doc["id"].(string))
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(wire.Public(doc), s.accessPackageContext(r)))
	return nil
}

func (s *API) getAccessPackage(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typeAccessPackage)
	if err != nil {
		return err
	}
	rec, err := s.GetVisible(AccessPackages, p["id"])
	if err != nil {
		return err
	}
	out := s.renderAccessPackage(accessPackageView(rec), items, odata.SelectList(r))
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, s.accessPackageContext(r)))
	return nil
}

func (s *API) getAccessPackageCatalog(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.GetVisible(AccessPackages, p["id"])
	if err != nil {
		return err
	}
	cat, err := s.GetVisible(Catalogs, wire.StrField(rec.Body, ifCatalogID))
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(wire.Public(cat.Body), s.catalogContext(r)), odata.SelectList(r)))
	return nil
}

// renderAccessPackage writes a package (given as its view or its document) with the
// requested expansions; the catalog appears only when expanded.
func (s *API) renderAccessPackage(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	out := odata.ApplySelect(wire.Public(doc), sel)
	delete(out, "catalog")
	id := wire.StrField(doc, "id")
	for _, it := range items {
		switch it.Name {
		case "catalog":
			out["catalog"] = nil
			if rec, err := s.Store.Get(Catalogs, wire.StrField(doc, ifCatalogID)); err == nil {
				out["catalog"] = s.renderCatalog(rec.Body, it.Nested, it.Selects)
			}
		case "resourceRoleScopes":
			list := []any{}
			if recs, err := s.childRecords(collRoleScopes, ifAccessPackageID, id); err == nil {
				for _, rec := range s.Visible(recs) {
					list = append(list, s.renderRoleScope(rec.Body, it.Nested, it.Selects))
				}
			}
			out["resourceRoleScopes"] = list
		case "incompatibleAccessPackages", "accessPackagesIncompatibleWith":
			var recs []*store.Record
			if it.Name == "incompatibleAccessPackages" {
				recs = s.linkedRecords(AccessPackages, wire.StrList(doc[ifIncompatiblePackages]))
			} else {
				recs = s.packagesIncompatibleWith(id)
			}
			list := []any{}
			for _, rec := range recs {
				list = append(list, s.renderAccessPackage(accessPackageView(rec), it.Nested, it.Selects))
			}
			out[it.Name] = list
		case "incompatibleGroups":
			list := []any{}
			for _, rec := range s.linkedRecords(directory.Groups, wire.StrList(doc[ifIncompatibleGroups])) {
				list = append(list, odata.ApplySelect(wire.Public(rec.Body), it.Selects))
			}
			out["incompatibleGroups"] = list
		case "assignmentPolicies":
			list := []any{}
			for _, rec := range s.packageDependents(AssignmentPolicies, id) {
				list = append(list, s.renderPolicy(rec.Body, it.Nested, it.Selects)) // policies.go
			}
			out["assignmentPolicies"] = list
		}
	}
	return out
}

// packageDependents lists the documents of a collection (assignment policies,
// assignments) bound to a package through accessPackage{id}, accessPackageId or
// _accessPackageId.
func (s *API) packageDependents(collection, packageID string) []*store.Record {
	recs, err := s.Store.List(collection)
	if err != nil {
		return nil
	}
	var out []*store.Record
	for _, rec := range recs {
		ids := []string{wire.StrField(rec.Body, "accessPackageId"), wire.StrField(rec.Body, ifAccessPackageID)}
		if ap, ok := rec.Body["accessPackage"].(map[string]any); ok {
			ids = append(ids, wire.StrField(ap, "id"))
		}
		for _, x := range ids {
			if x != "" && strings.EqualFold(x, packageID) {
				out = append(out, rec)
				break
			}
		}
	}
	return out
}

func (s *API) updateAccessPackage(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	if _, ok := body["catalog"]; ok {
		return wire.BadRequest("The property 'catalog' cannot be changed: an access package cannot be moved to another catalog.")
	}
	in, err := accessPackageType.Validate(body, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	err = s.Store.Update(AccessPackages, p["id"], func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		obj["modifiedDateTime"] = s.Timestamp()
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) deleteAccessPackage(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(AccessPackages, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	// Spec 1.3: refused while assignments exist [D] (code [U]: 400 BadRequest); policies
	// block deletion too in practice [U].
	for _, a := range s.packageDependents(collAssignments, rec.ID) {
		if st := wire.StrField(a.Body, "state"); !strings.EqualFold(st, "expired") {
			return wire.BadRequest("The access package cannot be deleted because it still has assignments.")
		}
	}
	if len(s.packageDependents(AssignmentPolicies, rec.ID)) > 0 {
		return wire.BadRequest("The access package cannot be deleted because it still has assignment policies. Delete the policies first.")
	}
	if err := s.deleteAccessPackageCascade(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteAccessPackageCascade removes a package, its role scopes and the
// incompatibility links of other packages that point at it. Callers hold the write lock (Deps.WriteMu).
func (s *API) deleteAccessPackageCascade(id string) error {
	if err := s.Store.Delete(AccessPackages, id); err != nil {
		return err
	}
	rss, err := s.childRecords(collRoleScopes, ifAccessPackageID, id)
	if err != nil {
		return err
	}
	for _, rec := range rss {
		if err := s.Store.Delete(collRoleScopes, rec.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	for _, rec := range s.packagesIncompatibleWith(id) {
		err := s.Store.Update(AccessPackages, rec.ID, func(obj map[string]any) error {
			obj[ifIncompatiblePackages] = wire.AnyList(removeID(wire.StrList(obj[ifIncompatiblePackages]), id))
			return nil
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// ---- control API support ----

// ControlStoreID maps the id a control caller gives to the store key: role scopes are
// stored per package as <packageId>_<roleId>_<scopeId>, while the API id is
// <roleId>_<scopeId>, which several packages can share (the first one is taken).
func (s *API) ControlStoreID(collection, id string) string {
	if collection != collRoleScopes {
		return id
	}
	if _, err := s.Store.Get(collRoleScopes, id); err == nil {
		return id
	}
	recs, err := s.Store.List(collRoleScopes)
	if err != nil {
		return id
	}
	for _, rec := range recs {
		if strings.EqualFold(wire.StrField(rec.Body, "id"), id) {
			return rec.ID
		}
	}
	return id
}

// ControlDelete is DeleteObject's removal: access packages and catalog resources take
// their dependants with them. Callers hold the write lock (Deps.WriteMu).
func (s *API) ControlDelete(collection, id string) error {
	id = s.ControlStoreID(collection, id)
	if collection == AccessPackages || collection == AssignmentPolicies {
		// The policy hooks hear of the policies the deletion takes along (policy_hooks.go).
		defer s.afterPoliciesDeletedLocked(s.policyIDsLocked())
	}
	switch collection {
	case AccessPackages:
		return s.deleteAccessPackageCascade(id)
	case collCatalogResources:
		return s.deleteCatalogResource(id)
	case collAssignments:
		return s.removeAssignmentLocked(id) // also removes the memberships it granted
	}
	return s.Store.Delete(collection, id)
}
