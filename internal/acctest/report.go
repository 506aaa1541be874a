package acctest

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
)

// ReportVariable names a file to which every test's emulator appends one JSON line when the test ends:
// requests served, faults injected and governance objects left behind. make testfaults sums them up.
const ReportVariable = "ENTRAGOV_ACC_REPORT"

var (
	reportPath = os.Getenv(ReportVariable)
	reportMu   sync.Mutex
)

// governanceCollections are the emulator collections Terraform manages objects in. History records (requests,
// runs, audit entries, soft-deleted workflows, expired assignments) and directory objects (users and groups the
// tests seed) are not objects left behind.
var governanceCollections = []string{
	"catalogs", "catalogResources", "accessPackages", "resourceRoleScopes", "assignmentPolicies",
	"connectedOrganizations", "assignments", "customWorkflowExtensions", "workflows", "customTaskExtensions",
	"crossTenantAccessPartners", "b2bManagementPolicies", "accessReviewDefinitions", "entitlementRoleAssignments",
}

// ReportLine is one test's line in the report file.
type ReportLine struct {
	Test         string `json:"test"`
	Failed       bool   `json:"failed"`
	Requests     int    `json:"requests"`
	Throttled    int    `json:"throttled"`
	ServerErrors int    `json:"serverErrors"`
	Dropped      int    `json:"dropped"`
	Leftovers    int    `json:"leftovers"`
	// Changed is how many more (or fewer) objects each collection holds than when the test started: the
	// detail behind Leftovers, written only when Leftovers is not zero.
	Changed map[string]int `json:"changed,omitempty"`
}

func report(t testing.TB, e *Emulator) {
	if reportPath == "" || e.Server == nil {
		return
	}
	line := ReportLine{Test: t.Name(), Failed: t.Failed(), Requests: e.GraphRequests()}
	counts := e.Server.FaultCounts()
	line.Throttled, line.ServerErrors, line.Dropped = counts.Throttled, counts.ServerErrors, counts.Dropped
	end, made, err := e.governanceObjectsMade()
	if err != nil {
		t.Logf("counting the local API's objects for the acceptance report: %v", err)
		return
	}
	line.Leftovers = made - int(e.outside.Load())
	if line.Leftovers != 0 {
		line.Changed = countChanges(e.startCounts, end)
	}
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	reportMu.Lock()
	defer reportMu.Unlock()
	f, err := os.OpenFile(reportPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Logf("writing the acceptance report: %v", err)
		return
	}
	defer f.Close()
	_, _ = f.Write(append(b, '\n'))
}

// governanceObjectsMade returns the local API's objects per collection and how many more governance objects
// it holds than when the test started. An expired assignment stays in Graph as the record of an access that
// ended (the local API keeps it too): it is history, not an object left behind, and is not counted.
func (e *Emulator) governanceObjectsMade() (map[string]int, int, error) {
	counts, err := e.Server.ObjectCounts()
	if err != nil {
		return nil, 0, err
	}
	counts["assignments"] -= expiredAssignments(e)
	made := 0
	for _, collection := range governanceCollections {
		made += counts[collection] - e.startCounts[collection]
	}
	return counts, made, nil
}

// RecordAllAsCreatedOutsideTerraform records every governance object the local API holds beyond its seed as
// made outside Terraform: for a test that builds a tenant through the API (documented examples, a script)
// before Terraform imports or reads it.
func (e *Emulator) RecordAllAsCreatedOutsideTerraform(t testing.TB) {
	t.Helper()
	_, made, err := e.governanceObjectsMade()
	if err != nil {
		t.Fatalf("counting the local API's objects: %v", err)
	}
	e.outside.Store(int64(made))
}

// expiredAssignments counts the local API's assignments in the state expired.
func expiredAssignments(e *Emulator) int {
	objs, err := e.Server.ListObjects("assignments")
	if err != nil {
		return 0
	}
	n := 0
	for _, o := range objs {
		if s, _ := o["state"].(string); strings.EqualFold(s, "expired") {
			n++
		}
	}
	return n
}

// countChanges returns the collections whose object count differs between start and end, with the difference.
func countChanges(start, end map[string]int) map[string]int {
	changed := map[string]int{}
	for c, n := range end {
		if d := n - start[c]; d != 0 {
			changed[c] = d
		}
	}
	for c, n := range start {
		if _, ok := end[c]; !ok {
			changed[c] = -n
		}
	}
	return changed
}
