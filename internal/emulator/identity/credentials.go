package identity

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // #nosec G505 -- x5t is defined as a SHA-1 thumbprint (RFC 7515 4.1.7)
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/golang-jwt/jwt/v5"
)

// ClientAssertionType is the only client_assertion_type the token endpoint accepts.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLeeway is the clock skew allowed on exp and nbf of client assertions
// (Entra allows five minutes).
const assertionLeeway = 5 * time.Minute

// Meta keys of credentials added at run time (AddAppCertificate, AddFederatedSubject),
// followed by the lower-case client id. They live in the meta table, so they survive a
// restart on the same database and a Reset.
const (
	metaAppCertsPrefix    = "app_certs:"              // concatenated PEM certificates
	metaAppSubjectsPrefix = "app_federated_subjects:" // JSON array of strings
)

// NewTestCertificate creates a self-signed RSA 2048 client certificate valid for one
// day. certPEM holds one CERTIFICATE block, keyPEM one PKCS#8 "PRIVATE KEY" block;
// their concatenation is what azidentity.ParseCertificates (and so a provider
// configured with a PEM client certificate) accepts.
func NewTestCertificate(commonName string) (certPEM, keyPEM []byte, cert *x509.Certificate, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             now.Add(-5 * time.Minute),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err = x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, nil, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	return certPEM, keyPEM, cert, nil
}

// checkAppCertificate accepts what Entra accepts as an app key credential: an RSA key.
func checkAppCertificate(c *x509.Certificate) error {
	if c == nil {
		return errors.New("nil certificate")
	}
	if _, ok := c.PublicKey.(*rsa.PublicKey); !ok {
		return fmt.Errorf("certificate %q has a %T public key; app certificates must be RSA", c.Subject.CommonName, c.PublicKey)
	}
	return nil
}

// App returns a registered app by client id (case-insensitive).
func (s *Service) App(clientID string) (App, bool) {
	s.appsMu.RLock()
	defer s.appsMu.RUnlock()
	a, ok := s.apps[strings.ToLower(clientID)]
	return a, ok
}

func appNotFound(clientID string) error {
	return fmt.Errorf("emulator: app %q: %w", clientID, store.ErrNotFound)
}

// AddAppCertificate registers a public certificate on an existing app, so the app can
// sign in with client assertions signed by the certificate's key. The certificate
// must have an RSA key; registering it twice is a no-op. It is persisted in the
// database (it survives Reset and a restart on the same file).
func (s *Service) AddAppCertificate(clientID string, cert *x509.Certificate) error {
	if err := checkAppCertificate(cert); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	s.appsMu.Lock()
	defer s.appsMu.Unlock()
	key := strings.ToLower(clientID)
	a, ok := s.apps[key]
	if !ok {
		return appNotFound(clientID)
	}
	if slices.ContainsFunc(a.Certificates, func(c *x509.Certificate) bool { return c.Equal(cert) }) {
		return nil
	}
	stored, err := s.store.GetMeta(metaAppCertsPrefix + key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	stored = append(stored, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})...)
	if err := s.store.SetMeta(map[string][]byte{metaAppCertsPrefix + key: stored}); err != nil {
		return err
	}
	a.Certificates = append(slices.Clip(a.Certificates), cert)
	s.apps[key] = a
	return nil
}

// AddFederatedSubject lets an existing app accept federation assertions (issuer
// FederationIssuer, audience FederationAudience) with the given subject. Adding a
// subject twice is a no-op; it is persisted like AddAppCertificate.
func (s *Service) AddFederatedSubject(clientID, subject string) error {
	if strings.TrimSpace(subject) == "" {
		return errors.New("emulator: empty federated subject")
	}
	s.appsMu.Lock()
	defer s.appsMu.Unlock()
	key := strings.ToLower(clientID)
	a, ok := s.apps[key]
	if !ok {
		return appNotFound(clientID)
	}
	if slices.Contains(a.FederatedSubjects, subject) {
		return nil
	}
	var stored []string
	raw, err := s.store.GetMeta(metaAppSubjectsPrefix + key)
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, &stored); err != nil {
			return fmt.Errorf("stored federated subjects of %s: %w", clientID, err)
		}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	raw, err = json.Marshal(append(stored, subject))
	if err != nil {
		return err
	}
	if err := s.store.SetMeta(map[string][]byte{metaAppSubjectsPrefix + key: raw}); err != nil {
		return err
	}
	a.FederatedSubjects = append(slices.Clip(a.FederatedSubjects), subject)
	s.apps[key] = a
	return nil
}

