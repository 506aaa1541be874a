package directory

import (
	"net/http"
	"sync"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Graph has no API that redeems an invitation: the guest follows inviteRedeemUrl in a browser
// (https://learn.microsoft.com/en-us/graph/api/resources/invitation?view=graph-rest-1.0). The control
// route POST /_emulator/users/{id}/redeem plays the guest's part, so tests can see what follows a
// redemption.

// redeemHooks are the functions other areas registered with OnRedeem.
type redeemHooks struct {
	mu    sync.Mutex
	hooks []func(userID string)
}

// OnRedeem registers f, called with the user's id after a guest redeemed an invitation (after the
// user's externalUserState changed, outside the server's write lock), for example so that entitlement
// management delivers the assignments requested for the guest's email address.
func (s *API) OnRedeem(f func(userID string)) {
	s.redeem.mu.Lock()
	defer s.redeem.mu.Unlock()
	s.redeem.hooks = append(s.redeem.hooks, f)
}

func (s *API) redeemRoutes(t *route.Table) {
	t.Add(route.Control, nil, "/_emulator/users/{id}/redeem", map[string]route.Handler{http.MethodPost: s.ctlRedeem})
}

// Redeem accepts the pending invitation of a user: externalUserState becomes Accepted and
// externalUserStateChangeDateTime the server's time; then the OnRedeem hooks run. A user that does not
// exist is store.ErrNotFound; a user whose state is not PendingAcceptance is refused with 400.
func (s *API) Redeem(userID string) error {
	id, err := s.markRedeemed(userID)
	if err != nil {
		return err
	}
	s.redeem.mu.Lock()
	hooks := append([]func(string){}, s.redeem.hooks...)
	s.redeem.mu.Unlock()
	for _, f := range hooks {
		f(id)
	}
	return nil
}

func (s *API) markRedeemed(userID string) (string, error) {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(Users, userID)
	if err != nil {
		return "", err
	}
	if state := strOf(rec.Body["externalUserState"]); state != "PendingAcceptance" {
		return "", wire.BadRequest("user " + rec.ID + " has no pending invitation (externalUserState " + stateName(state) + ")")
	}
	err = s.Store.Update(Users, rec.ID, func(obj map[string]any) error {
		obj["externalUserState"] = "Accepted"
		obj["externalUserStateChangeDateTime"] = s.timestamp()
		return nil
	})
	return rec.ID, err
}

func stateName(state string) string {
	if state == "" {
		return "null"
	}
	return state
}

func (s *API) ctlRedeem(w http.ResponseWriter, _ *http.Request, p route.Params) error {
	if err := s.Redeem(p["id"]); err != nil {
		return route.ControlError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
