package entitlement

import (
	"errors"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
)

// What other areas of the local API (access reviews) do to assignments, through the same
// removal path as an adminRemove: the memberships the assignment granted go, and the external
// user lifecycle of the settings applies when it was the user's last assignment.

// LiveAssignment is an assignment that still grants access: its id and its target user.
type LiveAssignment struct {
	ID, TargetID string
}

// LiveAssignmentsOf lists the live assignments of an access package, of one of its policies
// when policyID is not empty, in the order they were made.
func (s *API) LiveAssignmentsOf(packageID, policyID string) ([]LiveAssignment, error) {
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return nil, err
	}
	var out []LiveAssignment
	for _, rec := range recs {
		if !isLiveAssignment(rec.Body) || !strings.EqualFold(PolicyPackageID(rec.Body), packageID) {
			continue
		}
		if policyID != "" && !strings.EqualFold(assignmentPolicyID(rec.Body), policyID) {
			continue
		}
		out = append(out, LiveAssignment{ID: rec.ID, TargetID: assignmentTargetID(rec.Body)})
	}
	return out, nil
}

// RemoveAssignmentLocked removes an assignment on behalf of another area (initiatedBy, with the
// reason for the audit trail), as an adminRemove does. It reports false when the assignment is
// gone already. Callers hold the write lock (Deps.WriteMu).
func (s *API) RemoveAssignmentLocked(id string, at time.Time, initiatedBy, reason string) (bool, error) {
	rec, err := s.Store.Get(collAssignments, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := s.removeAssignmentLocked(rec.ID); err != nil {
		return false, err
	}
	if err := s.Audit(route.AuditEntry{At: at, Activity: "assignmentRemoved", ObjectType: typeAssignment, ObjectID: rec.ID,
		InitiatedBy: initiatedBy, Reason: reason,
		Details: map[string]any{"targetId": assignmentTargetID(rec.Body), "accessPackageId": PolicyPackageID(rec.Body)}}); err != nil {
		return true, err
	}
	return true, s.afterAssignmentEndedLocked(rec.Body, at, "their last access package assignment was removed by an access review")
}
