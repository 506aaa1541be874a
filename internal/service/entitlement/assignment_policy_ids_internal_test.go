package entitlement

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var settingType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "stage": types.StringType, "custom_extension_id": types.StringType,
}}

func setting(id types.String, stage, extension string) attr.Value {
	ext := types.StringValue(extension)
	if extension == "?" {
		ext = types.StringUnknown()
	}
	return types.ObjectValueMust(settingType.AttrTypes, map[string]attr.Value{
		"id": id, "stage": types.StringValue(stage), "custom_extension_id": ext,
	})
}

// planIDs runs the modifier on a plan whose ids are what Terraform proposes (the prior id at the same
// index) and returns the planned ids, "?" for unknown.
func planIDs(t *testing.T, m planmodifier.List, state []attr.Value, plan []attr.Value) []string {
	t.Helper()
	stateList := types.ListNull(settingType)
	if state != nil {
		stateList = types.ListValueMust(settingType, state)
	}
	req := planmodifier.ListRequest{Path: path.Root("custom_extension_stage_settings"), StateValue: stateList,
		PlanValue: types.ListValueMust(settingType, plan)}
	resp := planmodifier.ListResponse{PlanValue: req.PlanValue}
	m.PlanModifyList(context.Background(), req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var ids []string
	for _, e := range resp.PlanValue.Elements() {
		id := e.(types.Object).Attributes()["id"].(types.String)
		if id.IsUnknown() {
			ids = append(ids, "?")
		} else {
			ids = append(ids, id.ValueString())
		}
	}
	return ids
}

func TestIDsByContent(t *testing.T) {
	s := types.StringValue
	prior := []attr.Value{setting(s("1"), "created", "a"), setting(s("2"), "granted", "b")}
	for name, tc := range map[string]struct {
		state, plan []attr.Value
		want        []string
	}{
		"unchanged": {prior, prior, []string{"1", "2"}},
		"inserted first takes no id": {prior, []attr.Value{
			setting(s("1"), "removed", "c"), setting(s("2"), "created", "a"), setting(types.StringNull(), "granted", "b"),
		}, []string{"?", "1", "2"}},
		"appended": {prior, []attr.Value{
			setting(s("1"), "created", "a"), setting(s("2"), "granted", "b"), setting(types.StringNull(), "removed", "c"),
		}, []string{"1", "2", "?"}},
		"reordered": {prior, []attr.Value{setting(s("1"), "granted", "b"), setting(s("2"), "created", "a")}, []string{"2", "1"}},
		"extension changed keeps the stage's id": {prior, []attr.Value{
			setting(s("1"), "created", "z"), setting(s("2"), "granted", "b"),
		}, []string{"1", "2"}},
		"unknown content never matches": {prior, []attr.Value{
			setting(types.StringUnknown(), "removed", "?"), setting(s("2"), "granted", "b"),
		}, []string{"?", "2"}},
		"create": {nil, []attr.Value{setting(types.StringUnknown(), "created", "a")}, []string{"?"}},
		"each prior id once": {[]attr.Value{setting(s("1"), "created", "a")}, []attr.Value{
			setting(s("1"), "created", "a"), setting(types.StringNull(), "created", "a"),
		}, []string{"1", "?"}},
	} {
		t.Run(name, func(t *testing.T) {
			got := planIDs(t, extensionStageIDs(), tc.state, tc.plan)
			if len(got) != len(tc.want) {
				t.Fatalf("ids %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("ids %v, want %v", got, tc.want)
				}
			}
		})
	}
}
