package entitlement

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
)

// linkSet is one set of $ref links of an object (incompatible packages, sponsors, …): what it holds,
// what the plan wants, and the calls that add and remove one link.
type linkSet struct {
	what        string // e.g. "incompatible group", for messages
	have        []string
	want        types.Set
	add, remove func(ctx context.Context, targetID string) error
}

// reconcileLinks adds and removes links so that each set holds exactly the planned ids. A set the plan
// leaves unknown or null (attribute omitted) is left alone.
func reconcileLinks(ctx context.Context, owner string, sets ...linkSet) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, l := range sets {
		if l.want.IsUnknown() || l.want.IsNull() {
			continue
		}
		add, remove := diffIDs(l.have, setStrings(l.want))
		for _, target := range remove {
			if err := l.remove(ctx, target); err != nil {
				diagnostics.AddAPIError(&diags, fmt.Sprintf("Unable to remove %s %s from %s", l.what, target, owner), err)
			}
		}
		for _, target := range add {
			if err := l.add(ctx, target); err != nil {
				diagnostics.AddAPIError(&diags, fmt.Sprintf("Unable to add %s %s to %s", l.what, target, owner), err)
			}
		}
	}
	return diags
}

// diffIDs compares id lists case-insensitively (Graph ids are GUIDs in any case).
func diffIDs(have, want []string) (add, remove []string) {
	haveSet := map[string]bool{}
	for _, h := range have {
		haveSet[strings.ToLower(h)] = true
	}
	wantSet := map[string]bool{}
	for _, w := range want {
		wantSet[strings.ToLower(w)] = true
		if !haveSet[strings.ToLower(w)] {
			add = append(add, w)
		}
	}
	for _, h := range have {
		if !wantSet[strings.ToLower(h)] {
			remove = append(remove, h)
		}
	}
	sort.Strings(add)
	sort.Strings(remove)
	return add, remove
}

func setStrings(s types.Set) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok && !v.IsNull() && !v.IsUnknown() {
			out = append(out, v.ValueString())
		}
	}
	return out
}
