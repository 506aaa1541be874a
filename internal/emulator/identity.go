package emulator

import (
	"crypto/x509"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
)

// The identity platform lives in internal/emulator/identity; these names keep the
// emulator's API (used by the acceptance harness, the demo and the provider tests).

type (
	// App is a registered application that can get tokens (identity.App).
	App = identity.App
	// Authority is the key material for TLS and token signing (identity.Authority).
	Authority = identity.Authority
)

// Fixed identities of the local tenant and the federation IdP (see identity).
const (
	DefaultTenantID          = identity.DefaultTenantID
	DefaultClientID          = identity.DefaultClientID
	DefaultClientSecret      = identity.DefaultClientSecret
	ReaderClientID           = identity.ReaderClientID
	ReaderClientSecret       = identity.ReaderClientSecret
	ClientAssertionType      = identity.ClientAssertionType
	FederationPath           = identity.FederationPath
	FederationAudience       = identity.FederationAudience
	DefaultFederatedTokenTTL = identity.DefaultFederatedTokenTTL
	GitHubRequestToken       = identity.GitHubRequestToken
	GitHubDefaultSubject     = identity.GitHubDefaultSubject
	KubernetesDefaultSubject = identity.KubernetesDefaultSubject

	ADOOrganizationID           = identity.ADOOrganizationID
	ADOIssuer                   = identity.ADOIssuer
	ADOServiceConnectionID      = identity.ADOServiceConnectionID
	ADOServiceConnectionSubject = identity.ADOServiceConnectionSubject
	ADORequestToken             = identity.ADORequestToken
	ADOOIDCRequestPath          = identity.FederationPath + "/azuredevops"

	IMDSTokenPath            = identity.IMDSTokenPath
	AppServiceTokenPath      = identity.AppServiceTokenPath
	AppServiceIdentityHeader = identity.AppServiceIdentityHeader
	SystemAssignedClientID   = identity.SystemAssignedClientID
	SystemAssignedObjectID   = identity.SystemAssignedObjectID
	UserAssignedClientID     = identity.UserAssignedClientID
	UserAssignedObjectID     = identity.UserAssignedObjectID
	UserAssignedResourceID   = identity.UserAssignedResourceID
)

// DefaultApps returns the admin app (full governance permissions) and the reader app.
func DefaultApps() []App { return identity.DefaultApps() }

// NewAuthority creates fresh key material.
func NewAuthority() (*Authority, error) { return identity.NewAuthority() }

// NewTestCertificate makes a self-signed RSA certificate and its key, PEM encoded.
func NewTestCertificate(commonName string) (certPEM, keyPEM []byte, cert *x509.Certificate, err error) {
	return identity.NewTestCertificate(commonName)
}

// FederationIssuer is the iss of federated tokens for an emulator reached at base.
func FederationIssuer(base string) string { return identity.FederationIssuer(base) }

// AddAppCertificate registers a certificate on an app at run time (persisted).
func (s *Server) AddAppCertificate(clientID string, cert *x509.Certificate) error {
	return s.identity.AddAppCertificate(clientID, cert)
}

// AddFederatedSubject makes an app trust a subject of the federation IdP (persisted).
func (s *Server) AddFederatedSubject(clientID, subject string) error {
	return s.identity.AddFederatedSubject(clientID, subject)
}

// IssueFederatedToken issues a token of the federation IdP (identity.Service.IssueFederatedToken).
func (s *Server) IssueFederatedToken(base, subject, audience string, ttl time.Duration) (string, error) {
	return s.identity.IssueFederatedToken(base, subject, audience, ttl)
}

// App returns a registered app with the credentials added at run time.
func (s *Server) App(clientID string) (App, bool) { return s.identity.App(clientID) }
