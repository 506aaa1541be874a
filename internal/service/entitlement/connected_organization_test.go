package entitlement_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

const orgAddress = "entragov_connected_organization.test"

func checkNoConnectedOrganizationsLeft(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		left, err := e.Server.ListObjects("connectedOrganizations")
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d connected organizations left after destroy", len(left))
		}
		return nil
	}
}

func connectedOrgConfig(name, state, source, internal, external string) string {
	return fmt.Sprintf(`
resource "entragov_connected_organization" "test" {
  display_name         = %q
  description          = "Design agency"
  state                = %q
  identity_sources     = [%s]
  internal_sponsor_ids = [%s]
  external_sponsor_ids = [%s]
}
`, name, state, source, internal, external)
}

const fabrikamDomain = `{ type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" }`

func TestAccConnectedOrganization_basicAndUpdate(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	q := func(ids ...string) string {
		out := ""
		for i, s := range ids {
			if i > 0 {
				out += ", "
			}
			out += fmt.Sprintf("%q", s)
		}
		return out
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain,
				q(emulator.SeedUserAdeleID, emulator.SeedGroupSalesID), q(emulator.SeedGuestBenID))),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("internal_sponsor_ids"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact(emulator.SeedUserAdeleID), knownvalue.StringExact(emulator.SeedGroupSalesID),
				})),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("identity_sources").AtSliceIndex(0).AtMapKey("domain_name"), knownvalue.StringExact("fabrikam.com")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: orgAddress, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: importIgnoresSourceName,
		}, {
			// Rename, propose, move to the partner's tenant and change sponsors, all in place.
			Config: e.Config(connectedOrgConfig("Fabrikam Ltd", "proposed",
				`{ type = "azureActiveDirectoryTenant", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "Fabrikam" }`,
				q(emulator.SeedUserPattiID), q(emulator.SeedGuestBenID, emulator.SeedGuestCarlaID))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("state"), knownvalue.StringExact("proposed")),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("internal_sponsor_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedUserPattiID)})),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("external_sponsor_ids"), knownvalue.SetSizeExact(2)),
			},
		}},
	})
}

