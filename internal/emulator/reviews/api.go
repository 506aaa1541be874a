// Package reviews is the access reviews area of the emulator's Graph API: the
// accessReviewScheduleDefinition collection under /identityGovernance/accessReviews/definitions
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewscheduledefinition?view=graph-rest-1.0),
// with the AccessReview.Read.All / AccessReview.ReadWrite.All permissions its pages name. It holds
// definitions only: instances and decisions (the time-driven part) are not served. It imports store,
// wire, odata, route and identity (the caller that becomes createdBy).
package reviews

import (
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
}

// New returns the access reviews area of a server.
func New(d *route.Deps) *API { return &API{Deps: d} }

// Routes is the area's route table.
func (s *API) Routes() route.Table {
	var t route.Table
	s.definitionRoutes(&t)
	return t
}
