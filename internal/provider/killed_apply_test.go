package provider_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAccCLI_killedApplies kills terraform and the provider with SIGKILL at random points of an apply,
// as a lost CI runner does: nothing gets to save state, so objects Graph made in the last moments are in
// no state. The next apply must not make them again. The provider refuses each such create and names the
// import to run; the test follows those instructions the way a person would, then requires exactly the
// objects of a clean apply, an empty plan and a clean destroy. It runs under make testfaults too: there the
// next apply often starts while Graph does not list the killed apply's last objects yet.
func TestAccCLI_killedApplies(t *testing.T) {
	w := newCLIWorkspace(t)
	w.write(crashConfig)
	recovered := 0
	for round := range 8 {
		writes := 1 + 2*round
		if finished := w.killAfterWrites(writes, "apply", "-auto-approve", "-input=false", "-no-color"); finished {
			t.Logf("round %d: the apply finished before the kill", round)
		}
		imported := w.applyImportingWhatIsNamed(round)
		recovered += imported
		t.Logf("round %d: killed after %d writes; %d objects imported on the way back", round, writes, imported)
		for collection, want := range crashExpected {
			objs, err := w.emulator.Server.ListObjects(collection)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != want {
				t.Fatalf("round %d: %s holds %d objects after recovery, want %d (a duplicate was made):\n%s", round, collection, len(objs), want, describeObjects(objs))
			}
		}
		w.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
		w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
	}
	if recovered == 0 {
		t.Fatal("no round left an object outside state: the kills never fell between a create and the state write, so the test proved nothing")
	}
}

var (
	importBlockID = regexp.MustCompile(`to = (entragov_[a-z_]+)\.<name>\s+id = "([^"]+)"`)
	importCommand = regexp.MustCompile(`terraform import <address> (\S+)`)
)

// applyImportingWhatIsNamed applies; while the apply fails naming objects to import, it writes import
// blocks for them (the configuration's address found from the object in the API) and applies again.
// It returns how many objects it imported.
func (w *cliWorkspace) applyImportingWhatIsNamed(round int) int {
	w.t.Helper()
	importsFile := filepath.Join(w.work, "imports.tf")
	defer os.Remove(importsFile)
	var blocks []string
	for range 5 {
		out, exit := w.runAnyExit("apply", "-auto-approve", "-input=false", "-no-color")
		if exit == 0 {
			return len(blocks)
		}
		var named []string
		for _, m := range importBlockID.FindAllStringSubmatch(out, -1) {
			named = append(named, w.configAddress(m[1], m[2]), m[2])
		}
		for _, m := range importCommand.FindAllStringSubmatch(out, -1) {
			named = append(named, w.configAddress("", m[1]), m[1])
		}
		if len(named) == 0 {
			w.t.Fatalf("round %d: the apply failed without naming an import:\n%s", round, out)
		}
		for i := 0; i < len(named); i += 2 {
			blocks = append(blocks, fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", named[i], named[i+1]))
		}
		writeFile(w.t, importsFile, strings.Join(blocks, "\n"))
	}
	w.t.Fatalf("round %d: still failing after importing %d objects", round, len(blocks))
	return 0
}

// configAddress maps an object the provider named to its address in crashConfig, from what the API holds.
func (w *cliWorkspace) configAddress(resourceType, importID string) string {
	w.t.Helper()
	get := func(collection, id string) map[string]any {
		obj, err := w.emulator.Server.GetObject(collection, id)
		if err != nil {
			w.t.Fatalf("reading %s %s: %v", collection, id, err)
		}
		return obj
	}
	packageIndex := func(id string) string {
		var i int
		if _, err := fmt.Sscanf(get("accessPackages", id)["displayName"].(string), "Crash package %d", &i); err != nil {
			w.t.Fatalf("access package %s is not one of the configuration's: %v", id, err)
		}
		return fmt.Sprintf("[%d]", i)
	}
	switch resourceType {
	case "entragov_catalog", "entragov_connected_organization", "entragov_lifecycle_workflow":
		return resourceType + ".crash"
	case "entragov_access_package":
		return resourceType + ".crash" + packageIndex(importID)
	case "entragov_assignment_policy":
		policy, err := w.emulator.Client(w.t).GetAssignmentPolicy(context.Background(), importID)
		if err != nil || policy.AccessPackage == nil {
			w.t.Fatalf("reading assignment policy %s: %v", importID, err)
		}
		return resourceType + ".crash" + packageIndex(policy.AccessPackage.ID)
	}
	// The terraform import form: <catalog_id>/<origin_id> or <access_package_id>/<role_scope_id>.
	parent, child, _ := strings.Cut(importID, "/")
	if strings.HasPrefix(child, "https://") {
		return "entragov_catalog_resource.site"
	}
	if _, err := w.emulator.Server.GetObject("catalogs", parent); err == nil {
		return "entragov_catalog_resource.team"
	}
	return "entragov_access_package_resource_role_scope.team" + packageIndex(parent)
}

// runAnyExit runs terraform and returns its output and exit code, whatever it is.
func (w *cliWorkspace) runAnyExit(args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.Command(w.terraform, append([]string{"-chdir=" + w.work}, args...)...)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return out.String(), exitErr.ExitCode()
	} else if err != nil {
		w.t.Fatalf("terraform %v: %v", args, err)
	}
	return out.String(), 0
}

// killAfterWrites starts terraform in its own process group and, once the local API has answered the
// given number of writes, kills the whole group (terraform and the provider) with SIGKILL; finished
// reports that terraform ended on its own first.
func (w *cliWorkspace) killAfterWrites(writes int, args ...string) (finished bool) {
	w.t.Helper()
	base := w.countWrites()
	cmd := exec.Command(w.terraform, append([]string{"-chdir=" + w.work}, args...)...)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	for w.countWrites()-base < writes {
		select {
		case <-done:
			return true
		case <-time.After(time.Millisecond):
		}
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	<-done
	return false
}

// countWrites counts the v1.0 writes the local API has answered.
func (w *cliWorkspace) countWrites() int {
	n := 0
	for route, count := range w.emulator.Server.RequestCount().ByRoute {
		if strings.HasPrefix(route, "POST /v1.0") || strings.HasPrefix(route, "PATCH /v1.0") || strings.HasPrefix(route, "PUT /v1.0") {
			n += count
		}
	}
	return n
}
