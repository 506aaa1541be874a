package isoduration

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var (
	_ basetypes.StringTypable                    = DurationType{}
	_ basetypes.StringValuableWithSemanticEquals = Duration{}
	_ xattr.ValidateableAttribute                = Duration{}
)

// DurationType is the CustomType of a duration attribute: schema.StringAttribute{CustomType: DurationType{}}.
type DurationType struct {
	basetypes.StringType
}

func (t DurationType) String() string { return "isoduration.DurationType" }

func (t DurationType) Equal(o attr.Type) bool {
	other, ok := o.(DurationType)
	return ok && t.StringType.Equal(other.StringType)
}

func (t DurationType) ValueType(context.Context) attr.Value { return Duration{} }

func (t DurationType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return Duration{StringValue: in}, nil
}

func (t DurationType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	value, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	stringValue, ok := value.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", value)
	}
	duration, diags := t.ValueFromString(ctx, stringValue)
	if diags.HasError() {
		return nil, fmt.Errorf("converting StringValue to Duration: %v", diags)
	}
	return duration, nil
}

// Duration is an ISO 8601 duration as written in configuration or returned by Graph.
type Duration struct {
	basetypes.StringValue
}

func NewDurationValue(s string) Duration { return Duration{StringValue: basetypes.NewStringValue(s)} }

func NewDurationNull() Duration { return Duration{StringValue: basetypes.NewStringNull()} }

func NewDurationUnknown() Duration { return Duration{StringValue: basetypes.NewStringUnknown()} }

// NewDurationPointerValue is null for a nil pointer, as Graph's nullable durations are.
func NewDurationPointerValue(s *string) Duration {
	return Duration{StringValue: basetypes.NewStringPointerValue(s)}
}

func (v Duration) Type(context.Context) attr.Type { return DurationType{} }

func (v Duration) Equal(o attr.Value) bool {
	other, ok := o.(Duration)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals lets the framework keep the prior spelling (the configured P1D) when Graph answers
// with an equivalent one (PT24H), which is what keeps plans free of perpetual diffs. A value that does not
// parse is equal only to the identical text; ValidateAttribute reports it.
func (v Duration) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	newValue, ok := newValuable.(Duration)
	if !ok {
		diags.AddError("Semantic equality check error",
			fmt.Sprintf("Expected value type %T but got %T. Please report this to the provider developers.", v, newValuable))
		return false, diags
	}
	if v.ValueString() == newValue.ValueString() {
		return true, diags
	}
	prior, priorErr := Parse(v.ValueString())
	current, currentErr := Parse(newValue.ValueString())
	return priorErr == nil && currentErr == nil && prior.Equal(current), diags
}

// ValidateAttribute rejects a malformed duration at plan, on the attribute's path. The framework also runs
// it on every state value it reads or writes, so it refuses only what can never be a duration; months and
// years, which Graph cannot take, are refused by the Edm validator, which runs on configuration only, so
// that a state holding one still reads.
func (v Duration) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	if _, err := Parse(v.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid ISO 8601 duration",
			fmt.Sprintf("Attribute %s: %q is not an ISO 8601 duration (%v); use forms like P14D, PT8H, P1DT12H, P2W.",
				req.Path, v.ValueString(), err))
	}
}
