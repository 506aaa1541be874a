package customext

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestEndpointAndAuthenticationRoundTrip(t *testing.T) {
	e := &EndpointModel{Type: types.StringValue(graph.LogicAppEndpointType), SubscriptionID: types.StringValue("38ab2ccc-3747-4567-b36b-9478f5602f0d"),
		ResourceGroupName: types.StringValue("rg"), LogicAppWorkflowName: types.StringValue("wf"), URL: types.StringUnknown()}
	out := ExpandEndpoint(e)
	if out.Type != "#microsoft.graph.logicAppTriggerEndpointConfiguration" || out.URL != "" || out.LogicAppWorkflowName != "wf" {
		t.Fatalf("expanded %+v", out)
	}
	out.URL = "https://example/trigger"
	back := FlattenEndpoint(out)
	if back.Type.ValueString() != graph.LogicAppEndpointType || back.URL.ValueString() != out.URL || !back.SubscriptionID.Equal(e.SubscriptionID) {
		t.Errorf("flattened %+v", back)
	}

	// A resource_id left in the model of a PoP authentication is never sent.
	a := ExpandAuthentication(&AuthenticationModel{Type: types.StringValue(graph.AuthenticationPopToken), ResourceID: types.StringValue("x")})
	if a.Type != "#microsoft.graph.azureAdPopTokenAuthentication" || a.ResourceID != "" {
		t.Errorf("pop %+v", a)
	}
	tok := FlattenAuthentication(&graph.ExtensionAuthentication{Type: "microsoft.graph.azureAdTokenAuthentication", ResourceID: "api://x"})
	if tok.Type.ValueString() != graph.AuthenticationToken || tok.ResourceID.ValueString() != "api://x" {
		t.Errorf("token %+v", tok)
	}
	if pop := FlattenAuthentication(&graph.ExtensionAuthentication{Type: "#microsoft.graph.azureAdPopTokenAuthentication"}); !pop.ResourceID.IsNull() {
		t.Errorf("pop resource id %v", pop.ResourceID)
	}
}

func TestFlattenClientLeavesUnconfiguredFieldsToTheService(t *testing.T) {
	one, thousand := int64(1), int64(1000)
	held := &graph.ExtensionClientConfiguration{MaximumRetries: &one, TimeoutInMilliseconds: &thousand}
	cases := []struct {
		name       string
		configured *ClientModel
		imported   bool
		want       *ClientModel
	}{
		{"not configured: Graph's defaults stay out of state", nil, false, nil},
		{"imported: what Graph holds", nil, true, &ClientModel{MaximumRetries: types.Int64Value(1), TimeoutInMilliseconds: types.Int64Value(1000)}},
		{"one field configured", &ClientModel{MaximumRetries: types.Int64Value(0), TimeoutInMilliseconds: types.Int64Null()}, false,
			&ClientModel{MaximumRetries: types.Int64Value(1), TimeoutInMilliseconds: types.Int64Null()}},
	}
	for _, tc := range cases {
		got := FlattenClient(held, tc.configured, tc.imported)
		if (got == nil) != (tc.want == nil) || (got != nil && (!got.MaximumRetries.Equal(tc.want.MaximumRetries) || !got.TimeoutInMilliseconds.Equal(tc.want.TimeoutInMilliseconds))) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// Configured, but Graph holds none: the configured object with nothing in it (drift shows).
	if got := FlattenClient(nil, &ClientModel{MaximumRetries: types.Int64Value(1)}, false); got == nil || !got.MaximumRetries.IsNull() {
		t.Errorf("cleared: %+v", got)
	}
	if ExpandClient(nil) != nil {
		t.Error("no configuration must send null")
	}
}
