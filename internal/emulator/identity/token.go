package identity

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

const (
	// GraphResource and GraphAppID name Microsoft Graph in scopes and token audiences.
	GraphResource = "https://graph.microsoft.com"
	GraphAppID    = "00000003-0000-0000-c000-000000000000"
	tokenLifetime = 3599 // seconds, as Entra answers
)

// tenantOK accepts the tenant id and the multi-tenant aliases.
func (s *Service) tenantOK(t string) bool {
	switch strings.ToLower(t) {
	case s.tenantID, "organizations", "common":
		return true
	}
	return false
}

// oauthError writes the OAuth2 error shape of the token service (spec 3.6).
func oauthError(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	trace := w.Header().Get("request-id")
	wire.WriteJSON(w, status, map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", aadsts, desc, trace, w.Header().Get("client-request-id"), time.Now().UTC().Format("2006-01-02 15:04:05Z")),
		"error_codes":       []int{aadsts},
		"timestamp":         time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id":          trace,
		"correlation_id":    w.Header().Get("client-request-id"),
	})
}

func (s *Service) badTenant(w http.ResponseWriter, t string) {
	oauthError(w, http.StatusBadRequest, "invalid_tenant", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", t))
}

func (s *Service) openIDConfig(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if !s.tenantOK(p["tenant"]) {
		s.badTenant(w, p["tenant"])
		return nil
	}
	base := wire.BaseURL(r)
	tid := s.tenantID
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/" + tid + "/v2.0",
		"authorization_endpoint":                base + "/" + tid + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/" + tid + "/oauth2/v2.0/token",
		"jwks_uri":                              base + "/" + tid + "/discovery/v2.0/keys",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"tenant_region_scope":                   "NA",
		"cloud_instance_name":                   "microsoftonline.com",
	})
	return nil
}

func (s *Service) jwks(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if !s.tenantOK(p["tenant"]) {
		s.badTenant(w, p["tenant"])
		return nil
	}
	wire.WriteJSON(w, http.StatusOK, s.jwkSet())
	return nil
}

// jwkSet is the JWKS of the token signing key (tenant and federation issuer share it).
func (s *Service) jwkSet() map[string]any {
	signer, kid := s.authority.signer()
	pub := signer.Public().(*rsa.PublicKey)
	return map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}}
}

// audienceFor maps a requested .default scope to the token audience, or "" if the
// scope names no resource the emulator serves.
func (s *Service) audienceFor(scope, base string) string {
	res, ok := strings.CutSuffix(scope, "/.default")
	if !ok {
		return ""
	}
	res = strings.TrimSuffix(res, "/")
	switch {
	case strings.EqualFold(res, GraphResource), strings.EqualFold(res, GraphAppID):
		return GraphResource
	case strings.EqualFold(res, base):
		return base
	}
	return ""
}

func (s *Service) token(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if !s.tenantOK(p["tenant"]) {
		s.badTenant(w, p["tenant"])
		return nil
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		return nil //nolint:nilerr // the OAuth error reply is written; the handler itself succeeded
	}
	req, fail := readTokenRequest(r)
	if fail != nil {
		fail.write(w)
		return nil
	}
	app, acr, fail := s.authenticateClient(r, req, p["tenant"])
	if fail != nil {
		fail.write(w)
		return nil
	}
	aud, fail := s.tokenAudience(r.PostForm.Get("scope"), wire.BaseURL(r))
	if fail != nil {
		fail.write(w)
		return nil
	}
	signed, err := s.issueToken(app, acr, aud)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     tokenLifetime,
		"ext_expires_in": tokenLifetime,
		"access_token":   signed,
	})
	return nil
}

// tokenRequest is a client_credentials request: the client and how it proves who it is.
type tokenRequest struct {
	clientID, secret         string
	assertion, assertionType string
	useAssertion             bool
}

