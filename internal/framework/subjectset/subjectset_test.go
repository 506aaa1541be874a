package subjectset

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const (
	userID  = "9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
	groupID = "3c860712-2d37-42a4-928f-5c93935d26a1"
	orgID   = "0b5a4c1e-7d6f-4a3b-9c8d-2e1f0a9b8c7d"
	spID    = "6e5d4c3b-2a19-4087-b6a5-948372615049"
	rule    = `(user.department -eq "Sales")`
)

// configured is a valid subject set of the given type as a user would write it, without description.
func configured(typ string) Model {
	m := Model{Type: types.StringValue(typ)}
	switch typ {
	case graph.SubjectSingleUser:
		m.UserID = types.StringValue(userID)
	case graph.SubjectGroupMembers:
		m.GroupID = types.StringValue(groupID)
	case graph.SubjectConnectedOrganizationMembers:
		m.ConnectedOrganizationID = types.StringValue(orgID)
	case graph.SubjectSingleServicePrincipal:
		m.ServicePrincipalID = types.StringValue(spID)
	case graph.SubjectAttributeRuleMembers:
		m.MembershipRule = types.StringValue(rule)
	case graph.SubjectRequestorManager, graph.SubjectTargetManager:
		m.ManagerLevel = types.Int64Value(2)
	}
	return m
}

func listOf(t *testing.T, models ...Model) types.List {
	t.Helper()
	if models == nil {
		models = []Model{} // ListValueFrom makes a nil slice a null list
	}
	list, diags := types.ListValueFrom(context.Background(), ObjectType(), models)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return list
}

func objectOf(t *testing.T, m Model) types.Object {
	t.Helper()
	object, diags := types.ObjectValueFrom(context.Background(), AttrTypes(), m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return object
}

func TestRoundTripEveryType(t *testing.T) {
	ctx := context.Background()
	for _, typ := range graph.SubjectSetTypes {
		t.Run(typ, func(t *testing.T) {
			m := configured(typ)
			if typeRules[typ].description {
				m.Description = types.StringValue("set by the configuration")
			}
			list := listOf(t, m)
			sets, diags := Expand(ctx, list)
			if diags.HasError() || len(sets) != 1 || sets[0].Type != typ {
				t.Fatalf("Expand = %+v, %v", sets, diags)
			}
			back, diags := Flatten(ctx, sets, list)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !back.Equal(list) {
				t.Errorf("round trip changed the list:\n got %v\nwant %v", back, list)
			}
			// Import: no prior, so nothing the configuration did not set can be kept.
			imported, diags := Flatten(ctx, sets, types.ListNull(ObjectType()))
			if diags.HasError() {
				t.Fatal(diags)
			}
			m.Description = types.StringNull()
			if want := listOf(t, m); !imported.Equal(want) {
				t.Errorf("import:\n got %v\nwant %v", imported, want)
			}
		})
	}
}

func TestExpandFields(t *testing.T) {
	sets, diags := Expand(context.Background(), listOf(t, configured(graph.SubjectRequestorManager), configured(graph.SubjectSingleUser)))
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := []graph.SubjectSet{{Type: "requestorManager", ManagerLevel: 2}, {Type: "singleUser", UserID: userID}}
	if len(sets) != 2 || sets[0] != want[0] || sets[1] != want[1] {
		t.Errorf("Expand = %+v, want %+v", sets, want)
	}
}

func TestExpandNullAndUnknownAreEmpty(t *testing.T) {
	for name, list := range map[string]types.List{
		"null":    types.ListNull(ObjectType()),
		"unknown": types.ListUnknown(ObjectType()),
		"empty":   listOf(t),
	} {
		sets, diags := Expand(context.Background(), list)
		if diags.HasError() || sets == nil || len(sets) != 0 {
			t.Errorf("%s: Expand = %#v, %v; want a non-nil empty slice", name, sets, diags)
		}
	}
}

func TestFlattenNullVersusEmpty(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		prior    types.List
		wantNull bool
	}{
		"omitted stays null":       {types.ListNull(ObjectType()), true},
		"configured [] stays []":   {listOf(t), false},
		"removed elements give []": {listOf(t, configured(graph.SubjectSingleUser)), false},
	} {
		got, diags := Flatten(ctx, nil, tc.prior)
		if diags.HasError() {
			t.Fatal(diags)
		}
		if got.IsNull() != tc.wantNull || (!got.IsNull() && len(got.Elements()) != 0) {
			t.Errorf("%s: Flatten(nil) = %v", name, got)
		}
	}
}

