package entitlement

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Entitlement management over time. Each delivered assignment registers its time-driven
// effects with the server's scheduler (route.Deps.At):
//
//   - fourteen days and one day before its schedule ends, the policy's custom extensions of
//     the stages assignmentFourteenDaysBeforeExpiration and assignmentOneDayBeforeExpiration
//     are called (a customExtensionCalloutInstance on the assignment); one day before, the
//     status becomes NearExpiry1DayNotificationTriggered
//     (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignment?view=graph-rest-1.0,
//     https://learn.microsoft.com/en-us/graph/api/resources/customextensionstagesetting?view=graph-rest-1.0);
//   - when it ends, the assignment becomes expired (expiredDateTime set) and the user loses
//     the group memberships, app roles and site roles it granted, unless another live
//     assignment grants them (releaseGroupsLocked, releaseRolesLocked in delivery.go);
//   - an external user of a connected organization who no longer has a live assignment is
//     handled as the settings say (externalUserLifecycleAction: none, blockSignIn,
//     blockSignInAndDelete with durationUntilExternalUserDeletedAfterBlocked,
//     https://learn.microsoft.com/en-us/graph/api/resources/entitlementmanagementsettings?view=graph-rest-1.0).
//
// Effects re-read the store when they run, so an assignment removed or changed in between
// makes its effect a no-op. Every change is recorded in the audit trail (route.Deps.Audit).

const (
	// collExternalUserLifecycle holds the external users blocked by entitlement management and
	// waiting for deletion: id is the user id, body {userId, blockedDateTime, deleteDateTime}.
	collExternalUserLifecycle = "_externalUserLifecycle"

	// ifConnectedOrgID is the connected organization through which an assignment's external
	// target came in; set at delivery (see connectedOrgOfGuest).
	ifConnectedOrgID = "_connectedOrganizationId"
	// ifCalledStages lists the before-expiration stages already called, to call each once.
	ifCalledStages = "_calledStages"

	// auditActor is who time-driven entitlement management changes are made by.
	auditActor = "entitlement management"

	stageFourteenDays = "assignmentFourteenDaysBeforeExpiration"
	stageOneDay       = "assignmentOneDayBeforeExpiration"

	// Assignment statuses of the resource page (accessPackageAssignment.status).
	statusNearExpiry1Day = "NearExpiry1DayNotificationTriggered"
	statusExpired        = "ExpiredNotificationTriggered"
)

// expiryNotices are the stages called before an assignment ends, with how long before.
var expiryNotices = []struct {
	stage  string
	before time.Duration
}{
	{stageFourteenDays, 14 * 24 * time.Hour},
	{stageOneDay, 24 * time.Hour},
}

// assignmentEnd is when an assignment's schedule ends: expiration.endDateTime, or
// startDateTime plus expiration.duration; false for noExpiration and notSpecified.
func assignmentEnd(doc map[string]any) (time.Time, bool) {
	sch, _ := doc["schedule"].(map[string]any)
	exp, _ := sch["expiration"].(map[string]any)
	typ := wire.StrField(exp, "type")
	if typ != "afterDateTime" && typ != "afterDuration" {
		return time.Time{}, false
	}
	if end, err := time.Parse(time.RFC3339Nano, wire.StrField(exp, "endDateTime")); err == nil {
		return end, true
	}
	start, err := time.Parse(time.RFC3339Nano, wire.StrField(sch, "startDateTime"))
	if err != nil || typ != "afterDuration" {
		return time.Time{}, false
	}
	d, err := wire.ParseDuration("duration", exp["duration"])
	if err != nil {
		return time.Time{}, false
	}
	return start.Add(time.Duration(d.Seconds * float64(time.Second))), true
}

// isLiveAssignment is true for an assignment that still grants access.
func isLiveAssignment(doc map[string]any) bool {
	switch wire.StrField(doc, "state") {
	case "delivered", "partiallyDelivered", "delivering":
		return true
	}
	return false
}

// scheduleAssignmentEffects registers the notices still ahead of from and the expiry of
// an assignment (an expiry in the past runs at once).
func (s *API) scheduleAssignmentEffects(id string, doc map[string]any, from time.Time) {
	end, ok := assignmentEnd(doc)
	if !ok {
		return
	}
	for _, n := range expiryNotices {
		stage := n.stage
		if due := end.Add(-n.before); !due.Before(from) {
			s.At(due, stage+" of assignment "+id, func(at time.Time) { s.runLocked(func() error { return s.expiryNoticeLocked(id, stage, at) }) })
		}
	}
	s.At(end, "expiry of assignment "+id, func(at time.Time) { s.runLocked(func() error { return s.expireAssignmentLocked(id, at) }) })
}

