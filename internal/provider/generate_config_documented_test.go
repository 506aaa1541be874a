package provider_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/conformance"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestAccCLI_generateConfigDocumented generates configuration from every documented object shape: for each
// object the Graph v1.0 reference pages show being created, changed or read (internal/conformance/testdata,
// each case with its page URL), the local API is made to hold that object through the page's own request
// body, as the corpus replay sends it; then an import block alone must be enough: `terraform plan
// -generate-config-out` writes a configuration that validates, the apply imports the object with nothing
// added or changed, and the plan after it is empty. A shape whose documented request the local API refuses
// is skipped only where the corpus marks that case as a known divergence; a shape of an object that no
// resource of the provider manages is skipped with the reason. A role scope comes with the catalog resource
// its role belongs to (two imports).
func TestAccCLI_generateConfigDocumented(t *testing.T) {
	files, err := conformance.LoadDir(filepath.Join("..", "conformance", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	shapes := conformance.Shapes(files)
	if len(shapes) == 0 {
		t.Fatal("the corpus documents no object shapes")
	}
	provider := newSharedCLIProvider(t)

	var (
		mu      sync.Mutex
		results []documentedResult
	)
	t.Cleanup(func() { t.Logf("documented shapes by resource type:\n%s", summarizeDocumented(results)) })
	firstOf := map[string]string{}
	for _, s := range shapes {
		typ, notManaged := documentedResourceType(s)
		key := documentedShapeKey(s)
		duplicateOf, seen := firstOf[key]
		if !seen {
			firstOf[key] = s.Label()
		}
		t.Run(s.Name(), func(t *testing.T) {
			r := documentedResult{typ: typ, label: s.Label()}
			if typ == "" {
				r.typ = "(no resource type)"
			}
			t.Cleanup(func() {
				r.failed = t.Failed()
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			})
			skip := func(format string, args ...any) {
				r.skipped = fmt.Sprintf(format, args...)
				t.Skip(r.skipped)
			}
			switch {
			case notManaged != "":
				skip("%s", notManaged)
			case seen:
				r.duplicateOf = duplicateOf
				t.Skipf("the same requests as %s", duplicateOf)
			}
			w := provider.workspace(t)
			w.emulator.Server.SetDeliveryDelay(-1)
			made, err := w.target(t).Make(acctest.Context(t), s)
			var refused *conformance.SetupError
			switch {
			case errors.As(err, &refused) && s.Case.Divergence != "":
				skip("the local API refuses the documented request, a known divergence (%s): %v", s.Case.Divergence, err)
			case err != nil:
				t.Fatalf("%s: making the documented object: %v", s.Label(), err)
			}
			w.countOutsideObjects()
			if s.Case.Divergence != "" {
				// The local API accepts the documented request; the marker is about its answer.
				r.divergence = s.Case.Divergence
				t.Logf("%s: known divergence of the local API's answer: %s", s.Label(), s.Case.Divergence)
			}
			imports := map[string]string{typ + ".documented": documentedImportID(t, w, s, made)}
			if typ == "entragov_access_package_resource_role_scope" {
				// A role scope names its catalog resource only by id: the resource the page onboards comes along.
				imports["entragov_catalog_resource.documented"] = roleScopeCatalogResource(t, w, s, made)
			}
			addresses := slices.Sorted(maps.Keys(imports))
			var blocks strings.Builder
			for _, address := range addresses {
				fmt.Fprintf(&blocks, "\nimport {\n  to = %s\n  id = %q\n}\n", address, imports[address])
			}
			w.work = filepath.Join(w.dir, "import")
			w.write(blocks.String())

			out := w.run(0, "plan", "-generate-config-out=generated.tf", "-input=false", "-no-color")
			generated, err := os.ReadFile(filepath.Join(w.work, "generated.tf"))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: generated configuration:\n%s", s.Label(), generated)
			for _, address := range addresses {
				if !strings.Contains(string(generated), `resource "`+strings.Replace(address, ".", `" "`, 1)+`" {`) {
					t.Fatalf("%s: generated.tf does not declare %s", s.Label(), address)
				}
			}
			// The generated resource is the documented object, not an empty one: the names and descriptions the
			// documented request sets are in it.
			for _, key := range []string{"displayName", "description"} {
				if v, ok := conformance.Lookup(made.Sent, key); ok {
					if text, isString := v.(string); isString && text != "" && !strings.Contains(text, "${") && !strings.Contains(text, "%{") &&
						!strings.Contains(string(generated), strconv.Quote(text)) {
						t.Errorf("%s: generated.tf lacks the documented %s %q", s.Label(), key, text)
					}
				}
			}
			if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", len(addresses)); !strings.Contains(out, want) {
				t.Fatalf("%s: the plan with the generated configuration is not a pure import (want %q):\n%s", s.Label(), want, out)
			}
			w.run(0, "validate", "-no-color")
			out = w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
			if want := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", len(addresses)); !strings.Contains(out, want) {
				t.Fatalf("%s: the apply did more than import (want %q):\n%s", s.Label(), want, out)
			}
			w.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
		})
	}
}

