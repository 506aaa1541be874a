package entitlement

import (
	"errors"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
)

// Other areas of the local API follow assignment policies: access reviews open the reviews a
// policy's reviewSettings describe (internal/emulator/reviews/policy_reviews.go).

// PolicyHook is told that a policy was made or replaced (doc: the stored policy) or deleted
// (doc nil). It runs under the write lock (Deps.WriteMu); an error fails the request.
type PolicyHook func(policyID string, doc map[string]any) error

// OnPolicyChanged registers a hook.
func (s *API) OnPolicyChanged(h PolicyHook) { s.policyHooks = append(s.policyHooks, h) }

func (s *API) policyChangedLocked(id string, doc map[string]any) error {
	for _, h := range s.policyHooks {
		if err := h(id, doc); err != nil {
			return err
		}
	}
	return nil
}

// policyIDsLocked lists the stored policies' ids.
func (s *API) policyIDsLocked() []string {
	recs, err := s.Store.List(AssignmentPolicies)
	if err != nil {
		return nil
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids
}

// afterPoliciesDeletedLocked tells the hooks of the policies among before that are gone (a
// control API deletion, which takes a package's policies along).
func (s *API) afterPoliciesDeletedLocked(before []string) {
	for _, id := range before {
		if _, err := s.Store.Get(AssignmentPolicies, id); errors.Is(err, store.ErrNotFound) {
			_ = s.policyChangedLocked(id, nil)
		}
	}
}
