package subjectset

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Expand turns a subject set list into Graph's. A null or unknown list is an empty slice, never nil:
// Graph wants [] for "none", and a PUT that omits the property may not clear it.
func Expand(ctx context.Context, list types.List) ([]graph.SubjectSet, diag.Diagnostics) {
	sets := []graph.SubjectSet{}
	if list.IsNull() || list.IsUnknown() {
		return sets, nil
	}
	var models []Model
	diags := list.ElementsAs(ctx, &models, false)
	if diags.HasError() {
		return sets, diags
	}
	for _, m := range models {
		sets = append(sets, graph.SubjectSet{
			Type:                    m.Type.ValueString(),
			UserID:                  m.UserID.ValueString(),
			GroupID:                 m.GroupID.ValueString(),
			ConnectedOrganizationID: m.ConnectedOrganizationID.ValueString(),
			ServicePrincipalID:      m.ServicePrincipalID.ValueString(),
			MembershipRule:          m.MembershipRule.ValueString(),
			ManagerLevel:            int(m.ManagerLevel.ValueInt64()),
			Description:             m.Description.ValueString(),
		})
	}
	return sets, diags
}

// Flatten turns Graph's subject sets into a list for state. prior is the list in the plan or prior state
// (null on import); it decides three things Graph's answer alone cannot:
//   - an empty answer is null when prior is null, so an omitted optional list does not diff against [];
//   - description is kept only where the prior element at the same index set one, because Graph may fill
//     it on read (spec 1.6) and that would otherwise show as drift on every plan;
//   - an id equal to the prior one but for letter case keeps the prior spelling;
//   - the order: Graph keeps subject sets as a set and may answer them in any order (the collections have no
//     Core.Ordered annotation in the v1.0 metadata), so the sets the prior list holds come back in its
//     order, and the others after them in Graph's order (inPriorOrder).
func Flatten(ctx context.Context, sets []graph.SubjectSet, prior types.List) (types.List, diag.Diagnostics) {
	if len(sets) == 0 {
		if prior.IsNull() {
			return types.ListNull(ObjectType()), nil
		}
		return types.ListValueMust(ObjectType(), []attr.Value{}), nil
	}
	priorModels, diags := priorElements(ctx, prior)
	if diags.HasError() {
		return types.ListNull(ObjectType()), diags
	}
	sets = inPriorOrder(sets, priorModels)
	models := make([]Model, len(sets))
	for i, set := range sets {
		var before Model
		if i < len(priorModels) {
			before = priorModels[i]
		}
		models[i] = flattenOne(set, before)
	}
	list, listDiags := types.ListValueFrom(ctx, ObjectType(), models)
	diags.Append(listDiags...)
	return list, diags
}

// inPriorOrder returns Graph's sets with those that match a prior element (same type and identifying value,
// ids without regard to case) at that element's position, and the rest after them in Graph's order. A set
// Graph added or dropped still shows as a change; only the order Graph chose does not.
func inPriorOrder(sets []graph.SubjectSet, prior []Model) []graph.SubjectSet {
	if len(prior) == 0 {
		return sets
	}
	used := make([]bool, len(sets))
	out := make([]graph.SubjectSet, 0, len(sets))
	for _, p := range prior {
		want := priorKey(p)
		for i, set := range sets {
			if !used[i] && setKey(set) == want {
				used[i] = true
				out = append(out, set)
				break
			}
		}
	}
	for i, set := range sets {
		if !used[i] {
			out = append(out, set)
		}
	}
	return out
}

// setKey and priorKey identify a subject set by its type and the value of its type's identifying field.
func setKey(set graph.SubjectSet) string {
	return strings.ToLower(set.Type + "\x00" + set.UserID + set.GroupID + set.ConnectedOrganizationID + set.ServicePrincipalID +
		"\x00" + set.MembershipRule + "\x00" + fmt.Sprint(set.ManagerLevel))
}

func priorKey(m Model) string {
	return setKey(graph.SubjectSet{
		Type: m.Type.ValueString(), UserID: m.UserID.ValueString(), GroupID: m.GroupID.ValueString(),
		ConnectedOrganizationID: m.ConnectedOrganizationID.ValueString(), ServicePrincipalID: m.ServicePrincipalID.ValueString(),
		MembershipRule: m.MembershipRule.ValueString(), ManagerLevel: int(m.ManagerLevel.ValueInt64()),
	})
}

// flattenOne sets the fields of the set's type and leaves every other field null.
func flattenOne(set graph.SubjectSet, prior Model) Model {
	rule := typeRules[set.Type]
	m := Model{
		Type:                    types.StringValue(set.Type),
		UserID:                  types.StringNull(),
		GroupID:                 types.StringNull(),
		ConnectedOrganizationID: types.StringNull(),
		ServicePrincipalID:      types.StringNull(),
		MembershipRule:          types.StringNull(),
		ManagerLevel:            types.Int64Null(),
		Description:             types.StringNull(),
	}
	switch rule.required {
	case attrUserID:
		m.UserID = keepPriorSpelling(set.UserID, prior.UserID)
	case attrGroupID:
		m.GroupID = keepPriorSpelling(set.GroupID, prior.GroupID)
	case attrConnectedOrganizationID:
		m.ConnectedOrganizationID = keepPriorSpelling(set.ConnectedOrganizationID, prior.ConnectedOrganizationID)
	case attrServicePrincipalID:
		m.ServicePrincipalID = keepPriorSpelling(set.ServicePrincipalID, prior.ServicePrincipalID)
	case attrMembershipRule:
		m.MembershipRule = types.StringValue(set.MembershipRule)
	case attrManagerLevel:
		m.ManagerLevel = types.Int64Value(int64(set.ManagerLevel))
	}
	// Graph's value even when empty: a configured "" must read back as "", not null.
	if !prior.Description.IsNull() && !prior.Description.IsUnknown() {
		m.Description = types.StringValue(set.Description)
	}
	return m
}

// keepPriorSpelling returns the prior id when Graph's differs only in letter case: GUIDs are not case
// sensitive, and Graph may lower-case what the configuration wrote in upper case.
func keepPriorSpelling(id string, prior types.String) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(id, prior.ValueString()) {
		return prior
	}
	return types.StringValue(id)
}

// priorElements decodes the prior list; an unknown list or element counts as having no prior values.
func priorElements(ctx context.Context, prior types.List) ([]Model, diag.Diagnostics) {
	var diags diag.Diagnostics
	if prior.IsNull() || prior.IsUnknown() {
		return nil, diags
	}
	models := make([]Model, len(prior.Elements()))
	for i, element := range prior.Elements() {
		object, ok := element.(types.Object)
		if !ok {
			diags.AddError("Unexpected subject set element",
				fmt.Sprintf("Element %d is %T, not an object. Please report this to the provider developers.", i, element))
			return nil, diags
		}
		diags.Append(object.As(ctx, &models[i], basetypes.ObjectAsOptions{
			UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true,
		})...)
	}
	return models, diags
}
