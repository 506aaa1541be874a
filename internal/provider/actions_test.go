package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// newActionsCLIProvider is the shared CLI harness for tests of actions, which need Terraform 1.14 or
// later (action blocks, action_trigger, apply -invoke): it skips on an older CLI, the one the tests
// would use (TF_ACC_TERRAFORM_PATH, else terraform on PATH).
func newActionsCLIProvider(t *testing.T) *sharedCLIProvider {
	t.Helper()
	p := newSharedCLIProvider(t)
	out, err := exec.Command(p.terraform, "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	if !versionAtLeast(v.Version, framework.ActionsMinimumTerraform) {
		t.Skipf("actions need Terraform %s or later; %s is %s (set TF_ACC_TERRAFORM_PATH to a newer CLI)",
			framework.ActionsMinimumTerraform, p.terraform, v.Version)
	}
	return p
}

// versionAtLeast compares dotted versions (a pre-release suffix such as -beta1 is ignored).
func versionAtLeast(version, minimum string) bool {
	parts := func(s string) []int {
		s, _, _ = strings.Cut(s, "-")
		var out []int
		for _, f := range strings.Split(s, ".") {
			n, _ := strconv.Atoi(f)
			out = append(out, n)
		}
		return out
	}
	have, want := parts(version), parts(minimum)
	for i, w := range want {
		h := 0
		if i < len(have) {
			h = have[i]
		}
		if h != w {
			return h > w
		}
	}
	return true
}

func TestActionsVersionAtLeast(t *testing.T) {
	for _, c := range []struct {
		version string
		want    bool
	}{{"1.11.4", false}, {"1.13.9", false}, {"1.14.0", true}, {"1.14.0-beta1", true}, {"1.15.9", true}, {"2.0.0", true}, {"1.4.0", false}} {
		if got := versionAtLeast(c.version, "1.14"); got != c.want {
			t.Errorf("versionAtLeast(%q, 1.14) = %v", c.version, got)
		}
	}
}

// TestAccActions_cli runs each action through the Terraform CLI, the only way actions run: triggered by
// a resource's action_trigger after it is created, then on its own with apply -invoke; the effect is
// checked in the local API. Invalid configurations fail at plan with no Graph request, and a Graph
// error names its code and request id.
func TestAccActions_cli(t *testing.T) {
	p := newActionsCLIProvider(t)
	t.Run("lifecycle_workflow_activate", func(t *testing.T) { actionWorkflowActivate(t, p.workspace(t)) })
	t.Run("access_package_assignment_reprocess", func(t *testing.T) { actionAssignmentReprocess(t, p.workspace(t)) })
	t.Run("invitation_send", func(t *testing.T) { actionInvitationSend(t, p.workspace(t)) })
	t.Run("invalid_at_plan", func(t *testing.T) { actionsInvalidAtPlan(t, p.workspace(t)) })
	t.Run("graph_error", func(t *testing.T) { actionGraphError(t, p.workspace(t)) })
	t.Run("forbidden", func(t *testing.T) { actionForbidden(t, p.workspace(t)) })
	t.Run("docs_schema", func(t *testing.T) { actionSchemasAsTerraformPrintsThem(t, p.workspace(t)) })
	examples, err := filepath.Glob("../../examples/actions/*/action.tf")
	if err != nil || len(examples) != 3 {
		t.Fatalf("action examples: %v, %v", examples, err)
	}
	for _, file := range examples {
		t.Run("example_"+filepath.Base(filepath.Dir(file)), func(t *testing.T) { actionExample(t, p.workspace(t), file) })
	}
}

// actionExample applies a documented example (the ones that need no input; the others are validated)
// and checks that it triggered its action.
func actionExample(t *testing.T, w *cliWorkspace, file string) {
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	w.write(string(body))
	if strings.Contains(string(body), "variable ") {
		w.run(0, "init", "-input=false", "-no-color")
		w.run(0, "validate", "-no-color")
		return
	}
	out := w.run(0, applyArgs...)
	if !strings.Contains(out, "Graph accepted") && !strings.Contains(out, "status PendingAcceptance") {
		t.Errorf("the example's action did not run:\n%s", out)
	}
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}

