package policies

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The authorization policy (https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy?view=graph-rest-1.0):
// a singleton that always exists, read with GET and changed with PATCH at /policies/authorizationPolicy.
// It is one document (collection AuthorizationPolicyCollection, id AuthorizationPolicyID) so that the
// control API can change it out of band; it is written with the defaults on first use, so a reset
// (which wipes the store) brings the defaults back.

const (
	// AuthorizationPolicyCollection and AuthorizationPolicyID name the document in the store (control API).
	AuthorizationPolicyCollection = "authorizationPolicy"
	// AuthorizationPolicyID is the singleton's id, as the get example answers it.
	AuthorizationPolicyID = "authorizationPolicy"

	typeAuthorizationPolicy       = "microsoft.graph.authorizationPolicy"
	typeDefaultUserRolePermission = "microsoft.graph.defaultUserRolePermissions"

	authorizationPolicyPath = "/v1.0/policies/authorizationPolicy"
)

// The guest user role template ids the reference supports for guestUserRoleId.
const (
	RoleUser                = "a0b1b346-4d3e-4e8b-98f8-753987be4970"
	RoleGuestUser           = "10dae51f-b6af-4016-8d66-8c2a99b929b3"
	RoleRestrictedGuestUser = "2af84b1e-32c8-42b7-82bc-daa82404023b"
)

var guestUserRoleIDs = []string{RoleUser, RoleGuestUser, RoleRestrictedGuestUser}

// allowInvitesFrom members, unknownFutureValue left out (CSDL: allowInvitesFrom).
var allowInvitesFromValues = []string{"none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone"}

// consentPolicyPrefix is the documented form of permissionGrantPoliciesAssigned values,
// managePermissionGrantsForSelf.{id} (defaultUserRolePermissions resource page).
const consentPolicyPrefix = "managePermissionGrantsForSelf."

// authorizationPolicyPermission: reads need Policy.Read.All or Policy.ReadWrite.Authorization,
// writes Policy.ReadWrite.Authorization (authorizationpolicy-get and -update pages).
func authorizationPolicyPermission(method string) route.Permission {
	if route.IsRead(method) {
		return route.Permission{AnyOf: []string{"Policy.Read.All", "Policy.ReadWrite.Authorization"}}
	}
	return route.Permission{AnyOf: []string{"Policy.ReadWrite.Authorization"}}
}

func (s *API) authorizationPolicyRoutes(t *route.Table) {
	t.Add(route.Graph, authorizationPolicyPermission, authorizationPolicyPath, map[string]route.Handler{
		http.MethodGet:   s.getAuthorizationPolicy,
		http.MethodPatch: s.updateAuthorizationPolicy,
	})
}

// DefaultAuthorizationPolicy is the policy of a new tenant (internal/emulator/README.md, "Tenant
// policies", gives each value its source).
func DefaultAuthorizationPolicy() map[string]any {
	return map[string]any{
		"id":                                     AuthorizationPolicyID,
		"displayName":                            "Authorization Policy",
		"description":                            "Used to manage authorization related settings across the company.",
		"allowInvitesFrom":                       "everyone",
		"allowedToSignUpEmailBasedSubscriptions": true,
		"allowedToUseSSPR":                       true,
		"allowEmailVerifiedUsersToJoinOrganization": true,
		"allowUserConsentForRiskyApps":              false,
		"blockMsolPowerShell":                       nil,
		"guestUserRoleId":                           RoleGuestUser,
		"defaultUserRolePermissions": map[string]any{
			"allowedToCreateApps":                      true,
			"allowedToCreateSecurityGroups":            true,
			"allowedToCreateTenants":                   true,
			"allowedToReadBitlockerKeysForOwnedDevice": true,
			"allowedToReadOtherUsers":                  true,
			"permissionGrantPoliciesAssigned":          []any{"ManagePermissionGrantsForSelf.microsoft-user-default-legacy"},
		},
	}
}

// authorizationPolicyLocked reads the singleton, writing the defaults first when the store has none
// (a new or reset tenant). Callers hold the write lock (Deps.WriteMu).
func (s *API) authorizationPolicyLocked() (map[string]any, error) {
	rec, err := s.Store.Get(AuthorizationPolicyCollection, AuthorizationPolicyID)
	if errors.Is(err, store.ErrNotFound) {
		doc := DefaultAuthorizationPolicy()
		// Backdated so that a ReadAfterCreateDelay fault never hides the tenant's own policy.
		if err := s.Store.Insert(AuthorizationPolicyCollection, AuthorizationPolicyID, doc, time.Unix(0, 0)); err != nil {
			return nil, err
		}
		return doc, nil
	}
	if err != nil {
		return nil, err
	}
	return rec.Body, nil
}