func TestAccConnectedOrganization_driftAndDisappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	cfg := e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain, fmt.Sprintf("%q", emulator.SeedUserAdeleID), ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(orgAddress, &id)},
		}, {
			// A sponsor added and the name changed in the portal are planned away.
			PreConfig: func() {
				if err := e.Server.AddSponsor(id.Value, "internalSponsors", emulator.SeedUserLynneID); err != nil {
					t.Fatal(err)
				}
				if err := e.Server.ChangeObject("connectedOrganizations", id.Value, map[string]any{"displayName": "Fabrikam (renamed)"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(orgAddress, tfjsonpath.New("internal_sponsor_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedUserAdeleID)})),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject("connectedOrganizations", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccConnectedOrganization_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []resource.TestStep
	for _, tc := range []struct{ source, want string }{
		{`{ type = "domainIdentitySource", display_name = "Fabrikam" }`, `type "domainIdentitySource" needs domain_name`},
		{`{ type = "domainIdentitySource", domain_name = "fabrikam", display_name = "Fabrikam" }`, `Invalid domain name`},
		{`{ type = "domainIdentitySource", domain_name = "fabrikam.com", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "F" }`, `tenant_id is not used by type "domainIdentitySource"`},
		{`{ type = "azureActiveDirectoryTenant", tenant_id = "fabrikam.com", display_name = "F" }`, `Invalid object id`},
		{`{ type = "externalDomainFederation", domain_name = "fabrikam.com", issuer_uri = "not a uri", display_name = "F" }`, `Invalid issuer URI`},
		{`{ type = "crossCloudAzureActiveDirectoryTenant", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "F" }`, `needs cloud_instance`},
		{`{ type = "socialIdentitySource", display_name = "F", social_identity_source_type = "myspace" }`, `social_identity_source_type value must be one of`},
		{`{ type = "ldap", display_name = "F" }`, `type value must be one of`},
		{fabrikamDomain + `, { type = "domainIdentitySource", domain_name = "fabrikam.net", display_name = "F" }`, `identity_sources list must contain at least 1 elements and at most 1`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      e.Config(connectedOrgConfig("Fabrikam", "configured", tc.source, "", "")),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(tc.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      e.Config(connectedOrgConfig("Fabrikam", "active", fabrikamDomain, "", "")),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`state value must be one of`),
	}, resource.TestStep{
		Config:      e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain, `"adele"`, "")),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`Invalid object id`),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

func TestAccConnectedOrganizationDataSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain, fmt.Sprintf("%q", emulator.SeedUserAdeleID), ""), `
data "entragov_connected_organization" "by_domain" {
  domain     = "FABRIKAM.com"
  depends_on = [entragov_connected_organization.test]
}

data "entragov_connected_organization" "by_name" {
  display_name = entragov_connected_organization.test.display_name
}

data "entragov_connected_organization" "by_id" {
  id = entragov_connected_organization.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_connected_organization.by_domain", tfjsonpath.New("id"), orgAddress, tfjsonpath.New("id"), compareEqual),
				statecheck.CompareValuePairs("data.entragov_connected_organization.by_name", tfjsonpath.New("id"), orgAddress, tfjsonpath.New("id"), compareEqual),
				statecheck.ExpectKnownValue("data.entragov_connected_organization.by_id", tfjsonpath.New("domain"), knownvalue.StringExact("fabrikam.com")),
				statecheck.ExpectKnownValue("data.entragov_connected_organization.by_id", tfjsonpath.New("internal_sponsor_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedUserAdeleID)})),
			},
		}, {
			Config: e.Config(`
data "entragov_connected_organization" "missing" {
  domain = "contoso.example"
}
`),
			ExpectError: acctest.ExpectError(`No connected organization has an identity source with the domain "contoso.example"`),
		}},
	})
}

// refRecorder serves the test's local governance API behind a layer that records the @odata.id of
// each sponsor $ref, to check it against
// https://learn.microsoft.com/graph/api/connectedorganization-post-internalsponsors?view=graph-rest-1.0
// (the local API itself does what the reference documents: domain sources of known tenants, 202 on
// PATCH, no $expand of the sponsors).
//
// It serves the test's emulator (the same store) on a second listener, over TLS with the emulator's
// certificate authority, which the acceptance harness trusts.
type refRecorder struct {
	*acctest.Emulator

	mu   sync.Mutex
	refs []string
}

func newRefRecorder(t *testing.T) *refRecorder {
	t.Helper()
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	g := &refRecorder{Emulator: e}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: g.handler(e.Server.Handler()), TLSConfig: e.Server.Authority().ServerTLSConfig(), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = hs.ServeTLS(ln, "", "") }()
	// The provider under test talks to this listener only (Config writes URL into the provider block).
	g.URL = "https://" + ln.Addr().String()
	t.Cleanup(func() { _ = hs.Close() })
	return g
}

func (g *refRecorder) Refs() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.refs...)
}

const coRoute = "/v1.0/identityGovernance/entitlementManagement/connectedOrganizations"

func (g *refRecorder) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, coRoute) && strings.HasSuffix(r.URL.Path, "/$ref") {
			body, _ := io.ReadAll(r.Body)
			var ref map[string]any
			_ = json.Unmarshal(body, &ref)
			g.mu.Lock()
			g.refs = append(g.refs, fmt.Sprint(ref["@odata.id"]))
			g.mu.Unlock()
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		}
		next.ServeHTTP(w, r)
	})
}

const (
	fabrikamTenantID = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
	contosoTenantID  = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
)

// A domain that belongs to an Entra tenant is stored by Graph as the tenant's source: the configured
// domain stays in identity_sources, what Graph holds is in resolved_identity_sources, the plan stays
// empty, and a real change of the source made outside Terraform is still planned away. The source's name,
// omitted, is the one Graph gives it; set, it is kept.
func TestAccConnectedOrganization_domainOfTenant(t *testing.T) {
	g := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	if err := g.Server.AddPartnerTenant(fabrikamTenantID, "Fabrikam Inc.", "fabrikam.com"); err != nil {
		t.Fatal(err)
	}
	var id acctest.IDCapture
	unnamed := `{ type = "domainIdentitySource", domain_name = "fabrikam.com" }`
	resolved := tfjsonpath.New("resolved_identity_sources").AtSliceIndex(0)
	configured := tfjsonpath.New("identity_sources").AtSliceIndex(0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(g),
		Steps: []resource.TestStep{{
			Config: g.Config(connectedOrgConfig("Fabrikam", "configured", unnamed, "", "")),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, configured.AtMapKey("type"), knownvalue.StringExact("domainIdentitySource")),
				statecheck.ExpectKnownValue(orgAddress, configured.AtMapKey("domain_name"), knownvalue.StringExact("fabrikam.com")),
				statecheck.ExpectKnownValue(orgAddress, configured.AtMapKey("display_name"), knownvalue.StringExact("Fabrikam Inc.")),
				statecheck.ExpectKnownValue(orgAddress, resolved.AtMapKey("type"), knownvalue.StringExact("azureActiveDirectoryTenant")),
				statecheck.ExpectKnownValue(orgAddress, resolved.AtMapKey("tenant_id"), knownvalue.StringExact(fabrikamTenantID)),
				statecheck.ExpectKnownValue(orgAddress, resolved.AtMapKey("domain_name"), knownvalue.Null()),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// Without prior state, the configured attribute is what Graph holds.
			ResourceName: orgAddress, ImportState: true,
			ImportStateCheck: func(s []*terraform.InstanceState) error {
				if len(s) != 1 || s[0].Attributes["identity_sources.0.type"] != "azureActiveDirectoryTenant" ||
					s[0].Attributes["identity_sources.0.tenant_id"] != fabrikamTenantID {
					return fmt.Errorf("imported identity_sources: %v", s[0].Attributes)
				}
				return nil
			},
		}, {
			// Someone points the organization at another tenant: that is drift, and the domain is written again.
			PreConfig: func() {
				err := g.Server.ChangeObject("connectedOrganizations", id.Value, map[string]any{"identitySources": []any{map[string]any{
					"@odata.type": "#microsoft.graph.azureActiveDirectoryTenant", "tenantId": contosoTenantID, "displayName": "Contoso"}}})
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: g.Config(connectedOrgConfig("Fabrikam", "configured", unnamed, "", "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(orgAddress, configured.AtMapKey("domain_name"), knownvalue.StringExact("fabrikam.com")),
					plancheck.ExpectUnknownValue(orgAddress, tfjsonpath.New("resolved_identity_sources")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, resolved.AtMapKey("tenant_id"), knownvalue.StringExact(fabrikamTenantID)),
			},
		}, {
			// A name set in the configuration is kept, and naming the source sends nothing to Graph.
			Config: g.Config(connectedOrgConfig("Fabrikam", "configured",
				`{ type = "domainIdentitySource", domain_name = "FABRIKAM.com", display_name = "Fabrikam" }`, "", "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(orgAddress, resolved.AtMapKey("tenant_id"), knownvalue.StringExact(fabrikamTenantID)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orgAddress, configured.AtMapKey("display_name"), knownvalue.StringExact("Fabrikam")),
				statecheck.ExpectKnownValue(orgAddress, resolved.AtMapKey("display_name"), knownvalue.StringExact("Fabrikam Inc.")),
			},
		}, {
			// Graph now holding a plain domain source of another domain is drift as well.
			PreConfig: func() {
				err := g.Server.ChangeObject("connectedOrganizations", id.Value, map[string]any{"identitySources": []any{map[string]any{
					"@odata.type": "#microsoft.graph.domainIdentitySource", "domainName": "fabrikam.net", "displayName": "fabrikam.net"}}})
				if err != nil {
					t.Fatal(err)
				}
			},
			Config: g.Config(connectedOrgConfig("Fabrikam", "configured",
				`{ type = "domainIdentitySource", domain_name = "FABRIKAM.com", display_name = "Fabrikam" }`, "", "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// Against the documented replies: refresh and import work when Graph refuses the sponsor $expand, the
// $ref bodies name the user or group URI, a PATCH answered 202 with the object succeeds, and a state
// member a configuration cannot write (unknownFutureValue) is read without a diff.
func TestAccConnectedOrganization_documentedReplies(t *testing.T) {
	g := newRefRecorder(t)
	var id acctest.IDCapture
	sponsors := func(desc string) string {
		return g.Config(fmt.Sprintf(`
resource "entragov_connected_organization" "test" {
  display_name         = "Fabrikam"
  description          = %q
  identity_sources     = [%s]
  internal_sponsor_ids = [%q, %q]
  external_sponsor_ids = [%q]
}
`, desc, fabrikamDomain, emulator.SeedUserAdeleID, emulator.SeedGroupSalesID, emulator.SeedGuestBenID))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(g.Emulator),
		Steps: []resource.TestStep{{
			Config: sponsors("Design agency"),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("internal_sponsor_ids"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact(emulator.SeedUserAdeleID), knownvalue.StringExact(emulator.SeedGroupSalesID),
				})),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				// Each sponsor was linked by its user or group URI (a 404 on the user URI of a group is allowed).
				linked := map[string]bool{}
				for _, ref := range g.Refs() {
					u, err := url.Parse(ref)
					if err != nil {
						return err
					}
					coll, objectID := path.Split(u.Path)
					if coll != "/v1.0/users/" && coll != "/v1.0/groups/" {
						return fmt.Errorf("$ref body %q is not a user or group URI", ref)
					}
					linked[coll+objectID] = true
				}
				for _, want := range []string{"/v1.0/users/" + emulator.SeedUserAdeleID, "/v1.0/groups/" + emulator.SeedGroupSalesID, "/v1.0/users/" + emulator.SeedGuestBenID} {
					if !linked[want] {
						return fmt.Errorf("no $ref with %s among %v", want, g.Refs())
					}
				}
				return nil
			},
		}, {
			ResourceName: orgAddress, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: importIgnoresSourceName,
		}, {
			Config: sponsors("Design agency, Project Falcon"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("description"), knownvalue.StringExact("Design agency, Project Falcon")),
			},
		}, {
			PreConfig: func() {
				if err := g.Server.ChangeObject("connectedOrganizations", id.Value, map[string]any{"state": "unknownFutureValue"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: sponsors("Design agency, Project Falcon"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("state"), knownvalue.StringExact("unknownFutureValue")),
			},
		}},
	})
}

// importIgnoresSourceName: an identity source's displayName is read-only and set by the service
// (https://learn.microsoft.com/en-us/graph/api/resources/domainidentitysource?view=graph-rest-1.0), so the
// name a configuration gave it cannot come back from an import, which records the name Graph holds (make
// testnormalised answers it as the domain name). The configured name is kept in state otherwise, and a
// plan that only changes it sends nothing to Graph.
var importIgnoresSourceName = []string{"identity_sources.0.display_name"}

// Terraform 1.12 and later: a connected organization's identity is its id, and an import block can name it
// by identity.
func TestAccConnectedOrganization_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(e),
		Steps: []resource.TestStep{{
			Config:            e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain, "", "")),
			ConfigStateChecks: acctest.IdentityChecks(orgAddress, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(guidPattern)}, "id"),
		}, acctest.ImportByIdentityStep(orgAddress)},
	})
}
