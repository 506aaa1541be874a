package provider

import (
	"encoding/base64"
	"testing"
)

func TestTenantOf(t *testing.T) {
	token := func(payload string) string {
		return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
	}
	for _, tc := range []struct {
		name, tenantID, accessToken, want string
	}{
		{"the setting wins", "tenant-a", token(`{"tid":"tenant-b"}`), "tenant-a"},
		{"the token's tid claim", "", token(`{"tid":"tenant-b"}`), "tenant-b"},
		{"a token without tid", "", token(`{"sub":"x"}`), ""},
		{"not a JWT", "", "opaque-token", ""},
		{"a payload that is not JSON", "", "a.%%%.c", ""},
		{"neither", "", "", ""},
	} {
		if got := tenantOf(tc.tenantID, tc.accessToken); got != tc.want {
			t.Errorf("%s: tenantOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}
