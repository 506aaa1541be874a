package emulator

// RedeemInvitation plays the guest's part of an invitation, as POST /_emulator/users/{id}/redeem does:
// the user's externalUserState becomes Accepted at the server's time and the directory's OnRedeem hooks
// run. A user that does not exist is store.ErrNotFound; one without a pending invitation is refused.
func (s *Server) RedeemInvitation(userID string) error { return s.dir.Redeem(userID) }

// UserSponsorIDs returns the ids of a user's sponsors, in the order they were added.
func (s *Server) UserSponsorIDs(userID string) ([]string, error) { return s.dir.UserSponsorIDs(userID) }

// OnRedeem registers f, called with the user's id after a guest redeemed an invitation.
func (s *Server) OnRedeem(f func(userID string)) { s.dir.OnRedeem(f) }
