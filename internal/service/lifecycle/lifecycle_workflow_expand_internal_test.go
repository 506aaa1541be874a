package lifecycle

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestFoldListKeepsPriorOrderAndSpelling: Graph may answer a scope's groups or a trigger's attributes in any
// order and spelling (make testnormalised reverses them); the prior order and spelling stand, and values
// the prior list lacks come after it.
func TestFoldListKeepsPriorOrderAndSpelling(t *testing.T) {
	prior := types.ListValueMust(types.StringType, []attr.Value{types.StringValue("Department"), types.StringValue("jobTitle")})
	got := foldList([]string{"companyName", "jobtitle", "department"}, prior)
	var have []string
	for _, e := range got.Elements() {
		have = append(have, e.(types.String).ValueString())
	}
	want := []string{"Department", "jobTitle", "companyName"}
	if len(have) != len(want) {
		t.Fatalf("foldList = %v, want %v", have, want)
	}
	for i := range want {
		if have[i] != want[i] {
			t.Fatalf("foldList = %v, want %v", have, want)
		}
	}
	if got := foldList([]string{"b", "a"}, types.ListNull(types.StringType)); got.Elements()[0].(types.String).ValueString() != "b" {
		t.Errorf("without a prior list Graph's order is kept: %v", got)
	}
}