// loadAppCredentials merges the persisted run-time credentials into the configured
// apps. Entries of client ids that are not configured are ignored.
func (s *Service) loadAppCredentials() error {
	for key, a := range s.apps {
		raw, err := s.store.GetMeta(metaAppCertsPrefix + key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		certs, err := parsePEMCertificates(raw)
		if err != nil {
			return fmt.Errorf("emulator: stored certificates of %s: %w", a.ClientID, err)
		}
		for _, c := range certs {
			if !slices.ContainsFunc(a.Certificates, func(x *x509.Certificate) bool { return x.Equal(c) }) {
				a.Certificates = append(a.Certificates, c)
			}
		}
		raw, err = s.store.GetMeta(metaAppSubjectsPrefix + key)
		switch {
		case err == nil:
			var subs []string
			if err := json.Unmarshal(raw, &subs); err != nil {
				return fmt.Errorf("emulator: stored federated subjects of %s: %w", a.ClientID, err)
			}
			for _, sub := range subs {
				if !slices.Contains(a.FederatedSubjects, sub) {
					a.FederatedSubjects = append(a.FederatedSubjects, sub)
				}
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		s.apps[key] = a
	}
	return nil
}

// parsePEMCertificates returns every CERTIFICATE block of data; other blocks (a
// private key in a combined file) are skipped.
func parsePEMCertificates(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out, nil
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// thumbprints of a certificate as x5t and x5t#S256 carry them.
func sha1Thumbprint(c *x509.Certificate) []byte {
	sum := sha1.Sum(c.Raw) // #nosec G401 -- thumbprint, not a security boundary
	return sum[:]
}

func sha256Thumbprint(c *x509.Certificate) []byte {
	sum := sha256.Sum256(c.Raw)
	return sum[:]
}

// decodeB64 accepts base64url (RFC 7515) and, as MSAL for Go sends x5t with
// padded standard base64, standard base64 too.
func decodeB64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// ---- client assertion validation ----

// oauthFailure is a token endpoint error in the OAuth shape (see oauthError).
type oauthFailure struct {
	status int
	code   string
	aadsts int
	desc   string
}

func (f *oauthFailure) write(w http.ResponseWriter) {
	oauthError(w, f.status, f.code, f.aadsts, f.desc)
}

func invalidClient(aadsts int, format string, args ...any) *oauthFailure {
	return &oauthFailure{status: http.StatusUnauthorized, code: "invalid_client", aadsts: aadsts, desc: fmt.Sprintf(format, args...)}
}

const assertionDocs = "Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials ."

// verifyClientAssertion authenticates app with a client assertion. An assertion whose
// iss is the client id, or which names a certificate (x5t, x5t#S256, x5c) and no kid,
// is a certificate assertion; anything else is a federated one. It returns the
// token's appidacr ("2": client assertion).
func (s *Service) verifyClientAssertion(r *http.Request, app App, raw, tenant string) (string, *oauthFailure) {
	claims := jwt.MapClaims{}
	tok, _, err := jwt.NewParser().ParseUnverified(raw, claims)
	if err != nil {
		return "", invalidClient(50027, "JWT token is invalid or malformed. [Reason - %s]", err.Error())
	}
	iss, _ := claims.GetIssuer()
	_, hasKid := tok.Header["kid"]
	_, hasX5t := tok.Header["x5t"]
	_, hasX5tS256 := tok.Header["x5t#S256"]
	_, hasX5c := tok.Header["x5c"]
	if strings.EqualFold(iss, app.ClientID) || (!hasKid && (hasX5t || hasX5tS256 || hasX5c)) {
		return "2", s.verifyCertificateAssertion(r, app, tok, raw, claims, tenant)
	}
	return "2", s.verifyFederatedAssertion(r, app, tok, raw, claims)
}

// findAssertionCertificate picks the registered certificate the header names.
func findAssertionCertificate(app App, hdr map[string]any) (*x509.Certificate, *oauthFailure) {
	var shown string
	var cert *x509.Certificate
	for _, h := range []struct {
		name  string
		print func(*x509.Certificate) []byte
	}{{"x5t#S256", sha256Thumbprint}, {"x5t", sha1Thumbprint}} {
		v, present := hdr[h.name]
		if !present {
			continue
		}
		sv, _ := v.(string)
		want, err := decodeB64(sv)
		if err != nil || len(want) == 0 {
			return nil, invalidClient(50027, "JWT token is invalid or malformed. [Reason - The '%s' header is not base64 encoded.]", h.name)
		}
		shown = strings.ToUpper(hex.EncodeToString(want))
		for _, c := range app.Certificates {
			if bytes.Equal(h.print(c), want) {
				cert = c
				break
			}
		}
		break // the first thumbprint present decides
	}
	if v, present := hdr["x5c"]; present {
		chain, _ := v.([]any)
		var leaf *x509.Certificate
		if len(chain) > 0 {
			if sv, ok := chain[0].(string); ok {
				if der, err := base64.StdEncoding.DecodeString(sv); err == nil {
					leaf, _ = x509.ParseCertificate(der)
				}
			}
		}
		if leaf == nil {
			return nil, invalidClient(50027, "JWT token is invalid or malformed. [Reason - The 'x5c' header does not hold a certificate chain.]")
		}
		switch {
		case cert != nil && !cert.Equal(leaf):
			return nil, invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The certificate in the 'x5c' header does not match the thumbprint of the assertion.]")
		case cert == nil && shown == "":
			shown = strings.ToUpper(hex.EncodeToString(sha1Thumbprint(leaf)))
			for _, c := range app.Certificates {
				if c.Equal(leaf) {
					cert = c
				}
			}
		}
	}
	if shown == "" {
		return nil, invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The assertion names no certificate: it has no 'x5t', 'x5t#S256' or 'x5c' header.]")
	}
	if cert == nil {
		return nil, invalidClient(700027, "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '%s', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]", shown, app.ClientID)
	}
	return cert, nil
}

func (s *Service) verifyCertificateAssertion(r *http.Request, app App, tok *jwt.Token, raw string, claims jwt.MapClaims, tenant string) *oauthFailure {
	switch tok.Method.Alg() {
	case "RS256", "PS256":
	default:
		return invalidClient(5002738, "Invalid JWT token. '%s' is not a supported signature algorithm. Supported signing algorithms are: 'RS256, PS256'", tok.Method.Alg())
	}
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	if !strings.EqualFold(iss, app.ClientID) || !strings.EqualFold(sub, app.ClientID) {
		return invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter. %s", assertionDocs)
	}
	cert, fail := findAssertionCertificate(app, tok.Header)
	if fail != nil {
		return fail
	}
	now := s.now()
	if now.After(cert.NotAfter) || now.Before(cert.NotBefore) {
		return invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '%s', Found key 'Start=%s, End=%s']",
			strings.ToUpper(hex.EncodeToString(sha1Thumbprint(cert))), cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	}
	_, err := jwt.NewParser(jwt.WithValidMethods([]string{"RS256", "PS256"}), jwt.WithoutClaimsValidation()).
		Parse(raw, func(*jwt.Token) (any, error) { return cert.PublicKey, nil })
	if err != nil {
		return invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '%s', Found key 'Start=%s, End=%s', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]",
			strings.ToUpper(hex.EncodeToString(sha1Thumbprint(cert))), cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339), app.ClientID)
	}
	base := wire.BaseURL(r)
	auds, _ := claims.GetAudience()
	okAud := false
	for _, aud := range auds {
		aud = strings.TrimSuffix(aud, "/")
		for _, t := range []string{s.tenantID, tenant} {
			if strings.EqualFold(aud, base+"/"+t+"/oauth2/v2.0/token") {
				okAud = true
			}
		}
	}
	if !okAud {
		return invalidClient(700023, "Client assertion audience claim does not match Realm issuer. %s", assertionDocs)
	}
	if fail := checkAssertionTimes(claims, now); fail != nil {
		return fail
	}
	if jti, _ := claims["jti"].(string); strings.TrimSpace(jti) == "" {
		return invalidClient(50027, "JWT token is invalid or malformed. [Reason - The client assertion has no 'jti' claim.]")
	}
	return nil
}

