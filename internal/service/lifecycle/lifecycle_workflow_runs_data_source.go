package lifecycle

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemadoc"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource              = &workflowRunsDataSource{}
	_ datasource.DataSourceWithConfigure = &workflowRunsDataSource{}
)

// workflowExecutionTypes are the members of Graph's workflowExecutionType a run can have.
var workflowExecutionTypes = []string{"scheduled", "onDemand"}

// NewLifecycleWorkflowRunsDataSource is the constructor registered with the provider.
func NewLifecycleWorkflowRunsDataSource() datasource.DataSource {
	return &workflowRunsDataSource{}
}

type workflowRunsDataSource struct {
	client *graph.Client
}

type workflowRunsModel struct {
	WorkflowID                   types.String       `tfsdk:"workflow_id"`
	WorkflowExecutionType        types.String       `tfsdk:"workflow_execution_type"`
	IncludeUserProcessingResults types.Bool         `tfsdk:"include_user_processing_results"`
	IncludeTaskProcessingResults types.Bool         `tfsdk:"include_task_processing_results"`
	Runs                         []workflowRunModel `tfsdk:"runs"`
}

type workflowRunModel struct {
	ID                         types.String                `tfsdk:"id"`
	WorkflowExecutionType      types.String                `tfsdk:"workflow_execution_type"`
	ProcessingStatus           types.String                `tfsdk:"processing_status"`
	ScheduledDateTime          types.String                `tfsdk:"scheduled_date_time"`
	StartedDateTime            types.String                `tfsdk:"started_date_time"`
	CompletedDateTime          types.String                `tfsdk:"completed_date_time"`
	LastUpdatedDateTime        types.String                `tfsdk:"last_updated_date_time"`
	TotalUsersCount            types.Int64                 `tfsdk:"total_users_count"`
	SuccessfulUsersCount       types.Int64                 `tfsdk:"successful_users_count"`
	FailedUsersCount           types.Int64                 `tfsdk:"failed_users_count"`
	TotalTasksCount            types.Int64                 `tfsdk:"total_tasks_count"`
	FailedTasksCount           types.Int64                 `tfsdk:"failed_tasks_count"`
	TotalUnprocessedTasksCount types.Int64                 `tfsdk:"total_unprocessed_tasks_count"`
	UserProcessingResults      []userProcessingResultModel `tfsdk:"user_processing_results"`
}

type userProcessingResultModel struct {
	ID                    types.String                `tfsdk:"id"`
	SubjectID             types.String                `tfsdk:"subject_id"`
	ProcessingStatus      types.String                `tfsdk:"processing_status"`
	TotalTasksCount       types.Int64                 `tfsdk:"total_tasks_count"`
	FailedTasksCount      types.Int64                 `tfsdk:"failed_tasks_count"`
	TaskProcessingResults []taskProcessingResultModel `tfsdk:"task_processing_results"`
}

type taskProcessingResultModel struct {
	ID               types.String `tfsdk:"id"`
	TaskID           types.String `tfsdk:"task_id"`
	TaskDisplayName  types.String `tfsdk:"task_display_name"`
	TaskDefinitionID types.String `tfsdk:"task_definition_id"`
	ProcessingStatus types.String `tfsdk:"processing_status"`
	FailureReason    types.String `tfsdk:"failure_reason"`
}

func (d *workflowRunsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_lifecycle_workflow_runs"
}

func (d *workflowRunsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	count := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the runs of a lifecycle workflow (Graph `identityGovernance.run`), scheduled or on demand, newest " +
			"first, with their counts and, optionally, the result for each user processed. Needs `LifecycleWorkflows.Read.All` " +
			"(or `LifecycleWorkflows-Reports.Read.All`).",
		Attributes: map[string]schema.Attribute{
			"workflow_id": schema.StringAttribute{Required: true, MarkdownDescription: "The id of the workflow.",
				Validators: []validator.String{validators.GUID()}},
			"workflow_execution_type": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Only the runs of this kind: " + schemadoc.CodeList(workflowExecutionTypes) + ". Omitted: all.",
				Validators:          []validator.String{stringvalidator.OneOf(workflowExecutionTypes...)}},
			"include_user_processing_results": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Also read each run's `userProcessingResults` (one request per run). Defaults to `false`."},
			"include_task_processing_results": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Also read each user's `taskProcessingResults` (one request per user and run; implies " +
					"`include_user_processing_results`). Defaults to `false`."},
			"runs": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The runs, newest `scheduled_date_time` first.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                            str("The run's id."),
					"workflow_execution_type":       str("`scheduled` (the workflow's execution conditions selected the users) or `onDemand` (activate)."),
					"processing_status":             str("Graph's `lifecycleWorkflowProcessingStatus`: `queued`, `inProgress`, `completed`, `completedWithErrors`, `canceled` or `failed`."),
					"scheduled_date_time":           str("When the run was scheduled (RFC 3339)."),
					"started_date_time":             str("When the run started; null before."),
					"completed_date_time":           str("When the run completed; null before."),
					"last_updated_date_time":        str("When the run last changed."),
					"total_users_count":             count("Users the run processed."),
					"successful_users_count":        count("Users whose every task succeeded."),
					"failed_users_count":            count("Users with a failed task."),
					"total_tasks_count":             count("Tasks run, over all users."),
					"failed_tasks_count":            count("Tasks that failed, over all users."),
					"total_unprocessed_tasks_count": count("Tasks not run, over all users."),
					"user_processing_results": schema.ListNestedAttribute{
						Computed: true, MarkdownDescription: "The result for each user; null unless `include_user_processing_results` is `true`.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id":                 str("The result's id."),
							"subject_id":         str("The id of the user processed."),
							"processing_status":  str("How the workflow went for the user (`lifecycleWorkflowProcessingStatus`)."),
							"total_tasks_count":  count("Tasks run for the user."),
							"failed_tasks_count": count("Tasks that failed for the user."),
							"task_processing_results": schema.ListNestedAttribute{
								Computed: true, MarkdownDescription: "The result of each task for the user, in the order the tasks ran; null unless `include_task_processing_results` is `true`.",
								NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
									"id":                 str("The result's id."),
									"task_id":            str("The id of the workflow's task."),
									"task_display_name":  str("The task's name."),
									"task_definition_id": str("The task's definition (see `entragov_task_definitions`)."),
									"processing_status":  str("How the task went: `completed`, `failed`, `canceled`, ... (`lifecycleWorkflowProcessingStatus`)."),
									"failure_reason":     str("Why the task failed; null when it did not."),
								}},
							},
						}},
					},
				}},
			},
		},
	}
}