func (s *API) getAuthorizationPolicy(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	s.WriteMu.Lock()
	doc, err := s.authorizationPolicyLocked()
	s.WriteMu.Unlock()
	if err != nil {
		return err
	}
	out := wire.WithContext(wire.Public(doc), wire.BaseURL(r)+"/v1.0/$metadata#policies/authorizationPolicy/$entity")
	out["@odata.type"] = "#" + typeAuthorizationPolicy
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

func (s *API) updateAuthorizationPolicy(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, perms, err := parseAuthorizationPolicyPatch(body)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.authorizationPolicyLocked(); err != nil {
		return err
	}
	err = s.Store.Update(AuthorizationPolicyCollection, AuthorizationPolicyID, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		if perms != nil {
			// Members of defaultUserRolePermissions not sent keep their values (update page, Example 3).
			cur, _ := obj["defaultUserRolePermissions"].(map[string]any)
			merged := map[string]any{}
			for k, v := range cur {
				merged[k] = v
			}
			for k, v := range perms {
				merged[k] = v
			}
			obj["defaultUserRolePermissions"] = merged
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// parseAuthorizationPolicyPatch checks a PATCH body against the properties the update page lists;
// it returns the top-level values to write and, separately, the defaultUserRolePermissions members.
func parseAuthorizationPolicyPatch(body map[string]any) (map[string]any, map[string]any, error) {
	out := map[string]any{}
	var perms map[string]any
	for k, v := range body {
		var err error
		switch {
		case strings.Contains(k, "@"):
			// instance annotations
		case k == "id":
			if v != nil && !strings.EqualFold(fmt.Sprint(v), AuthorizationPolicyID) {
				err = wire.BadRequest(fmt.Sprintf("The read-only property 'id' cannot be changed (the policy id is '%s').", AuthorizationPolicyID))
			}
		case k == "deletedDateTime":
			// read-only (directoryObject); ignored
		case k == "defaultUserRolePermissions":
			perms, err = parseDefaultUserRolePermissions(v)
		default:
			out[k], err = authorizationPolicyValue(k, v)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return out, perms, nil
}

// authorizationPolicyValue checks one top-level property of a PATCH body.
func authorizationPolicyValue(k string, v any) (any, error) {
	switch k {
	case "allowedToSignUpEmailBasedSubscriptions", "allowedToUseSSPR", "allowEmailVerifiedUsersToJoinOrganization":
		return nonNullBool(k, v)
	case "allowUserConsentForRiskyApps", "blockMsolPowerShell":
		return nullableBool(k, v)
	case "allowInvitesFrom":
		s, err := nonNullString(k, v, "microsoft.graph.allowInvitesFrom")
		if err != nil {
			return nil, err
		}
		for _, m := range allowInvitesFromValues {
			if strings.EqualFold(m, strings.TrimSpace(s)) {
				return m, nil
			}
		}
		return nil, wire.BadEnum(k, s, allowInvitesFromValues)
	case "guestUserRoleId":
		return guestUserRole(v)
	case "displayName", "description":
		s, ok := v.(string)
		if !ok {
			return nil, wire.TypeError(k, v, "Edm.String")
		}
		return s, nil
	}
	return nil, wire.UnknownProperty(k, typeAuthorizationPolicy)
}

// guestUserRole checks guestUserRoleId: one of the three supported role template ids, stored lower case.
func guestUserRole(v any) (any, error) {
	const k = "guestUserRoleId"
	s, err := nonNullString(k, v, "Edm.Guid")
	if err != nil {
		return nil, err
	}
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, wire.TypeError(k, v, "Edm.Guid")
	}
	role := strings.ToLower(id.String())
	for _, g := range guestUserRoleIDs {
		if g == role {
			return role, nil
		}
	}
	return nil, wire.BadRequest(fmt.Sprintf("Invalid value for property '%s': '%s' is not a supported guest user role; "+
		"use %s (User), %s (Guest User) or %s (Restricted Guest User).", k, s, RoleUser, RoleGuestUser, RoleRestrictedGuestUser))
}

// parseDefaultUserRolePermissions checks a defaultUserRolePermissions value (CSDL:
// defaultUserRolePermissions; three booleans are Nullable="false"; the value itself is not nullable).
func parseDefaultUserRolePermissions(v any) (map[string]any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return nil, wire.BadRequest("Invalid value for property 'defaultUserRolePermissions': a null value is not allowed.")
		}
		return nil, wire.TypeError("defaultUserRolePermissions", v, typeDefaultUserRolePermission)
	}
	out := map[string]any{}
	for k, v := range obj {
		if strings.Contains(k, "@") {
			continue
		}
		at := "defaultUserRolePermissions." + k
		var err error
		switch k {
		case "allowedToCreateApps", "allowedToCreateSecurityGroups", "allowedToReadOtherUsers":
			out[k], err = nonNullBool(at, v)
		case "allowedToCreateTenants", "allowedToReadBitlockerKeysForOwnedDevice":
			out[k], err = nullableBool(at, v)
		case "permissionGrantPoliciesAssigned":
			out[k], err = consentPolicies(at, v)
		default:
			err = wire.UnknownProperty(k, typeDefaultUserRolePermission)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// consentPolicies checks permissionGrantPoliciesAssigned: strings of the form managePermissionGrantsForSelf.{id}.
func consentPolicies(at string, v any) ([]any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, wire.TypeError(at, v, "Collection(Edm.String)")
	}
	vals := make([]any, 0, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, wire.TypeError(fmt.Sprintf("%s[%d]", at, i), item, "Edm.String")
		}
		if len(s) <= len(consentPolicyPrefix) || !strings.EqualFold(s[:len(consentPolicyPrefix)], consentPolicyPrefix) {
			return nil, wire.BadRequest(fmt.Sprintf("Invalid value for property '%s[%d]': '%s' is not of the form 'managePermissionGrantsForSelf.{id}'.", at, i, s))
		}
		vals = append(vals, s)
	}
	return vals, nil
}

func nullableBool(name string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, ok := v.(bool)
	if !ok {
		return nil, wire.TypeError(name, v, "Edm.Boolean")
	}
	return b, nil
}

func nonNullString(name string, v any, edm string) (string, error) {
	s, ok := v.(string)
	if !ok {
		if v == nil {
			return "", wire.BadRequest(fmt.Sprintf("Invalid value for property '%s': a null value is not allowed.", name))
		}
		return "", wire.TypeError(name, v, edm)
	}
	return s, nil
}

func nonNullBool(name string, v any) (bool, error) {
	if v == nil {
		return false, wire.BadRequest(fmt.Sprintf("Invalid value for property '%s': a null value is not allowed.", name))
	}
	b, ok := v.(bool)
	if !ok {
		return false, wire.TypeError(name, v, "Edm.Boolean")
	}
	return b, nil
}