// ScheduleFromStore registers the effects of the objects already in the store (a server
// opening an existing database).
func (s *API) ScheduleFromStore() error {
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return err
	}
	now := s.Now()
	for _, rec := range recs {
		if isLiveAssignment(rec.Body) {
			s.scheduleAssignmentEffects(rec.ID, rec.Body, now)
		}
	}
	if err := s.scheduleAutoRemovalsFromStore(); err != nil {
		return err
	}
	marks, err := s.Store.List(collExternalUserLifecycle)
	if err != nil {
		return err
	}
	for _, m := range marks {
		if at, err := time.Parse(time.RFC3339Nano, wire.StrField(m.Body, "deleteDateTime")); err == nil {
			s.scheduleExternalUserDeletion(m.ID, at)
		}
	}
	return nil
}

// runLocked runs an effect under the write lock; a failure (the store closed under a
// late effect) has nobody to answer to.
func (s *API) runLocked(effect func() error) {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	_ = effect()
}

// expiryNoticeLocked calls the policy's custom extension of a before-expiration stage once.
func (s *API) expiryNoticeLocked(id, stage string, at time.Time) error {
	rec, err := s.Store.Get(collAssignments, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || !isLiveAssignment(rec.Body) {
		return err
	}
	if slices.Contains(wire.StrList(rec.Body[ifCalledStages]), stage) {
		return nil
	}
	var extIDs []string
	if pol, err := s.Store.Get(AssignmentPolicies, assignmentPolicyID(rec.Body)); err == nil {
		for _, x := range wire.AnySlice(pol.Body["customExtensionStageSettings"]) {
			m, _ := x.(map[string]any)
			ce, _ := m["customExtension"].(map[string]any)
			if strings.EqualFold(wire.StrField(m, "stage"), stage) && wire.StrField(ce, "id") != "" {
				extIDs = append(extIDs, wire.StrField(ce, "id"))
			}
		}
	}
	if len(extIDs) == 0 && stage != stageOneDay {
		return nil
	}
	var callouts []any
	err = s.Store.Update(collAssignments, rec.ID, func(obj map[string]any) error {
		list := wire.AnySlice(obj["customExtensionCalloutInstances"])
		for _, ext := range extIDs {
			c := map[string]any{
				"id":                    uuid.NewString(),
				"customExtensionId":     ext,
				"detail":                "Called for the stage " + stage + ".",
				"externalCorrelationId": nil,
				"status":                "calloutSent",
			}
			list = append(list, c)
			callouts = append(callouts, c["id"])
		}
		obj["customExtensionCalloutInstances"] = list
		obj[ifCalledStages] = wire.AnyList(append(wire.StrList(obj[ifCalledStages]), stage))
		if stage == stageOneDay {
			obj["status"] = statusNearExpiry1Day
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, ext := range extIDs {
		if err := s.Audit(route.AuditEntry{At: at, Activity: "customExtensionCalloutSent", ObjectType: typeAssignment, ObjectID: rec.ID,
			InitiatedBy: auditActor, Reason: "the assignment reached its " + stage + " stage",
			Details: map[string]any{"stage": stage, "customExtensionId": ext, "calloutInstanceId": callouts[i]}}); err != nil {
			return err
		}
	}
	return nil
}

// expireAssignmentLocked ends an assignment whose schedule has ended.
func (s *API) expireAssignmentLocked(id string, at time.Time) error {
	rec, err := s.Store.Get(collAssignments, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || !isLiveAssignment(rec.Body) {
		return err
	}
	if end, ok := assignmentEnd(rec.Body); !ok || end.After(at) {
		return nil // the schedule changed since the effect was registered
	}
	err = s.Store.Update(collAssignments, rec.ID, func(obj map[string]any) error {
		obj["state"], obj["status"], obj["expiredDateTime"] = "expired", statusExpired, wire.FormatTimestamp(at)
		return nil
	})
	if err != nil {
		return err
	}
	released, err := s.releaseGroupsLocked(rec.ID, rec.Body)
	if err != nil {
		return err
	}
	appRoles, siteRoles, err := s.releaseRolesLocked(rec.ID, rec.Body) // delivery.go
	if err != nil {
		return err
	}
	if err := s.Audit(route.AuditEntry{At: at, Activity: "assignmentExpired", ObjectType: typeAssignment, ObjectID: rec.ID,
		InitiatedBy: auditActor, Reason: "the assignment's schedule ended",
		Details: map[string]any{"targetId": assignmentTargetID(rec.Body), "accessPackageId": PolicyPackageID(rec.Body), "groupsRemoved": wire.AnyList(released),
			"appRolesRemoved": wire.AnyList(appRoles), "siteRolesRemoved": wire.AnyList(siteRoles)}}); err != nil {
		return err
	}
	return s.afterAssignmentEndedLocked(rec.Body, at, "their last access package assignment expired")
}

// releaseGroupsLocked removes the group memberships an assignment (no longer live, or
// deleted) granted; a membership another live assignment of the same user also grants is
// handed over to that assignment instead. It returns the groups the user left.
func (s *API) releaseGroupsLocked(id string, doc map[string]any) ([]string, error) {
	target := assignmentTargetID(doc)
	others, err := s.Store.List(collAssignments)
	if err != nil {
		return nil, err
	}
	var left []string
	for _, gid := range wire.StrList(doc[ifGrantedGroups]) {
		heir := ""
		for _, o := range others {
			if strings.EqualFold(o.ID, id) || !strings.EqualFold(assignmentTargetID(o.Body), target) || strings.EqualFold(wire.StrField(o.Body, "state"), "expired") {
				continue
			}
			if groups, _ := s.packageGroupRoles(PolicyPackageID(o.Body)); containsID(groups, gid) {
				heir = o.ID
				break
			}
		}
		if heir != "" {
			err := s.Store.Update(collAssignments, heir, func(obj map[string]any) error {
				obj[ifGrantedGroups] = wire.AnyList(append(wire.StrList(obj[ifGrantedGroups]), gid))
				return nil
			})
			if err != nil {
				return nil, err
			}
			continue
		}
		// Removed by hand or the group is gone: nothing left to undo.
		if err := s.dir.RemoveGroupMember(gid, target); err == nil {
			left = append(left, gid)
		}
	}
	return left, nil
}

// connectedOrgOfGuest is the connected organization an external user comes from, when the
// policy of the assignment targets connected organizations' users: the organization whose
// identity source is the user's email domain, or the tenant holding that domain. The local
// API cannot invite people through requests, so a guest assigned this way stands for one
// brought in through entitlement management (README, "Entitlement management over time").
func (s *API) connectedOrgOfGuest(user, policy map[string]any) string {
	if !strings.EqualFold(wire.StrField(user, "userType"), "Guest") {
		return ""
	}
	var allowed []string
	switch wire.StrField(policy, "allowedTargetScope") {
	case "allConfiguredConnectedOrganizationUsers":
	case "specificConnectedOrganizationUsers":
		for _, x := range wire.AnySlice(policy["specificAllowedTargets"]) {
			if m, ok := x.(map[string]any); ok && wire.StrField(m, "connectedOrganizationId") != "" {
				allowed = append(allowed, wire.StrField(m, "connectedOrganizationId"))
			}
		}
	default:
		return ""
	}
	domain := guestDomain(user)
	if domain == "" {
		return ""
	}
	tenant, _, _ := s.tenantOfDomain(domain)
	orgs, err := s.Store.List(collConnectedOrgs)
	if err != nil {
		return ""
	}
	for _, o := range orgs {
		if allowed != nil && !containsID(allowed, o.ID) {
			continue
		}
		for _, x := range wire.AnySlice(o.Body["identitySources"]) {
			m, _ := x.(map[string]any)
			if normDomain(wire.StrField(m, "domainName")) == domain ||
				(tenant != "" && strings.EqualFold(wire.StrField(m, "tenantId"), tenant)) {
				return o.ID
			}
		}
	}
	return ""
}

// guestDomain is the domain of a guest's email: mail, else the address in the UPN
// (<email with @ as _>#EXT#@<tenant domain>).
func guestDomain(user map[string]any) string {
	mail := wire.StrField(user, "mail")
	if mail == "" {
		if ext, _, ok := strings.Cut(wire.StrField(user, "userPrincipalName"), "#EXT#"); ok {
			if i := strings.LastIndex(ext, "_"); i >= 0 {
				mail = ext[:i] + "@" + ext[i+1:]
			}
		}
	}
	_, domain, ok := strings.Cut(mail, "@")
	if !ok {
		return ""
	}
	return normDomain(domain)
}

// hasLiveAssignment reports whether a user still has an assignment that grants access.
func (s *API) hasLiveAssignment(userID string) bool {
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return true // unknown: do nothing to the user
	}
	for _, a := range recs {
		if strings.EqualFold(assignmentTargetID(a.Body), userID) && isLiveAssignment(a.Body) {
			return true
		}
	}
	return false
}

// afterAssignmentEndedLocked applies the external user lifecycle action of the settings
// when an ended assignment (expired or removed) was the last one of an external user
// who came in through a connected organization.
func (s *API) afterAssignmentEndedLocked(asg map[string]any, at time.Time, reason string) error {
	if wire.StrField(asg, ifConnectedOrgID) == "" {
		return nil
	}
	userID := assignmentTargetID(asg)
	if s.hasLiveAssignment(userID) {
		return nil
	}
	if _, err := s.Store.Get(directory.Users, userID); errors.Is(err, store.ErrNotFound) {
		return nil // already gone
	} else if err != nil {
		return err
	}
	settings, err := s.settingsLocked()
	if err != nil {
		return err
	}
	action := wire.StrField(settings, "externalUserLifecycleAction")
	if action != "blockSignIn" && action != "blockSignInAndDelete" {
		return nil
	}
	err = s.Store.Update(directory.Users, userID, func(obj map[string]any) error {
		obj["accountEnabled"] = false
		return nil
	})
	if err != nil {
		return err
	}
	details := map[string]any{"externalUserLifecycleAction": action, "connectedOrganizationId": wire.StrField(asg, ifConnectedOrgID)}
	if action == "blockSignInAndDelete" {
		d, err := wire.ParseDuration("durationUntilExternalUserDeletedAfterBlocked", settings["durationUntilExternalUserDeletedAfterBlocked"])
		if err != nil {
			d = wire.Duration{Text: defaultDurationUntilDeleted, Seconds: 30 * 86400}
		}
		deleteAt := at.Add(time.Duration(d.Seconds * float64(time.Second)))
		mark := map[string]any{"userId": userID, "blockedDateTime": wire.FormatTimestamp(at), "deleteDateTime": wire.FormatTimestamp(deleteAt)}
		_ = s.Store.Delete(collExternalUserLifecycle, userID)
		if err := s.Store.Insert(collExternalUserLifecycle, userID, mark, at); err != nil {
			return err
		}
		s.scheduleExternalUserDeletion(store.NormID(userID), deleteAt)
		details["deleteDateTime"] = wire.FormatTimestamp(deleteAt)
	}
	return s.Audit(route.AuditEntry{At: at, Activity: "externalUserBlocked", ObjectType: "microsoft.graph.user", ObjectID: userID,
		InitiatedBy: auditActor, Reason: reason + " (externalUserLifecycleAction " + action + ")", Details: details})
}

func (s *API) scheduleExternalUserDeletion(userID string, at time.Time) {
	s.At(at, "deletion of external user "+userID, func(at time.Time) {
		s.runLocked(func() error { return s.deleteExternalUserLocked(userID, at) })
	})
}

// deleteExternalUserLocked deletes a blocked external user whose time has come, unless
// they were given an assignment again in between.
func (s *API) deleteExternalUserLocked(userID string, at time.Time) error {
	mark, err := s.Store.Get(collExternalUserLifecycle, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if due, err := time.Parse(time.RFC3339Nano, wire.StrField(mark.Body, "deleteDateTime")); err == nil && due.After(at) {
		return nil // blocked again later: that block's deletion is registered too
	}
	if err := s.Store.Delete(collExternalUserLifecycle, mark.ID); err != nil {
		return err
	}
	if s.hasLiveAssignment(userID) {
		return nil
	}
	if err := s.dir.DeleteUser(userID); errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	return s.Audit(route.AuditEntry{At: at, Activity: "externalUserDeleted", ObjectType: "microsoft.graph.user", ObjectID: userID,
		InitiatedBy: auditActor, Reason: fmt.Sprintf("blocked since %s without an access package assignment (externalUserLifecycleAction blockSignInAndDelete)",
			blockedDay(wire.StrField(mark.Body, "blockedDateTime"))),
		Details: map[string]any{"blockedDateTime": wire.StrField(mark.Body, "blockedDateTime")}})
}

// blockedDay is the day a guest was blocked, for the deletion's reason (the exact time is in its details).
func blockedDay(blocked string) string {
	if t, err := time.Parse(time.RFC3339Nano, blocked); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return blocked
}
