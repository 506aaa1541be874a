package entitlement

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Collection names used in the store and by the control methods.
const (
	Catalogs = "catalogs"
)

const prefix = "/v1.0/identityGovernance/entitlementManagement"

// catalogType is accessPackageCatalog (spec 1.1).
var catalogType = &wire.EntityType{
	Name: "microsoft.graph.accessPackageCatalog",
	Props: []wire.Prop{
		{Name: "id", Kind: wire.KindString, ReadOnly: true},
		{Name: "displayName", Kind: wire.KindString, Required: true, NonEmpty: true},
		// description: required-present, "" allowed (spec 1.1 [U], section 7).
		{Name: "description", Kind: wire.KindString, Required: true, Nullable: true},
		{Name: "catalogType", Kind: wire.KindEnum, Enum: []string{"userManaged", "serviceDefault", "serviceManaged"}},
		{Name: "state", Kind: wire.KindEnum, Enum: []string{"unpublished", "published"}},
		{Name: "isExternallyVisible", Kind: wire.KindBool},
		{Name: "createdDateTime", Kind: wire.KindString, ReadOnly: true},
		{Name: "modifiedDateTime", Kind: wire.KindString, ReadOnly: true},
	},
}

var catalogFilterable = []string{"id", "displayName", "description", "state", "catalogType", "isExternallyVisible"}

func (s *API) catalogRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/catalogs", map[string]route.Handler{
		http.MethodGet:  s.listCatalogs,
		http.MethodPost: s.createCatalog,
	})
	t.Add(route.Graph, permission, prefix+"/catalogs/{id}", map[string]route.Handler{
		http.MethodGet:    s.getCatalog,
		http.MethodPatch:  s.updateCatalog,
		http.MethodDelete: s.deleteCatalog,
	})
}

func (s *API) catalogContext(r *http.Request) string {
	return wire.BaseURL(r) + "/v1.0/$metadata#identityGovernance/entitlementManagement/catalogs/$entity"
}

func (s *API) listCatalogs(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, catalogFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typeCatalog)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(Catalogs)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, recs, func(rec *store.Record) map[string]any { return rec.Body }, func(v map[string]any, sel []string) map[string]any {
		return s.renderCatalog(v, items, sel)
	}, "identityGovernance/entitlementManagement/catalogs")
	return nil
}

// renderCatalog is a catalog as answered, with the expansions asked for: $expand=accessPackages
// lists the catalog's packages, as
// https://learn.microsoft.com/graph/api/accesspackagecatalog-get?view=graph-rest-1.0 and
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-catalogs?view=graph-rest-1.0 show.
func (s *API) renderCatalog(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	out := odata.ApplySelect(wire.Public(doc), sel)
	for _, it := range items {
		if it.Name != "accessPackages" {
			continue
		}
		list := []any{}
		if recs, err := s.childRecords(AccessPackages, ifCatalogID, wire.StrField(doc, "id")); err == nil {
			for _, rec := range s.Visible(recs) {
				list = append(list, s.renderAccessPackage(accessPackageView(rec), it.Nested, it.Selects))
			}
		}
		out["accessPackages"] = list
	}
	return out
}

func (s *API) createCatalog(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := catalogType.Validate(body, true)
	if err != nil {
		return err
	}
	// Only user-managed catalogs can be created through the API.
	if ct, ok := in["catalogType"]; ok && ct != "userManaged" {
		return wire.BadEnum("catalogType", fmt.Sprint(body["catalogType"]), []string{"userManaged"})
	}
	now := s.Timestamp()
	obj := map[string]any{
		"id":                  uuid.NewString(),
		"displayName":         in["displayName"],
		"description":         in["description"],
		"catalogType":         "userManaged",
		"state":               "published", // default when omitted [U]
		"isExternallyVisible": false,       // default when omitted [U]
		"createdDateTime":     now,
		"modifiedDateTime":    now,
	}
	for _, k := range []string{"state", "isExternallyVisible"} {
		if v, ok := in[k]; ok {
			obj[k] = v
		}
	}
	s.WriteMu.Lock()
	err = s.Store.Insert(Catalogs, obj["id"].(string), obj, s.Now())
	s.WriteMu.Unlock()
	if err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/catalogs/"+obj["id"].(string))
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.catalogContext(r)))
	return nil
}

func (s *API) getCatalog(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typeCatalog)
	if err != nil {
		return err
	}
	rec, err := s.GetVisible(Catalogs, p["id"])
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(s.renderCatalog(rec.Body, items, odata.SelectList(r)), s.catalogContext(r)))
	return nil
}

func (s *API) updateCatalog(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := catalogType.Validate(body, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	err = s.Store.Update(Catalogs, p["id"], func(obj map[string]any) error {
		// catalogType is effectively fixed: the current value is accepted, nothing else.
		if ct, ok := in["catalogType"]; ok && ct != obj["catalogType"] {
			return wire.BadRequest(fmt.Sprintf("The value '%v' is not valid for property 'catalogType': the catalog type of an existing catalog cannot be changed.", body["catalogType"]))
		}
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

func (s *API) deleteCatalog(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(Catalogs, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	if rec.Body["catalogType"] == "serviceDefault" {
		return wire.BadRequest("The default catalog 'General' cannot be deleted.")
	}
	// A catalog still holding access packages or resources is refused (spec 1.1 [U]: 400).
	if err := s.catalogNotEmpty(rec.ID); err != nil {
		return err
	}
	if err := s.Store.Delete(Catalogs, p["id"]); err != nil {
		return err
	}
	if err := s.deleteCatalogRoleAssignments(rec.ID); err != nil { // rolemanagement.go
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
