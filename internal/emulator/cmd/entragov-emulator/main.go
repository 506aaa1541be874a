// Command entragov-emulator runs the local Graph-compatible governance API over HTTPS
// for demos and manual testing. It is a test server: it refuses non-loopback
// addresses unless -allow-remote is given.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "entragov-emulator:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		listen       = flag.String("listen", "127.0.0.1:9443", "address to listen on (host:port)")
		allowRemote  = flag.Bool("allow-remote", false, "allow a non-loopback -listen address")
		dbPath       = flag.String("db", "entragov-emulator.db", `SQLite database file, or ":memory:"`)
		tenantID     = flag.String("tenant-id", emulator.DefaultTenantID, "tenant id")
		clientID     = flag.String("client-id", emulator.DefaultClientID, "client id of the admin app")
		clientSecret = flag.String("client-secret", emulator.DefaultClientSecret, "client secret of the admin app")
		certFile     = flag.String("cert-file", "entragov-emulator-ca.pem", "where to write the CA certificate (PEM) for SSL_CERT_FILE")
		pageSize     = flag.Int("page-size", 100, "collection page size")
		seed         = flag.Int64("seed", 0, "seed of the fault generator")
		throttle     = flag.Float64("throttle-rate", 0, "share of Graph requests answered 429 (0..1)")
		serverErr    = flag.Float64("server-error-rate", 0, "share of Graph requests answered 503 (0..1)")
		latency      = flag.Duration("latency", 0, "delay added to every Graph request")
		racDelay     = flag.Duration("read-after-create-delay", 0, "window after a create during which GET answers 404")
		policyClash  = flag.Bool("policy-create-conflict", false, "answer 409 DuplicateKey to an assignment policy create while another create for the same access package is in progress")
		dropRate     = flag.Float64("drop-after-commit-rate", 0, "share of Graph writes applied but answered by dropping the connection (0..1)")
		normalise    = flag.Bool("normalised", false, "answer the way Graph is documented or known to answer where that differs from what was sent (unordered collections reversed, @odata.type without '#', unset properties as null)")
		verbose      = flag.Bool("v", false, "log every request")
		seedFile     = flag.String("seed-file", "", "JSON file with the directory to seed (users, groups, applications, servicePrincipals) instead of the default Contoso directory; used for a new -db and on reset")
	)
	flag.Parse()

	if err := checkLoopback(*listen); err != nil && !*allowRemote {
		return err
	}
	apps := emulator.DefaultApps()
	apps[0].ClientID, apps[0].Secret = *clientID, *clientSecret
	logger := log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds)
	cfg := emulator.Config{DBPath: *dbPath, TenantID: *tenantID, Apps: apps, PageSize: *pageSize, SeedFile: *seedFile, Normalise: *normalise}
	if *verbose {
		cfg.Logf = logger.Printf
	}
	srv, err := emulator.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.SetFaults(emulator.Faults{Seed: *seed, ThrottleRate: *throttle, ServerErrorRate: *serverErr,
		Latency: *latency, ReadAfterCreateDelay: *racDelay, PolicyCreateConflict: *policyClash, DropAfterCommitRate: *dropRate})

	// The certificate file must exist before any client connects.
	certPath, err := filepath.Abs(*certFile)
	if err != nil {
		return err
	}
	if err := srv.Authority().WriteCertFile(certPath); err != nil {
		return fmt.Errorf("write cert file: %w", err)
	}
	inst, err := emulator.Listen(*listen, srv)
	if err != nil {
		return err
	}
	dbShown := *dbPath
	if dbShown != ":memory:" {
		if abs, err := filepath.Abs(dbShown); err == nil {
			dbShown = abs
		}
	}
	fmt.Printf("entragov emulator listening on %s\n", inst.URL)
	fmt.Printf("  tenant id:     %s\n", srv.TenantID())
	fmt.Printf("  client id:     %s\n", *clientID)
	fmt.Printf("  client secret: %s\n", *clientSecret)
	fmt.Printf("  CA cert file:  %s\n", certPath)
	fmt.Printf("  database:      %s\n", dbShown)
	fmt.Printf("Point Terraform at it with:\n  SSL_CERT_FILE=%s ENTRAGOV_GRAPH_ENDPOINT=%s ENTRAGOV_LOGIN_ENDPOINT=%s ENTRAGOV_TENANT_ID=%s ENTRAGOV_CLIENT_ID=%s ENTRAGOV_CLIENT_SECRET=%s\n",
		certPath, inst.URL, inst.URL, srv.TenantID(), *clientID, *clientSecret)
	fmt.Printf("Or sign in with workload identity federation (the admin app trusts %q and %q):\n  ACTIONS_ID_TOKEN_REQUEST_URL=%s ACTIONS_ID_TOKEN_REQUEST_TOKEN=%s\n",
		emulator.GitHubDefaultSubject, emulator.KubernetesDefaultSubject, inst.URL+emulator.FederationPath+"/github", emulator.GitHubRequestToken)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Println("shutting down")
	return inst.Close()
}

// checkLoopback refuses addresses other clients could reach.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q is not a loopback address; this is a test server (use -allow-remote to override)", addr)
}