func TestFlattenDescriptionDrift(t *testing.T) {
	ctx := context.Background()
	withDescription := configured(graph.SubjectGroupMembers)
	withDescription.Description = types.StringValue("Sales team")
	emptyDescription := configured(graph.SubjectSingleUser)
	emptyDescription.Description = types.StringValue("")
	prior := listOf(t, configured(graph.SubjectSingleUser), withDescription, emptyDescription)
	fromGraph := []graph.SubjectSet{
		{Type: "singleUser", UserID: userID, Description: "Adele Vance"},     // filled by the service: ignored
		{Type: "groupMembers", GroupID: groupID, Description: "Sales (all)"}, // set by the user, changed: drift
		{Type: "singleUser", UserID: userID},                                 // configured "" stays ""
		{Type: "singleUser", UserID: userID, Description: "Megan Bowen"},     // no prior element: ignored
	}
	got, diags := Flatten(ctx, fromGraph, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var models []Model
	if diags := got.ElementsAs(ctx, &models, false); diags.HasError() {
		t.Fatal(diags)
	}
	for i, want := range []types.String{types.StringNull(), types.StringValue("Sales (all)"), types.StringValue(""), types.StringNull()} {
		if !models[i].Description.Equal(want) {
			t.Errorf("element %d description = %v, want %v", i, models[i].Description, want)
		}
	}
}

func TestFlattenKeepsPriorIDSpelling(t *testing.T) {
	ctx := context.Background()
	upper := Model{Type: types.StringValue("singleUser"), UserID: types.StringValue(strings.ToUpper(userID))}
	prior := listOf(t, upper, configured(graph.SubjectGroupMembers))
	otherGroup := "11111111-2222-3333-4444-555555555555"
	got, diags := Flatten(ctx, []graph.SubjectSet{
		{Type: "singleUser", UserID: userID},
		{Type: "groupMembers", GroupID: otherGroup},
	}, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var models []Model
	if diags := got.ElementsAs(ctx, &models, false); diags.HasError() {
		t.Fatal(diags)
	}
	if models[0].UserID.ValueString() != strings.ToUpper(userID) {
		t.Errorf("user_id = %s, want the prior upper-case spelling", models[0].UserID)
	}
	if models[1].GroupID.ValueString() != otherGroup {
		t.Errorf("group_id = %s, want Graph's different id %s", models[1].GroupID, otherGroup)
	}
}

func TestFlattenUnknownPrior(t *testing.T) {
	ctx := context.Background()
	sets := []graph.SubjectSet{{Type: "singleUser", UserID: userID, Description: "Adele Vance"}}
	got, diags := Flatten(ctx, sets, types.ListUnknown(ObjectType()))
	if diags.HasError() || got.IsUnknown() || len(got.Elements()) != 1 {
		t.Fatalf("Flatten = %v, %v", got, diags)
	}
	if empty, _ := Flatten(ctx, nil, types.ListUnknown(ObjectType())); empty.IsNull() || empty.IsUnknown() {
		t.Errorf("empty answer with unknown prior = %v, want []", empty)
	}
}

func validate(t *testing.T, m Model) []string {
	t.Helper()
	attrPath := path.Root("approvers").AtListIndex(0)
	resp := validator.ObjectResponse{}
	typeFieldsValidator{}.ValidateObject(context.Background(),
		validator.ObjectRequest{Path: attrPath, ConfigValue: objectOf(t, m)}, &resp)
	var got []string
	for _, d := range resp.Diagnostics.Errors() {
		withPath, ok := d.(interface{ Path() path.Path })
		if !ok {
			t.Fatalf("diagnostic without a path: %v", d)
		}
		got = append(got, withPath.Path().String()+": "+d.Detail())
	}
	return got
}

func TestValidatorAcceptsEveryTypeAsConfigured(t *testing.T) {
	for _, typ := range graph.SubjectSetTypes {
		m := configured(typ)
		if typeRules[typ].description {
			m.Description = types.StringValue("kept")
		}
		if got := validate(t, m); len(got) != 0 {
			t.Errorf("%s: unexpected %v", typ, got)
		}
	}
}

func TestValidatorMissingRequiredField(t *testing.T) {
	for typ, field := range map[string]string{
		"singleUser":                   "user_id",
		"groupMembers":                 "group_id",
		"connectedOrganizationMembers": "connected_organization_id",
		"attributeRuleMembers":         "membership_rule",
		"singleServicePrincipal":       "service_principal_id",
		"requestorManager":             "manager_level",
		"targetManager":                "manager_level",
	} {
		got := validate(t, Model{Type: types.StringValue(typ)})
		want := `approvers[0].` + field + `: Attribute approvers[0].` + field + `: type "` + typ + `" needs ` + field + `.`
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s without %s: got %q, want %q", typ, field, got, want)
		}
	}
}

func TestValidatorForeignFields(t *testing.T) {
	foreign := map[string]func(*Model){
		"user_id":                   func(m *Model) { m.UserID = types.StringValue(userID) },
		"group_id":                  func(m *Model) { m.GroupID = types.StringValue(groupID) },
		"connected_organization_id": func(m *Model) { m.ConnectedOrganizationID = types.StringValue(orgID) },
		"service_principal_id":      func(m *Model) { m.ServicePrincipalID = types.StringValue(spID) },
		"membership_rule":           func(m *Model) { m.MembershipRule = types.StringValue(rule) },
		"manager_level":             func(m *Model) { m.ManagerLevel = types.Int64Value(1) },
		"description":               func(m *Model) { m.Description = types.StringValue("text") },
	}
	checked := 0
	for _, typ := range graph.SubjectSetTypes {
		for field, set := range foreign {
			if typeRules[typ].uses(field) {
				continue
			}
			m := configured(typ)
			set(&m)
			got := validate(t, m)
			want := `approvers[0].` + field + `: Attribute approvers[0].` + field + `: ` + field + ` is not used by type "` + typ + `"; remove it.`
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s with %s: got %q, want %q", typ, field, got, want)
			}
			checked++
		}
	}
	if checked != 12*7-12 { // 7 fields per type, less the 7 required and 5 description uses
		t.Errorf("checked %d combinations", checked)
	}
}

