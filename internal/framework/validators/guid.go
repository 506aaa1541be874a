// Package validators holds plan-time checks shared by resources, so that values Graph would reject
// fail at plan with the attribute path instead of at apply.
package validators

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in its 8-4-4-4-12 form, as Graph object ids are.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

// GUID checks that a string is a Graph object id.
func GUID() validator.String { return guidValidator{} }

type guidValidator struct{}

func (guidValidator) Description(context.Context) string {
	return "value must be a GUID such as 00000000-0000-0000-0000-000000000000"
}

func (v guidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v guidValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !IsGUID(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid object id",
			fmt.Sprintf("Attribute %s value %q is not a GUID: Graph object ids look like 00000000-0000-0000-0000-000000000000.",
				req.Path, req.ConfigValue.ValueString()))
	}
}
