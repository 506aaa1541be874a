package graph

import (
	"context"
	"net/http"
	"net/url"
)

// Cross-tenant access settings: the tenant's default configuration and its partner configurations
// (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicy-overview?view=graph-rest-1.0).
const (
	crossTenantAccessPath        = "/policies/crossTenantAccessPolicy"
	crossTenantAccessDefaultPath = crossTenantAccessPath + "/default"
	crossTenantAccessPartnerPath = crossTenantAccessPath + "/partners"
)

// CrossTenantAccessTarget is a crossTenantAccessPolicyTarget: an object id or a keyword, and its type.
type CrossTenantAccessTarget struct {
	Target     string `json:"target"`
	TargetType string `json:"targetType"`
}

// CrossTenantAccessTargetConfiguration is a crossTenantAccessPolicyTargetConfiguration.
type CrossTenantAccessTargetConfiguration struct {
	AccessType string                    `json:"accessType"`
	Targets    []CrossTenantAccessTarget `json:"targets"`
}

// CrossTenantAccessB2BSetting is a crossTenantAccessPolicyB2BSetting (also the shape of tenant
// restrictions, crossTenantAccessPolicyTenantRestrictions, without its devices filter). A nil part is
// sent as null: in a partner configuration it inherits the default.
type CrossTenantAccessB2BSetting struct {
	UsersAndGroups *CrossTenantAccessTargetConfiguration `json:"usersAndGroups"`
	Applications   *CrossTenantAccessTargetConfiguration `json:"applications"`
}

// CrossTenantAccessInboundTrust is a crossTenantAccessPolicyInboundTrust; nil is null.
type CrossTenantAccessInboundTrust struct {
	IsMfaAccepted                       *bool `json:"isMfaAccepted"`
	IsCompliantDeviceAccepted           *bool `json:"isCompliantDeviceAccepted"`
	IsHybridAzureADJoinedDeviceAccepted *bool `json:"isHybridAzureADJoinedDeviceAccepted"`
}

// InboundOutboundPolicyConfiguration is the automatic user consent setting; nil is null.
type InboundOutboundPolicyConfiguration struct {
	InboundAllowed  *bool `json:"inboundAllowed"`
	OutboundAllowed *bool `json:"outboundAllowed"`
}

// InvitationRedemptionIdentityProviderConfiguration is the default configuration's
// defaultInvitationRedemptionIdentityProviderConfiguration.
type InvitationRedemptionIdentityProviderConfiguration struct {
	PrimaryIdentityProviderPrecedenceOrder []string `json:"primaryIdentityProviderPrecedenceOrder,omitempty"`
	FallbackIdentityProvider               string   `json:"fallbackIdentityProvider,omitempty"`
}

// Allowed values of the cross-tenant access settings (v1.0 metadata; unknownFutureValue left out).
var (
	CrossTenantAccessTypes       = []string{"allowed", "blocked"}
	CrossTenantAccessTargetTypes = []string{"user", "group", "application"}
	// The primary and the fallback identity providers of invitation redemption
	// (https://learn.microsoft.com/en-us/graph/api/resources/defaultinvitationredemptionidentityproviderconfiguration?view=graph-rest-1.0).
	PrimaryIdentityProviders  = []string{"azureActiveDirectory", "externalFederation", "socialIdentityProviders"}
	FallbackIdentityProviders = []string{"defaultConfiguredIdp", "emailOneTimePasscode", "microsoftAccount"}
)

// CrossTenantAccessPartner is a crossTenantAccessPolicyConfigurationPartner. Every settings property is
// sent, null when nil, so that an update also clears what the configuration no longer sets (null
// inherits the default configuration). The two flags are read-only and never sent.
type CrossTenantAccessPartner struct {
	TenantID                     string                              `json:"tenantId,omitempty"`
	AutomaticUserConsentSettings *InboundOutboundPolicyConfiguration `json:"automaticUserConsentSettings"`
	B2BCollaborationInbound      *CrossTenantAccessB2BSetting        `json:"b2bCollaborationInbound"`
	B2BCollaborationOutbound     *CrossTenantAccessB2BSetting        `json:"b2bCollaborationOutbound"`
	B2BDirectConnectInbound      *CrossTenantAccessB2BSetting        `json:"b2bDirectConnectInbound"`
	B2BDirectConnectOutbound     *CrossTenantAccessB2BSetting        `json:"b2bDirectConnectOutbound"`
	InboundTrust                 *CrossTenantAccessInboundTrust      `json:"inboundTrust"`
	TenantRestrictions           *CrossTenantAccessB2BSetting        `json:"tenantRestrictions"`
	IsServiceProvider            *bool                               `json:"isServiceProvider,omitempty"`
	IsInMultiTenantOrganization  *bool                               `json:"isInMultiTenantOrganization,omitempty"`
}

func crossTenantAccessPartnerURL(tenantID string) string {
	return crossTenantAccessPartnerPath + "/" + url.PathEscape(tenantID)
}

