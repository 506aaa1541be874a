package entitlement

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// SharePoint Online sites as catalog resources (spec 1.2): the originId is the site URL,
// the roles are the site's default groups, the root scope is the site itself.

// sharePointSite is a parsed site URL.
type sharePointSite struct {
	URL    string // as given, without a trailing slash
	Tenant string // <tenant> of <tenant>.sharepoint.com
	Kind   string // the managed path: "sites", "teams" or "portals"
	Name   string // the site segment, unescaped
}

var sharePointHost = regexp.MustCompile(`^(?i)([a-z0-9][a-z0-9-]*)\.sharepoint\.com$`)

// sitePaths are the managed paths a site URL may use: /sites/ and /teams/, and /portals/, which
// Example 2 of https://learn.microsoft.com/graph/api/accesspackage-post-resourcerolescopes?view=graph-rest-1.0
// uses (https://contoso.sharepoint.com/portals/Community).
var sitePaths = []string{"sites", "teams", "portals"}

// parseSharePointSiteURL accepts https://<tenant>.sharepoint.com/<managed path>/<site> (one site
// segment, an optional trailing slash, no query).
func parseSharePointSiteURL(raw string) (*sharePointSite, error) {
	bad := func(why string) error {
		return wire.BadRequest(fmt.Sprintf("The originId '%s' is not a valid SharePoint Online site URL (%s); expected https://<tenant>.sharepoint.com/sites/<site>, /teams/<site> or /portals/<site>.", raw, why))
	}
	trimmed := strings.TrimRight(strings.TrimSpace(raw), "/")
	u, err := url.Parse(trimmed)
	if err != nil {
		return nil, bad("not a URL")
	}
	if !strings.EqualFold(u.Scheme, "https") {
		return nil, bad("the scheme must be https")
	}
	if u.User != nil || u.Port() != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, bad("no credentials, port, query or fragment allowed")
	}
	m := sharePointHost.FindStringSubmatch(u.Hostname())
	if m == nil {
		return nil, bad("the host must be <tenant>.sharepoint.com")
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	managed := false
	for _, p := range sitePaths {
		managed = managed || (len(segs) > 0 && strings.EqualFold(segs[0], p))
	}
	if len(segs) != 2 || !managed || segs[1] == "" {
		return nil, bad("the path must be /sites/<site>, /teams/<site> or /portals/<site>")
	}
	return &sharePointSite{URL: trimmed, Tenant: strings.ToLower(m[1]), Kind: strings.ToLower(segs[0]), Name: segs[1]}, nil
}

// siteGroup is a default SharePoint site group, exposed as a catalog resource role.
type siteGroup struct {
	OriginID, DisplayName, Description string
}

// defaultSiteGroups are the groups every new site has, with their SharePoint ids:
// 3 Owners, 4 Visitors, 5 Members.
func defaultSiteGroups(site string) []siteGroup {
	return []siteGroup{
		{"3", site + " Owners", "Use this group to grant people full control permissions to the SharePoint site: " + site},
		{"4", site + " Visitors", "Use this group to grant people read permissions to the SharePoint site: " + site},
		{"5", site + " Members", "Use this group to grant people contribute permissions to the SharePoint site: " + site},
	}
}
