package isoduration

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// AtLeast checks that a duration is no shorter than minimum (e.g. "PT0S", "P1D"), comparing lengths, not
// text. It is meant for attributes of DurationType, whose own validation reports malformed values, so a
// value that does not parse is left alone here. It panics on a malformed minimum: that is a provider bug.
func AtLeast(minimum string) validator.String {
	return boundValidator{limit: mustParse(minimum), limitText: minimum, atLeast: true}
}

// AtMost checks that a duration is no longer than maximum; see AtLeast.
func AtMost(maximum string) validator.String {
	return boundValidator{limit: mustParse(maximum), limitText: maximum}
}

func mustParse(s string) Parsed {
	p, err := Parse(s)
	if err != nil {
		panic(fmt.Sprintf("isoduration: limit %q: %v", s, err))
	}
	return p
}

type boundValidator struct {
	limit     Parsed
	limitText string
	atLeast   bool // otherwise at most
}

func (v boundValidator) Description(context.Context) string {
	if v.atLeast {
		return fmt.Sprintf("duration must be at least %s", v.limitText)
	}
	return fmt.Sprintf("duration must be at most %s", v.limitText)
}

func (v boundValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v boundValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value, err := Parse(req.ConfigValue.ValueString())
	if err != nil || value.Months() != 0 {
		// Malformed values and months or years are reported by the type's own validation.
		return
	}
	cmp, decided := value.Compare(v.limit)
	if !decided {
		resp.Diagnostics.AddAttributeError(req.Path, "Duration cannot be checked",
			fmt.Sprintf("Attribute %s: %q cannot be compared with the limit %s because a month's length depends on the date; express it in days or weeks.",
				req.Path, req.ConfigValue.ValueString(), v.limitText))
		return
	}
	if (v.atLeast && cmp < 0) || (!v.atLeast && cmp > 0) {
		resp.Diagnostics.AddAttributeError(req.Path, "Duration out of range",
			fmt.Sprintf("Attribute %s %s, got %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// Edm refuses, at plan and on the attribute's path, a duration Graph's Edm.Duration cannot hold: one with
// months or years (see EdmError). Every duration attribute sent to Graph carries it. It is a validator
// rather than part of the type's own validation because the framework runs that on state values too, and
// a state written before this check (P1M) must still read.
func Edm() validator.String { return edmValidator{} }

type edmValidator struct{}

func (edmValidator) Description(context.Context) string {
	return "an Edm.Duration: days, hours, minutes and seconds (weeks are sent as days); no months or years"
}

func (v edmValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (edmValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := EdmError(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Duration not accepted by Graph",
			fmt.Sprintf("Attribute %s: %v.", req.Path, err))
	}
}
