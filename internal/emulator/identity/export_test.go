package identity

import (
	"crypto/rsa"
)

// SigningKey returns the token signing key and its key id, for tests that forge
// tokens (a token signed with it passes Authenticate).
func SigningKey(a *Authority) (*rsa.PrivateKey, string) { return a.signKey, a.kid }
