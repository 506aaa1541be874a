package entitlement

import (
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Direct assignment of someone not yet in the directory: an adminAdd request whose assignment names
// the target by email alone (Example 5 of
// https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-post-assignmentrequests?view=graph-rest-1.0,
// for a policy whose allowedTargetScope admits external users). The reference says no more; what follows
// is our choice, recorded in internal/emulator/README.md: the person is invited as POST /invitations
// invites (a guest, externalUserState PendingAcceptance; someone who already has that email is used as
// they are), the request and its assignment are delivering until the guest redeems the invitation
// (POST /_emulator/users/{id}/redeem), and then the assignment is delivered and grants its roles.

const (
	ifTargetEmail = "_targetEmail" // on requests and assignments made for a target known by email

	stateDelivering         = "delivering"
	statusPendingRedemption = "PendingAcceptance"
)

// externalScopes are the allowedTargetScope values that admit users from outside the directory.
var externalScopes = []string{"allExternalUsers", "allConfiguredConnectedOrganizationUsers", "specificConnectedOrganizationUsers"}

// resolveEmailTargetLocked checks that the policy admits external users (and, for connected
// organization scopes, that one it admits covers the email's domain), then invites the person and sets
// in.targetID. Callers hold the write lock (Deps.WriteMu).
func (s *API) resolveEmailTargetLocked(in *assignmentRequestInput, doc map[string]any) error {
	pol, err := s.Store.Get(AssignmentPolicies, in.policyID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(in.policyID)
	}
	if err != nil {
		return err
	}
	scope := wire.StrField(pol.Body, "allowedTargetScope")
	if !slices.Contains(externalScopes, scope) {
		return wire.PathError("assignment.target.email", "policy '%s' has allowedTargetScope '%s', which admits only users already in the directory; "+
			"a target known by email needs %s.", in.policyID, scope, strings.Join(externalScopes, ", "))
	}
	if scope != "allExternalUsers" {
		guest := map[string]any{"userType": "Guest", "mail": in.targetEmail}
		if s.connectedOrgOfGuest(guest, pol.Body) == "" {
			return wire.PathError("assignment.target.email", "no connected organization that policy '%s' admits covers the domain of '%s'.", in.policyID, in.targetEmail)
		}
	}
	id, _, err := s.dir.InviteGuestLocked(in.targetEmail)
	if err != nil {
		return err
	}
	in.targetID = id
	doc[ifTargetEmail] = in.targetEmail
	return nil
}

// awaitsRedemption reports whether a request for a target known by email must wait for the guest
// to redeem the invitation before it is delivered.
func (s *API) awaitsRedemption(req map[string]any) bool {
	if wire.StrField(req, ifTargetEmail) == "" {
		return false
	}
	user, err := s.Store.Get(directory.Users, wire.StrField(req, ifTargetID))
	return err == nil && wire.StrField(user.Body, "externalUserState") == "PendingAcceptance"
}

// createPendingAssignmentLocked writes the assignment of a request that awaits redemption: delivering,
// granting nothing yet. Callers hold the write lock (Deps.WriteMu).
func (s *API) createPendingAssignmentLocked(req map[string]any) (string, error) {
	user, err := s.Store.Get(directory.Users, wire.StrField(req, ifTargetID))
	if err != nil {
		return "", err
	}
	id := uuid.NewString()
	doc := map[string]any{
		"id":                              id,
		"state":                           stateDelivering,
		"status":                          statusPendingRedemption,
		"schedule":                        req["schedule"],
		"expiredDateTime":                 nil,
		"customExtensionCalloutInstances": []any{},
		ifAccessPackageID:                 wire.StrField(req, ifAccessPackageID),
		ifAssignmentPolicyID:              wire.StrField(req, ifAssignmentPolicyID),
		ifTargetID:                        user.ID,
		ifTarget:                          s.subjectFor(user),
		ifGrantedGroups:                   []any{},
		ifOwnerRoles:                      []any{},
		ifRequestID:                       wire.StrField(req, "id"),
		ifTargetEmail:                     wire.StrField(req, ifTargetEmail),
	}
	return id, s.Store.Insert(collAssignments, id, doc, s.Now())
}

// DeliverAfterRedeem delivers the assignments that waited for userID to redeem an invitation: it is
// registered with the directory's redeem hooks.
func (s *API) DeliverAfterRedeem(userID string) {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	// A failure (the store closed under a late call) leaves the assignments delivering, as a lost
	// redemption would.
	_ = s.deliverAfterRedeemLocked(userID)
}

func (s *API) deliverAfterRedeemLocked(userID string) error {
	pending, err := s.childRecords(collAssignments, ifTargetID, userID)
	if err != nil {
		return err
	}
	for _, a := range pending {
		if wire.StrField(a.Body, "state") != stateDelivering || wire.StrField(a.Body, ifTargetEmail) == "" {
			continue
		}
		memberOf, owners := s.packageGroupRoles(PolicyPackageID(a.Body))
		granted := []string{}
		for _, gid := range memberOf {
			// Already a member: not ours to remove later (as createAssignmentLocked).
			if err := s.dir.AddGroupMember(gid, userID); err == nil {
				granted = append(granted, gid)
			}
		}
		appRoles, siteRoles, err := s.grantPackageRolesLocked(PolicyPackageID(a.Body), userID) // delivery.go
		if err != nil {
			return err
		}
		err = s.Store.Update(collAssignments, a.ID, func(obj map[string]any) error {
			obj["state"], obj["status"] = "delivered", "Delivered"
			obj[ifGrantedGroups], obj[ifOwnerRoles] = wire.AnyList(granted), wire.AnyList(owners)
			obj[ifGrantedAppRoles], obj[ifGrantedSiteRoles] = wire.AnyList(appRoles), wire.AnyList(siteRoles)
			return nil
		})
		if err != nil {
			return err
		}
		if delivered, err := s.Store.Get(collAssignments, a.ID); err == nil {
			s.scheduleAssignmentEffects(a.ID, delivered.Body, s.Now())
		}
		if reqID := wire.StrField(a.Body, ifRequestID); reqID != "" {
			err := s.Store.Update(collAssignmentRequests, reqID, func(obj map[string]any) error {
				obj["state"], obj["status"] = "delivered", "Delivered"
				obj["completedDateTime"] = s.Timestamp()
				return nil
			})
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// removableState reports whether adminRemove may remove an assignment: a delivered one, or one still
// waiting for its guest to redeem the invitation (delivering, made for an email).
func removableState(asg map[string]any) bool {
	switch wire.StrField(asg, "state") {
	case "delivered", "partiallyDelivered":
		return true
	case stateDelivering:
		return wire.StrField(asg, ifTargetEmail) != ""
	}
	return false
}
