package validators

import "testing"

func TestIsGUID(t *testing.T) {
	for s, want := range map[string]bool{
		"9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60":   true,
		"3C860712-2D37-42A4-928F-5C93935D26A1":   true,
		"9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f6":    false,
		"{9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60}": false,
		"sales":                                  false,
		"":                                       false,
	} {
		if IsGUID(s) != want {
			t.Errorf("IsGUID(%q) = %v", s, !want)
		}
	}
}

func TestCheckSharePointSiteURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://contoso.sharepoint.com/sites/marketing":  true,
		"https://contoso.sharepoint.com/teams/falcon":     true,
		"https://contoso.sharepoint.com/sites/marketing/": true,
		"http://contoso.sharepoint.com/sites/marketing":   false,
		"https://contoso.example.com/sites/marketing":     false,
		"https://contoso.sharepoint.com/":                 false,
		"https://contoso.sharepoint.com/personal/alex":    false,
		"https://contoso.sharepoint.com/sites/x?a=b":      false,
		"contoso.sharepoint.com/sites/marketing":          false,
	} {
		if got := CheckSharePointSiteURL(raw); (got == "") != ok {
			t.Errorf("CheckSharePointSiteURL(%q) = %q, want ok %v", raw, got, ok)
		}
	}
}
