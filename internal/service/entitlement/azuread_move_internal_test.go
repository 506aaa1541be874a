package entitlement

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entragov/terraform-provider-entragov/internal/framework/subjectset"
)

func TestIsAzureadAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"registry.terraform.io/hashicorp/azuread": true,
		"registry.opentofu.org/hashicorp/azuread": true,
		"hashicorp/azuread":                       true,
		"Registry.Terraform.io/HashiCorp/AzureAD": true,
		"registry.terraform.io/hashicorp/azurerm": false,
		"registry.terraform.io/someone/azuread":   false,
		"example.com/hashicorp/azuread":           false,
		"azuread":                                 false,
		"":                                        false,
	} {
		if got := isAzureadAddress(addr); got != want {
			t.Errorf("isAzureadAddress(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestAzureadRoleScopeID(t *testing.T) {
	const pkg, rs = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "11111111-1111-1111-1111-111111111111_22222222-2222-2222-2222-222222222222"
	for id, ok := range map[string]bool{
		pkg + "/" + rs + "/5eed0002-0000-4000-8000-000000000001/Member":                true,
		pkg + ":" + rs + ":5eed0002-0000-4000-8000-000000000001:Owner":                 true,
		pkg + "/" + rs + "/https://contoso.sharepoint.com/sites/sales/Eligible Member": true,
		pkg + "/" + rs: true,
		"not-a-guid-at-all-but-thirty-six-chr/" + rs: false,
		pkg:            false,
		pkg + "/":      false,
		pkg + "|" + rs: false,
	} {
		p, r, got := azureadRoleScopeID(id)
		if got != ok || (ok && (p != pkg || r != rs)) {
			t.Errorf("azureadRoleScopeID(%q) = %q, %q, %v; want ok %v", id, p, r, got, ok)
		}
	}
}

func TestCatalogFromAzuread(t *testing.T) {
	m := catalogFromAzuread(azureadCatalogModel{
		ID: types.StringValue("c1"), DisplayName: types.StringValue("Sales"), Description: types.StringValue("d"),
		ExternallyVisible: types.BoolValue(false), Published: types.BoolValue(false), Timeouts: types.ObjectNull(nil),
	})
	if m.ID.ValueString() != "c1" || m.State.ValueString() != "unpublished" || m.ExternallyVisible.ValueBool() || m.DisplayName.ValueString() != "Sales" {
		t.Errorf("mapped %+v", m)
	}
	if !m.CatalogType.IsNull() || !m.CreatedDateTime.IsNull() {
		t.Errorf("values the refresh fills should be null: %+v", m)
	}
	m = catalogFromAzuread(azureadCatalogModel{ID: types.StringValue("c1"), Published: types.BoolValue(true), Description: types.StringNull()})
	if m.State.ValueString() != "published" || m.Description.ValueString() != "" {
		t.Errorf("published/description default: %+v", m)
	}
}

func TestCatalogResourceFromAzuread(t *testing.T) {
	for name, src := range map[string]azureadCatalogAssociationModel{
		"attributes": {ID: types.StringValue("x"), CatalogID: types.StringValue("cat"), ResourceOriginID: types.StringValue("https://c.sharepoint.com/sites/s"), ResourceOriginSystem: types.StringValue("SharePointOnline")},
		"slash id":   {ID: types.StringValue("00000000-0000-4000-8000-000000000000/https://c.sharepoint.com/sites/s"), ResourceOriginSystem: types.StringValue("SharePointOnline")},
		"colon id":   {ID: types.StringValue("00000000-0000-4000-8000-000000000000:https://c.sharepoint.com/sites/s"), ResourceOriginSystem: types.StringValue("SharePointOnline")},
	} {
		m, err := catalogResourceFromAzuread(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m.OriginID.ValueString() != "https://c.sharepoint.com/sites/s" || m.OriginSystem.ValueString() != "SharePointOnline" || m.CatalogID.ValueString() == "" || !m.ID.IsNull() {
			t.Errorf("%s: %+v", name, m)
		}
	}
	if _, err := catalogResourceFromAzuread(azureadCatalogAssociationModel{ID: types.StringValue("junk")}); err == nil {
		t.Error("a state without catalog and origin was accepted")
	}
}

func TestRoleScopeFromAzuread(t *testing.T) {
	const pkg, rs, group = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "r_s", "5eed0002-0000-4000-8000-000000000001"
	m, err := roleScopeFromAzuread(azureadPackageAssociationModel{
		ID: types.StringValue(pkg + "/" + rs + "/" + group + "/Eligible Owner"), AccessPackageID: types.StringValue(pkg),
		CatalogResourceAssociationID: types.StringValue("cat/" + group), AccessType: types.StringValue("Eligible Owner"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID.ValueString() != rs || m.AccessPackageID.ValueString() != pkg || m.RoleOriginID.ValueString() != "EligibleOwner_"+group ||
		m.ScopeOriginID.ValueString() != group || !m.CatalogResourceID.IsNull() {
		t.Errorf("mapped %+v", m)
	}
	m, err = roleScopeFromAzuread(azureadPackageAssociationModel{
		ID: types.StringValue(pkg + "/" + rs), CatalogResourceAssociationID: types.StringValue("cat/sp"),
		ResourceRoleOriginID: types.StringValue("approle-guid"),
	})
	if err != nil || m.RoleOriginID.ValueString() != "approle-guid" {
		t.Errorf("app role: %+v %v", m, err)
	}
	if _, err := roleScopeFromAzuread(azureadPackageAssociationModel{ID: types.StringValue(pkg + "/" + rs), AccessPackageID: types.StringValue("11111111-1111-1111-1111-111111111111")}); err == nil {
		t.Error("an id naming another package was accepted")
	}
}

func userSet(typ, id string, backup bool) azureadUserSet {
	return azureadUserSet{SubjectType: types.StringValue(typ), ObjectID: types.StringValue(id), Backup: types.BoolValue(backup)}
}

func subjects(t *testing.T, l types.List) []subjectset.Model {
	t.Helper()
	if l.IsNull() {
		return nil
	}
	var ms []subjectset.Model
	if d := l.ElementsAs(context.Background(), &ms, false); d.HasError() {
		t.Fatal(d)
	}
	return ms
}

func TestPolicyFromAzuread(t *testing.T) {
	src := azureadPolicyModel{
		ID: types.StringValue("p1"), AccessPackageID: types.StringValue("ap"), DisplayName: types.StringValue("n"),
		Description: types.StringValue("d"), DurationInDays: types.Int64Value(30), ExpirationDate: types.StringValue(""),
		ExtensionEnabled: types.BoolValue(false),
		Requestor: []azureadRequestor{{RequestsAccepted: types.BoolValue(true), ScopeType: types.StringValue("SpecificDirectorySubjects"),
			Requestors: []azureadUserSet{userSet("singleUser", "u1", false), userSet("GroupMembers", "g1", true)}}},
		Approval: []azureadApproval{{ApprovalRequired: types.BoolValue(true), Stages: []azureadStage{{
			TimeoutInDays: types.Int64Value(7), AlternativeApprovalEnabled: types.BoolValue(true), AlternativeApprovalInDays: types.Int64Value(2),
			PrimaryApprovers:     []azureadUserSet{userSet("RequestorManager", "", false), userSet("SingleUser", "u2", true)},
			AlternativeApprovers: []azureadUserSet{userSet("GroupMembers", "g2", false)},
		}}}},
		Review: []azureadReview{{Enabled: types.BoolValue(true), ReviewFrequency: types.StringValue("weekly"), ReviewType: types.StringValue("Reviewers"),
			StartingOn: types.StringValue("2030-01-07T00:00:00Z"), DurationInDays: types.Int64Value(3),
			Reviewers: []azureadUserSet{userSet("GroupMembers", "g3", false), userSet("SingleUser", "u3", true)}}},
		Questions: []azureadQuestion{{Required: types.BoolValue(true), Sequence: types.Int64Value(1),
			Text:    []azureadContent{{DefaultText: types.StringValue("Pick"), LocalizedText: []azureadLocalizedText{{LanguageCode: types.StringValue("fr"), Content: types.StringValue("Choisir")}}}},
			Choices: []azureadChoice{{ActualValue: types.StringValue("a"), DisplayValue: []azureadContent{{DefaultText: types.StringValue("A")}}}},
		}},
	}
	m, _, err := policyFromAzuread(src)
	if err != nil {
		t.Fatal(err)
	}
	if m.AllowedTargetScope.ValueString() != "specificDirectoryUsers" || m.Expiration.Type.ValueString() != "afterDuration" ||
		m.Expiration.Duration.ValueString() != "P30D" {
		t.Errorf("scope/expiration: %+v %+v", m.AllowedTargetScope, m.Expiration)
	}
	if targets := subjects(t, m.SpecificAllowedTargets); len(targets) != 2 || targets[0].UserID.ValueString() != "u1" || targets[1].GroupID.ValueString() != "g1" {
		t.Errorf("targets: %+v", targets)
	}
	if r := m.RequestorSettings; r == nil || !r.EnableTargetsToSelfAddAccess.ValueBool() || r.EnableTargetsToSelfUpdateAccess.ValueBool() {
		t.Errorf("requestor settings: %+v", r)
	}
	a := m.RequestApprovalSettings
	if a == nil || !a.ApprovalRequiredForAdd.ValueBool() || len(a.Stages) != 1 {
		t.Fatalf("approval: %+v", a)
	}
	st := a.Stages[0]
	if st.DurationBeforeAutomaticDenial.ValueString() != "P7D" || st.DurationBeforeEscalation.ValueString() != "P2D" || !st.EscalationEnabled.ValueBool() {
		t.Errorf("stage durations: %+v", st)
	}
	if p := subjects(t, st.PrimaryApprovers); len(p) != 1 || p[0].Type.ValueString() != "requestorManager" || p[0].ManagerLevel.ValueInt64() != 1 {
		t.Errorf("primary approvers: %+v", p)
	}
	if f := subjects(t, st.FallbackPrimaryApprovers); len(f) != 1 || f[0].UserID.ValueString() != "u2" {
		t.Errorf("fallback approvers: %+v", f)
	}
	if e := subjects(t, st.EscalationApprovers); len(e) != 1 || e[0].GroupID.ValueString() != "g2" || !st.FallbackEscalationApprovers.IsNull() {
		t.Errorf("escalation approvers: %+v", e)
	}
	rv := m.ReviewSettings
	if rv == nil || rv.SelfReview.ValueBool() || rv.ExpirationBehavior.ValueString() != "keepAccess" || rv.RecommendationEnabled.ValueBool() {
		t.Fatalf("review: %+v", rv)
	}
	if p := subjects(t, rv.PrimaryReviewers); len(p) != 1 || p[0].GroupID.ValueString() != "g3" {
		t.Errorf("reviewers: %+v", p)
	}
	pat := rv.Schedule.Recurrence.Pattern
	if pat.Type.ValueString() != "weekly" || pat.Interval.ValueInt64() != 1 || rv.Schedule.Duration.ValueString() != "P3D" ||
		len(pat.DaysOfWeek.Elements()) != 1 || !strings.Contains(pat.DaysOfWeek.String(), "monday") {
		t.Errorf("schedule: %+v %+v", rv.Schedule, pat)
	}
	q := m.Questions[0]
	if q.Type.ValueString() != "accessPackageMultipleChoiceQuestion" || q.Text.ValueString() != "Pick" || len(q.Localizations) != 1 ||
		len(q.Choices) != 1 || q.Choices[0].Text.ValueString() != "A" || q.Choices[0].Localizations != nil {
		t.Errorf("question: %+v", q)
	}

	// Left-out blocks and defaults: no requestor or approval object, no expiration, no review.
	m, _, err = policyFromAzuread(azureadPolicyModel{
		ID: types.StringValue("p2"), ExpirationDate: types.StringValue(""),
		Requestor: []azureadRequestor{{ScopeType: types.StringValue("NoSubjects"), RequestsAccepted: types.BoolValue(true)}},
		Approval:  []azureadApproval{{}},
		Review:    []azureadReview{{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.AllowedTargetScope.ValueString() != "notSpecified" || m.RequestorSettings != nil || m.RequestApprovalSettings != nil ||
		m.ReviewSettings != nil || m.Expiration.Type.ValueString() != "noExpiration" || m.Description.ValueString() != "" {
		t.Errorf("defaults: %+v", m)
	}

	_, at, err := policyFromAzuread(azureadPolicyModel{Requestor: []azureadRequestor{{ScopeType: types.StringValue("Everyone")}}})
	if err == nil || at.String() != "requestor_settings[0].scope_type" {
		t.Errorf("unknown scope type: %v at %s", err, at)
	}
	_, at, err = policyFromAzuread(azureadPolicyModel{Approval: []azureadApproval{{Stages: []azureadStage{{PrimaryApprovers: []azureadUserSet{userSet("everybody", "", false)}}}}}})
	if err == nil || at.String() != "approval_settings[0].approval_stage[0].primary_approver" {
		t.Errorf("unknown subject type: %v at %s", err, at)
	}
}

// TestMoveStateRefusesOtherSources drives the StateMover as the framework does.
func TestMoveStateRefusesOtherSources(t *testing.T) {
	ctx := context.Background()
	r := &catalogResource{}
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	mover := r.MoveState(ctx)[0]
	raw := &tfprotov6.RawState{JSON: []byte(`{"id":"c1","display_name":"S","description":"d","published":true,"externally_visible":false,"timeouts":null}`)}
	for _, tc := range []struct{ addr, typ, want string }{
		{"registry.terraform.io/hashicorp/azurerm", "azuread_access_package_catalog", "Unsupported move source"},
		{"registry.terraform.io/hashicorp/azuread", "azuread_group", "Unsupported move source"},
		{"registry.terraform.io/hashicorp/azuread", "azuread_access_package_catalog", ""},
	} {
		val, err := raw.UnmarshalWithOpts(mover.SourceSchema.Type().TerraformType(ctx), tfprotov6.UnmarshalOpts{})
		if err != nil {
			t.Fatal(err)
		}
		req := resource.MoveStateRequest{SourceProviderAddress: tc.addr, SourceTypeName: tc.typ, SourceRawState: raw,
			SourceState: &tfsdk.State{Raw: val, Schema: *mover.SourceSchema}}
		resp := resource.MoveStateResponse{TargetState: tfsdk.State{Schema: schemaResp.Schema}}
		resp.TargetState.Raw = resp.TargetState.Raw.Copy()
		mover.StateMover(ctx, req, &resp)
		switch {
		case tc.want == "" && resp.Diagnostics.HasError():
			t.Errorf("%s %s: %v", tc.addr, tc.typ, resp.Diagnostics)
		case tc.want != "" && (!resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Summary(), tc.want)):
			t.Errorf("%s %s: got %v, want %q", tc.addr, tc.typ, resp.Diagnostics, tc.want)
		case tc.want == "":
			var m catalogModel
			resp.Diagnostics.Append(resp.TargetState.Get(ctx, &m)...)
			if m.ID.ValueString() != "c1" || m.State.ValueString() != "published" || m.ExternallyVisible.ValueBool() {
				t.Errorf("moved state: %+v %v", m, resp.Diagnostics)
			}
		}
	}
}

// TestPolicyFromAzureadRequestorScopes: every scope_type with requests_accepted true and false
// maps as the migration guide says; the two v1.0 cannot hold (requests_accepted with
// NoSubjects, AllExistingConnectedOrganizationSubjects) map to what the local API's v1.0 view
// and a tenant show: no self-add, and allConfiguredConnectedOrganizationUsers.
func TestPolicyFromAzureadRequestorScopes(t *testing.T) {
	for scope, want := range map[string]string{
		"": "notSpecified", "NoSubjects": "notSpecified", "SpecificDirectorySubjects": "specificDirectoryUsers",
		"SpecificConnectedOrganizationSubjects": "specificConnectedOrganizationUsers", "AllExistingDirectoryMemberUsers": "allMemberUsers",
		"AllExistingDirectorySubjects": "allDirectoryUsers", "AllConfiguredConnectedOrganizationSubjects": "allConfiguredConnectedOrganizationUsers",
		"AllExistingConnectedOrganizationSubjects": "allConfiguredConnectedOrganizationUsers", "AllExternalSubjects": "allExternalUsers",
	} {
		for _, accepted := range []bool{false, true} {
			var requestors []azureadUserSet
			switch scope {
			case "SpecificDirectorySubjects":
				requestors = []azureadUserSet{userSet("GroupMembers", "g1", false)}
			case "SpecificConnectedOrganizationSubjects":
				requestors = []azureadUserSet{userSet("ConnectedOrganizationMembers", "o1", false)}
			}
			m, _, err := policyFromAzuread(azureadPolicyModel{
				ID: types.StringValue("p1"), AccessPackageID: types.StringValue("ap"), DisplayName: types.StringValue("n"),
				Description: types.StringValue("d"), ExtensionEnabled: types.BoolValue(false),
				Requestor: []azureadRequestor{{ScopeType: types.StringValue(scope), RequestsAccepted: types.BoolValue(accepted), Requestors: requestors}},
			})
			if err != nil {
				t.Fatalf("%q/%v: %v", scope, accepted, err)
			}
			if m.AllowedTargetScope.ValueString() != want {
				t.Errorf("%q/%v: allowed_target_scope %s, want %s", scope, accepted, m.AllowedTargetScope, want)
			}
			selfAdd := accepted && want != "notSpecified"
			if got := m.RequestorSettings; (got == nil) == selfAdd || (got != nil && !got.EnableTargetsToSelfAddAccess.ValueBool()) {
				t.Errorf("%q/%v: requestor_settings %+v, want self-add %v", scope, accepted, got, selfAdd)
			}
		}
	}
}

// TestPolicyFromAzureadAnnualReview: annual is absoluteYearly, interval 1, month 0, as Graph
// stores it for azuread (and the local API's beta view writes it).
func TestPolicyFromAzureadAnnualReview(t *testing.T) {
	m, _, err := policyFromAzuread(azureadPolicyModel{
		ID: types.StringValue("p1"), AccessPackageID: types.StringValue("ap"), DisplayName: types.StringValue("n"), Description: types.StringValue("d"),
		Review: []azureadReview{{Enabled: types.BoolValue(true), ReviewFrequency: types.StringValue("annual"), ReviewType: types.StringValue("Self"),
			StartingOn: types.StringValue("2030-01-07T00:00:00Z"), DurationInDays: types.Int64Value(14), TimeoutBehavior: types.StringValue("keepAccess")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := m.ReviewSettings.Schedule.Recurrence.Pattern
	if p.Type.ValueString() != "absoluteYearly" || p.Interval.ValueInt64() != 1 || p.Month.ValueInt64() != 0 || p.DayOfMonth.ValueInt64() != 0 {
		t.Errorf("annual pattern: %+v", p)
	}
}