// readTokenRequest reads the grant type and the client's credentials, refusing what Entra ID refuses
// before it looks the client up.
func readTokenRequest(r *http.Request) (*tokenRequest, *oauthFailure) {
	f := r.PostForm
	switch gt := f.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		return nil, &oauthFailure{http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."}
	default:
		return nil, &oauthFailure{http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt)}
	}
	req := &tokenRequest{clientID: f.Get("client_id"), secret: f.Get("client_secret"),
		assertion: f.Get("client_assertion"), assertionType: f.Get("client_assertion_type")}
	if u, pw, ok := r.BasicAuth(); ok { // client_secret_basic
		req.clientID, req.secret = u, pw
	}
	req.useAssertion = req.assertion != "" || req.assertionType != ""
	if req.useAssertion {
		switch {
		case req.secret != "":
			return nil, invalidClient(7000216, "Only one of 'client_assertion', 'client_secret' or 'request' may be sent for the 'client_credentials' grant type.")
		case req.assertionType != ClientAssertionType:
			return nil, &oauthFailure{http.StatusBadRequest, "invalid_request", 50027, fmt.Sprintf("Invalid client_assertion_type '%s'; it must be '%s'.", req.assertionType, ClientAssertionType)}
		case req.assertion == "":
			return nil, &oauthFailure{http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_assertion'."}
		}
	}
	if req.clientID == "" {
		return nil, &oauthFailure{http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."}
	}
	return req, nil
}

// authenticateClient finds the app and checks its secret or client assertion; acr is the token's
// appidacr: 1 for a secret, 2 for a client assertion (certificate or federated).
func (s *Service) authenticateClient(r *http.Request, req *tokenRequest, tenant string) (app App, acr string, fail *oauthFailure) {
	app, ok := s.App(req.clientID)
	if !ok {
		return app, "", &oauthFailure{http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'.", req.clientID, s.tenantID)}
	}
	switch {
	case req.useAssertion:
		acr, fail = s.verifyClientAssertion(r, app, req.assertion, tenant)
		return app, acr, fail
	case req.secret == "":
		return app, "", invalidClient(7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.")
	case app.Secret == "" || req.secret != app.Secret:
		return app, "", invalidClient(7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", app.ClientID)
	}
	return app, "1", nil
}

// tokenAudience is the one resource the scope names. MSAL appends openid/profile/offline_access;
// exactly one resource/.default must remain.
func (s *Service) tokenAudience(scope, base string) (string, *oauthFailure) {
	var aud string
	var resources int
	for _, sc := range strings.Fields(scope) {
		switch sc {
		case "openid", "profile", "offline_access":
			continue
		}
		resources++
		aud = s.audienceFor(sc, base)
	}
	if resources != 1 || aud == "" {
		return "", &oauthFailure{http.StatusBadRequest, "invalid_scope", 1002012, fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)}
	}
	return aud, nil
}

// issueToken signs an app-only access token for aud.
func (s *Service) issueToken(app App, acr, aud string) (string, error) {
	now := s.now()
	signer, kid := s.authority.signer()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"aud":      aud,
		"iss":      "https://sts.windows.net/" + s.tenantID + "/",
		"iat":      now.Unix(),
		"nbf":      now.Unix(),
		"exp":      now.Add(tokenLifetime * time.Second).Unix(),
		"tid":      s.tenantID,
		"oid":      app.ObjectID,
		"sub":      app.ObjectID,
		"appid":    app.ClientID,
		"appidacr": acr,
		"idtyp":    "app",
		"roles":    app.Roles,
		"uti":      uuid.NewString(),
		"ver":      "1.0",
	})
	tok.Header["kid"] = kid
	return tok.SignedString(signer)
}

// Claims is what handlers and the permission check need from a verified token.
type Claims struct {
	roles    map[string]bool
	objectID string // oid: the calling app's service principal
}

// ObjectID is the calling app's service principal (the token's oid).
func (c *Claims) ObjectID() string { return c.objectID }

// HasRole reports whether the token carries the application permission role.
func (c *Claims) HasRole(role string) bool { return c.roles[role] }

// NewClaims makes claims carrying roles, for tests of permission tables.
func NewClaims(roles ...string) *Claims {
	c := &Claims{roles: map[string]bool{}}
	for _, r := range roles {
		c.roles[r] = true
	}
	return c
}

// Allows is the permission check of every Graph route: one of the roles the route
// names (spec 3.7).
func (c *Claims) Allows(perm route.Permission) bool {
	if len(perm.AnyOf) == 0 {
		return true
	}
	for _, r := range perm.AnyOf {
		if c.roles[r] {
			return true
		}
	}
	return false
}

type claimsKey struct{}

// WithClaims hands the verified token to the handlers (ClaimsFrom).
func WithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFrom returns the verified token of a Graph request (empty if there is none).
func ClaimsFrom(r *http.Request) *Claims {
	if c, ok := r.Context().Value(claimsKey{}).(*Claims); ok {
		return c
	}
	return NewClaims()
}

func unauthenticated(msg string) *wire.Error {
	return &wire.Error{Status: http.StatusUnauthorized, Code: wire.CodeInvalidAuthToken, Message: msg}
}

// Authenticate verifies the bearer token of a Graph request.
func (s *Service) Authenticate(r *http.Request) (*Claims, *wire.Error) {
	h := r.Header.Get("Authorization")
	scheme, raw, ok := strings.Cut(h, " ")
	if h == "" {
		return nil, unauthenticated("Access token is empty.")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
		return nil, unauthenticated("Access token validation failure. Invalid audience.")
	}
	signer, kid := s.authority.signer()
	pub := signer.Public()
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(strings.TrimSpace(raw), claims, func(t *jwt.Token) (any, error) {
		if k, _ := t.Header["kid"].(string); k != kid {
			return nil, errors.New("unknown signing key")
		}
		return pub, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now),
		jwt.WithIssuer("https://sts.windows.net/"+s.tenantID+"/"))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, unauthenticated("Lifetime validation failed, the token is expired.")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return nil, unauthenticated("Access token validation failure. Invalid issuer.")
	case err != nil:
		return nil, unauthenticated("Access token validation failure. " + err.Error())
	}
	if tid, _ := claims["tid"].(string); !strings.EqualFold(tid, s.tenantID) {
		return nil, unauthenticated("Access token validation failure. Invalid tenant.")
	}
	aud, _ := claims["aud"].(string)
	aud = strings.TrimSuffix(aud, "/")
	if !strings.EqualFold(aud, GraphResource) && !strings.EqualFold(aud, GraphAppID) && !strings.EqualFold(aud, wire.BaseURL(r)) {
		return nil, unauthenticated("Access token validation failure. Invalid audience.")
	}
	c := NewClaims()
	c.objectID, _ = claims["oid"].(string)
	if roles, ok := claims["roles"].([]any); ok {
		for _, x := range roles {
			if sr, ok := x.(string); ok {
				c.roles[sr] = true
			}
		}
	}
	return c, nil
}

// WriteUnauthenticated answers a Graph request whose token Authenticate refused.
func (s *Service) WriteUnauthenticated(w http.ResponseWriter, r *http.Request, aerr *wire.Error) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+wire.BaseURL(r)+"/"+s.tenantID+`/oauth2/v2.0/authorize", client_id="`+GraphAppID+`"`)
	wire.WriteError(w, aerr.Status, aerr.Code, aerr.Message)
}
