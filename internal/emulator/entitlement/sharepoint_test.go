package entitlement_test

import (
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
)

func TestParseSharePointSiteURL(t *testing.T) {
	t.Parallel()
	good := []struct{ in, url, tenant, kind, name string }{
		{"https://contoso.sharepoint.com/sites/Marketing", "https://contoso.sharepoint.com/sites/Marketing", "contoso", "sites", "Marketing"},
		{"https://Contoso.SharePoint.com/Sites/hr/", "https://Contoso.SharePoint.com/Sites/hr", "contoso", "sites", "hr"},
		{"https://fab-rikam.sharepoint.com/teams/Project%20X", "https://fab-rikam.sharepoint.com/teams/Project%20X", "fab-rikam", "teams", "Project X"},
		// Example 2 of https://learn.microsoft.com/graph/api/accesspackage-post-resourcerolescopes?view=graph-rest-1.0.
		{"https://contoso.sharepoint.com/portals/Community", "https://contoso.sharepoint.com/portals/Community", "contoso", "portals", "Community"},
	}
	for _, tc := range good {
		s, err := entitlement.ParseSharePointSiteURL(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if s.URL != tc.url || s.Tenant != tc.tenant || s.Kind != tc.kind || s.Name != tc.name {
			t.Errorf("%s: %+v", tc.in, s)
		}
	}
	for _, bad := range []string{"", "contoso", "http://contoso.sharepoint.com/sites/a", "https://contoso.sharepoint.com",
		"https://contoso.sharepoint.com/sites", "https://contoso.sharepoint.com/sites/a/b", "https://contoso.sharepoint.com/lists/a", "https://contoso.sharepoint.com/portals",
		"https://contoso.sharepoint.com.evil.com/sites/a", "https://sharepoint.com/sites/a", "https://contoso.sharepoint.com:8443/sites/a",
		"https://contoso.sharepoint.com/sites/a?x=1", "https://u:p@contoso.sharepoint.com/sites/a"} {
		if _, err := entitlement.ParseSharePointSiteURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	g := entitlement.DefaultSiteGroups("Docs")
	if len(g) != 3 || g[0].OriginID != "3" || g[0].DisplayName != "Docs Owners" || g[1].OriginID != "4" || g[1].DisplayName != "Docs Visitors" ||
		g[2].OriginID != "5" || g[2].DisplayName != "Docs Members" {
		t.Errorf("groups %+v", g)
	}
}
