package entitlement

import (
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Automatic assignment policies (automaticRequestSettings.requestAccessForAllowedTargets): entitlement
// management assigns the access package to every user who matches the policy's attributeRuleMembers rule,
// and, with removeAccessWhenTargetLeavesAllowedTargets, removes the assignment of a user who stops matching
// once gracePeriodBeforeAccessRemoval has passed
// (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageautomaticrequestsettings?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-auto-assignment-policy).
// The local API evaluates a policy when it is created or replaced, and a user when POST /users,
// PATCH /users/{id} or a lifecycle workflow's enable or disable task made or changed them; the assignments it makes and removes come with systemAdd and
// systemRemove requests and are recorded in the audit trail. A removal waits on the clock for the grace
// period and happens only if the user still does not match then.

const (
	// ifRemovalDue marks an automatic assignment whose user stopped matching: when it is removed.
	ifRemovalDue = "_removalDueDateTime"
)

// autoRule is the attribute rule of an automatic assignment policy, or nil for any other policy.
func autoRule(policy map[string]any) directory.Rule {
	if !isAutoPolicy(policy) {
		return nil
	}
	for _, x := range wire.AnySlice(policy["specificAllowedTargets"]) {
		m, ok := x.(map[string]any)
		if !ok {
			continue
		}
		if leaf, _ := wire.ODataLeaf(m["@odata.type"]); strings.EqualFold(leaf, "attributeRuleMembers") {
			if rule, err := directory.ParseRule(wire.StrField(m, "membershipRule")); err == nil {
				return rule
			}
		}
	}
	return nil
}

// ReevaluateUser applies every automatic assignment policy to a user who was made or changed: it is
// registered with the directory's user change hooks.
func (s *API) ReevaluateUser(userID string) {
	s.runLocked(func() error {
		pols, err := s.Store.List(AssignmentPolicies)
		if err != nil {
			return err
		}
		for _, pol := range pols {
			if err := s.evaluateAutoPolicyLocked(pol, userID); err != nil {
				return err
			}
		}
		return nil
	})
}

// evaluateAutoPolicyLocked applies an automatic assignment policy to one user, or to every user when
// onlyUser is "". Callers hold the write lock (Deps.WriteMu).
func (s *API) evaluateAutoPolicyLocked(pol *store.Record, onlyUser string) error {
	rule := autoRule(pol.Body)
	if rule == nil {
		return nil
	}
	users, err := s.Store.List(directory.Users)
	if err != nil {
		return err
	}
	pkgID := PolicyPackageID(pol.Body)
	for _, u := range users {
		if onlyUser != "" && !strings.EqualFold(u.ID, onlyUser) {
			continue
		}
		live := s.liveAssignment(u.ID, pkgID, pol.ID)
		switch matches := rule.Match(u.Body); {
		case matches && live == nil:
			if err := s.autoAssignLocked(pol, u); err != nil {
				return err
			}
		case matches && wire.StrField(live.Body, ifRemovalDue) != "":
			// Back in scope during the grace period: the removal is called off.
			if err := s.Store.Update(collAssignments, live.ID, func(obj map[string]any) error {
				delete(obj, ifRemovalDue)
				return nil
			}); err != nil {
				return err
			}
		case !matches && live != nil && wire.StrField(live.Body, ifRemovalDue) == "":
			if err := s.scheduleAutoRemovalLocked(pol, live); err != nil {
				return err
			}
		}
	}
	return nil
}

// autoAssignLocked assigns the policy's package to a user who matches its rule.
func (s *API) autoAssignLocked(pol *store.Record, user *store.Record) error {
	now := s.Now()
	schedule, err := parseRequestSchedule(nil, false, pol.Body["expiration"], now)
	if err != nil {
		return err
	}
	req := s.systemRequest("systemAdd", pol, user.ID, schedule)
	id, err := s.createAssignmentLocked(req)
	if err != nil {
		return err
	}
	req[ifAssignmentID] = id
	if err := s.Store.Insert(collAssignmentRequests, req["id"].(string), req, now); err != nil {
		return err
	}
	return s.Audit(route.AuditEntry{At: now, Activity: "automaticAssignmentAdded", ObjectType: typeAssignment, ObjectID: id,
		InitiatedBy: auditActor, Reason: "the user matches the membership rule of automatic assignment policy " + pol.ID,
		Details: map[string]any{"targetId": user.ID, "accessPackageId": PolicyPackageID(pol.Body)}})
}

// systemRequest is the delivered request entitlement management makes for an automatic assignment.
func (s *API) systemRequest(requestType string, pol *store.Record, userID string, schedule any) map[string]any {
	now := s.Timestamp()
	return map[string]any{
		"id": uuid.NewString(), "requestType": requestType, "state": "delivered", "status": "Delivered",
		"justification": nil, "answers": []any{}, "createdDateTime": now, "completedDateTime": now,
		"customExtensionCalloutInstances": []any{}, "schedule": schedule,
		ifTargetID: userID, ifAccessPackageID: PolicyPackageID(pol.Body), ifAssignmentPolicyID: pol.ID, ifAssignmentID: "",
	}
}

// scheduleAutoRemovalLocked marks the assignment of a user who stopped matching and removes it after the
// grace period, when the policy removes access at all.
func (s *API) scheduleAutoRemovalLocked(pol *store.Record, asg *store.Record) error {
	ars, _ := pol.Body["automaticRequestSettings"].(map[string]any)
	if ars["removeAccessWhenTargetLeavesAllowedTargets"] != true {
		return nil
	}
	due := s.Now()
	if g, ok := ars["gracePeriodBeforeAccessRemoval"].(string); ok && g != "" {
		if d, err := wire.ParseDuration("gracePeriodBeforeAccessRemoval", g); err == nil {
			due = due.Add(time.Duration(d.Seconds * float64(time.Second)))
		}
	}
	if err := s.Store.Update(collAssignments, asg.ID, func(obj map[string]any) error {
		obj[ifRemovalDue] = wire.FormatTimestamp(due)
		return nil
	}); err != nil {
		return err
	}
	s.scheduleAutoRemoval(asg.ID, due)
	return nil
}

func (s *API) scheduleAutoRemoval(assignmentID string, due time.Time) {
	s.At(due, "automatic removal of assignment "+assignmentID, func(at time.Time) {
		s.runLocked(func() error { return s.autoRemoveLocked(assignmentID, at) })
	})
}

// autoRemoveLocked removes an automatic assignment whose grace period ended, unless its user matches the
// rule again (the mark is gone) or the assignment ended otherwise.
func (s *API) autoRemoveLocked(assignmentID string, at time.Time) error {
	asg, err := s.Store.Get(collAssignments, assignmentID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || wire.StrField(asg.Body, ifRemovalDue) == "" || !isLiveAssignment(asg.Body) {
		return err
	}
	pol, err := s.Store.Get(AssignmentPolicies, assignmentPolicyID(asg.Body))
	if errors.Is(err, store.ErrNotFound) {
		return nil // the policy is gone: nothing decides the removal any more
	} else if err != nil {
		return err
	}
	userID := assignmentTargetID(asg.Body)
	if err := s.removeAssignmentLocked(assignmentID); err != nil {
		return err
	}
	req := s.systemRequest("systemRemove", pol, userID, asg.Body["schedule"])
	req[ifAssignmentID] = assignmentID
	if err := s.Store.Insert(collAssignmentRequests, req["id"].(string), req, at); err != nil {
		return err
	}
	if err := s.Audit(route.AuditEntry{At: at, Activity: "automaticAssignmentRemoved", ObjectType: typeAssignment, ObjectID: assignmentID,
		InitiatedBy: auditActor, Reason: "the user stopped matching the membership rule of automatic assignment policy " + pol.ID + " and the grace period ended",
		Details: map[string]any{"targetId": userID}}); err != nil {
		return err
	}
	return s.afterAssignmentEndedLocked(asg.Body, at, "their last access package assignment was removed by an automatic assignment policy")
}

// scheduleAutoRemovalsFromStore registers the pending removals of a store opened again.
func (s *API) scheduleAutoRemovalsFromStore() error {
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if due, err := time.Parse(time.RFC3339Nano, wire.StrField(rec.Body, ifRemovalDue)); err == nil {
			s.scheduleAutoRemoval(rec.ID, due)
		}
	}
	return nil
}

// evaluateAutoPolicyByIDLocked applies a policy just created or replaced to every user.
func (s *API) evaluateAutoPolicyByIDLocked(policyID string) error {
	pol, err := s.Store.Get(AssignmentPolicies, policyID)
	if err != nil {
		return err
	}
	return s.evaluateAutoPolicyLocked(pol, "")
}

// removeAutoAssignmentsLocked removes the assignments an automatic assignment policy being deleted made:
// the policy is what grants them (our choice: the reference does not say; without it the policy could
// never be deleted while a user matches its rule).
func (s *API) removeAutoAssignmentsLocked(pol *store.Record) error {
	if !isAutoPolicy(pol.Body) {
		return nil
	}
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return err
	}
	now := s.Now()
	for _, a := range recs {
		if !strings.EqualFold(assignmentPolicyID(a.Body), pol.ID) || !isLiveAssignment(a.Body) {
			continue
		}
		if err := s.removeAssignmentLocked(a.ID); err != nil {
			return err
		}
		if err := s.Audit(route.AuditEntry{At: now, Activity: "automaticAssignmentRemoved", ObjectType: typeAssignment, ObjectID: a.ID,
			InitiatedBy: auditActor, Reason: "automatic assignment policy " + pol.ID + " was deleted",
			Details: map[string]any{"targetId": assignmentTargetID(a.Body)}}); err != nil {
			return err
		}
	}
	return nil
}
