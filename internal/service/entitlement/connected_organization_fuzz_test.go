package entitlement

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// FuzzIdentitySourceProblems feeds arbitrary identity sources to the plan-time check: it never panics,
// every problem names a field of the schema, a known type with exactly its required fields and a valid
// domain has no problem, and a field of another type is always reported.
func FuzzIdentitySourceProblems(f *testing.F) {
	f.Add("domainIdentitySource", "fabrikam.com", "", "", "", "")
	f.Add("azureActiveDirectoryTenant", "", "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", "", "", "")
	f.Add("externalDomainFederation", "fabrikam.com", "", "https://sts.fabrikam.com/adfs", "", "")
	f.Add("crossCloudAzureActiveDirectoryTenant", "", "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", "", "microsoftonline.us", "")
	f.Add("socialIdentitySource", "", "", "", "", "facebook")
	f.Add("domainIdentitySource", "fab rikam", "x", "::", "", "")
	fields := []string{"tenant_id", "domain_name", "issuer_uri", "cloud_instance", "social_identity_source_type"}
	orNull := func(v string) types.String {
		if v == "" {
			return types.StringNull()
		}
		return types.StringValue(v)
	}
	f.Fuzz(func(t *testing.T, typ, domain, tenant, issuer, cloud, social string) {
		s := identitySourceModel{
			Type: types.StringValue(typ), DisplayName: types.StringValue("x"), DomainName: orNull(domain), TenantID: orNull(tenant),
			IssuerURI: orNull(issuer), CloudInstance: orNull(cloud), SocialIdentitySourceType: orNull(social),
		}
		problems := identitySourceProblems(s)
		for _, p := range problems {
			if !slices.Contains(fields, p.field) || p.summary == "" || p.detail == "" {
				t.Fatalf("problem on an unknown field or without text: %+v", p)
			}
		}
		required, known := identitySourceFields[typ]
		if !known {
			return // the type's own OneOf validator reports it
		}
		set := map[string]bool{"domain_name": domain != "", "tenant_id": tenant != "", "issuer_uri": issuer != "",
			"cloud_instance": cloud != "", "social_identity_source_type": social != ""}
		for field, isSet := range set {
			if isSet && !slices.Contains(required, field) && !slices.ContainsFunc(problems, func(p identitySourceProblem) bool { return p.field == field }) {
				t.Fatalf("type %q with %s set: the foreign field was not reported (%+v)", typ, field, problems)
			}
		}
		if typ == graph.IdentitySourceSocial && social == "facebook" && !set["domain_name"] && !set["tenant_id"] && !set["issuer_uri"] && !set["cloud_instance"] && len(problems) != 0 {
			t.Fatalf("a valid social source was refused: %+v", problems)
		}
	})
}