func TestValidatorSkipsUnknowns(t *testing.T) {
	unknownID := Model{Type: types.StringValue("singleUser"), UserID: types.StringUnknown(), GroupID: types.StringUnknown()}
	if got := validate(t, unknownID); len(got) != 0 {
		t.Errorf("unknown values: %v", got)
	}
	if got := validate(t, Model{Type: types.StringUnknown(), GroupID: types.StringValue(groupID)}); len(got) != 0 {
		t.Errorf("unknown type: %v", got)
	}
	if got := validate(t, Model{Type: types.StringValue("ruleBasedSubjectSet"), GroupID: types.StringValue(groupID)}); len(got) != 0 {
		t.Errorf("type outside the table is OneOf's to report: %v", got)
	}
}

func TestListAttribute(t *testing.T) {
	ctx := context.Background()
	allowed := []string{graph.SubjectSingleUser, graph.SubjectGroupMembers, graph.SubjectRequestorManager}
	a := ListAttribute("Who approves.", allowed, Required(), MinItems(1), MaxItems(25))
	if !a.Required || a.Optional || len(a.Validators) != 2 {
		t.Errorf("required %v optional %v validators %d", a.Required, a.Optional, len(a.Validators))
	}
	if want := "Who approves. Allowed types: `singleUser`, `groupMembers`, `requestorManager`."; a.MarkdownDescription != want {
		t.Errorf("description %q", a.MarkdownDescription)
	}
	if len(a.NestedObject.Validators) != 1 {
		t.Errorf("object validators: %v", a.NestedObject.Validators)
	}
	for name := range AttrTypes() {
		if a.NestedObject.Attributes[name].GetMarkdownDescription() == "" {
			t.Errorf("%s has no description", name)
		}
	}
	if d := a.NestedObject.Attributes["user_id"].GetMarkdownDescription(); !strings.Contains(d, "Used by `singleUser` (required)") {
		t.Errorf("user_id description %q", d)
	}
	if d := a.NestedObject.Attributes["description"].GetMarkdownDescription(); !strings.Contains(d, "Used by `singleUser`, `groupMembers`;") {
		t.Errorf("description description %q", d)
	}
	if d := a.NestedObject.Attributes["service_principal_id"].GetMarkdownDescription(); !strings.Contains(d, "Not used by the types allowed here") {
		t.Errorf("service_principal_id description %q", d)
	}

	typeAttr, ok := a.NestedObject.Attributes["type"].(schema.StringAttribute)
	if !ok {
		t.Fatalf("type attribute is %T", a.NestedObject.Attributes["type"])
	}
	resp := validator.StringResponse{}
	for _, v := range typeAttr.Validators {
		v.ValidateString(ctx, validator.StringRequest{
			Path: path.Root("approvers").AtListIndex(0).AtName("type"), ConfigValue: types.StringValue("internalSponsors"),
		}, &resp)
	}
	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("want one error for a type not allowed here, got %v", resp.Diagnostics)
	}
	detail := resp.Diagnostics.Errors()[0].Detail()
	for _, typ := range allowed {
		if !strings.Contains(detail, `"`+typ+`"`) {
			t.Errorf("OneOf message %q does not list %s", detail, typ)
		}
	}

	optional := ListAttribute("Targets.", []string{graph.SubjectSingleUser})
	if optional.Required || !optional.Optional || len(optional.Validators) != 0 {
		t.Errorf("default list: required %v optional %v validators %d", optional.Required, optional.Optional, len(optional.Validators))
	}
}

