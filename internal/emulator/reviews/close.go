package reviews

import (
	"errors"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The end of an instance: Completed at its endDateTime (or when stopped), the default decision
// given to the principals nobody reviewed, and with autoApplyDecisionsEnabled the decisions
// applied at once (Applied). Applying a Deny removes the access under review: the group
// membership, or the access package assignment through entitlement management's own removal
// (so its external user lifecycle follows); with disableAndDeleteUserApplyAction a denied guest
// is also disabled and deleted 30 days later
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewschedulesettings?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/resources/disableanddeleteuserapplyaction?view=graph-rest-1.0).

const (
	// collGuestDeletions holds the guests an access review disabled, waiting for deletion: id is
	// the user id, body {userId, definitionId, blockedDateTime, deleteDateTime}.
	collGuestDeletions = "_accessReviewGuestDeletions"

	// guestDeletionDelay: "disable a denied B2B guest user for 30 days and then delete their account".
	guestDeletionDelay = 30 * 24 * time.Hour

	typeInstance = "microsoft.graph.accessReviewInstance"
)

func settingsOf(def map[string]any) map[string]any {
	settings, _ := def["settings"].(map[string]any)
	return settings
}

func flag(settings map[string]any, k string) bool {
	b, _ := settings[k].(bool)
	return b
}

