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
	if err != nil {
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
