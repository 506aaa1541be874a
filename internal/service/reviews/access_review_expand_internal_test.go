package reviews

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Graph stores a scope's query with $count=true among its options (the create page's example 2): the
// written query is kept, and any other difference is Graph's value.
func TestFlattenKeepsTheWrittenQuery(t *testing.T) {
	written := "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')"
	for held, keep := range map[string]bool{
		written: true,
		"./members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')": true,
		"./members/microsoft.graph.user/?$filter=(userType eq 'Guest')&$count=true": true,
		"./members/microsoft.graph.user/?$filter=(userType eq 'Member')":            false,
		"./members/microsoft.graph.user":                                            false,
	} {
		m := accessReviewModel{Scope: &scopeModel{Type: types.StringValue(graph.AccessReviewQueryScope), Query: types.StringValue(written)}}
		flattenAccessReview(&graph.AccessReviewDefinition{ID: "x", Scope: &graph.AccessReviewScope{Type: graph.AccessReviewQueryScope, Query: held}}, &m)
		if got := m.Scope.Query.ValueString(); (got == written) != keep || (!keep && got != held) {
			t.Errorf("held %q: state %q (keep written: %v)", held, got, keep)
		}
	}
	if !sameQuery("/groups?$filter=(groupTypes/any(c:c eq 'Unified'))", "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))&$count=true") {
		t.Error("instanceEnumerationScope's query with $count=true added is not the written one")
	}
}
