package directory

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// mailPattern is a plausibility check, not RFC 5322: it catches a name or id given where a mail belongs.
var mailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func known(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// stringOrNull is s, or null for the empty string Graph's absent values decode to.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
