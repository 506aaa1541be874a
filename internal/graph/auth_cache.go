package graph

import (
	"context"
	"sync"
	"time"
)

// refreshMargin is how long before its expiry a cached token is replaced, as azidentity does.
const refreshMargin = 5 * time.Minute

// expiringToken is an access token and when it expires.
type expiringToken struct {
	value   string
	expires time.Time
}

// cachedTokenSource fetches a token when it has none or the one it has expires within refreshMargin
// (within half its remaining life for tokens shorter than that), so that an apply does not run the
// Azure CLI or call the managed identity endpoint once per request.
type cachedTokenSource struct {
	fetch func(ctx context.Context) (expiringToken, error)
	now   func() time.Time

	mu      sync.Mutex
	current expiringToken
	fetched time.Time
}

func newCachedTokenSource(fetch func(ctx context.Context) (expiringToken, error)) *cachedTokenSource {
	return &cachedTokenSource{fetch: fetch, now: time.Now}
}

func (s *cachedTokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.current.value != "" && now.Before(s.refreshAt()) {
		return s.current.value, nil
	}
	tok, err := s.fetch(ctx)
	if err != nil {
		return "", err
	}
	s.current, s.fetched = tok, now
	return tok.value, nil
}

// refreshAt is when the cached token is replaced.
func (s *cachedTokenSource) refreshAt() time.Time {
	life := s.current.expires.Sub(s.fetched)
	if life < 2*refreshMargin {
		return s.fetched.Add(life / 2)
	}
	return s.current.expires.Add(-refreshMargin)
}