var applyArgs = []string{"apply", "-auto-approve", "-input=false", "-no-color"}

func actionWorkflowActivate(t *testing.T, w *cliWorkspace) {
	w.write(fmt.Sprintf(`
action "entragov_lifecycle_workflow_activate" "urgent" {
  config {
    workflow_id = entragov_lifecycle_workflow.urgent.id
    user_ids    = [%q, %q]
  }
}

resource "entragov_lifecycle_workflow" "urgent" {
  category     = "leaver"
  display_name = "Urgent departures"
  execution_conditions = { type = "onDemandExecutionOnly" }
  tasks = [{ task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee", display_name = "Revoke sessions" }]
  permanently_delete_on_destroy = true

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.entragov_lifecycle_workflow_activate.urgent]
    }
  }
}
`, emulator.SeedUserAlexID, emulator.SeedUserLeeID))
	out := w.run(0, applyArgs...)
	for _, progress := range []string{`Running lifecycle workflow "Urgent departures" (version 1) on demand for 2 users`, "Graph accepted the on-demand run"} {
		if !strings.Contains(out, progress) {
			t.Errorf("the apply does not show %q:\n%s", progress, out)
		}
	}
	id := w.resourceValues("entragov_lifecycle_workflow.urgent")["id"].(string)
	c := w.emulator.Client(t)
	checkRuns := func(want int) {
		t.Helper()
		results, err := c.ListWorkflowUserProcessingResults(acctest.Context(t), id)
		if err != nil {
			t.Fatal(err)
		}
		per := map[string]int{}
		for _, r := range results {
			if r.WorkflowExecutionType != "onDemand" {
				t.Errorf("result %+v", r)
			}
			per[r.Subject.ID]++
		}
		if len(results) != 2*want || per[emulator.SeedUserAlexID] != want || per[emulator.SeedUserLeeID] != want {
			t.Fatalf("after %d runs the workflow has these results: %+v", want, results)
		}
	}
	checkRuns(1)
	// A plan after the apply triggers nothing; apply -invoke runs the action alone.
	w.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	checkRuns(1)
	out = w.run(0, append(applyArgs, "-invoke=action.entragov_lifecycle_workflow_activate.urgent")...)
	if !strings.Contains(out, "Graph accepted the on-demand run") {
		t.Errorf("apply -invoke shows no progress:\n%s", out)
	}
	checkRuns(2)
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}