// CreateCrossTenantAccessPartner creates the configuration of in.TenantID (Graph answers 201 with it,
// https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicy-post-partners?view=graph-rest-1.0).
// The tenant id is the natural key: when the answer is lost, the configuration is read back and
// adopted if it is there, and created again if Graph answers that it is not.
func (c *Client) CreateCrossTenantAccessPartner(ctx context.Context, in CrossTenantAccessPartner) (*CrossTenantAccessPartner, error) {
	in.IsServiceProvider, in.IsInMultiTenantOrganization = nil, nil
	var out CrossTenantAccessPartner
	err := c.do(ctx, request{method: http.MethodPost, path: crossTenantAccessPartnerPath, body: in}, &out)
	if IsAmbiguous(err) {
		got, readErr := c.GetCrossTenantAccessPartner(ctx, in.TenantID)
		switch {
		case readErr == nil:
			return got, nil
		case IsNotFound(readErr):
			err = c.do(ctx, request{method: http.MethodPost, path: crossTenantAccessPartnerPath, body: in}, &out)
			if IsConflict(err) {
				// The lost attempt was applied after all: Graph lists a new configuration only a moment
				// later (replication), so the read missed it and the second attempt met it. The tenant id
				// is the configuration's key, so it is the one just made.
				var got *CrossTenantAccessPartner
				if waitErr := c.WaitForExistence(ctx, func(ctx context.Context) (err error) {
					got, err = c.GetCrossTenantAccessPartner(ctx, in.TenantID)
					return err
				}); waitErr == nil {
					return got, nil
				}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetCrossTenantAccessPartner reads the configuration of a partner tenant.
func (c *Client) GetCrossTenantAccessPartner(ctx context.Context, tenantID string) (*CrossTenantAccessPartner, error) {
	var out CrossTenantAccessPartner
	if err := c.do(ctx, request{method: http.MethodGet, path: crossTenantAccessPartnerURL(tenantID)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateCrossTenantAccessPartner patches every settings property of a partner configuration; Graph
// answers 204.
func (c *Client) UpdateCrossTenantAccessPartner(ctx context.Context, tenantID string, in CrossTenantAccessPartner) error {
	in.TenantID, in.IsServiceProvider, in.IsInMultiTenantOrganization = "", nil, nil
	return c.do(ctx, request{method: http.MethodPatch, path: crossTenantAccessPartnerURL(tenantID), body: in}, nil)
}

// DeleteCrossTenantAccessPartner deletes a partner configuration; one already gone counts as deleted.
func (c *Client) DeleteCrossTenantAccessPartner(ctx context.Context, tenantID string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: crossTenantAccessPartnerURL(tenantID)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// CrossTenantAccessDefault is the crossTenantAccessPolicyConfigurationDefault singleton. In an update a
// nil property is left out (left as it is); automaticUserConsentSettings and isServiceDefault are
// read-only and never sent.
type CrossTenantAccessDefault struct {
	ID                                                string                                             `json:"id,omitempty"`
	IsServiceDefault                                  *bool                                              `json:"isServiceDefault,omitempty"`
	AutomaticUserConsentSettings                      *InboundOutboundPolicyConfiguration                `json:"automaticUserConsentSettings,omitempty"`
	B2BCollaborationInbound                           *CrossTenantAccessB2BSetting                       `json:"b2bCollaborationInbound,omitempty"`
	B2BCollaborationOutbound                          *CrossTenantAccessB2BSetting                       `json:"b2bCollaborationOutbound,omitempty"`
	B2BDirectConnectInbound                           *CrossTenantAccessB2BSetting                       `json:"b2bDirectConnectInbound,omitempty"`
	B2BDirectConnectOutbound                          *CrossTenantAccessB2BSetting                       `json:"b2bDirectConnectOutbound,omitempty"`
	InboundTrust                                      *CrossTenantAccessInboundTrust                     `json:"inboundTrust,omitempty"`
	TenantRestrictions                                *CrossTenantAccessB2BSetting                       `json:"tenantRestrictions,omitempty"`
	InvitationRedemptionIdentityProviderConfiguration *InvitationRedemptionIdentityProviderConfiguration `json:"invitationRedemptionIdentityProviderConfiguration,omitempty"`
}

// GetCrossTenantAccessDefault reads the default configuration.
func (c *Client) GetCrossTenantAccessDefault(ctx context.Context) (*CrossTenantAccessDefault, error) {
	var out CrossTenantAccessDefault
	if err := c.do(ctx, request{method: http.MethodGet, path: crossTenantAccessDefaultPath}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateCrossTenantAccessDefault patches the default configuration; Graph answers 204
// (https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicyconfigurationdefault-update?view=graph-rest-1.0).
func (c *Client) UpdateCrossTenantAccessDefault(ctx context.Context, in CrossTenantAccessDefault) error {
	in.ID, in.IsServiceDefault, in.AutomaticUserConsentSettings = "", nil, nil
	return c.do(ctx, request{method: http.MethodPatch, path: crossTenantAccessDefaultPath, body: in}, nil)
}

// ResetCrossTenantAccessDefault restores the system default configuration (resetToSystemDefault, 204:
// https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicyconfigurationdefault-resettosystemdefault?view=graph-rest-1.0).
// The action is idempotent, so a lost answer is retried once.
func (c *Client) ResetCrossTenantAccessDefault(ctx context.Context) error {
	err := c.do(ctx, request{method: http.MethodPost, path: crossTenantAccessDefaultPath + "/resetToSystemDefault"}, nil)
	if IsAmbiguous(err) {
		err = c.do(ctx, request{method: http.MethodPost, path: crossTenantAccessDefaultPath + "/resetToSystemDefault"}, nil)
	}
	return err
}
