package graph

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// The entitlement management RBAC provider: catalog roles and the catalog creator role
// (https://learn.microsoft.com/graph/api/resources/unifiedroleassignment?view=graph-rest-1.0).
const (
	emRoleAssignmentsPath = "/roleManagement/entitlementManagement/roleAssignments"
	emRoleDefinitionsPath = "/roleManagement/entitlementManagement/roleDefinitions"

	// CatalogScopePrefix starts the appScopeId of an assignment scoped to a catalog: /AccessPackageCatalog/{id}.
	CatalogScopePrefix = "/AccessPackageCatalog/"
	// TenantScope is the directoryScopeId of a tenant-wide assignment.
	TenantScope = "/"
)

// The built-in entitlement management role definitions, with the ids the entitlement management example
// of https://learn.microsoft.com/graph/api/rbacapplication-list-roledefinitions?view=graph-rest-1.0 lists.
const (
	RoleCatalogOwner                   = "ae79f266-94d4-4dab-b730-feca7e132178"
	RoleCatalogReader                  = "44272f93-9762-48e8-af59-1b5351b1d6b3"
	RoleAccessPackageManager           = "7f480852-ebdc-47d4-87de-0d8498384a83"
	RoleCatalogCreator                 = "ba92d953-d8e0-4e39-a797-0cbedb0a89e8"
	RoleAccessPackageAssignmentManager = "e2182095-804a-4656-ae11-64734e9b7ae5"
)

// RoleAssignment is a unifiedRoleAssignment of the entitlement management provider. Exactly one of
// AppScopeID (a catalog) and DirectoryScopeID (the tenant, "/") is sent on create.
type RoleAssignment struct {
	ID               string `json:"id,omitempty"`
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	AppScopeID       string `json:"appScopeId,omitempty"`
	DirectoryScopeID string `json:"directoryScopeId,omitempty"`
}

// RoleDefinition is a unifiedRoleDefinition of the entitlement management provider (read only).
type RoleDefinition struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	IsBuiltIn   bool   `json:"isBuiltIn"`
	IsEnabled   bool   `json:"isEnabled"`
	TemplateID  string `json:"templateId"`
}

// CatalogScope is the appScopeId of a catalog.
func CatalogScope(catalogID string) string { return CatalogScopePrefix + catalogID }

// CatalogOfScope is the catalog id an appScopeId names ("" when it names none).
func CatalogOfScope(appScopeID string) string {
	if len(appScopeID) > len(CatalogScopePrefix) && strings.EqualFold(appScopeID[:len(CatalogScopePrefix)], CatalogScopePrefix) {
		return appScopeID[len(CatalogScopePrefix):]
	}
	return ""
}

// CreateRoleAssignment assigns an entitlement management role; Graph answers 201 with the assignment.
// There is no update: a change is a delete and a create.
func (c *Client) CreateRoleAssignment(ctx context.Context, in RoleAssignment) (*RoleAssignment, error) {
	var out RoleAssignment
	if err := c.do(ctx, request{method: http.MethodPost, path: emRoleAssignmentsPath, body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetRoleAssignment reads one role assignment.
func (c *Client) GetRoleAssignment(ctx context.Context, id string) (*RoleAssignment, error) {
	var out RoleAssignment
	if err := c.do(ctx, request{method: http.MethodGet, path: emRoleAssignmentsPath + "/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteRoleAssignment removes a role assignment; one already gone counts as deleted.
func (c *Client) DeleteRoleAssignment(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: emRoleAssignmentsPath + "/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListRoleAssignmentsOf lists the role assignments of a principal (Graph filters on principalId, as
// documented; a filter combining properties is not documented for this provider, so the caller compares
// roles and scopes).
func (c *Client) ListRoleAssignmentsOf(ctx context.Context, principalID string) ([]RoleAssignment, error) {
	q := url.Values{"$filter": {"principalId eq " + ODataString(principalID)}}
	return listAll[RoleAssignment](ctx, c, emRoleAssignmentsPath, q)
}

// ListRoleDefinitions lists the provider's role definitions; with name set, those whose display name
// equals it exactly (Graph filters on displayName, which may ignore case).
func (c *Client) ListRoleDefinitions(ctx context.Context, name string) ([]RoleDefinition, error) {
	var q url.Values
	if name != "" {
		q = url.Values{"$filter": {"displayName eq " + ODataString(name)}}
	}
	found, err := listAll[RoleDefinition](ctx, c, emRoleDefinitionsPath, q)
	if err != nil || name == "" {
		return found, err
	}
	exact := found[:0]
	for _, d := range found {
		if d.DisplayName == name {
			exact = append(exact, d)
		}
	}
	return exact, nil
}
