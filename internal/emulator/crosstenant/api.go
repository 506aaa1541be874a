// Package crosstenant is the cross-tenant access area of the emulator's Graph API: the tenant's
// default configuration (a singleton, https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicyconfigurationdefault?view=graph-rest-1.0)
// and its partner-specific configurations, keyed by the partner's tenant id
// (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicyconfigurationpartner?view=graph-rest-1.0).
// It registers its own routes with the Policy permissions they need. It imports store, wire and route.
package crosstenant

import (
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
)

const policyPath = "/v1.0/policies/crossTenantAccessPolicy"

// permission: reads need Policy.Read.All or Policy.ReadWrite.CrossTenantAccess, writes the latter
// (the permission tables of https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicyconfigurationdefault-get?view=graph-rest-1.0
// and https://learn.microsoft.com/en-us/graph/api/crosstenantaccesspolicy-post-partners?view=graph-rest-1.0).
func permission(method string) route.Permission {
	if route.IsRead(method) {
		return route.Permission{AnyOf: []string{"Policy.Read.All", "Policy.ReadWrite.CrossTenantAccess"}}
	}
	return route.Permission{AnyOf: []string{"Policy.ReadWrite.CrossTenantAccess"}}
}

// API serves the cross-tenant access routes.
type API struct {
	*route.Deps
}

// New returns the cross-tenant access area of a server.
func New(d *route.Deps) *API { return &API{Deps: d} }

// Routes is the area's route table; each file adds the routes of its entity.
func (s *API) Routes() route.Table {
	var t route.Table
	s.defaultRoutes(&t)
	s.partnerRoutes(&t)
	return t
}
