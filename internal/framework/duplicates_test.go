package framework

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The look-up before a create: a parent Graph cannot read yet holds nothing, any other failure stops the
// create with Graph's error, and a name already taken names the import block.
func TestCheckNoDuplicate(t *testing.T) {
	t.Parallel()
	client, err := graph.New(graph.Config{Endpoint: "https://graph.microsoft.com", Token: graph.StaticToken("t"), PreventDuplicateNames: true})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		found   []string
		lookErr error
		proceed bool
		summary string
	}{
		{"nothing holds the name", nil, nil, true, ""},
		{"the parent is not readable yet", nil, &graph.Error{Status: http.StatusNotFound, Code: "ResourceNotFound", Message: "catalog not found"}, true, ""},
		{"the look-up fails", nil, &graph.Error{Status: http.StatusForbidden, Code: "Authorization_RequestDenied", Message: "denied"}, false, "the look-up of"},
		{"the look-up cannot reach Graph", nil, errors.New("connection refused"), false, "the look-up of"},
		{"the name is taken", []string{"p1"}, nil, false, "An object with this name already exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			proceed := CheckNoDuplicate(context.Background(), client, &diags, NamedCreate{
				ResourceType: "entragov_access_package", Kind: "access package", What: `an access package named "Sales" in catalog c1`,
				Find: func(context.Context) ([]string, error) { return tc.found, tc.lookErr },
			})
			if proceed != tc.proceed {
				t.Fatalf("proceed = %v, want %v (%v)", proceed, tc.proceed, diags)
			}
			if tc.proceed != !diags.HasError() {
				t.Fatalf("an error exactly when the create stops: %v", diags)
			}
			if tc.summary != "" && !strings.Contains(diags[0].Summary(), tc.summary) {
				t.Fatalf("summary %q, want it to contain %q", diags[0].Summary(), tc.summary)
			}
		})
	}
}
