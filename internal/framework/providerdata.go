package framework

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// ClientFrom takes the Graph client out of the provider data handed to a resource or data source.
// It returns nil without a diagnostic while the provider is not configured yet (early validation).
func ClientFrom(providerData any, diags *diag.Diagnostics) *graph.Client {
	if providerData == nil {
		return nil
	}
	client, ok := providerData.(*graph.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *graph.Client, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return client
}
