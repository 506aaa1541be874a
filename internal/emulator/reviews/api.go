// Package reviews is the access reviews area of the emulator's Graph API: the
// accessReviewScheduleDefinition collection under /identityGovernance/accessReviews/definitions
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewscheduledefinition?view=graph-rest-1.0),
// with the AccessReview.Read.All / AccessReview.ReadWrite.All permissions its pages name, and the
// time-driven part: instances opened on the local API's clock, their decision items, and the
// decisions applied when an instance ends (instances.go, decisions.go, close.go). It imports store,
// wire, odata, route, identity (the caller that becomes createdBy), directory (the members under
// review) and entitlement (the assignments under review, removed through its own removal path).
package reviews

import (
	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
)

// Definitions is the store collection of access review schedule definitions, for the control API
// (PATCH /_emulator/objects/accessReviewDefinitions/{id}).
const Definitions = "accessReviewDefinitions"

const prefix = "/v1.0/identityGovernance/accessReviews"

// permission: reads need AccessReview.Read.All (or ReadWrite), writes AccessReview.ReadWrite.All
// (https://learn.microsoft.com/en-us/graph/api/accessreviewset-post-definitions?view=graph-rest-1.0).
var permission = route.ReadWrite("AccessReview")

// API serves the access reviews routes.
type API struct {
	*route.Deps
	dir *directory.API
	ent *entitlement.API
}

// New returns the access reviews area of a server.
func New(d *route.Deps) *API { return &API{Deps: d} }

// Connect gives the area the directory and entitlement management it reviews and acts on.
// The policies' reviewSettings become read-only definitions (policy_reviews.go).
func (s *API) Connect(dir *directory.API, ent *entitlement.API) {
	s.dir, s.ent = dir, ent
	ent.OnPolicyChanged(s.SyncPolicyReviewLocked)
}

// Routes is the area's route table.
func (s *API) Routes() route.Table {
	var t route.Table
	s.definitionRoutes(&t)
	s.instanceRoutes(&t)
	return t
}