// documentedResult is one shape's outcome, for the summary.
type documentedResult struct {
	typ, label, skipped string
	// duplicateOf is the shape made by the same requests, tested in its stead.
	duplicateOf string
	// divergence is the corpus's marker of a shape tested all the same: the local API accepts its request.
	divergence string
	failed     bool
}

// summarizeDocumented counts the shapes per resource type: tested (passed or failed), skipped with a reason,
// and made by the same requests as another shape; it lists the reasons and the tested shapes whose case
// carries a divergence marker.
func summarizeDocumented(results []documentedResult) string {
	type counts struct{ passed, failed, skipped, duplicates int }
	byType := map[string]*counts{}
	var skipped, divergent []string
	for _, r := range results {
		c := byType[r.typ]
		if c == nil {
			c = &counts{}
			byType[r.typ] = c
		}
		if r.divergence != "" {
			divergent = append(divergent, fmt.Sprintf("  %s: %s: %s", r.typ, r.label, r.divergence))
		}
		switch {
		case r.duplicateOf != "":
			c.duplicates++
		case r.skipped != "":
			c.skipped++
			skipped = append(skipped, fmt.Sprintf("  %s: %s: %s", r.typ, r.label, r.skipped))
		case r.failed:
			c.failed++
		default:
			c.passed++
		}
	}
	types := make([]string, 0, len(byType))
	for typ := range byType {
		types = append(types, typ)
	}
	sort.Strings(types)
	var b strings.Builder
	for _, typ := range types {
		c := byType[typ]
		fmt.Fprintf(&b, "  %-45s %2d passed, %2d failed, %2d skipped, %2d the same as another\n", typ, c.passed, c.failed, c.skipped, c.duplicates)
	}
	sort.Strings(skipped)
	sort.Strings(divergent)
	b.WriteString("skipped:\n" + strings.Join(skipped, "\n"))
	b.WriteString("\ntested, the local API accepting the request of a case marked as a divergence:\n" + strings.Join(divergent, "\n"))
	return b.String()
}

// documentedShapeKey identifies the requests that make a shape: two cases sending the same requests leave
// the same object, which is tested once.
func documentedShapeKey(s conformance.Shape) string {
	var reqs []any
	steps := s.Case.Setup
	if s.Step >= 0 {
		steps = steps[:s.Step]
	}
	for _, st := range steps {
		reqs = append(reqs, []any{st.Method, st.Path, st.Body})
	}
	method, path, body := s.Request()
	reqs = append(reqs, []any{method, path, body})
	b, err := json.Marshal(reqs)
	if err != nil {
		panic(err) // decoded JSON always encodes
	}
	return string(b)
}

const (
	emPath = "/identityGovernance/entitlementManagement"
	lwPath = "/identityGovernance/lifecycleWorkflows"
	arPath = "/identityGovernance/accessReviews"
)

