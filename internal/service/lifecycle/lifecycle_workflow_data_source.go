package lifecycle

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
	_ datasource.DataSource                     = &workflowDataSource{}
	_ datasource.DataSourceWithConfigure        = &workflowDataSource{}
	_ datasource.DataSourceWithConfigValidators = &workflowDataSource{}
)

// NewLifecycleWorkflowDataSource is the constructor registered with the provider.
func NewLifecycleWorkflowDataSource() datasource.DataSource {
	return &workflowDataSource{}
}

type workflowDataSource struct {
	client *graph.Client
}

// workflowDataModel is workflowModel without the resource's destroy setting.
type workflowDataModel struct {
	ID                   types.String              `tfsdk:"id"`
	Category             types.String              `tfsdk:"category"`
	DisplayName          types.String              `tfsdk:"display_name"`
	Description          types.String              `tfsdk:"description"`
	Enabled              types.Bool                `tfsdk:"enabled"`
	SchedulingEnabled    types.Bool                `tfsdk:"scheduling_enabled"`
	ExecutionConditions  *executionConditionsModel `tfsdk:"execution_conditions"`
	Tasks                []taskModel               `tfsdk:"tasks"`
	Version              types.Int64               `tfsdk:"version"`
	CreatedDateTime      types.String              `tfsdk:"created_date_time"`
	LastModifiedDateTime types.String              `tfsdk:"last_modified_date_time"`
}

func (d *workflowDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_lifecycle_workflow"
}

// Schema mirrors the resource's schema, read-only, without the resource's destroy setting.
func (d *workflowDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	rs := workflowSchema()
	delete(rs.Attributes, "permanently_delete_on_destroy")
	resp.Schema = schemaconv.DataSource(rs,
		"Reads a lifecycle workflow (Graph `identityGovernance.workflow`) by id or by display name, with the same "+
			"attributes as the `entragov_lifecycle_workflow` resource. Needs `LifecycleWorkflows.Read.All`.",
		map[string][]validator.String{
			"id":           {validators.GUID()},
			"display_name": {stringvalidator.LengthAtLeast(1)},
		})
}

func (d *workflowDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name"))}
}

func (d *workflowDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *workflowDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id, name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &name)...)
	if resp.Diagnostics.HasError() {
		return
	}
	workflowID := id.ValueString()
	if !known(id) {
		matches, err := d.client.ListWorkflowsByName(ctx, name.ValueString())
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up lifecycle workflows named "+name.ValueString(), err)
			return
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Lifecycle workflow not found",
				fmt.Sprintf("No lifecycle workflow is named %q.", name.ValueString()))
			return
		case 1:
			workflowID = matches[0].ID
		default:
			ids := make([]string, len(matches))
			for i, m := range matches {
				ids[i] = m.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "More than one lifecycle workflow matches",
				fmt.Sprintf("%d lifecycle workflows are named %q: %s. Use id.", len(matches), name.ValueString(), strings.Join(ids, ", ")))
			return
		}
	}
	w, err := d.client.GetWorkflow(ctx, workflowID)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Lifecycle workflow not found", fmt.Sprintf("No lifecycle workflow has the id %q.", workflowID))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read lifecycle workflow "+workflowID, err)
		return
	}
	m := flattenWorkflow(w, workflowModel{})
	state := workflowDataModel{
		ID: m.ID, Category: m.Category, DisplayName: m.DisplayName, Description: m.Description, Enabled: m.Enabled,
		SchedulingEnabled: m.SchedulingEnabled, ExecutionConditions: m.ExecutionConditions, Tasks: m.Tasks,
		Version: m.Version, CreatedDateTime: m.CreatedDateTime, LastModifiedDateTime: m.LastModifiedDateTime,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
