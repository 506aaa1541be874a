// Package policies is the tenant policies area of the emulator's Graph API: under
// /v1.0/policies the authorization policy singleton (guest and external collaboration
// settings), and under /beta/policies the B2B management policies (the invitation domain
// allow or block list, which v1.0 does not have). It registers its own routes with their
// permissions. It imports store, wire, odata and route.
package policies

import (
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
)

// API serves the policies routes.
type API struct {
	*route.Deps
}

// New returns the policies area of a server.
func New(d *route.Deps) *API { return &API{Deps: d} }

// Routes is the area's route table; each file adds the routes of its entity.
func (s *API) Routes() route.Table {
	var t route.Table
	s.authorizationPolicyRoutes(&t)
	s.b2bPolicyRoutes(&t)
	return t
}
