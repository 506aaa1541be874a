package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// The entitlement management RBAC provider: its built-in role definitions and the role assignments
// that delegate catalogs (https://learn.microsoft.com/graph/api/resources/unifiedroleassignment?view=graph-rest-1.0,
// https://learn.microsoft.com/entra/id-governance/entitlement-management-delegate).

// Collection names of the control API (DELETE /_emulator/objects/{collection}/{id}).
const (
	// EMRoleAssignments holds the unifiedRoleAssignment documents of roleManagement/entitlementManagement.
	EMRoleAssignments = "entitlementRoleAssignments"
)

const (
	rmPrefix = "/v1.0/roleManagement/entitlementManagement"

	typeRoleAssignment = "microsoft.graph.unifiedRoleAssignment"
	typeRoleDefinition = "microsoft.graph.unifiedRoleDefinition"

	// catalogScopePrefix starts the appScopeId of a catalog-scoped assignment.
	catalogScopePrefix = "/AccessPackageCatalog/"
	// tenantScope is the tenant-wide scope ("Use / for tenant-wide scope").
	tenantScope = "/"

	msgDuplicateRoleAssignment = "A role assignment for this principal, role definition and scope already exists."
)

// The built-in role definitions and their ids, as the entitlement management example of
// https://learn.microsoft.com/graph/api/rbacapplication-list-roledefinitions?view=graph-rest-1.0 lists them.
const (
	RoleCatalogOwner                   = "ae79f266-94d4-4dab-b730-feca7e132178"
	RoleCatalogReader                  = "44272f93-9762-48e8-af59-1b5351b1d6b3"
	RoleAccessPackageManager           = "7f480852-ebdc-47d4-87de-0d8498384a83"
	RoleCatalogCreator                 = "ba92d953-d8e0-4e39-a797-0cbedb0a89e8"
	RoleAccessPackageAssignmentManager = "e2182095-804a-4656-ae11-64734e9b7ae5"
)

// emRoleDefinition is one built-in role: its id (also its templateId), name and allowed actions.
// tenantWide marks the role assigned at the tenant (catalog creator, assigned in the entitlement
// management settings rather than on a catalog: https://learn.microsoft.com/entra/id-governance/entitlement-management-delegate-catalog);
// the others are catalog roles (https://learn.microsoft.com/entra/id-governance/entitlement-management-delegate).
type emRoleDefinition struct {
	id, name   string
	actions    []string
	tenantWide bool
}

var emRoleDefinitions = []emRoleDefinition{
	{RoleCatalogOwner, "Catalog owner", []string{"microsoft.entitlementManagement/allEntities/allTasks"}, false},
	{RoleCatalogReader, "Catalog reader", []string{"microsoft.entitlementManagement/allEntities/Read"}, false},
	{RoleAccessPackageManager, "AccessPackages manager", []string{
		"microsoft.entitlementManagement/AccessPackageCatalog/AccessPackage/allTasks",
		"microsoft.entitlementManagement/AccessPackageCatalog/allEntities/Read"}, false},
	{RoleCatalogCreator, "Catalog creator", []string{"microsoft.entitlementManagement/AccessPackageCatalog/Create"}, true},
	{RoleAccessPackageAssignmentManager, "AccessPackage assignment manager", []string{
		"microsoft.entitlementManagement/AccessPackageCatalog/AccessPackage/GrantRequests/allTasks",
		"microsoft.entitlementManagement/AccessPackageCatalog/AccessPackage/Grants/allTasks",
		"microsoft.entitlementManagement/AccessPackageCatalog/allEntities/Read"}, false},
}

// body is the role definition as Graph answers it (the description repeats the name, as documented).
func (d emRoleDefinition) body() map[string]any {
	return map[string]any{
		"id": d.id, "displayName": d.name, "description": d.name,
		"isBuiltIn": true, "isEnabled": true, "templateId": d.id, "version": "1.0",
		"rolePermissions": []any{map[string]any{
			"allowedResourceActions": wire.AnyList(d.actions), "excludedResourceActions": []any{}, "condition": nil}},
	}
}

