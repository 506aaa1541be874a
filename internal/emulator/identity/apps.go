// Package identity is the emulator's identity platform: the registered apps and their
// credentials (secrets, certificates, federated subjects), the OAuth2 token endpoint
// and OpenID discovery of the tenant, the federation IdP that issues workload identity
// tokens, the key material for TLS and token signing (Authority), and the token check
// of Graph requests. It checks the permissions a route names (route.Permission) but
// knows no area's permissions. It imports store, wire and route.
package identity

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/google/uuid"
)

// Fixed identities of the local tenant, so configurations and docs can name them.
const (
	DefaultTenantID     = "9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
	DefaultClientID     = "3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
	DefaultClientSecret = "entragov-local-secret"
	ReaderClientID      = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9" // app with read-only permissions, for 403 tests
	ReaderClientSecret  = "entragov-local-reader-secret"

	// Object ids of the default apps' service principals (the tokens' oid).
	DefaultAdminObjectID  = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	DefaultReaderObjectID = "1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e"
)

// App is a registered application that can get tokens with client credentials: a
// secret, a certificate (client assertion signed with the certificate's key) or a
// federated credential (client assertion issued by the emulator's federation IdP).
type App struct {
	ClientID, Secret, DisplayName string
	ObjectID                      string   // service principal object id, the token's oid
	Roles                         []string // application permissions, the token's roles
	// Certificates are the public certificates registered on the app (RSA keys only,
	// as Entra key credentials); see NewTestCertificate and AddAppCertificate.
	Certificates []*x509.Certificate
	// FederatedSubjects are the sub values the app trusts in assertions from the
	// emulator's federation issuer (FederationIssuer) with audience FederationAudience.
	FederatedSubjects []string
	// FederatedCredentials are trusted (issuer, subject) pairs of other issuers whose
	// tokens the emulator itself issues (the Azure DevOps imitation, ADOIssuer).
	FederatedCredentials []FederatedCredential
	// ManagedIdentity marks a managed identity's service principal: it has no secret and
	// gets tokens only from the managed identity endpoints (managed_identity.go).
	ManagedIdentity ManagedIdentityKind
	// ResourceID is a user-assigned identity's Azure resource id (msi_res_id).
	ResourceID string
}

// FederatedCredential is a federated identity credential of an app: tokens of Issuer
// with Subject and audience FederationAudience sign the app in.
type FederatedCredential struct {
	Issuer, Subject string
}

// DefaultApps returns the admin app (full governance permissions) and the reader app.
func DefaultApps() []App {
	return []App{
		{
			ClientID: DefaultClientID, Secret: DefaultClientSecret, DisplayName: "entragov emulator admin",
			ObjectID:             DefaultAdminObjectID,
			FederatedSubjects:    []string{GitHubDefaultSubject, KubernetesDefaultSubject},
			FederatedCredentials: []FederatedCredential{{Issuer: ADOIssuer, Subject: ADOServiceConnectionSubject}},
			Roles: []string{
				"EntitlementManagement.ReadWrite.All", "LifecycleWorkflows.ReadWrite.All", "AccessReview.ReadWrite.All", "User.ReadWrite.All",
				"Group.ReadWrite.All", "Application.ReadWrite.All", "Directory.Read.All",
				"Policy.ReadWrite.CrossTenantAccess", "Policy.ReadWrite.Authorization", "Policy.ReadWrite.B2BManagementPolicy",
			},
		},
		{
			ClientID: ReaderClientID, Secret: ReaderClientSecret, DisplayName: "entragov emulator reader",
			ObjectID: DefaultReaderObjectID,
			Roles:    []string{"EntitlementManagement.Read.All", "LifecycleWorkflows.Read.All", "AccessReview.Read.All", "Directory.Read.All", "Policy.Read.All", "Policy.Read.B2BManagementPolicy"},
		},
		{
			ClientID: SystemAssignedClientID, DisplayName: "entragov-vm", ObjectID: SystemAssignedObjectID,
			ManagedIdentity: SystemAssigned, Roles: managedIdentityRoles(),
		},
		{
			ClientID: UserAssignedClientID, DisplayName: "entragov-terraform", ObjectID: UserAssignedObjectID,
			ManagedIdentity: UserAssigned, ResourceID: UserAssignedResourceID, Roles: managedIdentityRoles(),
		},
	}
}

