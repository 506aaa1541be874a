// Package entitlement is the entitlement management area of the emulator's Graph API
// (spec section 1): catalogs and their resources, access packages, resource role
// scopes, incompatibilities, assignment policies, custom extensions, connected
// organizations, assignment requests and assignments, and the settings singleton.
// It registers its own routes (with their permission) and its $expand navigations.
// It imports store, wire, odata, route, identity and directory (group membership of
// delivered assignments, directory references in policies and sponsors).
package entitlement

import (
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/google/uuid"
)

// permission is what every entitlement management route needs (spec 3.7).
var permission = route.ReadWrite("EntitlementManagement")

// API serves the entitlement management routes.
type API struct {
	*route.Deps
	dir *directory.API

	// configuredDelay is Config.DeliveryDelay; em holds the run-time override.
	configuredDelay time.Duration
	em              deliverySettings
	// policyCreates holds the packages with a policy create in progress (PolicyCreateConflict fault).
	policyCreates inflightSet
	// policyHooks are told of every policy made, replaced or deleted (policy_hooks.go).
	policyHooks []PolicyHook
}

// New returns the entitlement area of a server; deliveryDelay is
// emulator.Config.DeliveryDelay.
func New(d *route.Deps, dir *directory.API, deliveryDelay time.Duration) *API {
	return &API{Deps: d, dir: dir, configuredDelay: deliveryDelay}
}

// Routes is the area's route table, control endpoints (links, sponsors) included;
// each file adds the routes of its entity.
func (s *API) Routes() route.Table {
	var t route.Table
	s.catalogRoutes(&t)
	s.resourceRoutes(&t)
	s.accessPackageRoutes(&t)
	s.roleScopeRoutes(&t)
	s.incompatibleRoutes(&t)
	s.policyRoutes(&t)
	s.customExtensionRoutes(&t)
	s.connectedOrgRoutes(&t)
	s.settingsRoutes(&t)
	s.assignmentRoutes(&t)
	s.assignmentReprocessRoutes(&t)
	s.roleManagementRoutes(&t)
	return t
}

// Seed writes the built-in General catalog of a new tenant.
func (s *API) Seed() error {
	now := s.Timestamp()
	general := map[string]any{
		"id":                  uuid.NewString(),
		"displayName":         "General",
		"description":         "Built-in catalog.",
		"catalogType":         "serviceDefault",
		"state":               "published",
		"isExternallyVisible": true,
		"createdDateTime":     now,
		"modifiedDateTime":    now,
	}
	// Backdate the seed so a ReadAfterCreateDelay fault never hides it.
	if err := s.Store.Insert(Catalogs, general["id"].(string), general, time.Unix(0, 0)); err != nil {
		return err
	}
	return s.seedPartnerTenants()
}