func findRoleDefinition(id string) (emRoleDefinition, bool) {
	for _, d := range emRoleDefinitions {
		if strings.EqualFold(d.id, id) {
			return d, true
		}
	}
	return emRoleDefinition{}, false
}

// roleManagementPermission: reads take the entitlement management or the RoleManagement
// entitlement-management permissions, writes their ReadWrite forms (the "entitlement management
// provider" tables of https://learn.microsoft.com/graph/api/unifiedroleassignment-get?view=graph-rest-1.0
// and https://learn.microsoft.com/graph/api/unifiedroleassignment-delete?view=graph-rest-1.0).
func roleManagementPermission(method string) route.Permission {
	if route.IsRead(method) {
		return route.Permission{AnyOf: []string{"RoleManagement.Read.EntitlementManagement", "EntitlementManagement.Read.All",
			"RoleManagement.ReadWrite.EntitlementManagement", "EntitlementManagement.ReadWrite.All"}}
	}
	return route.Permission{AnyOf: []string{"RoleManagement.ReadWrite.EntitlementManagement", "EntitlementManagement.ReadWrite.All"}}
}

var roleAssignmentType = &wire.EntityType{
	Name: typeRoleAssignment,
	Props: []wire.Prop{
		{Name: "id", Kind: wire.KindString, ReadOnly: true},
		{Name: "principalId", Kind: wire.KindString, Required: true, NonEmpty: true},
		{Name: "roleDefinitionId", Kind: wire.KindString, Required: true, NonEmpty: true},
		{Name: "appScopeId", Kind: wire.KindString, Nullable: true},
		{Name: "directoryScopeId", Kind: wire.KindString, Nullable: true},
		{Name: "condition", Kind: wire.KindString, Nullable: true},
		{Name: "principalOrganizationId", Kind: wire.KindString, ReadOnly: true},
	},
}

var (
	roleAssignmentFilterable = []string{"id", "principalId", "roleDefinitionId", "appScopeId", "directoryScopeId"}
	roleDefinitionFilterable = []string{"id", "displayName", "isBuiltIn", "templateId"}

	// roleNavigations are the $expand navigations of unifiedRoleAssignment that the local API serves.
	roleNavigations = odata.Navigations{
		typeRoleAssignment: {{"principal", "microsoft.graph.directoryObject"}, {"roleDefinition", typeRoleDefinition}},
	}
)

func (s *API) roleManagementRoutes(t *route.Table) {
	t.Add(route.Graph, roleManagementPermission, rmPrefix+"/roleDefinitions", map[string]route.Handler{
		http.MethodGet: s.listRoleDefinitions,
	})
	t.Add(route.Graph, roleManagementPermission, rmPrefix+"/roleDefinitions/{id}", map[string]route.Handler{
		http.MethodGet: s.getRoleDefinition,
	})
	t.Add(route.Graph, roleManagementPermission, rmPrefix+"/roleAssignments", map[string]route.Handler{
		http.MethodGet:  s.listRoleAssignments,
		http.MethodPost: s.createRoleAssignment,
	})
	t.Add(route.Graph, roleManagementPermission, rmPrefix+"/roleAssignments/{id}", map[string]route.Handler{
		http.MethodGet:    s.getRoleAssignment,
		http.MethodDelete: s.deleteRoleAssignment,
	})
}

// ---- role definitions ----

// roleDefinitionRecords are the built-in definitions as records, for the shared filtering and paging.
func roleDefinitionRecords() []*store.Record {
	out := make([]*store.Record, len(emRoleDefinitions))
	for i, d := range emRoleDefinitions {
		out[i] = &store.Record{Seq: int64(i + 1), ID: d.id, Body: d.body(), CreatedAt: time.Unix(0, 0)}
	}
	return out
}