// closeInstanceLocked completes an InProgress instance at `at`. Callers hold the write lock.
func (s *API) closeInstanceLocked(instID string, at time.Time, reason string) error {
	inst, err := s.Store.Get(Instances, instID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || wire.StrField(inst.Body, "status") != statusInProgress {
		return err
	}
	if err := s.Store.Update(Instances, inst.ID, func(obj map[string]any) error {
		obj["status"] = statusCompleted
		if end, err := time.Parse(time.RFC3339Nano, wire.StrField(obj, "endDateTime")); err == nil && at.Before(end) {
			obj["endDateTime"] = wire.FormatTimestamp(at) // stopped early
		}
		return nil
	}); err != nil {
		return err
	}
	def, err := s.Store.Get(Definitions, wire.StrField(inst.Body, ifDefinitionID))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	settings := settingsOf(def.Body)
	defaulted := 0
	if flag(settings, "defaultDecisionEnabled") {
		if defaulted, err = s.defaultDecisionsLocked(inst.ID, wire.StrField(settings, "defaultDecision"), at); err != nil {
			return err
		}
	}
	if err := s.Audit(route.AuditEntry{At: at, Activity: "accessReviewInstanceCompleted", ObjectType: typeInstance, ObjectID: inst.ID,
		InitiatedBy: auditActor, Reason: reason,
		Details: map[string]any{"definitionId": def.ID, "defaultDecision": wire.StrField(settings, "defaultDecision"), "decisionsDefaulted": defaulted}}); err != nil {
		return err
	}
	if flag(settings, "autoApplyDecisionsEnabled") {
		return s.applyLocked(inst.ID, at, "", "the instance completed and the access review applies its decisions automatically (autoApplyDecisionsEnabled)")
	}
	return nil
}

// defaultDecisionsLocked gives the decisions nobody recorded the default decision: Approve or
// Deny, or the recommendation when it is Recommendation (a recommendation of neither leaves the
// decision NotReviewed); None changes nothing.
func (s *API) defaultDecisionsLocked(instID, defaultDecision string, at time.Time) (int, error) {
	recs, err := s.decisionsOf(instID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, rec := range recs {
		if wire.StrField(rec.Body, "decision") != decisionNotReviewed {
			continue
		}
		d := defaultDecision
		if strings.EqualFold(d, "Recommendation") {
			d = wire.StrField(rec.Body, "recommendation")
		}
		switch {
		case strings.EqualFold(d, decisionApprove):
			d = decisionApprove
		case strings.EqualFold(d, decisionDeny):
			d = decisionDeny
		default:
			continue
		}
		if err := s.Store.Update(Decisions, rec.ID, func(obj map[string]any) error {
			obj["decision"] = d
			obj["justification"] = "Default decision of the access review: nobody reviewed this access."
			obj["reviewedDateTime"] = wire.FormatTimestamp(at)
			return nil
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// applyLocked applies a Completed instance's decisions and marks it Applied. appliedBy is the
// caller of applyDecisions, empty when the service applies them on its own.
func (s *API) applyLocked(instID string, at time.Time, appliedBy, reason string) error {
	inst, err := s.Store.Get(Instances, instID)
	if err != nil {
		return err
	}
	var settings map[string]any
	if def, err := s.Store.Get(Definitions, wire.StrField(inst.Body, ifDefinitionID)); err == nil {
		settings = settingsOf(def.Body)
	}
	disableGuests := false
	for _, x := range wire.AnySlice(settings["applyActions"]) {
		m, _ := x.(map[string]any)
		if strings.HasSuffix(wire.StrField(m, "@odata.type"), actionDisable) {
			disableGuests = true
		}
	}
	recs, err := s.decisionsOf(inst.ID)
	if err != nil {
		return err
	}
	by := nobody()
	if appliedBy != "" {
		by["id"] = appliedBy
	}
	for _, rec := range recs {
		result := applyNew
		switch wire.StrField(rec.Body, "decision") {
		case decisionApprove:
			result = applySuccess // the access stays
		case decisionDeny:
			if result, err = s.removeAccessLocked(inst, rec, at, disableGuests, reason); err != nil {
				return err
			}
		default:
			continue // nothing decided: nothing to apply
		}
		if err := s.Store.Update(Decisions, rec.ID, func(obj map[string]any) error {
			obj["applyResult"], obj["appliedDateTime"], obj["appliedBy"] = result, wire.FormatTimestamp(at), by
			return nil
		}); err != nil {
			return err
		}
	}
	return s.Store.Update(Instances, inst.ID, func(obj map[string]any) error {
		obj["status"] = statusApplied
		return nil
	})
}

// removeAccessLocked takes away what a denied decision reviews and answers its applyResult.
func (s *API) removeAccessLocked(inst, dec *store.Record, at time.Time, disableGuests bool, reason string) (string, error) {
	principalID := wire.StrField(dec.Body["principal"].(map[string]any), "id")
	result := applyNotSupported
	why := "denied in access review instance " + inst.ID + ": " + reason
	switch {
	case wire.StrField(dec.Body, ifAssignmentID) != "" && s.ent != nil:
		removed, err := s.ent.RemoveAssignmentLocked(wire.StrField(dec.Body, ifAssignmentID), at, auditActor, why)
		if err != nil {
			return "", err
		}
		result = applyObjectNotFound
		if removed {
			result = applySuccess
		}
	case wire.StrField(inst.Body, ifResourceGroupID) != "" && s.dir != nil:
		gid := wire.StrField(inst.Body, ifResourceGroupID)
		err := s.dir.RemoveGroupMember(gid, principalID)
		switch {
		case errors.Is(err, directory.ErrDynamicGroup):
			result = applyNotSupported
		case errors.Is(err, store.ErrNotFound), errors.Is(err, directory.ErrNotMember):
			result = applyObjectNotFound
		case err != nil:
			return "", err
		default:
			result = applySuccess
			if err := s.Audit(route.AuditEntry{At: at, Activity: "groupMemberRemoved", ObjectType: "microsoft.graph.group", ObjectID: gid,
				InitiatedBy: auditActor, Reason: why,
				Details: map[string]any{"memberId": principalID, "instanceId": inst.ID, "decisionId": dec.ID}}); err != nil {
				return "", err
			}
		}
	}
	if disableGuests {
		if err := s.disableGuestLocked(principalID, wire.StrField(inst.Body, ifDefinitionID), at, why); err != nil {
			return "", err
		}
	}
	return result, nil
}

// disableGuestLocked disables a denied guest and registers their deletion 30 days later; members
// are never touched.
func (s *API) disableGuestLocked(userID, defID string, at time.Time, why string) error {
	u, err := s.Store.Get(directory.Users, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || !strings.EqualFold(wire.StrField(u.Body, "userType"), "Guest") {
		return err
	}
	if err := s.Store.Update(directory.Users, u.ID, func(obj map[string]any) error {
		obj["accountEnabled"] = false
		return nil
	}); err != nil {
		return err
	}
	deleteAt := at.Add(guestDeletionDelay)
	_ = s.Store.Delete(collGuestDeletions, u.ID)
	mark := map[string]any{"userId": u.ID, "definitionId": defID, "blockedDateTime": wire.FormatTimestamp(at), "deleteDateTime": wire.FormatTimestamp(deleteAt)}
	if err := s.Store.Insert(collGuestDeletions, u.ID, mark, at); err != nil {
		return err
	}
	s.scheduleGuestDeletion(u.ID, deleteAt)
	return s.Audit(route.AuditEntry{At: at, Activity: "guestDisabled", ObjectType: "microsoft.graph.user", ObjectID: u.ID,
		InitiatedBy: auditActor, Reason: why + " (disableAndDeleteUserApplyAction)",
		Details: map[string]any{"deleteDateTime": mark["deleteDateTime"]}})
}

func (s *API) scheduleGuestDeletion(userID string, at time.Time) {
	s.At(at, "deletion of guest "+userID+" denied in an access review", func(at time.Time) {
		s.runLocked(func() error { return s.deleteGuestLocked(userID, at) })
	})
}

// deleteGuestLocked deletes a guest disabled by an access review whose 30 days are over, unless an
// administrator enabled the account again in between (our choice).
func (s *API) deleteGuestLocked(userID string, at time.Time) error {
	mark, err := s.Store.Get(collGuestDeletions, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if due, err := time.Parse(time.RFC3339Nano, wire.StrField(mark.Body, "deleteDateTime")); err == nil && due.After(at) {
		return nil // disabled again later: that deletion is registered too
	}
	if err := s.Store.Delete(collGuestDeletions, mark.ID); err != nil {
		return err
	}
	u, err := s.Store.Get(directory.Users, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if enabled, _ := u.Body["accountEnabled"].(bool); enabled {
		return nil
	}
	if err := s.dir.DeleteUser(u.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.Audit(route.AuditEntry{At: at, Activity: "guestDeleted", ObjectType: "microsoft.graph.user", ObjectID: u.ID,
		InitiatedBy: auditActor, Reason: "disabled 30 days ago after a denied access review decision (disableAndDeleteUserApplyAction)",
		Details: map[string]any{"blockedDateTime": wire.StrField(mark.Body, "blockedDateTime"), "definitionId": wire.StrField(mark.Body, "definitionId")}})
}
