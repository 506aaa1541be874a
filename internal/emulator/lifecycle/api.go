// Package lifecycle is the lifecycle workflows area of the emulator's Graph API (spec
// section 2): workflows with their tasks and versions, deleted items, task
// definitions, the settings singleton and the scope rule language. It registers its
// own routes (naming the broad and granular LifecycleWorkflows permissions they
// need). It imports store, wire, odata, route, identity, directory (groups and users
// tasks name) and entitlement (access packages and policies tasks name).
package lifecycle

import (
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
)

// API serves the lifecycle workflows routes.
type API struct {
	*route.Deps
}

// New returns the lifecycle area of a server.
func New(d *route.Deps) *API { return &API{Deps: d} }

// Routes is the area's route table; each file adds the routes of its entity.
func (s *API) Routes() route.Table {
	var t route.Table
	s.workflowRoutes(&t)
	s.settingsRoutes(&t)
	s.taskDefinitionControlRoutes(&t)
	s.customTaskExtensionRoutes(&t)
	return t
}