func (s *API) listRoleDefinitions(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, roleDefinitionFilterable)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, roleDefinitionRecords(), "roleManagement/entitlementManagement/roleDefinitions", nil)
	return nil
}

func (s *API) getRoleDefinition(w http.ResponseWriter, r *http.Request, p route.Params) error {
	d, ok := findRoleDefinition(p["id"])
	if !ok {
		return wire.NotFound(p["id"])
	}
	out := wire.WithContext(d.body(), wire.EntityContext(r, "roleManagement/entitlementManagement/roleDefinitions"))
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

// ---- role assignments ----

func (s *API) roleAssignmentContext(r *http.Request) string {
	return wire.EntityContext(r, "roleManagement/entitlementManagement/roleAssignments")
}

// renderRoleAssignment applies $select, then the expansions asked for.
func (s *API) renderRoleAssignment(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	out := odata.ApplySelect(wire.Public(doc), sel)
	for _, it := range items {
		switch it.Name {
		case "principal":
			out["principal"] = nil
			if coll, rec, err := s.dir.Find(wire.StrField(doc, "principalId"), false); err == nil {
				out["principal"] = odata.ApplySelect(directory.ObjectOut(coll, rec.Body), it.Selects)
			}
		case "roleDefinition":
			out["roleDefinition"] = nil
			if d, ok := findRoleDefinition(wire.StrField(doc, "roleDefinitionId")); ok {
				out["roleDefinition"] = odata.ApplySelect(d.body(), it.Selects)
			}
		}
	}
	return out
}

func (s *API) listRoleAssignments(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, roleAssignmentFilterable)
	if err != nil {
		return err
	}
	items, err := roleNavigations.ParseExpand(r, typeRoleAssignment)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(EMRoleAssignments)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), func(rec *store.Record) map[string]any { return rec.Body },
		func(v map[string]any, sel []string) map[string]any { return s.renderRoleAssignment(v, items, sel) },
		"roleManagement/entitlementManagement/roleAssignments")
	return nil
}

func (s *API) getRoleAssignment(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := roleNavigations.ParseExpand(r, typeRoleAssignment)
	if err != nil {
		return err
	}
	rec, err := s.GetVisible(EMRoleAssignments, p["id"])
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(s.renderRoleAssignment(rec.Body, items, odata.SelectList(r)), s.roleAssignmentContext(r)))
	return nil
}

func (s *API) createRoleAssignment(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := roleAssignmentType.Validate(body, true)
	if err != nil {
		return err
	}
	principalID, _ := in["principalId"].(string)
	roleID, _ := in["roleDefinitionId"].(string)
	appScope, _ := in["appScopeId"].(string)
	dirScope, _ := in["directoryScopeId"].(string)

	def, ok := findRoleDefinition(roleID)
	if !ok {
		return wire.BadRequest(fmt.Sprintf("The role definition '%s' does not exist in the entitlement management provider.", roleID))
	}
	// "Either this property or appScopeId is required" (rbacapplication-post-roleassignments).
	switch {
	case appScope == "" && dirScope == "":
		return wire.BadRequest("Either appScopeId or directoryScopeId must be specified.")
	case appScope != "" && dirScope != "":
		return wire.BadRequest("Only one of appScopeId and directoryScopeId can be specified.")
	}
	if _, err := uuid.Parse(principalID); err != nil {
		return wire.BadRequest(fmt.Sprintf("Invalid principalId '%s': it must be the object id (a GUID) of a user, group or service principal.", principalID))
	}

	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	catalogID, err := s.checkRoleScope(def, appScope, dirScope)
	if err != nil {
		return err
	}
	_, principal, err := s.dir.Find(principalID, false)
	if errors.Is(err, store.ErrNotFound) {
		return wire.BadRequest(fmt.Sprintf("The principal '%s' does not exist or is not a user, group or service principal.", principalID))
	}
	if err != nil {
		return err
	}
	obj := map[string]any{
		"id":               uuid.NewString(),
		"principalId":      principal.ID,
		"roleDefinitionId": def.id,
	}
	if catalogID != "" {
		obj["appScopeId"] = catalogScopePrefix + catalogID
	} else if appScope != "" {
		obj["appScopeId"] = tenantScope
	} else {
		obj["directoryScopeId"] = tenantScope
	}
	if dup, err := s.duplicateRoleAssignment(obj); err != nil {
		return err
	} else if dup {
		return wire.BadRequest(msgDuplicateRoleAssignment)
	}
	if cond, ok := in["condition"].(string); ok {
		obj["condition"] = cond // kept as sent; the entitlement management provider documents no conditions
	}
	if err := s.Store.Insert(EMRoleAssignments, obj["id"].(string), obj, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+rmPrefix+"/roleAssignments/"+obj["id"].(string))
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.roleAssignmentContext(r)))
	return nil
}

