package validators

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringCheck is a validator made of a check function, for the small format rules below.
type stringCheck struct {
	description string
	check       func(string) string // returns a problem, or "" when the value is fine
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
			fmt.Sprintf("Attribute %s value %q %s.", req.Path, req.ConfigValue.ValueString(), problem))
	}
}

// RFC3339 checks a timestamp such as 2027-06-30T00:00:00Z.
func RFC3339() validator.String {
	return stringCheck{description: "value must be an RFC 3339 timestamp such as 2027-06-30T00:00:00Z", check: func(s string) string {
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return "is not an RFC 3339 timestamp; use a form such as 2027-06-30T00:00:00Z"
		}
		return ""
	}}
}

// Date checks a calendar date such as 2027-06-30.
func Date() validator.String {
	return stringCheck{description: "value must be a date such as 2027-06-30", check: func(s string) string {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "is not a date; use the form YYYY-MM-DD"
		}
		return ""
	}}
}

// Regexp checks that a value compiles as a regular expression.
func Regexp() validator.String {
	return stringCheck{description: "value must be a regular expression", check: func(s string) string {
		if _, err := regexp.Compile(s); err != nil {
			return "is not a valid regular expression: " + err.Error()
		}
		return ""
	}}
}
