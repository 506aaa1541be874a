package directory

import (
	"errors"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
)

// InviteGuestLocked returns the user entitlement management's direct assignment by email is for
// (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-post-assignmentrequests?view=graph-rest-1.0,
// Example 5): the user who already has that email, or a new guest invited as POST /invitations would
// (externalUserState PendingAcceptance until they redeem). created says which. Callers hold the write lock.
func (s *API) InviteGuestLocked(email string) (id string, created bool, err error) {
	if rec, err := s.userByEmail(email); err == nil {
		return rec.ID, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", false, err
	}
	rec, err := s.invitedUser(&invitation{email: email, userType: "Guest"})
	if err != nil {
		return "", false, err
	}
	return rec.ID, true, nil
}
