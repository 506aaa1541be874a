package identity

import (
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// The emulator plays the external identity provider of workload identity federation
// too, so federated sign-in can be tested without any outside system. Its issuer is
// FederationIssuer(base); it signs with the Authority's token key.
const (
	// FederationPath is the issuer path under the emulator's URL, and the prefix of the
	// IdP's control endpoints.
	FederationPath = "/_emulator/federation"
	// FederationAudience is the audience Entra expects in federated assertions.
	FederationAudience = "api://AzureADTokenExchange"
	// DefaultFederatedTokenTTL is the lifetime of issued federated tokens when none is given.
	DefaultFederatedTokenTTL = 10 * time.Minute
	// GitHubRequestToken is the only request token the GitHub-Actions-compatible OIDC
	// endpoint (FederationPath + "/github") accepts (ACTIONS_ID_TOKEN_REQUEST_TOKEN).
	GitHubRequestToken = "entragov-local-github-request-token"
	// GitHubDefaultSubject is the sub of tokens from the GitHub endpoint without ?subject=.
	GitHubDefaultSubject = "repo:entragov/demo:ref:refs/heads/main"
	// KubernetesDefaultSubject is a service account subject the admin app trusts.
	KubernetesDefaultSubject = "system:serviceaccount:entragov:terraform"

	// The Azure DevOps imitation (FederationPath + "/azuredevops", SYSTEM_OIDCREQUESTURI)
	// issues tokens as Azure DevOps does for a workload identity service connection:
	// issuer https://vstoken.dev.azure.com/<organization id>, subject
	// sc://<organization>/<project>/<service connection name>. The admin app trusts it.
	ADOOrganizationID           = "c0ffee00-1234-4abc-8def-0123456789ab"
	ADOIssuer                   = "https://vstoken.dev.azure.com/" + ADOOrganizationID
	ADOServiceConnectionID      = "2b7f4c1e-8d9a-4b3c-a5e6-f7a8b9c0d1e2"
	ADOServiceConnectionSubject = "sc://entragov/governance/entragov-local"
	// ADORequestToken is the only job access token (SYSTEM_ACCESSTOKEN) it accepts.
	ADORequestToken = "entragov-local-ado-access-token"
)

// FederationIssuer is the iss of federated tokens for an emulator reached at base
// (scheme://host:port, as in Instance.URL).
func FederationIssuer(base string) string {
	return strings.TrimRight(base, "/") + FederationPath
}

// IssueFederatedToken issues a token of the federation IdP: iss FederationIssuer(base),
// the given sub and aud (FederationAudience when empty), exp now+ttl
// (DefaultFederatedTokenTTL when ttl is zero; a negative ttl gives an expired token,
// for tests), signed RS256 with the Authority's key (kid set). Exchanged at the token
// endpoint as client_assertion, it signs in an app listing subject in FederatedSubjects.
func (s *Service) IssueFederatedToken(base, subject, audience string, ttl time.Duration) (string, error) {
	if strings.TrimSpace(subject) == "" {
		return "", errors.New("emulator: federated token needs a subject")
	}
	if base == "" {
		return "", errors.New("emulator: federated token needs the emulator base URL")
	}
	return s.issueFederated(FederationIssuer(base), subject, audience, ttl)
}

// issueFederated signs a federated token of issuer with the Authority's key.
func (s *Service) issueFederated(issuer, subject, audience string, ttl time.Duration) (string, error) {
	if audience == "" {
		audience = FederationAudience
	}
	if ttl == 0 {
		ttl = DefaultFederatedTokenTTL
	}
	now := s.now()
	exp := now.Add(ttl)
	issued := now
	if ttl < 0 {
		issued = exp.Add(-DefaultFederatedTokenTTL)
	}
	signer, kid := s.authority.signer()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": issuer,
		"sub": subject,
		"aud": audience,
		"iat": issued.Unix(),
		"nbf": issued.Unix(),
		"exp": exp.Unix(),
		"jti": uuid.NewString(),
	})
	tok.Header["kid"] = kid
	return tok.SignedString(signer)
}

func (s *Service) fedDiscovery(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	iss := FederationIssuer(wire.BaseURL(r))
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + "/keys",
		"response_types_supported":              []string{"id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"claims_supported":                      []string{"sub", "aud", "exp", "iat", "iss", "jti", "nbf"},
	})
	return nil
}

func (s *Service) fedKeys(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	wire.WriteJSON(w, http.StatusOK, s.jwkSet())
	return nil
}