// checkRoleScope checks the scope against the role: catalog roles take the appScopeId
// /AccessPackageCatalog/{id} of an existing catalog, the catalog creator the tenant ("/", as
// directoryScopeId or appScopeId). It returns the catalog id (stored as the catalog's own id), or ""
// for the tenant. Callers hold the write lock.
func (s *API) checkRoleScope(def emRoleDefinition, appScope, dirScope string) (string, error) {
	if def.tenantWide {
		if (dirScope != "" && dirScope != tenantScope) || (appScope != "" && appScope != tenantScope) {
			return "", wire.BadRequest(fmt.Sprintf("The role '%s' is assigned at the tenant: its scope must be '/'.", def.name))
		}
		return "", nil
	}
	if dirScope != "" || appScope == tenantScope {
		return "", wire.BadRequest(fmt.Sprintf("The role '%s' is assigned on a catalog: set appScopeId to '/AccessPackageCatalog/{catalogId}'.", def.name))
	}
	if len(appScope) <= len(catalogScopePrefix) || !strings.EqualFold(appScope[:len(catalogScopePrefix)], catalogScopePrefix) {
		return "", wire.BadRequest(fmt.Sprintf("The appScopeId '%s' is not a catalog scope of the form '/AccessPackageCatalog/{catalogId}'.", appScope))
	}
	catalogID := appScope[len(catalogScopePrefix):]
	if _, err := uuid.Parse(catalogID); err != nil {
		return "", wire.BadRequest(fmt.Sprintf("The appScopeId '%s' does not name a catalog id (a GUID).", appScope))
	}
	rec, err := s.Store.Get(Catalogs, catalogID)
	if errors.Is(err, store.ErrNotFound) {
		return "", wire.NotFound(catalogID)
	}
	if err != nil {
		return "", err
	}
	return rec.ID, nil
}

// duplicateRoleAssignment reports whether an assignment of the same role to the same principal at the
// same scope exists. Callers hold the write lock.
func (s *API) duplicateRoleAssignment(obj map[string]any) (bool, error) {
	recs, err := s.Store.List(EMRoleAssignments)
	if err != nil {
		return false, err
	}
	for _, rec := range recs {
		same := true
		for _, k := range []string{"principalId", "roleDefinitionId", "appScopeId", "directoryScopeId"} {
			if !strings.EqualFold(wire.StrField(rec.Body, k), wire.StrField(obj, k)) {
				same = false
			}
		}
		if same {
			return true, nil
		}
	}
	return false, nil
}

func (s *API) deleteRoleAssignment(w http.ResponseWriter, _ *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	err := s.Store.Delete(EMRoleAssignments, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteCatalogRoleAssignments removes the role assignments scoped to a catalog that is being
// deleted (our choice: the reference does not say what becomes of them). Callers hold the write lock.
func (s *API) deleteCatalogRoleAssignments(catalogID string) error {
	recs, err := s.Store.List(EMRoleAssignments)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if strings.EqualFold(wire.StrField(rec.Body, "appScopeId"), catalogScopePrefix+catalogID) {
			if err := s.Store.Delete(EMRoleAssignments, rec.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}
