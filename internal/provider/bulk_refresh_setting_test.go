package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// bulk_refresh is on by default; ENTRAGOV_BULK_REFRESH and the argument turn it off, the argument winning.
func TestBulkRefreshSetting(t *testing.T) {
	for name, tc := range map[string]struct {
		env  string
		arg  types.Bool
		want bool
	}{
		"default":              {arg: types.BoolNull(), want: true},
		"environment off":      {env: "false", arg: types.BoolNull(), want: false},
		"argument off":         {arg: types.BoolValue(false), want: false},
		"argument beats env":   {env: "false", arg: types.BoolValue(true), want: true},
		"argument off, env on": {env: "true", arg: types.BoolValue(false), want: false},
	} {
		t.Run(name, func(t *testing.T) {
			clearCredentialEnv(t)
			t.Setenv("ENTRAGOV_BULK_REFRESH", tc.env)
			r, diags := resolveSettings(providerModel{BulkRefresh: tc.arg})
			if diags.HasError() {
				t.Fatal(diags)
			}
			var d diag.Diagnostics
			if got := r.boolSetting("bulk_refresh", &d); got != tc.want || d.HasError() {
				t.Fatalf("bulk_refresh = %v (%v), want %v", got, d, tc.want)
			}
		})
	}
}
