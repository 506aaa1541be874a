package lifecycle

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemadoc"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource              = &taskDefinitionsDataSource{}
	_ datasource.DataSourceWithConfigure = &taskDefinitionsDataSource{}
)

// NewTaskDefinitionsDataSource is the constructor registered with the provider.
func NewTaskDefinitionsDataSource() datasource.DataSource {
	return &taskDefinitionsDataSource{}
}

type taskDefinitionsDataSource struct {
	client *graph.Client
}

type taskDefinitionsModel struct {
	ID              types.String          `tfsdk:"id"`
	Category        types.String          `tfsdk:"category"`
	TaskDefinitions []taskDefinitionModel `tfsdk:"task_definitions"`
}

type taskDefinitionModel struct {
	ID          types.String     `tfsdk:"id"`
	DisplayName types.String     `tfsdk:"display_name"`
	Description types.String     `tfsdk:"description"`
	Category    types.String     `tfsdk:"category"`
	Parameters  []parameterModel `tfsdk:"parameters"`
}

type parameterModel struct {
	Name      types.String `tfsdk:"name"`
	Values    types.List   `tfsdk:"values"`
	ValueType types.String `tfsdk:"value_type"`
}

func (d *taskDefinitionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_task_definitions"
}

func (d *taskDefinitionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the built-in lifecycle workflow task definitions (Graph `identityGovernance.taskDefinition`), all " +
			"or those of one category, with the arguments each takes. Use an `id` as a task's `task_definition_id` in " +
			"`entragov_lifecycle_workflow`. Needs `LifecycleWorkflows.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "`task-definitions`, or `task-definitions/<category>` when filtered."},
			"category": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only the tasks usable in workflows of this category: " + schemadoc.CodeList(graph.WorkflowCategories) + ". Omitted: all.",
				Validators: []validator.String{stringvalidator.OneOf(graph.WorkflowCategories...)},
			},
			"task_definitions": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The task definitions, in Graph's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{Computed: true, MarkdownDescription: "The definition's id, for `task_definition_id`."},
					"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The task's name, e.g. `Send welcome email`."},
					"description":  schema.StringAttribute{Computed: true, MarkdownDescription: "What the task does."},
					"category": schema.StringAttribute{Computed: true,
						MarkdownDescription: "The workflow categories the task is available in, comma-separated (e.g. `joiner,leaver`)."},
					"parameters": schema.ListNestedAttribute{
						Computed: true, MarkdownDescription: "The arguments the task takes.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name":       schema.StringAttribute{Computed: true, MarkdownDescription: "The argument's name, a key of the task's `arguments`."},
							"values":     schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The allowed values; empty when free."},
							"value_type": schema.StringAttribute{Computed: true, MarkdownDescription: "`string`, `enum`, `int` or `bool`."},
						}},
					},
				}},
			},
		},
	}
}

func (d *taskDefinitionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *taskDefinitionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m taskDefinitionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	category := m.Category.ValueString()
	defs, err := d.client.ListTaskDefinitions(ctx, category)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the lifecycle task definitions", err)
		return
	}
	m.ID = types.StringValue("task-definitions")
	if category != "" {
		m.ID = types.StringValue("task-definitions/" + category)
	}
	m.TaskDefinitions = make([]taskDefinitionModel, 0, len(defs))
	for _, def := range defs {
		td := taskDefinitionModel{
			ID: types.StringValue(def.ID), DisplayName: types.StringValue(def.DisplayName),
			Description: types.StringValue(def.Description), Category: types.StringValue(def.Category),
			Parameters: make([]parameterModel, 0, len(def.Parameters)),
		}
		for _, p := range def.Parameters {
			values, diags := types.ListValueFrom(ctx, types.StringType, append([]string{}, p.Values...))
			resp.Diagnostics.Append(diags...)
			td.Parameters = append(td.Parameters, parameterModel{Name: types.StringValue(p.Name), Values: values, ValueType: types.StringValue(p.ValueType)})
		}
		m.TaskDefinitions = append(m.TaskDefinitions, td)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
