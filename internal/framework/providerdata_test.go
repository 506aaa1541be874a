package framework

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestProviderData(t *testing.T) {
	t.Parallel()
	client, err := graph.New(graph.Config{Endpoint: "https://graph.microsoft.com", Token: graph.StaticToken("t")})
	if err != nil {
		t.Fatal(err)
	}
	data := NewProviderData(client)
	var diags diag.Diagnostics
	if ClientFrom(data, &diags) != client || ClientFrom(client, &diags) != client || diags.HasError() {
		t.Errorf("ClientFrom must accept *ProviderData and *graph.Client: %v", diags)
	}
	if TaskDefinitionsFrom(data) == nil || TaskDefinitionsFrom(data) != data.TaskDefinitions {
		t.Error("TaskDefinitionsFrom must return the one cache of the provider data")
	}
	// Not configured yet (terraform validate): no client, no cache, no diagnostic.
	if ClientFrom(nil, &diags) != nil || TaskDefinitionsFrom(nil) != nil || TaskDefinitionsFrom(client) != nil || diags.HasError() {
		t.Error("unconfigured provider data")
	}
	ClientFrom("wrong", &diags)
	if !diags.HasError() {
		t.Error("unexpected provider data must be an error")
	}
}
