package graph

import (
	"context"
	"net/http"
)

// authorizationPolicyPath is the tenant's authorization policy, a singleton that always exists
// (https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy?view=graph-rest-1.0).
const authorizationPolicyPath = "/policies/authorizationPolicy"

// AuthorizationPolicyID is the id Graph gives the singleton (authorizationpolicy-get example).
const AuthorizationPolicyID = "authorizationPolicy"

// AuthorizationPolicy is the authorization policy: who may invite guests, the guests' role, self-service
// sign-up and password reset, and what the default user role may do. As a PATCH body, every nil field
// is left out and keeps the value Graph holds (authorizationpolicy-update: properties not sent keep their
// values); the nullable booleans are sent as set.
type AuthorizationPolicy struct {
	ID                                        string                      `json:"id,omitempty"`
	DisplayName                               *string                     `json:"displayName,omitempty"`
	Description                               *string                     `json:"description,omitempty"`
	AllowInvitesFrom                          *string                     `json:"allowInvitesFrom,omitempty"`
	AllowedToSignUpEmailBasedSubscriptions    *bool                       `json:"allowedToSignUpEmailBasedSubscriptions,omitempty"`
	AllowedToUseSSPR                          *bool                       `json:"allowedToUseSSPR,omitempty"`
	AllowEmailVerifiedUsersToJoinOrganization *bool                       `json:"allowEmailVerifiedUsersToJoinOrganization,omitempty"`
	AllowUserConsentForRiskyApps              *bool                       `json:"allowUserConsentForRiskyApps,omitempty"`
	BlockMsolPowerShell                       *bool                       `json:"blockMsolPowerShell,omitempty"`
	GuestUserRoleID                           *string                     `json:"guestUserRoleId,omitempty"`
	DefaultUserRolePermissions                *DefaultUserRolePermissions `json:"defaultUserRolePermissions,omitempty"`
}

// DefaultUserRolePermissions is what members with the default user role may do. As a PATCH body, nil
// members are left out; the local API and the update page's examples send single members.
type DefaultUserRolePermissions struct {
	AllowedToCreateApps                      *bool     `json:"allowedToCreateApps,omitempty"`
	AllowedToCreateSecurityGroups            *bool     `json:"allowedToCreateSecurityGroups,omitempty"`
	AllowedToCreateTenants                   *bool     `json:"allowedToCreateTenants,omitempty"`
	AllowedToReadBitlockerKeysForOwnedDevice *bool     `json:"allowedToReadBitlockerKeysForOwnedDevice,omitempty"`
	AllowedToReadOtherUsers                  *bool     `json:"allowedToReadOtherUsers,omitempty"`
	PermissionGrantPoliciesAssigned          *[]string `json:"permissionGrantPoliciesAssigned,omitempty"`
}

// AllowInvitesFromValues are the members of allowInvitesFrom a client may set (CSDL: allowInvitesFrom,
// without unknownFutureValue).
var AllowInvitesFromValues = []string{"none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone"}

// The role template ids guestUserRoleId supports (authorizationPolicy resource page).
const (
	GuestRoleUser                = "a0b1b346-4d3e-4e8b-98f8-753987be4970"
	GuestRoleGuestUser           = "10dae51f-b6af-4016-8d66-8c2a99b929b3"
	GuestRoleRestrictedGuestUser = "2af84b1e-32c8-42b7-82bc-daa82404023b"
)

// ConsentPolicyPrefix starts every permissionGrantPoliciesAssigned value, managePermissionGrantsForSelf.{id}
// (defaultUserRolePermissions resource page).
const ConsentPolicyPrefix = "managePermissionGrantsForSelf."

// GetAuthorizationPolicy reads the singleton.
func (c *Client) GetAuthorizationPolicy(ctx context.Context) (*AuthorizationPolicy, error) {
	var out AuthorizationPolicy
	if err := c.do(ctx, request{method: http.MethodGet, path: authorizationPolicyPath}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateAuthorizationPolicy patches the singleton with the fields that are set; Graph answers 204.
func (c *Client) UpdateAuthorizationPolicy(ctx context.Context, in AuthorizationPolicy) error {
	in.ID = ""
	return c.do(ctx, request{method: http.MethodPatch, path: authorizationPolicyPath, body: in}, nil)
}

// DefaultAuthorizationPolicy is what destroying entragov_external_collaboration_settings writes back:
// the documented defaults (allowInvitesFrom everyone: authorizationPolicy resource page;
// allowUserConsentForRiskyApps false: authorizationpolicy-update page) and the values the get example
// shows for an untouched tenant; the guest role and the two nullable default user permissions take the
// Microsoft Entra defaults (Guest User; tenant creation and BitLocker key reads allowed). blockMsolPowerShell
// (null in the example) and the consent policies (no documented default) are left as they are.
func DefaultAuthorizationPolicy() AuthorizationPolicy {
	yes, no := true, false
	str := func(s string) *string { return &s }
	return AuthorizationPolicy{
		DisplayName:      str("Authorization Policy"),
		Description:      str("Used to manage authorization related settings across the company."),
		AllowInvitesFrom: str("everyone"),
		GuestUserRoleID:  str(GuestRoleGuestUser),
		AllowEmailVerifiedUsersToJoinOrganization: &yes,
		AllowedToSignUpEmailBasedSubscriptions:    &yes,
		AllowedToUseSSPR:                          &yes,
		AllowUserConsentForRiskyApps:              &no,
		DefaultUserRolePermissions: &DefaultUserRolePermissions{
			AllowedToCreateApps:                      &yes,
			AllowedToCreateSecurityGroups:            &yes,
			AllowedToCreateTenants:                   &yes,
			AllowedToReadBitlockerKeysForOwnedDevice: &yes,
			AllowedToReadOtherUsers:                  &yes,
		},
	}
}
