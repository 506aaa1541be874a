package entitlement

import (
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Helpers used by several files of this package (CONTRIBUTING.md, "Names": never in an entity's file).

// known reports whether a value is set: neither null nor unknown (not yet computed at plan time).
func known(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// enumAttribute is a string attribute that takes one of Graph's enum members, listed in the error.
func enumAttribute(description string, values []string, required bool) schema.StringAttribute {
	return schema.StringAttribute{
		Required: required, Optional: !required, MarkdownDescription: description,
		Validators: []validator.String{stringvalidator.OneOf(values...)},
	}
}

// durationAttribute is an ISO 8601 duration attribute that Graph can take (Edm.Duration).
func durationAttribute(description string, required bool, v ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		CustomType: isoduration.DurationType{}, Required: required, Optional: !required,
		MarkdownDescription: description + " An ISO 8601 duration such as `P14D`, `PT8H` or `P1DT12H`; equivalent spellings (`P1D`, `PT24H`) are the same value. " +
			"Graph takes days, hours, minutes and seconds only (`Edm.Duration`): weeks are sent as days (`P2W` as `P14D`, state keeps `P2W`), months and years are refused.",
		Validators: append([]validator.String{isoduration.Edm()}, v...),
	}
}

// stringOr is the value when it is set, def otherwise.
func stringOr(v types.String, def string) string {
	if known(v) {
		return v.ValueString()
	}
	return def
}

// expandExpiration is the expiration pattern of a policy or an assignment request; none is "notSpecified".
func expandExpiration(e *expirationModel) *graph.ExpirationPattern {
	if e == nil {
		return &graph.ExpirationPattern{Type: "notSpecified"}
	}
	out := &graph.ExpirationPattern{Type: e.Type.ValueString()}
	if known(e.EndDateTime) {
		out.EndDateTime = e.EndDateTime.ValueStringPointer()
	}
	out.Duration = e.Duration.EdmPointer()
	return out
}

// sortedKeys lists a map's keys in order, for messages that must not change from run to run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// matches is a list resource's client-side filter: an unset filter keeps everything, a set one keeps the
// values equal to it (Graph may match eq without regard to case; names are compared exactly).
func matches(filter types.String, value string) bool {
	return !known(filter) || filter.ValueString() == value
}
