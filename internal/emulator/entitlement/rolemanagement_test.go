package entitlement_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
)

const (
	rmPath        = "/v1.0/roleManagement/entitlementManagement"
	roleAssignURL = rmPath + "/roleAssignments"
)

func catalogScope(id string) string { return "/AccessPackageCatalog/" + id }

// The documented built-in definitions and ids
// (https://learn.microsoft.com/graph/api/rbacapplication-list-roledefinitions?view=graph-rest-1.0, example 2).
func TestRoleDefinitionsBuiltIn(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	body := e.MustDo("GET", rmPath+"/roleDefinitions", nil, http.StatusOK)
	want := map[string]string{
		entitlement.RoleCatalogOwner:                   "Catalog owner",
		entitlement.RoleCatalogReader:                  "Catalog reader",
		entitlement.RoleAccessPackageManager:           "AccessPackages manager",
		entitlement.RoleCatalogCreator:                 "Catalog creator",
		entitlement.RoleAccessPackageAssignmentManager: "AccessPackage assignment manager",
	}
	got := emulatortest.ValueList(t, body)
	if len(got) != len(want) {
		t.Fatalf("definitions: %v", got)
	}
	for _, d := range got {
		if want[d["id"].(string)] != d["displayName"] || d["isBuiltIn"] != true || d["templateId"] != d["id"] {
			t.Errorf("definition %v", d)
		}
	}
	body = e.MustDo("GET", rmPath+"/roleDefinitions?$filter="+url.QueryEscape("displayName eq 'Catalog reader'"), nil, http.StatusOK)
	if ids := emulatortest.IDsOf(t, body); len(ids) != 1 || ids[0] != entitlement.RoleCatalogReader {
		t.Errorf("filter by name: %v", ids)
	}
	one := e.MustDo("GET", rmPath+"/roleDefinitions/"+entitlement.RoleCatalogCreator, nil, http.StatusOK)
	if one["displayName"] != "Catalog creator" {
		t.Errorf("get: %v", one)
	}
	e.MustDo("GET", rmPath+"/roleDefinitions/00000000-0000-4000-8000-000000000000", nil, http.StatusNotFound)
}

func TestRoleAssignmentCRUD(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := e.CreateCatalog(map[string]any{"displayName": "Partners", "description": ""})["id"].(string)

	// Example 4 of https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignments?view=graph-rest-1.0.
	created := e.MustDo("POST", roleAssignURL, map[string]any{
		"principalId": emulator.SeedGroupFabrikamPartnersID, "roleDefinitionId": entitlement.RoleCatalogOwner,
		"appScopeId": catalogScope(cat),
	}, http.StatusCreated)
	emulatortest.NoInternal(t, created)
	id, _ := created["id"].(string)
	if id == "" || created["appScopeId"] != catalogScope(cat) || created["principalId"] != emulator.SeedGroupFabrikamPartnersID {
		t.Fatalf("created: %v", created)
	}
	got := e.MustDo("GET", roleAssignURL+"/"+id+"?$expand=principal,roleDefinition", nil, http.StatusOK)
	if p, _ := got["principal"].(map[string]any); p == nil || p["@odata.type"] != "#microsoft.graph.group" {
		t.Errorf("principal: %v", got["principal"])
	}
	if d, _ := got["roleDefinition"].(map[string]any); d == nil || d["displayName"] != "Catalog owner" {
		t.Errorf("roleDefinition: %v", got["roleDefinition"])
	}

	// The same principal, role and scope again: refused (our choice, internal/emulator/README.md).
	resp, dup := e.Do("POST", roleAssignURL, map[string]any{
		"principalId": emulator.SeedGroupFabrikamPartnersID, "roleDefinitionId": entitlement.RoleCatalogOwner,
		"appScopeId": catalogScope(cat),
	})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("duplicate: %d %v", resp.StatusCode, dup)
	}

	// Tenant-level catalog creator.
	creator := e.MustDo("POST", roleAssignURL, map[string]any{
		"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogCreator, "directoryScopeId": "/",
	}, http.StatusCreated)

	// $filter on appScopeId as documented (rbacapplication-list-roleassignments, example 3).
	list := e.MustDo("GET", roleAssignURL+"?$filter="+url.QueryEscape("appScopeId eq '"+catalogScope(cat)+"'"), nil, http.StatusOK)
	if ids := emulatortest.IDsOf(t, list); len(ids) != 1 || ids[0] != id {
		t.Errorf("filter: %v", ids)
	}
	list = e.MustDo("GET", roleAssignURL+"?$filter="+url.QueryEscape("principalId eq '"+emulator.SeedUserAdeleID+"'"), nil, http.StatusOK)
	if ids := emulatortest.IDsOf(t, list); len(ids) != 1 || ids[0] != creator["id"] {
		t.Errorf("filter by principal: %v", ids)
	}

	e.MustDo("DELETE", roleAssignURL+"/"+creator["id"].(string), nil, http.StatusNoContent)
	e.MustDo("GET", roleAssignURL+"/"+creator["id"].(string), nil, http.StatusNotFound)
	e.MustDo("DELETE", roleAssignURL+"/"+creator["id"].(string), nil, http.StatusNotFound)

	// Deleting the catalog takes its role assignments along (our choice).
	e.MustDo("DELETE", emulatortest.CatalogsPath+"/"+cat, nil, http.StatusNoContent)
	e.MustDo("GET", roleAssignURL+"/"+id, nil, http.StatusNotFound)
}

func TestRoleAssignmentValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := e.CreateCatalog(map[string]any{"displayName": "Partners", "description": ""})["id"].(string)
	missing := "00000000-0000-4000-8000-000000000001"
	cases := []struct {
		name string
		body map[string]any
		want int
	}{
		{"no scope", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogOwner}, 400},
		{"both scopes", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogOwner,
			"appScopeId": catalogScope(cat), "directoryScopeId": "/"}, 400},
		{"unknown role", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": missing, "appScopeId": catalogScope(cat)}, 400},
		{"unknown principal", map[string]any{"principalId": missing, "roleDefinitionId": entitlement.RoleCatalogOwner, "appScopeId": catalogScope(cat)}, 400},
		{"principal not a GUID", map[string]any{"principalId": "adele", "roleDefinitionId": entitlement.RoleCatalogOwner, "appScopeId": catalogScope(cat)}, 400},
		{"unknown catalog", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogOwner, "appScopeId": catalogScope(missing)}, 404},
		{"not a catalog scope", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogOwner, "appScopeId": "/Catalogs/" + cat}, 400},
		{"catalog role at tenant", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogReader, "directoryScopeId": "/"}, 400},
		{"creator on a catalog", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogCreator, "appScopeId": catalogScope(cat)}, 400},
		{"creator at another directory scope", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogCreator, "directoryScopeId": "/administrativeUnits/" + missing}, 400},
		{"unknown property", map[string]any{"principalId": emulator.SeedUserAdeleID, "roleDefinitionId": entitlement.RoleCatalogOwner, "appScopeId": catalogScope(cat), "resourceScope": "/"}, 400},
	}
	for _, tc := range cases {
		resp, body := e.Do("POST", roleAssignURL, tc.body)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d %v, want %d", tc.name, resp.StatusCode, body, tc.want)
		}
	}
	if list := e.MustDo("GET", roleAssignURL, nil, http.StatusOK); len(emulatortest.ValueList(t, list)) != 0 {
		t.Errorf("refused creates left assignments: %v", list)
	}
}

func TestRoleAssignmentPermissions(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	resp, _ := e.DoWith("", "GET", roleAssignURL, nil, nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d", resp.StatusCode)
	}
}

// Role definitions are built in and role assignments have no update; $filter takes eq, not in (D35).
func TestRoleManagementMethodsAndFilters(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	for _, tc := range []struct{ method, path string }{
		{"POST", rmPath + "/roleDefinitions"},
		{"PATCH", rmPath + "/roleDefinitions/" + entitlement.RoleCatalogOwner},
		{"DELETE", rmPath + "/roleDefinitions/" + entitlement.RoleCatalogOwner},
		{"PATCH", roleAssignURL + "/00000000-0000-4000-8000-000000000001"},
	} {
		resp, body := e.Do(tc.method, tc.path, map[string]any{})
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d %v, want 405", tc.method, tc.path, resp.StatusCode, body)
		}
	}
	resp, body := e.Do("GET", rmPath+"/roleDefinitions?$filter="+url.QueryEscape("id in ('"+entitlement.RoleCatalogOwner+"')"), nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("in: %d %v", resp.StatusCode, body)
	}
}
