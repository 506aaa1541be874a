package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// AzureCLICommand is the Azure CLI's executable, looked up on PATH.
const AzureCLICommand = "az"

// azureCLITimeout bounds one `az account get-access-token`: the CLI may refresh its own tokens first.
const azureCLITimeout = time.Minute

var (
	// ErrAzureCLINotFound: the Azure CLI is not on PATH.
	ErrAzureCLINotFound = errors.New("the Azure CLI (az) is not on PATH")
	// ErrAzureCLINotSignedIn: the Azure CLI has no signed-in account.
	ErrAzureCLINotSignedIn = errors.New("the Azure CLI is not signed in")
)

// AzureCLIOptions configure the Azure CLI token source.
type AzureCLIOptions struct {
	// TenantID asks the CLI for a token of this tenant (--tenant); empty: the signed-in account's tenant.
	TenantID string
	// Scope is the scope of the tokens (see TokenScope); the CLI is asked for its resource.
	Scope string
}

// AzureCLIAvailable reports whether the Azure CLI is on PATH.
func AzureCLIAvailable() bool {
	_, err := exec.LookPath(AzureCLICommand)
	return err == nil
}

// NewAzureCLISource signs in as the Azure CLI's signed-in account: it runs
// `az account get-access-token --resource <resource> [--tenant <tenant>] --output json` when it needs a token.
func NewAzureCLISource(o AzureCLIOptions) (TokenSource, error) {
	if err := CheckScope(o.Scope); err != nil {
		return nil, err
	}
	args := []string{"account", "get-access-token", "--resource", ScopeResource(o.Scope)}
	if o.TenantID != "" {
		args = append(args, "--tenant", o.TenantID)
	}
	args = append(args, "--output", "json")
	src := newCachedTokenSource(nil)
	src.fetch = func(ctx context.Context) (expiringToken, error) {
		out, err := runAzureCLI(ctx, args)
		if err != nil {
			return expiringToken{}, err
		}
		return parseAzureCLIToken(out, time.Local)
	}
	return src, nil
}

// runAzureCLI runs az with args and returns its standard output, which holds the token and is never
// logged or shown; errors carry the CLI's standard error instead.
func runAzureCLI(ctx context.Context, args []string) ([]byte, error) {
	path, err := exec.LookPath(AzureCLICommand)
	if err != nil {
		return nil, ErrAzureCLINotFound
	}
	ctx, cancel := context.WithTimeout(ctx, azureCLITimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, args...) // #nosec G204 -- fixed command, arguments from the configuration
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	msg := strings.TrimSpace(stderr.String())
	if len(msg) > 1000 {
		msg = msg[:1000] + "..."
	}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("az account get-access-token did not answer within %s", azureCLITimeout)
	case strings.Contains(msg, "az login"):
		return nil, fmt.Errorf("%w: az account get-access-token answered %q", ErrAzureCLINotSignedIn, msg)
	case errors.As(err, &exitErr):
		return nil, fmt.Errorf("az account get-access-token failed with exit code %d: %s", exitErr.ExitCode(), msg)
	}
	return nil, fmt.Errorf("running az account get-access-token: %w", err)
}

// parseAzureCLIToken reads the answer of `az account get-access-token --output json`: accessToken, and
// the expiry as expires_on (Unix seconds, Azure CLI 2.54 and later) or else expiresOn (local time without
// zone, in loc). The answer is never quoted in errors: it holds the token.
func parseAzureCLIToken(out []byte, loc *time.Location) (expiringToken, error) {
	var answer struct {
		AccessToken string          `json:"accessToken"`
		ExpiresOn   string          `json:"expiresOn"`
		ExpiresOnTS json.RawMessage `json:"expires_on"`
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		return expiringToken{}, errors.New("the answer of az account get-access-token is not JSON")
	}
	if answer.AccessToken == "" {
		return expiringToken{}, errors.New("the answer of az account get-access-token holds no accessToken")
	}
	if ts, ok := unixSeconds(answer.ExpiresOnTS); ok {
		return expiringToken{value: answer.AccessToken, expires: time.Unix(ts, 0)}, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, answer.ExpiresOn, loc); err == nil {
			return expiringToken{value: answer.AccessToken, expires: t}, nil
		}
	}
	return expiringToken{}, fmt.Errorf("the answer of az account get-access-token has no expiry this provider can read (expiresOn %q)", answer.ExpiresOn)
}

// unixSeconds reads a JSON number or a string of digits, as the token endpoints write Unix times.
func unixSeconds(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
