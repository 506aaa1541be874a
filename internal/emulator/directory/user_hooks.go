package directory

import "sync"

// userChangeHooks are the functions other areas registered with OnUserChanged.
type userChangeHooks struct {
	mu    sync.Mutex
	hooks []func(userID string)
}

// OnUserChanged registers f, called with a user's id after POST /users made the user or PATCH /users/{id}
// changed it (outside the server's write lock), so that entitlement management re-evaluates the attribute
// rules of its automatic assignment policies for that user.
func (s *API) OnUserChanged(f func(userID string)) {
	s.userChange.mu.Lock()
	defer s.userChange.mu.Unlock()
	s.userChange.hooks = append(s.userChange.hooks, f)
}

// UserChanged runs the hooks for a user changed outside the Graph routes (the control API's PATCH of a
// user). Callers must not hold the write lock.
func (s *API) UserChanged(userID string) { s.userChanged(userID) }

func (s *API) userChanged(userID string) {
	s.userChange.mu.Lock()
	hooks := append([]func(string){}, s.userChange.hooks...)
	s.userChange.mu.Unlock()
	for _, f := range hooks {
		f(userID)
	}
}
