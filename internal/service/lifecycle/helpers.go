package lifecycle

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// Helpers used by several files of this package (CONTRIBUTING.md, "Names": never in an entity's file).

// known reports whether a value is set: neither null nor unknown (not yet computed at plan time).
func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// objectAsOptions reads a nested object into a struct; its attributes all have defaults.
var objectAsOptions = basetypes.ObjectAsOptions{}
