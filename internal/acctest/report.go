package acctest

import (
	"encoding/json"
	"os"
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

// governanceCollections are the emulator collections Terraform manages objects in (history records
// such as requests and soft-deleted workflows are not objects left behind).
var governanceCollections = map[string]int{
	"catalogs":         1, // the built-in General catalog
	"catalogResources": 0, "accessPackages": 0, "resourceRoleScopes": 0, "assignmentPolicies": 0,
	"connectedOrganizations": 0, "assignments": 0, "customWorkflowExtensions": 0, "workflows": 0,
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
}

func report(t testing.TB, e *Emulator) {
	if reportPath == "" || e.Server == nil {
		return
	}
	line := ReportLine{Test: t.Name(), Failed: t.Failed(), Requests: e.GraphRequests()}
	counts := e.Server.FaultCounts()
	line.Throttled, line.ServerErrors, line.Dropped = counts.Throttled, counts.ServerErrors, counts.Dropped
	for collection, seeded := range governanceCollections {
		objs, err := e.Server.ListObjects(collection)
		if err == nil && len(objs) > seeded {
			line.Leftovers += len(objs) - seeded
		}
	}
	line.Leftovers -= int(e.outside.Load())
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