func (d *workflowRunsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *workflowRunsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg workflowRunsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	workflowID := cfg.WorkflowID.ValueString()
	runs, err := d.client.ListWorkflowRuns(ctx, workflowID, cfg.WorkflowExecutionType.ValueString())
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("workflow_id"), "Lifecycle workflow not found", fmt.Sprintf("No lifecycle workflow has the id %q.", workflowID))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the runs of lifecycle workflow "+workflowID, err)
		return
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].ScheduledDateTime > runs[j].ScheduledDateTime })
	cfg.Runs = make([]workflowRunModel, 0, len(runs))
	for _, r := range runs {
		m := workflowRunModel{
			ID: types.StringValue(r.ID), WorkflowExecutionType: types.StringValue(r.WorkflowExecutionType),
			ProcessingStatus: types.StringValue(r.ProcessingStatus), ScheduledDateTime: types.StringValue(r.ScheduledDateTime),
			StartedDateTime: types.StringPointerValue(r.StartedDateTime), CompletedDateTime: types.StringPointerValue(r.CompletedDateTime),
			LastUpdatedDateTime: types.StringPointerValue(r.LastUpdatedDateTime),
			TotalUsersCount:     types.Int64Value(int64(r.TotalUsersCount)), SuccessfulUsersCount: types.Int64Value(int64(r.SuccessfulUsersCount)),
			FailedUsersCount: types.Int64Value(int64(r.FailedUsersCount)), TotalTasksCount: types.Int64Value(int64(r.TotalTasksCount)),
			FailedTasksCount: types.Int64Value(int64(r.FailedTasksCount)), TotalUnprocessedTasksCount: types.Int64Value(int64(r.TotalUnprocessedTasksCount)),
		}
		if cfg.IncludeUserProcessingResults.ValueBool() || cfg.IncludeTaskProcessingResults.ValueBool() {
			results, err := d.client.ListRunUserProcessingResults(ctx, workflowID, r.ID)
			if err != nil {
				diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the user processing results of run "+r.ID, err)
				return
			}
			m.UserProcessingResults = make([]userProcessingResultModel, 0, len(results))
			for _, u := range results {
				um := userProcessingResultModel{
					ID: types.StringValue(u.ID), SubjectID: types.StringValue(u.Subject.ID), ProcessingStatus: types.StringValue(u.ProcessingStatus),
					TotalTasksCount: types.Int64Value(int64(u.TotalTasksCount)), FailedTasksCount: types.Int64Value(int64(u.FailedTasksCount)),
				}
				if cfg.IncludeTaskProcessingResults.ValueBool() {
					tasks, err := d.client.ListRunUserTaskProcessingResults(ctx, workflowID, r.ID, u.ID)
					if err != nil {
						diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the task processing results of user processing result "+u.ID, err)
						return
					}
					um.TaskProcessingResults = make([]taskProcessingResultModel, 0, len(tasks))
					for _, tr := range tasks {
						um.TaskProcessingResults = append(um.TaskProcessingResults, taskProcessingResultModel{
							ID: types.StringValue(tr.ID), TaskID: types.StringValue(tr.Task.ID), TaskDisplayName: types.StringValue(tr.Task.DisplayName),
							TaskDefinitionID: types.StringValue(tr.Task.TaskDefinitionID), ProcessingStatus: types.StringValue(tr.ProcessingStatus),
							FailureReason: types.StringPointerValue(tr.FailureReason),
						})
					}
				}
				m.UserProcessingResults = append(m.UserProcessingResults, um)
			}
		}
		cfg.Runs = append(cfg.Runs, m)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
