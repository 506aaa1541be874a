package validators

import (
	"net/url"
	"strings"
)

// CheckSharePointSiteURL explains what is wrong with a SharePoint site URL, or returns "" when it has
// the form Graph accepts as a SharePointOnline origin id: https://<tenant>.sharepoint.com/sites/<site>
// (or /teams/<site>).
func CheckSharePointSiteURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "must be an https URL such as https://contoso.sharepoint.com/sites/marketing"
	}
	host := strings.ToLower(u.Hostname())
	if !strings.HasSuffix(host, ".sharepoint.com") && !strings.HasSuffix(host, ".sharepoint.us") && !strings.HasSuffix(host, ".sharepoint.cn") {
		return "must be on a SharePoint Online host (<tenant>.sharepoint.com)"
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || (parts[0] != "sites" && parts[0] != "teams") || parts[1] == "" {
		return "must name a site: https://<tenant>.sharepoint.com/sites/<site> or /teams/<site>"
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "must not carry a query or fragment"
	}
	return ""
}