// managedIdentityRoles are the Graph app roles the authentication guide has assigned to
// a managed identity that manages governance objects.
func managedIdentityRoles() []string {
	return []string{"EntitlementManagement.ReadWrite.All", "LifecycleWorkflows.ReadWrite.All", "User.Read.All", "Group.ReadWrite.All", "Directory.Read.All"}
}

// Service is the identity platform of one tenant.
type Service struct {
	tenantID  string
	store     *store.Store
	authority *Authority
	now       func() time.Time

	// appsMu guards apps: certificates and federated subjects can be added at run time.
	appsMu sync.RWMutex
	apps   map[string]App // by lower-case client id
}

// New checks and registers the apps; Open then attaches the store.
func New(tenantID string, apps []App, now func() time.Time) (*Service, error) {
	s := &Service{tenantID: tenantID, now: now, apps: map[string]App{}}
	for _, a := range apps {
		if a.ClientID == "" {
			return nil, errors.New("emulator: app without ClientID")
		}
		if a.ObjectID == "" {
			a.ObjectID = uuid.NewString()
		}
		for _, c := range a.Certificates {
			if err := checkAppCertificate(c); err != nil {
				return nil, fmt.Errorf("emulator: app %s: %w", a.ClientID, err)
			}
		}
		// Own the slices: later additions must not write into the caller's arrays.
		a.Certificates = append([]*x509.Certificate(nil), a.Certificates...)
		a.FederatedSubjects = append([]string(nil), a.FederatedSubjects...)
		a.FederatedCredentials = append([]FederatedCredential(nil), a.FederatedCredentials...)
		if a.ManagedIdentity != NotManagedIdentity && a.Secret != "" {
			return nil, fmt.Errorf("emulator: managed identity %s cannot have a secret", a.ClientID)
		}
		s.apps[strings.ToLower(a.ClientID)] = a
	}
	return s, nil
}

// Open merges the credentials persisted in st into the apps and loads (or creates
// and persists) the key material unless authority is given.
func (s *Service) Open(st *store.Store, authority *Authority) error {
	s.store = st
	if err := s.loadAppCredentials(); err != nil {
		return err
	}
	if authority != nil {
		s.authority = authority
		return nil
	}
	var err error
	s.authority, err = loadOrCreateAuthority(st)
	return err
}

// Authority returns the key material used for TLS and tokens.
func (s *Service) Authority() *Authority { return s.authority }

// Routes is the identity route table: the app credential and federation IdP control
// endpoints and the tenant's OAuth2/OpenID endpoints (the {tenant} routes, so the
// server adds this table last).
func (s *Service) Routes() route.Table {
	var t route.Table
	t.Add(route.Control, nil, "/_emulator/apps/{clientId}/certificates", map[string]route.Handler{
		http.MethodGet:  s.ctlListCertificates,
		http.MethodPost: s.ctlAddCertificate,
	})
	t.Add(route.Control, nil, "/_emulator/apps/{clientId}/federatedSubjects", map[string]route.Handler{
		http.MethodGet:  s.ctlListFederatedSubjects,
		http.MethodPost: s.ctlAddFederatedSubject,
	})
	t.Add(route.Control, nil, FederationPath+"/.well-known/openid-configuration", map[string]route.Handler{http.MethodGet: s.fedDiscovery})
	t.Add(route.Control, nil, FederationPath+"/keys", map[string]route.Handler{http.MethodGet: s.fedKeys})
	t.Add(route.Control, nil, FederationPath+"/token", map[string]route.Handler{http.MethodPost: s.fedToken})
	t.Add(route.Control, nil, FederationPath+"/github", map[string]route.Handler{http.MethodGet: s.fedGitHub})
	t.Add(route.Control, nil, FederationPath+"/azuredevops", map[string]route.Handler{http.MethodPost: s.fedAzureDevOps})
	t.Add(route.Control, nil, IMDSTokenPath, map[string]route.Handler{http.MethodGet: s.imdsToken})
	t.Add(route.Control, nil, AppServiceTokenPath, map[string]route.Handler{http.MethodGet: s.appServiceToken})
	t.Add(route.Auth, nil, "/{tenant}/v2.0/.well-known/openid-configuration", map[string]route.Handler{http.MethodGet: s.openIDConfig})
	t.Add(route.Auth, nil, "/{tenant}/discovery/v2.0/keys", map[string]route.Handler{http.MethodGet: s.jwks})
	t.Add(route.Auth, nil, "/{tenant}/oauth2/v2.0/token", map[string]route.Handler{http.MethodPost: s.token})
	return t
}
