package entitlement

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestLocalizationsKeepPriorOrder: Graph may answer a question's localizations in any order (make
// testnormalised reverses them); the prior order stands, and a language the prior list lacks comes last.
func TestLocalizationsKeepPriorOrder(t *testing.T) {
	prior := []localizationModel{
		{LanguageCode: types.StringValue("en-GB"), Text: types.StringValue("Why?")},
		{LanguageCode: types.StringValue("fr"), Text: types.StringValue("Pourquoi ?")},
	}
	got := flattenLocalizations([]graph.Localization{
		{LanguageCode: "de", Text: "Warum?"}, {LanguageCode: "fr", Text: "Pourquoi ?"}, {LanguageCode: "en-gb", Text: "Why?"},
	}, prior)
	var codes []string
	for _, l := range got {
		codes = append(codes, l.LanguageCode.ValueString())
	}
	if want := []string{"en-gb", "fr", "de"}; !reflect.DeepEqual(codes, want) {
		t.Errorf("language codes = %v, want %v", codes, want)
	}
	if got := inPriorOrder([]string{"monday", "friday"}, nil, func(s string) string { return s }); !reflect.DeepEqual(got, []string{"monday", "friday"}) {
		t.Errorf("without a prior list Graph's order is kept: %v", got)
	}
}

// TestStageSettingsKeepPriorOrder: one custom extension setting per stage, answered in any order.
func TestStageSettingsKeepPriorOrder(t *testing.T) {
	prior := []customExtensionStageModel{
		{Stage: types.StringValue("assignmentRequestCreated")}, {Stage: types.StringValue("assignmentRequestGranted")},
	}
	got := inPriorOrder([]graph.CustomExtensionStageSetting{
		{Stage: "assignmentRequestGranted"}, {Stage: "assignmentRequestCreated"},
	}, []string{prior[0].Stage.ValueString(), prior[1].Stage.ValueString()}, func(s graph.CustomExtensionStageSetting) string { return s.Stage })
	if got[0].Stage != "assignmentRequestCreated" || got[1].Stage != "assignmentRequestGranted" {
		t.Errorf("stages = %v, want the prior order", got)
	}
}