func actionAssignmentReprocess(t *testing.T, w *cliWorkspace) {
	w.write(fmt.Sprintf(`
action "entragov_access_package_assignment_reprocess" "adele" {
  config {
    assignment_id = entragov_access_package_assignment.adele.id
  }
}

resource "entragov_catalog" "falcon" {
  display_name = "Falcon"
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadGroup"
  origin_id     = %[1]q
}

resource "entragov_access_package" "falcon" {
  catalog_id   = entragov_catalog.falcon.id
  display_name = "Falcon members"
}

resource "entragov_access_package_resource_role_scope" "falcon" {
  access_package_id   = entragov_access_package.falcon.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_%[1]s"
}

resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.falcon.id
  display_name      = "Direct assignment"
}

resource "entragov_access_package_assignment" "adele" {
  target_id            = %[2]q
  access_package_id    = entragov_access_package.falcon.id
  assignment_policy_id = entragov_assignment_policy.direct.id
  depends_on           = [entragov_access_package_resource_role_scope.falcon]

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.entragov_access_package_assignment_reprocess.adele]
    }
  }
}
`, emulator.SeedGroupProjectFalconID, emulator.SeedUserAdeleID))
	out := w.run(0, applyArgs...)
	if !strings.Contains(out, "Reprocessing access package assignment") || !strings.Contains(out, "Graph accepted the reprocessing") {
		t.Errorf("the apply does not show the progress:\n%s", out)
	}
	id := w.resourceValues("entragov_access_package_assignment.adele")["id"].(string)
	stored, err := w.emulator.Server.GetObject("assignments", id)
	if err != nil || stored["_reprocessedDateTime"] == nil {
		t.Fatalf("the trigger did not reprocess the assignment: %v %v", stored, err)
	}
	// Someone removes Adele from the group by hand; reprocessing delivers the membership again.
	if err := w.emulator.Server.RemoveGroupMember(emulator.SeedGroupProjectFalconID, emulator.SeedUserAdeleID); err != nil {
		t.Fatal(err)
	}
	w.run(0, append(applyArgs, "-invoke=action.entragov_access_package_assignment_reprocess.adele")...)
	members, err := w.emulator.Server.GroupMemberIDs(emulator.SeedGroupProjectFalconID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(members, emulator.SeedUserAdeleID) {
		t.Errorf("the reprocessed assignment did not restore the membership: %v", members)
	}
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}

func actionInvitationSend(t *testing.T, w *cliWorkspace) {
	w.write(`
action "entragov_invitation_send" "ada" {
  config {
    user_email_address = "ada@example.com"
    user_display_name  = "Ada Lovelace"
    redirect_url       = "https://myapps.microsoft.com"
    message = {
      body                  = "Welcome to the Falcon project."
      additional_recipients = ["sponsor@contoso.com"]
    }
  }
}

resource "terraform_data" "onboarding" {
  input = "ada@example.com"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.entragov_invitation_send.ada]
    }
  }
}
`)
	out := w.run(0, applyArgs...)
	if !strings.Contains(out, "Inviting ada@example.com and emailing the invitation") || !strings.Contains(out, "status PendingAcceptance") {
		t.Errorf("the apply does not show the progress:\n%s", out)
	}
	c := w.emulator.Client(t)
	guests := func() []graph.User {
		t.Helper()
		users, err := c.FindUsers(acctest.Context(t), "mail", "ada@example.com")
		if err != nil {
			t.Fatal(err)
		}
		return users
	}
	first := guests()
	if len(first) != 1 || first[0].UserType != "Guest" || first[0].ExternalUserState != "PendingAcceptance" ||
		first[0].DisplayName != "Ada Lovelace" || first[0].UserPrincipalName != "ada_example.com#EXT#@contoso.onmicrosoft.com" {
		t.Fatalf("the invited guest: %+v", first)
	}
	// Sent again: a new invitation for the same user, no second user.
	out = w.run(0, append(applyArgs, "-invoke=action.entragov_invitation_send.ada")...)
	if !strings.Contains(out, "invited user "+first[0].ID) {
		t.Errorf("the second invitation is not for the same user:\n%s", out)
	}
	if again := guests(); len(again) != 1 || again[0].ID != first[0].ID {
		t.Errorf("after sending again: %+v", again)
	}
}

func actionsInvalidAtPlan(t *testing.T, w *cliWorkspace) {
	w.write(`
action "entragov_lifecycle_workflow_activate" "bad" {
  config {
    workflow_id = "not-a-guid"
    user_ids    = []
  }
}

action "entragov_access_package_assignment_reprocess" "bad" {
  config {
    assignment_id = "42"
  }
}

action "entragov_invitation_send" "bad" {
  config {
    user_email_address      = "Ada Lovelace"
    redirect_url            = "myapps.microsoft.com"
    send_invitation_message = false
    message = {
      body     = "Welcome"
      language = "French!"
    }
  }
}

resource "terraform_data" "trigger" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.entragov_lifecycle_workflow_activate.bad, action.entragov_access_package_assignment_reprocess.bad, action.entragov_invitation_send.bad]
    }
  }
}
`)
	out := w.run(1, "plan", "-input=false", "-no-color")
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		`Attribute workflow_id value "not-a-guid" is not a GUID`,
		`Attribute user_ids set must contain at least 1 elements`,
		`Attribute assignment_id value "42" is not a GUID`,
		`Attribute user_email_address value "Ada Lovelace" is not an email address`,
		`Attribute redirect_url value "myapps.microsoft.com" is not an absolute http or https URL`,
		`Attribute message.language value "French!" is not a language tag`,
		`Message without an invitation email`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan does not reject %q:\n%s", want, out)
		}
	}
	if n := w.emulator.GraphRequests(); n != 0 {
		t.Errorf("an invalid configuration made %d Graph requests", n)
	}
}

