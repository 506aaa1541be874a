package acctest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Live mode runs the acceptance tests against a tenant instead of an in-process local API: the Graph
// endpoint and the credentials come from the usual provider variables, every object a test creates has
// a unique name prefix, and tests that need what only the local API offers skip with the reason.
const (
	// LiveVariable turns live mode on (ENTRAGOV_ACC_LIVE=1 make testacc).
	LiveVariable = "ENTRAGOV_ACC_LIVE"
	// LiveSeededVariable says the target holds the local API's seeded directory (its users, groups and
	// applications with their ids), as a separately started local API process does; tests that name
	// seeded objects skip without it.
	LiveSeededVariable = "ENTRAGOV_ACC_LIVE_SEEDED"
	// PrefixVariable overrides the display-name prefix of everything a live run creates; make sweep
	// deletes what a failed run left behind by this prefix.
	PrefixVariable = "ENTRAGOV_ACC_PREFIX"
	// DefaultPrefix starts the name of every object a live run creates.
	DefaultPrefix = "tfacc-"
)

// Need is what a test needs beyond Graph itself; in live mode a test skips when the target lacks it.
type Need int

const (
	// NeedsControl marks a test that uses the local API's control surface: out-of-band changes and
	// deletes, injected faults, request counters, or reading its store.
	NeedsControl Need = iota + 1
	// NeedsSeededDirectory marks a test that names the local API's seeded users, groups, applications
	// or sites (emulator.Seed*).
	NeedsSeededDirectory
	// NeedsLocalAPI marks a test that signs in to the local API with its built-in app outside the
	// provider block the harness writes (the azuread stand-in of internal/acctest/azuread).
	NeedsLocalAPI
	// NeedsSmallPages marks a test of paging: the local API answers collections SmallPageSize objects a
	// page, so that a few objects span several pages.
	NeedsSmallPages
)

// SmallPageSize is the local API's page size in a test that declares NeedsSmallPages.
const SmallPageSize = 2

// liveTarget is the tenant a live run talks to.
type liveTarget struct {
	graphEndpoint, loginEndpoint string
	tenantID, clientID, secret   string
	seeded                       bool
	runPrefix                    string
}

// live is set by setup when live mode is on.
var live *liveTarget

// Live reports whether this run targets a tenant (ENTRAGOV_ACC_LIVE=1).
func Live() bool {
	setupOnce.Do(setup)
	return live != nil
}

// firstEnv is the first non-empty variable of names.
func firstEnv(names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(os.Getenv(n)); v != "" {
			return v
		}
	}
	return ""
}

// readLiveTarget reads the target of a live run from the provider's own variables, before setup clears
// them (they would compete with the provider blocks the tests write).
func readLiveTarget() (*liveTarget, error) {
	if os.Getenv(LiveVariable) != "1" {
		return nil, nil
	}
	return targetFromEnvironment()
}

// targetFromEnvironment reads a tenant and its credentials from the provider's variables.
func targetFromEnvironment() (*liveTarget, error) {
	t := &liveTarget{
		graphEndpoint: firstEnv("ENTRAGOV_GRAPH_ENDPOINT"),
		loginEndpoint: firstEnv("ENTRAGOV_LOGIN_ENDPOINT"),
		tenantID:      firstEnv("ENTRAGOV_TENANT_ID", "ARM_TENANT_ID"),
		clientID:      firstEnv("ENTRAGOV_CLIENT_ID", "ARM_CLIENT_ID"),
		secret:        firstEnv("ENTRAGOV_CLIENT_SECRET", "ARM_CLIENT_SECRET"),
		seeded:        os.Getenv(LiveSeededVariable) == "1",
	}
	if t.graphEndpoint == "" {
		t.graphEndpoint = graph.DefaultEndpoint
	}
	if t.loginEndpoint == "" {
		t.loginEndpoint = graph.DefaultLoginEndpoint
	}
	var missing []string
	for name, v := range map[string]string{"ENTRAGOV_TENANT_ID": t.tenantID, "ENTRAGOV_CLIENT_ID": t.clientID, "ENTRAGOV_CLIENT_SECRET": t.secret} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("the tenant's credentials are missing: set %s", strings.Join(missing, ", "))
	}
	prefix := firstEnv(PrefixVariable)
	if prefix == "" {
		prefix = DefaultPrefix
	}
	run := make([]byte, 3)
	if _, err := rand.Read(run); err != nil {
		return nil, err
	}
	t.runPrefix = prefix + hex.EncodeToString(run) + "-"
	return t, nil
}