// documentedResourceType is the provider's resource type that manages the object a shape's request makes,
// or the reason none does.
func documentedResourceType(s conformance.Shape) (typ, notManaged string) {
	_, _, body := s.Request()
	switch s.Endpoint {
	case "POST " + emPath + "/catalogs", "PATCH " + emPath + "/catalogs/{catalogId}":
		return "entragov_catalog", ""
	case "POST " + emPath + "/accessPackages", "PATCH " + emPath + "/accessPackages/{accessPackageId}",
		"POST " + emPath + "/accessPackages/{accessPackageId}/incompatibleGroups/$ref":
		return "entragov_access_package", ""
	case "POST " + emPath + "/accessPackages/{accessPackageId}/incompatibleAccessPackages/$ref":
		return "entragov_access_package_incompatibility", ""
	case "POST " + emPath + "/accessPackages/{accessPackageId}/resourceRoleScopes":
		return "entragov_access_package_resource_role_scope", ""
	case "POST " + emPath + "/assignmentPolicies", "PUT " + emPath + "/assignmentPolicies/{policyId}":
		return "entragov_assignment_policy", ""
	case "POST " + emPath + "/resourceRequests":
		if rt, _ := conformance.Lookup(body, "requestType"); rt != "adminAdd" {
			return "entragov_catalog_resource", fmt.Sprintf("a %v resource request adds no resource to a catalog", rt)
		}
		return "entragov_catalog_resource", ""
	case "POST " + emPath + "/assignmentRequests":
		if rt, _ := conformance.Lookup(body, "requestType"); rt != "adminAdd" {
			return "entragov_access_package_assignment", fmt.Sprintf("a %v assignment request makes no assignment to import", rt)
		}
		return "entragov_access_package_assignment", ""
	case "POST " + emPath + "/connectedOrganizations", "PATCH " + emPath + "/connectedOrganizations/{connectedOrganizationId}",
		"POST " + emPath + "/connectedOrganizations/{connectedOrganizationId}/internalSponsors/$ref",
		"POST " + emPath + "/connectedOrganizations/{connectedOrganizationId}/externalSponsors/$ref":
		return "entragov_connected_organization", ""
	case "PATCH " + emPath + "/settings":
		return "entragov_entitlement_management_settings", ""
	case "POST " + lwPath + "/workflows", "PATCH " + lwPath + "/workflows/{workflowId}",
		"PATCH " + lwPath + "/workflows/{workflowId}/tasks/{taskId}", "POST " + lwPath + "/workflows/{workflowId}/createNewVersion",
		"POST " + lwPath + "/deletedItems/workflows/{workflowId}/restore":
		return "entragov_lifecycle_workflow", ""
	case "PATCH " + lwPath + "/settings":
		return "entragov_lifecycle_workflow_settings", ""
	case "POST /roleManagement/entitlementManagement/roleAssignments":
		return "entragov_catalog_role_assignment", ""
	case "PATCH /policies/authorizationPolicy":
		return "entragov_external_collaboration_settings", ""
	case "POST " + arPath + "/definitions", "PUT " + arPath + "/definitions/{accessReviewScheduleDefinitionId}":
		return "entragov_access_review", ""
	case "POST " + emPath + "/catalogs/{catalogId}/customWorkflowExtensions":
		return "", "custom extensions are no resource of the provider (internal/provider/provider.go): policies name them by id"
	}
	method, path, _ := s.Request()
	return "", fmt.Sprintf("no resource of the provider manages what %s %s makes", method, path)
}

