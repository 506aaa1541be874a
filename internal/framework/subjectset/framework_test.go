package subjectset_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework/subjectset"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// This test runs the schema through the framework's own server: the nested validators must fire at plan
// and put each error on the nested attribute's path.

type testProvider struct{}

func (testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}
func (testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (testProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (testProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (testProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return testResource{} }}
}

type testResource struct{}

func (testResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "test_policy"
}

func (testResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"approvers": subjectset.ListAttribute("Approvers.",
			[]string{graph.SubjectSingleUser, graph.SubjectGroupMembers, graph.SubjectRequestorManager}),
	}}
}

func (testResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (testResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (testResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (testResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func TestFrameworkValidatesNestedPaths(t *testing.T) {
	elementType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"type": tftypes.String, "user_id": tftypes.String, "group_id": tftypes.String,
		"connected_organization_id": tftypes.String, "service_principal_id": tftypes.String,
		"membership_rule": tftypes.String, "manager_level": tftypes.Number, "description": tftypes.String,
	}}
	element := func(values map[string]tftypes.Value) tftypes.Value {
		all := map[string]tftypes.Value{}
		for name, typ := range elementType.AttributeTypes {
			all[name] = tftypes.NewValue(typ, nil)
		}
		for name, v := range values {
			all[name] = v
		}
		return tftypes.NewValue(elementType, all)
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	listType := tftypes.List{ElementType: elementType}
	configType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"approvers": listType}}
	config, err := tfprotov6.NewDynamicValue(configType, tftypes.NewValue(configType, map[string]tftypes.Value{
		"approvers": tftypes.NewValue(listType, []tftypes.Value{
			element(map[string]tftypes.Value{"type": str("singleUser"), "user_id": str("9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60")}),
			element(map[string]tftypes.Value{"type": str("requestorManager"), "group_id": str("3c860712-2d37-42a4-928f-5c93935d26a1")}),
			element(map[string]tftypes.Value{"type": str("groupMembers"), "group_id": str("sales")}),
			element(map[string]tftypes.Value{"type": str("internalSponsors")}),
		}),
	}))
	if err != nil {
		t.Fatal(err)
	}
	server, err := providerserver.NewProtocol6WithError(testProvider{})()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: "test_policy", Config: &config,
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range resp.Diagnostics {
		got = append(got, d.Attribute.String()+": "+strings.SplitN(d.Detail, "\n", 2)[0])
	}
	sort.Strings(got)
	want := []string{
		`AttributeName("approvers").ElementKeyInt(1).AttributeName("group_id"): Attribute approvers[1].group_id: group_id is not used by type "requestorManager"; remove it.`,
		`AttributeName("approvers").ElementKeyInt(1).AttributeName("manager_level"): Attribute approvers[1].manager_level: type "requestorManager" needs manager_level.`,
		`AttributeName("approvers").ElementKeyInt(2).AttributeName("group_id"): Attribute approvers[2].group_id value "sales" is not a GUID: Graph object ids look like 00000000-0000-0000-0000-000000000000.`,
		`AttributeName("approvers").ElementKeyInt(3).AttributeName("type"): Attribute approvers[3].type value must be one of: ["singleUser" "groupMembers" "requestorManager"], got: "internalSponsors"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