func TestListAttributeRejectsUnknownType(t *testing.T) {
	for name, allowed := range map[string][]string{
		"unknown": {"singleUser", "ruleBasedSubjectSet"},
		"empty":   nil,
		"repeat":  {"singleUser", "singleUser"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic for %v", name, allowed)
				}
			}()
			ListAttribute("x", allowed)
		}()
	}
}

func TestDataSourceListAttribute(t *testing.T) {
	a := DataSourceListAttribute("Approvers.")
	if !a.Computed || len(a.NestedObject.Attributes) != len(AttrTypes()) {
		t.Fatalf("computed %v attributes %d", a.Computed, len(a.NestedObject.Attributes))
	}
	for name, attribute := range a.NestedObject.Attributes {
		if !attribute.IsComputed() || attribute.IsOptional() || attribute.IsRequired() {
			t.Errorf("%s is not computed-only", name)
		}
		if attribute.GetType().String() != AttrTypes()[name].String() {
			t.Errorf("%s type %s, model has %s", name, attribute.GetType(), AttrTypes()[name])
		}
	}
}

// TestFlattenKeepsPriorOrder: Graph may answer the sets in another order (make testnormalised reverses
// them); the prior order stands, and what Graph added comes after it.
func TestFlattenKeepsPriorOrder(t *testing.T) {
	ctx := context.Background()
	manager := Model{Type: types.StringValue(graph.SubjectRequestorManager), ManagerLevel: types.Int64Value(2)}
	prior := listOf(t, configured(graph.SubjectSingleUser), configured(graph.SubjectGroupMembers), manager)
	added := "11111111-2222-3333-4444-555555555555"
	got, diags := Flatten(ctx, []graph.SubjectSet{
		{Type: graph.SubjectRequestorManager, ManagerLevel: 1}, // another level: not the prior element
		{Type: graph.SubjectSingleUser, UserID: added},
		{Type: graph.SubjectGroupMembers, GroupID: groupID},
		{Type: graph.SubjectSingleUser, UserID: strings.ToUpper(userID)},
	}, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var models []Model
	if diags := got.ElementsAs(ctx, &models, false); diags.HasError() {
		t.Fatal(diags)
	}
	var order []string
	for _, m := range models {
		order = append(order, m.Type.ValueString()+":"+m.UserID.ValueString()+m.GroupID.ValueString()+m.ManagerLevel.String())
	}
	want := []string{
		"singleUser:" + userID + "<null>", "groupMembers:" + groupID + "<null>",
		"requestorManager:1", "singleUser:" + added + "<null>",
	}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("order = %v, want %v", order, want)
	}
}