// documentedImportID is the import id of the object a shape's request made.
func documentedImportID(t *testing.T, w *cliWorkspace, s conformance.Shape, m *conformance.Made) string {
	t.Helper()
	str := func(x any, path string) string {
		v, ok := conformance.Lookup(x, path)
		if text, isString := v.(string); ok && isString && text != "" {
			return text
		}
		t.Fatalf("%s: no %s in %s", s.Label(), path, mustJSON(x))
		return ""
	}
	param := func(name string) string {
		v, err := m.Param(s, name)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	_, tmpl, _ := strings.Cut(s.Endpoint, " ")
	switch {
	case s.Endpoint == "PATCH "+emPath+"/settings":
		return "entitlement-management-settings"
	case s.Endpoint == "PATCH "+lwPath+"/settings":
		return "lifecycle-workflow-settings"
	case s.Endpoint == "PATCH /policies/authorizationPolicy":
		return graph.AuthorizationPolicyID
	case strings.HasSuffix(tmpl, "/incompatibleAccessPackages/$ref"):
		ref := str(m.Sent, "@odata.id")
		return param("accessPackageId") + "/" + ref[strings.LastIndex(ref, "/")+1:]
	case strings.HasSuffix(tmpl, "/resourceRoleScopes"):
		return param("accessPackageId") + "/" + str(m.Answer, "id")
	case strings.HasSuffix(tmpl, "/resourceRequests"):
		return str(m.Sent, "catalog.id") + "/" + str(m.Sent, "resource.originId")
	case strings.HasSuffix(tmpl, "/assignmentRequests"):
		return deliveredAssignment(t, w, str(m.Sent, "assignment.accessPackageId"), str(m.Sent, "assignment.targetId"))
	case strings.Contains(tmpl, "{accessPackageId}"):
		return param("accessPackageId")
	case strings.Contains(tmpl, "{catalogId}"):
		return param("catalogId")
	case strings.Contains(tmpl, "{policyId}"):
		return param("policyId")
	case strings.Contains(tmpl, "{connectedOrganizationId}"):
		return param("connectedOrganizationId")
	case strings.Contains(tmpl, "{workflowId}"):
		return param("workflowId")
	case strings.Contains(tmpl, "{accessReviewScheduleDefinitionId}"):
		return param("accessReviewScheduleDefinitionId")
	}
	return str(m.Answer, "id") // a create: the answer is the new object
}

// roleScopeCatalogResource is the import id of the catalog resource a new role scope's role belongs to: the
// catalog of the access package and the origin id of the role scope's root scope, the resource itself.
func roleScopeCatalogResource(t *testing.T, w *cliWorkspace, s conformance.Shape, m *conformance.Made) string {
	t.Helper()
	packageID, err := m.Param(s, "accessPackageId")
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := w.emulator.Client(t).GetAccessPackage(acctest.Context(t), packageID, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	origin, _ := conformance.Lookup(m.Answer, "scope.originId")
	root, _ := conformance.Lookup(m.Answer, "scope.isRootScope")
	if pkg.Catalog == nil || pkg.Catalog.ID == "" || origin == nil || root != true {
		t.Fatalf("%s: no catalog or root scope to name the catalog resource by: package %s, role scope %s", s.Label(), mustJSON(pkg), mustJSON(m.Answer))
	}
	return pkg.Catalog.ID + "/" + fmt.Sprint(origin)
}

// deliveredAssignment waits for the assignment an adminAdd request made to be delivered and returns its id.
func deliveredAssignment(t *testing.T, w *cliWorkspace, packageID, targetID string) string {
	t.Helper()
	ctx := acctest.Context(t)
	client := w.emulator.Client(t)
	var list []graph.Assignment
	err := client.WaitForExistence(ctx, func(ctx context.Context) error {
		var err error
		if list, err = client.ListAssignments(ctx, graph.AssignmentFilter{AccessPackageID: packageID, TargetObjectID: targetID}); err != nil {
			return err
		}
		if len(list) == 1 && strings.EqualFold(list[0].State, "delivered") {
			return nil
		}
		return &graph.Error{Method: "GET", URL: "assignments", Status: 404, Code: "NotDeliveredYet"}
	})
	if err != nil {
		t.Fatalf("the assignment of %s to %s is not delivered (%v): %s", packageID, targetID, err, mustJSON(list))
	}
	return list[0].ID
}

func mustJSON(x any) string {
	b, err := json.Marshal(x)
	if err != nil {
		return fmt.Sprint(x)
	}
	return string(b)
}
