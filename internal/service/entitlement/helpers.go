package entitlement

import "github.com/hashicorp/terraform-plugin-framework/types"

// Helpers used by several files of this package (CONTRIBUTING.md, "Names": never in an entity's file).
// Still defined in the assignment policy's files, and due here: enumAttribute and durationAttribute
// (assignment_policy_schema.go), stringOr and expandExpiration (assignment_policy_expand.go), sortedKeys
// and policyValidator (assignment_policy_validate.go).

// known reports whether a value is set: neither null nor unknown (not yet computed at plan time).
func known(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown()
}
