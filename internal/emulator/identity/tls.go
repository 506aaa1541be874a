package identity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
)

// Authority holds the emulator's key material: a self-signed CA that issues the HTTPS
// leaf certificate (clients trust it through SSL_CERT_FILE) and the RSA key that signs
// access tokens. Keeping both together lets one Authority serve many in-process
// Servers (RSA key generation is the slow part of New).
type Authority struct {
	caCert  *x509.Certificate
	caKey   *ecdsa.PrivateKey
	certPEM []byte

	signKey *rsa.PrivateKey
	kid     string

	mu   sync.Mutex
	leaf *tls.Certificate
}

const (
	metaCACert  = "ca_cert_der"
	metaCAKey   = "ca_key_pkcs8"
	metaSignKey = "jwt_sign_key_pkcs8"
)

// NewAuthority creates fresh, unpersisted key material.
func NewAuthority() (*Authority, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "entragov emulator local CA", Organization: []string{"entragov emulator"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	signKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	return newAuthorityFrom(der, caKey, signKey)
}

func newAuthorityFrom(caDER []byte, caKey *ecdsa.PrivateKey, signKey *rsa.PrivateKey) (*Authority, error) {
	cert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	a := &Authority{
		caCert:  cert,
		caKey:   caKey,
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		signKey: signKey,
	}
	// kid: a stable thumbprint of the public key, so it survives restarts with the key.
	sum := sha256.Sum256(x509.MarshalPKCS1PublicKey(&signKey.PublicKey))
	a.kid = base64.RawURLEncoding.EncodeToString(sum[:16])
	return a, nil
}

// loadOrCreateAuthority reads the persisted key material or creates and saves it.
func loadOrCreateAuthority(st *store.Store) (*Authority, error) {
	caDER, err1 := st.GetMeta(metaCACert)
	caKeyDER, err2 := st.GetMeta(metaCAKey)
	signDER, err3 := st.GetMeta(metaSignKey)
	if err1 == nil && err2 == nil && err3 == nil {
		k, err := x509.ParsePKCS8PrivateKey(caKeyDER)
		if err != nil {
			return nil, fmt.Errorf("stored CA key: %w", err)
		}
		caKey, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return nil, errors.New("stored CA key is not ECDSA")
		}
		k, err = x509.ParsePKCS8PrivateKey(signDER)
		if err != nil {
			return nil, fmt.Errorf("stored signing key: %w", err)
		}
		signKey, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("stored signing key is not RSA")
		}
		return newAuthorityFrom(caDER, caKey, signKey)
	}
	for _, err := range []error{err1, err2, err3} {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	a, err := NewAuthority()
	if err != nil {
		return nil, err
	}
	caKeyDER, err = x509.MarshalPKCS8PrivateKey(a.caKey)
	if err != nil {
		return nil, err
	}
	signDER, err = x509.MarshalPKCS8PrivateKey(a.signKey)
	if err != nil {
		return nil, err
	}
	if err := st.SetMeta(map[string][]byte{metaCACert: a.caCert.Raw, metaCAKey: caKeyDER, metaSignKey: signDER}); err != nil {
		return nil, err
	}
	return a, nil
}

// CertPEM returns the CA certificate in PEM form.
func (a *Authority) CertPEM() []byte { return append([]byte(nil), a.certPEM...) }

// WriteCertFile writes the CA certificate (PEM) to path, for SSL_CERT_FILE.
func (a *Authority) WriteCertFile(path string) error {
	return os.WriteFile(path, a.certPEM, 0o644)
}

// CertPool returns a pool holding only the CA, for clients in tests.
func (a *Authority) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(a.caCert)
	return p
}

// LeafCertificate returns the server certificate for 127.0.0.1, ::1 and localhost,
// issued on first use and reused afterwards.
func (a *Authority) LeafCertificate() (*tls.Certificate, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.leaf != nil && time.Now().Before(a.leaf.Leaf.NotAfter.Add(-24*time.Hour)) {
		return a.leaf, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	notAfter := time.Now().AddDate(0, 0, 397) // within the browser/platform leaf lifetime limits
	if notAfter.After(a.caCert.NotAfter) {
		notAfter = a.caCert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"entragov emulator"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.caCert, &key.PublicKey, a.caKey)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	a.leaf = &tls.Certificate{Certificate: [][]byte{der, a.caCert.Raw}, PrivateKey: key, Leaf: leaf}
	return a.leaf, nil
}

// ServerTLSConfig is a TLS configuration that serves the leaf certificate.
func (a *Authority) ServerTLSConfig() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return a.LeafCertificate()
		},
	}
}

// signer returns the token signing key and its key id.
func (a *Authority) signer() (crypto.Signer, string) { return a.signKey, a.kid }
