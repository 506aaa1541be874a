package graph

import (
	"context"
	"net/http"
)

const emSettingsPath = emPath + "/settings"

// EntitlementManagementSettings is the tenant-wide settings singleton (spec 1.9).
type EntitlementManagementSettings struct {
	ID                                           string `json:"id,omitempty"`
	ExternalUserLifecycleAction                  string `json:"externalUserLifecycleAction,omitempty"`
	DurationUntilExternalUserDeletedAfterBlocked string `json:"durationUntilExternalUserDeletedAfterBlocked,omitempty"`
}

// External user lifecycle actions, and the tenant defaults a reset restores (spec 1.9 [U]).
var ExternalUserLifecycleActions = []string{"none", "blockSignIn", "blockSignInAndDelete"}

// Defaults of the settings singleton in a new tenant.
const (
	DefaultExternalUserLifecycleAction = "blockSignInAndDelete"
	DefaultExternalUserDeletionDelay   = "P30D"
)

// GetEntitlementManagementSettings reads the singleton.
func (c *Client) GetEntitlementManagementSettings(ctx context.Context) (*EntitlementManagementSettings, error) {
	var out EntitlementManagementSettings
	if err := c.do(ctx, request{method: http.MethodGet, path: emSettingsPath}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateEntitlementManagementSettings patches the singleton; Graph answers 204.
func (c *Client) UpdateEntitlementManagementSettings(ctx context.Context, in EntitlementManagementSettings) error {
	in.ID = ""
	return c.do(ctx, request{method: http.MethodPatch, path: emSettingsPath, body: in}, nil)
}
