package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemaconv"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource                     = &assignmentPolicyDataSource{}
	_ datasource.DataSourceWithConfigure        = &assignmentPolicyDataSource{}
	_ datasource.DataSourceWithConfigValidators = &assignmentPolicyDataSource{}
)

// NewAssignmentPolicyDataSource is the constructor registered with the provider.
func NewAssignmentPolicyDataSource() datasource.DataSource {
	return &assignmentPolicyDataSource{}
}

type assignmentPolicyDataSource struct {
	client *graph.Client
}

func (d *assignmentPolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_assignment_policy"
}

// Schema is the resource's schema, read-only, so the data source shows the whole policy model.
func (d *assignmentPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schemaconv.DataSource(policySchema(),
		"Reads an access package assignment policy (Graph `accessPackageAssignmentPolicy`) by id, or by display name "+
			"within an access package, with the same attributes as the `entragov_assignment_policy` resource. Objects that "+
			"hold only Graph's defaults are null. Needs `EntitlementManagement.Read.All`.",
		map[string][]validator.String{
			"id":                {validators.GUID()},
			"display_name":      {stringvalidator.LengthAtLeast(1)},
			"access_package_id": {validators.GUID()},
		})
}

func (d *assignmentPolicyDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
		datasourcevalidator.Conflicting(path.MatchRoot("id"), path.MatchRoot("access_package_id")),
	}
}

func (d *assignmentPolicyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *assignmentPolicyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id, name, packageID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("access_package_id"), &packageID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	policyID := id.ValueString()
	if !known(id) {
		matches, err := d.client.ListAssignmentPoliciesByName(ctx, packageID.ValueString(), name.ValueString())
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up assignment policies named "+name.ValueString(), err)
			return
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Assignment policy not found",
				fmt.Sprintf("No assignment policy is named %q%s.", name.ValueString(), inPackage(packageID)))
			return
		case 1:
			policyID = matches[0].ID
		default:
			ids := make([]string, len(matches))
			for i, m := range matches {
				ids[i] = m.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "More than one assignment policy matches",
				fmt.Sprintf("%d assignment policies are named %q%s: %s. Set access_package_id or use id.",
					len(matches), name.ValueString(), inPackage(packageID), strings.Join(ids, ", ")))
			return
		}
	}
	var policy *graph.AssignmentPolicy
	read := func(ctx context.Context) (err error) {
		policy, err = d.client.GetAssignmentPolicy(ctx, policyID)
		return err
	}
	var err error
	if known(id) {
		err = read(ctx)
	} else {
		// Found through its package, which may list a policy made a moment ago before the policy itself
		// is readable (spec 3.5): wait for it, as the create's read-back does.
		err = d.client.WaitUntilReadable(ctx, read)
	}
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Assignment policy not found", fmt.Sprintf("No assignment policy has the id %q.", policyID))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read assignment policy "+policyID, err)
		return
	}
	state, diags := flattenPolicy(ctx, policy, policyModel{})
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func inPackage(packageID types.String) string {
	if known(packageID) {
		return " in access package " + packageID.ValueString()
	}
	return ""
}
