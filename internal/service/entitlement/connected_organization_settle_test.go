package entitlement

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// settleIdentitySources keeps the configured source when Graph holds it or the documented tenant form of a
// configured domain (https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0)
// that this provider's own write produced; anything else is drift.
func TestSettleIdentitySources(t *testing.T) {
	const tenantA, tenantB = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	domain := func(name types.String) []identitySourceModel {
		return []identitySourceModel{{Type: types.StringValue(graph.IdentitySourceDomain), DomainName: types.StringValue("Fabrikam.com"), DisplayName: name}}
	}
	tenant := func(id, name string) []graph.IdentitySource {
		return []graph.IdentitySource{{Type: graph.IdentitySourceTenant, TenantID: id, DisplayName: name}}
	}
	heldDomain := []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: "fabrikam.com", DisplayName: "fabrikam.com"}}
	for _, tc := range []struct {
		name             string
		configured       []identitySourceModel
		prev, held       []graph.IdentitySource
		sent             bool
		wantType         string
		wantName         string
		wantExplained    bool
		wantConfiguredAs bool // identity_sources stays the configured domain
	}{
		{"same source, name from Graph", domain(types.StringUnknown()), nil, heldDomain, true, graph.IdentitySourceDomain, "fabrikam.com", true, true},
		{"same source, name set is kept", domain(types.StringValue("Fabrikam")), heldDomain, heldDomain, false, graph.IdentitySourceDomain, "Fabrikam", true, true},
		{"domain written now, Graph holds its tenant", domain(types.StringUnknown()), nil, tenant(tenantA, "Fabrikam Inc."), true, graph.IdentitySourceDomain, "Fabrikam Inc.", true, true},
		{"refresh, Graph still holds the tenant it resolved", domain(types.StringValue("Fabrikam Inc.")), tenant(strings.ToUpper(tenantA), "Fabrikam Inc."), tenant(tenantA, "Fabrikam Inc."), false, graph.IdentitySourceDomain, "Fabrikam Inc.", true, true},
		{"refresh, another tenant since", domain(types.StringValue("Fabrikam Inc.")), tenant(tenantA, "Fabrikam Inc."), tenant(tenantB, "Contoso"), false, graph.IdentitySourceTenant, "Contoso", false, false},
		{"refresh, a tenant where a domain was held", domain(types.StringValue("fabrikam.com")), heldDomain, tenant(tenantA, "Fabrikam Inc."), false, graph.IdentitySourceTenant, "Fabrikam Inc.", false, false},
		{"import", nil, nil, tenant(tenantA, "Fabrikam Inc."), false, graph.IdentitySourceTenant, "Fabrikam Inc.", true, false},
		{"Graph answers without a source", domain(types.StringValue("Fabrikam")), nil, nil, false, graph.IdentitySourceDomain, "Fabrikam", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, explained := settleIdentitySources(tc.configured, tc.prev, tc.held, tc.sent)
			if explained != tc.wantExplained || len(got) != 1 || got[0].Type.ValueString() != tc.wantType || got[0].DisplayName.ValueString() != tc.wantName {
				t.Fatalf("got %+v, explained %v", got, explained)
			}
			if tc.wantConfiguredAs && got[0].DomainName.ValueString() != "Fabrikam.com" {
				t.Fatalf("the configured domain was not kept: %+v", got[0])
			}
		})
	}
}