// checkAssertionTimes requires exp and checks exp and nbf with assertionLeeway.
func checkAssertionTimes(claims jwt.MapClaims, now time.Time) *oauthFailure {
	exp, err1 := claims.GetExpirationTime()
	nbf, err2 := claims.GetNotBefore()
	if err1 != nil || err2 != nil {
		return invalidClient(50027, "JWT token is invalid or malformed. [Reason - The 'exp' or 'nbf' claim is not a number.]")
	}
	if exp == nil {
		return invalidClient(50027, "JWT token is invalid or malformed. [Reason - The client assertion has no 'exp' claim.]")
	}
	from := "-"
	if nbf != nil {
		from = nbf.UTC().Format("01/02/2006 15:04:05")
	}
	if !now.Before(exp.Add(assertionLeeway)) || (nbf != nil && now.Add(assertionLeeway).Before(nbf.Time)) {
		return invalidClient(700024, "Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .",
			now.UTC().Format("2006-01-02T15:04:05.0000000Z"), from, exp.UTC().Format("01/02/2006 15:04:05"))
	}
	return nil
}

func (s *Service) verifyFederatedAssertion(r *http.Request, app App, tok *jwt.Token, raw string, claims jwt.MapClaims) *oauthFailure {
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	auds, _ := claims.GetAudience()
	noMatch := func() *oauthFailure {
		return invalidClient(70021, "No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: '%s'. Please see https://learn.microsoft.com/entra/workload-id/workload-identity-federation for more information.",
			iss, sub, strings.Join(auds, ","))
	}
	want := FederationIssuer(wire.BaseURL(r))
	own := strings.EqualFold(strings.TrimSuffix(iss, "/"), want)
	trusted := func(c FederatedCredential) bool { return strings.EqualFold(strings.TrimSuffix(iss, "/"), c.Issuer) }
	if !own && !slices.ContainsFunc(app.FederatedCredentials, trusted) {
		return invalidClient(700211, "No matching federated identity record found for presented assertion issuer '%s'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation", iss)
	}
	signer, kid := s.authority.signer()
	if k, _ := tok.Header["kid"].(string); k != kid {
		return invalidClient(50013, "Assertion failed signature validation. [Reason - The key was not found., Key ID: '%v', Issuer: '%s']", tok.Header["kid"], iss)
	}
	_, err := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation()).
		Parse(raw, func(*jwt.Token) (any, error) { return signer.Public(), nil })
	if err != nil {
		return invalidClient(50013, "Assertion failed signature validation. [Reason - The key was found, but use of the key to verify the signature failed., Key ID: '%s', Issuer: '%s']", kid, iss)
	}
	if fail := checkAssertionTimes(claims, s.now()); fail != nil {
		return fail
	}
	matches := slices.Contains(app.FederatedSubjects, sub)
	if !own {
		matches = slices.ContainsFunc(app.FederatedCredentials, func(c FederatedCredential) bool { return trusted(c) && c.Subject == sub })
	}
	if !slices.ContainsFunc(auds, func(a string) bool { return strings.EqualFold(a, FederationAudience) }) || sub == "" || !matches {
		return noMatch()
	}
	return nil
}