func actionGraphError(t *testing.T, w *cliWorkspace) {
	const missing = "00000000-0000-4000-8000-00000000dead"
	w.write(fmt.Sprintf(`
action "entragov_lifecycle_workflow_activate" "missing" {
  config {
    workflow_id = %q
    user_ids    = [%q]
  }
}
`, missing, emulator.SeedUserAlexID))
	out := w.run(1, append(applyArgs, "-invoke=action.entragov_lifecycle_workflow_activate.missing")...)
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Unable to read the lifecycle workflow to run", "HTTP 404 with code ResourceNotFound", "request-id:", missing} {
		if !strings.Contains(flat, want) {
			t.Errorf("the error does not show %q:\n%s", want, out)
		}
	}
}

// actionSchemasAsTerraformPrintsThem: the action schemas the documentation gets on a Terraform CLI older
// than 1.14 (provider.ActionSchemasJSON, scripts/docs.sh) are the ones `terraform providers schema -json`
// prints from 1.14 on, so the pages do not depend on the CLI's version.
func actionSchemasAsTerraformPrintsThem(t *testing.T, w *cliWorkspace) {
	w.write("")
	out := w.run(0, "providers", "schema", "-json")
	var printed struct {
		Schemas map[string]struct {
			Actions json.RawMessage `json:"action_schemas"`
		} `json:"provider_schemas"`
	}
	start := strings.Index(out, "{")
	if start < 0 {
		t.Fatalf("providers schema -json printed no JSON:\n%s", out)
	}
	if err := json.Unmarshal([]byte(out[start:]), &printed); err != nil {
		t.Fatalf("providers schema -json: %v\n%s", err, out)
	}
	var fromTerraform, ours any
	if err := json.Unmarshal(printed.Schemas["registry.terraform.io/entragov/entragov"].Actions, &fromTerraform); err != nil {
		t.Fatalf("action_schemas: %v\n%s", err, out)
	}
	mine, err := provider.ActionSchemasJSON(acctest.Context(t), "test")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(mine)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ours); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromTerraform, ours) {
		t.Errorf("the action schemas differ from Terraform's:\nterraform: %v\nours:      %s", fromTerraform, b)
	}
}

// actionForbidden: an application without the permission gets Graph's 403 with the permission to grant.
func actionForbidden(t *testing.T, w *cliWorkspace) {
	w.write(fmt.Sprintf(`
provider "entragov" {
  alias          = "reader"
  graph_endpoint = %[1]q
  login_endpoint = %[1]q
  tenant_id      = %[2]q
  client_id      = %[3]q
  client_secret  = %[4]q
}

action "entragov_invitation_send" "ada" {
  provider = entragov.reader
  config {
    user_email_address = "ada@example.com"
    redirect_url       = "https://myapps.microsoft.com"
  }
}
`, w.emulator.URL, emulator.DefaultTenantID, emulator.ReaderClientID, emulator.ReaderClientSecret))
	out := w.run(1, append(applyArgs, "-invoke=action.entragov_invitation_send.ada")...)
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Unable to invite ada@example.com", "HTTP 403 with code Authorization_RequestDenied", "request-id:",
		"Inviting guest users needs User.Invite.All (application permission) with admin consent"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the error does not show %q:\n%s", want, out)
		}
	}
}