// skipUnlessLiveHas skips a live-mode test whose needs the target cannot meet.
func skipUnlessLiveHas(t testing.TB, needs []Need) {
	t.Helper()
	for _, n := range needs {
		switch {
		case n == NeedsControl:
			t.Skip("live mode: this test uses the local API's control surface (out-of-band changes, faults or request counters), which a tenant does not have")
		case n == NeedsSmallPages:
			t.Skip("live mode: this test pages through a collection the local API answers in small pages, which a tenant does not")
		case n == NeedsLocalAPI:
			t.Skip("live mode: this test signs in to the local API with its built-in app (the azuread stand-in), which a tenant does not have")
		case n == NeedsSeededDirectory && !live.seeded:
			t.Skipf("live mode: this test names the local API's seeded directory objects; set %s=1 when the target holds them", LiveSeededVariable)
		}
	}
}

// Name is the display name a test's object gets: in live mode with the run's prefix, so that parallel
// runs do not meet and make sweep finds what a failed run left; the name itself otherwise.
func (e *Emulator) Name(name string) string {
	if e.live == nil {
		return name
	}
	return e.namePrefix + name
}

// testPrefix is the run prefix and a short hash of the test's name: tests of one run that create objects
// of the same name in parallel must not meet (prevent_duplicate_names would refuse the second).
func testPrefix(runPrefix, testName string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(testName))
	return fmt.Sprintf("%s%06x-", runPrefix, h.Sum32()&0xffffff)
}

var (
	// blockStart matches the first line of a top-level resource or data block.
	blockStart = regexp.MustCompile(`^(resource|data|import|provider|terraform|locals|variable|output|moved|removed|check)\b(?:\s+"([^"]+)")?`)
	// displayNameLine matches a display_name argument on its own line.
	displayNameLine = regexp.MustCompile(`^(\s*display_name\s*=\s*")`)
)

// directoryDataSources look up objects the tenant already has; their names are not the test's to prefix.
// entragov_catalog_role_definitions looks up the built-in role definitions, which every tenant has by those names.
var directoryDataSources = map[string]bool{"entragov_group": true, "entragov_user": true, "entragov_catalog_role_definitions": true}

// tenantOwnNames are governance objects every tenant has (the built-in catalog), found by their own name.
var tenantOwnNames = map[string]bool{`display_name = "General"`: true}

// prefixNames gives every governance object's display_name in a configuration the run's prefix: those of
// resources, and those by which data sources of governance objects look them up.
func (e *Emulator) prefixNames(config string) string {
	lines := strings.Split(config, "\n")
	prefixing := false
	for i, line := range lines {
		if m := blockStart.FindStringSubmatch(line); m != nil {
			prefixing = m[1] == "resource" || (m[1] == "data" && !directoryDataSources[m[2]])
		}
		if prefixing && !tenantOwnNames[strings.TrimSpace(line)] {
			lines[i] = displayNameLine.ReplaceAllString(line, "${1}"+e.namePrefix)
		}
	}
	return strings.Join(lines, "\n")
}

// liveClient is a Graph client for the tenant of a live run, for checks that look behind Terraform.
func liveClient(t *liveTarget) (*graph.Client, error) {
	tokens, err := graph.NewClientSecretSource(graph.CredentialOptions{
		TenantID: t.tenantID, ClientID: t.clientID, LoginEndpoint: t.loginEndpoint, GraphEndpoint: t.graphEndpoint,
	}, t.secret)
	if err != nil {
		return nil, err
	}
	return graph.New(graph.Config{Endpoint: t.graphEndpoint, Token: tokens})
}

// ClientFromEnvironment is a Graph client for the tenant the provider's variables name (ENTRAGOV_TENANT_ID,
// ENTRAGOV_CLIENT_ID, ENTRAGOV_CLIENT_SECRET, ENTRAGOV_GRAPH_ENDPOINT, ENTRAGOV_LOGIN_ENDPOINT), with
// the display-name prefix of live runs (ENTRAGOV_ACC_PREFIX, default tfacc-): what make sweep uses.
func ClientFromEnvironment() (*graph.Client, string, error) {
	t, err := targetFromEnvironment()
	if err != nil {
		return nil, "", err
	}
	prefix := firstEnv(PrefixVariable)
	if prefix == "" {
		prefix = DefaultPrefix
	}
	c, err := liveClient(t)
	return c, prefix, err
}

// exclusiveLocks serialise the live tests that change one tenant-wide object.
var exclusiveLocks sync.Map // object name -> *sync.Mutex

// ParallelExclusive marks a test parallel, like resource.ParallelTest does, and in live mode also holds the
// named tenant-wide object (a settings singleton) until the test ends: two tests changing it at once would
// overwrite each other's values. Such a test then runs with resource.Test. Each test has its own local API
// otherwise, so nothing is held.
func (e *Emulator) ParallelExclusive(t *testing.T, object string) {
	t.Helper()
	t.Parallel()
	if e.live == nil {
		return
	}
	lock, _ := exclusiveLocks.LoadOrStore(object, &sync.Mutex{})
	mu, _ := lock.(*sync.Mutex)
	mu.Lock()
	t.Cleanup(mu.Unlock)
}