// fedToken: POST {"subject": "...", "audience": "...", "ttl": "10m"} -> {"value": "<jwt>"}.
func (s *Service) fedToken(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	var req struct {
		Subject  string `json:"subject"`
		Audience string `json:"audience"`
		TTL      string `json:"ttl"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return wire.BadRequest(`body must be {"subject": "...", "audience": "...", "ttl": "10m"}: ` + err.Error())
	}
	if strings.TrimSpace(req.Subject) == "" {
		return wire.BadRequest("subject is required")
	}
	var ttl time.Duration
	if req.TTL != "" {
		var err error
		if ttl, err = time.ParseDuration(req.TTL); err != nil {
			return wire.BadRequest("ttl: " + err.Error())
		}
	}
	tok, err := s.IssueFederatedToken(wire.BaseURL(r), req.Subject, req.Audience, ttl)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"value": tok})
	return nil
}

// fedGitHub answers like the GitHub Actions OIDC request URL
// (ACTIONS_ID_TOKEN_REQUEST_URL): GET ?audience=...&subject=... with
// "Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>" -> {"count": 1, "value": "<jwt>"}.
func (s *Service) fedGitHub(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(GitHubRequestToken)) != 1 {
		return &wire.Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "The OIDC request token is missing or wrong; send 'Authorization: Bearer " + GitHubRequestToken + "'."}
	}
	q := r.URL.Query()
	sub := q.Get("subject")
	if sub == "" {
		sub = GitHubDefaultSubject
	}
	jwtStr, err := s.IssueFederatedToken(wire.BaseURL(r), sub, q.Get("audience"), 0)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"count": 1, "value": jwtStr})
	return nil
}

// fedAzureDevOps answers like an Azure Pipelines job's OIDC token service
// (SYSTEM_OIDCREQUESTURI): POST ?api-version=7.1&serviceConnectionId=<id> with
// "Authorization: Bearer <SYSTEM_ACCESSTOKEN>" -> {"oidcToken": "<jwt>"}.
func (s *Service) fedAzureDevOps(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(ADORequestToken)) != 1 {
		wire.WriteJSON(w, http.StatusUnauthorized, adoError("TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException"))
		return nil
	}
	q := r.URL.Query()
	if v := q.Get("api-version"); v != "7.1" && v != "7.1-preview.1" {
		wire.WriteJSON(w, http.StatusBadRequest, adoError("The requested REST API version of '"+v+"' is not supported; use 7.1.", "VssVersionNotSupportedException"))
		return nil
	}
	if id := q.Get("serviceConnectionId"); !strings.EqualFold(id, ADOServiceConnectionID) {
		wire.WriteJSON(w, http.StatusNotFound, adoError("Service connection with id '"+id+"' was not found, or the pipeline is not authorized to use it.", "ServiceEndpointNotFoundException"))
		return nil
	}
	jwtStr, err := s.issueFederated(ADOIssuer, ADOServiceConnectionSubject, FederationAudience, 0)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"oidcToken": jwtStr})
	return nil
}

// adoError is the error shape of the Azure DevOps REST API.
func adoError(message, typeKey string) map[string]any {
	return map[string]any{"$id": "1", "innerException": nil, "message": message,
		"typeName": "Microsoft.VisualStudio.Services." + typeKey, "typeKey": typeKey, "errorCode": 0, "eventId": 3000}
}

// ---- app credential control endpoints ----

func (s *Service) ctlListCertificates(w http.ResponseWriter, r *http.Request, p route.Params) error {
	a, ok := s.App(p["clientId"])
	if !ok {
		return route.ControlError(appNotFound(p["clientId"]))
	}
	out := make([]map[string]any, 0, len(a.Certificates))
	for _, c := range a.Certificates {
		out = append(out, certInfo(c))
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"value": out})
	return nil
}

// ctlAddCertificate registers a certificate: the body is PEM (a combined cert + key
// file is fine; the first CERTIFICATE block counts) or {"certificatePem": "..."}.
func (s *Service) ctlAddCertificate(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return wire.BadRequest("reading body: " + err.Error())
	}
	if trimmed := strings.TrimSpace(string(body)); strings.HasPrefix(trimmed, "{") {
		var req struct {
			CertificatePEM string `json:"certificatePem"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return wire.BadRequest(`body must be PEM or {"certificatePem": "..."}: ` + err.Error())
		}
		body = []byte(req.CertificatePEM)
	}
	certs, err := parsePEMCertificates(body)
	if err != nil {
		return wire.BadRequest("certificate: " + err.Error())
	}
	if len(certs) == 0 {
		return wire.BadRequest("body holds no PEM CERTIFICATE block")
	}
	if err := checkAppCertificate(certs[0]); err != nil {
		return wire.BadRequest(err.Error())
	}
	if err := s.AddAppCertificate(p["clientId"], certs[0]); err != nil {
		return route.ControlError(err)
	}
	wire.WriteJSON(w, http.StatusCreated, certInfo(certs[0]))
	return nil
}

func (s *Service) ctlListFederatedSubjects(w http.ResponseWriter, r *http.Request, p route.Params) error {
	a, ok := s.App(p["clientId"])
	if !ok {
		return route.ControlError(appNotFound(p["clientId"]))
	}
	subs := append([]string{}, a.FederatedSubjects...)
	wire.WriteJSON(w, http.StatusOK, map[string]any{"issuer": FederationIssuer(wire.BaseURL(r)), "audience": FederationAudience, "value": subs})
	return nil
}

// ctlAddFederatedSubject: POST {"subject": "..."}.
func (s *Service) ctlAddFederatedSubject(w http.ResponseWriter, r *http.Request, p route.Params) error {
	var req struct {
		Subject string `json:"subject"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return wire.BadRequest(`body must be {"subject": "..."}: ` + err.Error())
	}
	if strings.TrimSpace(req.Subject) == "" {
		return wire.BadRequest("subject is required")
	}
	if err := s.AddFederatedSubject(p["clientId"], req.Subject); err != nil {
		return route.ControlError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// certInfo describes a registered certificate: thumbprint is the hex SHA-1 that Entra
// shows as customKeyIdentifier, x5t and x5t#S256 the base64url header values.
func certInfo(c *x509.Certificate) map[string]any {
	return map[string]any{
		"thumbprint":    strings.ToUpper(hex.EncodeToString(sha1Thumbprint(c))),
		"x5t":           base64.RawURLEncoding.EncodeToString(sha1Thumbprint(c)),
		"x5t#S256":      base64.RawURLEncoding.EncodeToString(sha256Thumbprint(c)),
		"subject":       c.Subject.String(),
		"startDateTime": c.NotBefore.UTC().Format(time.RFC3339),
		"endDateTime":   c.NotAfter.UTC().Format(time.RFC3339),
	}
}
