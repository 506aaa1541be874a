package lifecycle

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/schemadoc"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func workflowSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages a lifecycle workflow (Graph `identityGovernance.workflow`): the tasks that run for joiners, " +
			"movers or leavers, when (the trigger) and for whom (the scope). Graph lets only `display_name`, `description`, " +
			"`enabled` and `scheduling_enabled` (and the tasks' names and descriptions) change in place; any other change " +
			"creates a new version of the workflow (`createNewVersion`: same id, `version` + 1, the previous version stays " +
			"readable). Changing `category` replaces the workflow. Destroy soft-deletes the workflow: it stays restorable " +
			"in `deletedItems` for 30 days unless `permanently_delete_on_destroy` is set. Task definitions, arguments, rules " +
			"and trigger settings are checked at plan time. Needs `LifecycleWorkflows.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The workflow's id (a GUID), also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"category": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Who the workflow is for (`category`): " + schemadoc.CodeList(graph.WorkflowCategories) + ". Every task's " +
					"definition must support it. Graph binds it at creation: changing it replaces the workflow.",
				Validators:    []validator.String{stringvalidator.OneOf(graph.WorkflowCategories...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"display_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The workflow's name (`displayName`), unique in the tenant. Changes in place.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "What the workflow does (`description`). Defaults to an empty string. Changes in place.",
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether the workflow can run (`isEnabled`). Defaults to `true`. Changes in place.",
			},
			"scheduling_enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether the workflow runs on the tenant's schedule (`isSchedulingEnabled`; the interval is " +
					"set by `entragov_lifecycle_workflow_settings`). Needs `enabled` and a trigger-based workflow. Defaults to " +
					"`false`. Changes in place.",
			},
			"execution_conditions": executionConditionsAttribute(),
			"tasks":                tasksAttribute(),
			"version": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "The workflow's version: 1 at creation, + 1 for each change that Graph cannot make in place. " +
					"Planned as unknown exactly when the change will create a new version.",
			},
			"created_date_time": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the workflow was created (RFC 3339, UTC).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_modified_date_time": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the workflow was last changed (RFC 3339, UTC).",
			},
			"permanently_delete_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "When `false` (the default), destroy soft-deletes the workflow: it moves to Graph's " +
					"`deletedItems` and can be restored for 30 days (and may still count toward the tenant's workflow limit). " +
					"When `true`, destroy also deletes it from `deletedItems`, for good.",
			},
		},
	}
}

// executionConditionsAttribute is Graph's executionConditions: the kind of workflow, its scope and its trigger.
func executionConditionsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required: true,
		MarkdownDescription: "When the workflow runs and for whom (`executionConditions`). Changing it creates a new " +
			"version.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`triggerAndScopeBasedConditions` (runs for the users of `scope` when `trigger` fires; " +
					"both required) or `onDemandExecutionOnly` (runs only when started on demand; no scope or trigger).",
				Validators: []validator.String{stringvalidator.OneOf(graph.ExecutionConditionTypes...)},
			},
			"scope":   workflowScopeAttribute(),
			"trigger": workflowTriggerAttribute(),
		},
	}
}

// workflowScopeAttribute is executionConditions.scope, a subjectSet of users (by rule or by group).
func workflowScopeAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "The users the workflow runs for.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`ruleBasedSubjectSet` (users matching `rule`) or `groupBasedSubjectSet` " +
					"(members of `group_ids`).",
				Validators: []validator.String{stringvalidator.OneOf(graph.WorkflowScopeTypes...)},
			},
			"rule": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "For `ruleBasedSubjectSet`: an OData-style filter over user properties such as " +
					"`(department eq 'Sales') and (userType eq 'Member')`, with `eq`, `ne`, `in`, `startsWith`, " +
					"`otherMails/any(p:startsWith(p, 'Av'))`, `and`, `or`, `not`. Checked at plan time.",
			},
			"group_ids": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "For `groupBasedSubjectSet`: the object ids of the groups whose members the workflow runs for.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(validators.GUID()),
					listvalidator.UniqueValues(),
				},
			},
		},
	}
}

// workflowTriggerAttribute is executionConditions.trigger, a workflowExecutionTrigger of one of four types.
func workflowTriggerAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "What starts a run.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`timeBasedAttributeTrigger` (days before or after a date of the user), " +
					"`attributeChangeTrigger` (a user attribute changes), `membershipChangeTrigger` (the user joins " +
					"or leaves a group of a `groupBasedSubjectSet` scope) or `userInactivityTrigger` (the user has " +
					"not signed in for a number of days).",
				Validators: []validator.String{stringvalidator.OneOf(graph.WorkflowTriggerTypes...)},
			},
			"time_based_attribute": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "For `timeBasedAttributeTrigger`: the user's date the offset counts from: " +
					schemadoc.CodeList(graph.TimeBasedAttributes) + ".",
				Validators: []validator.String{stringvalidator.OneOf(graph.TimeBasedAttributes...)},
			},
			"offset_in_days": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "For `timeBasedAttributeTrigger` (required there): days from the date, " +
					"-180 to 180; negative is before the date.",
				Validators: []validator.Int64{int64validator.Between(graph.MinOffsetInDays, graph.MaxOffsetInDays)},
			},
			"trigger_attributes": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "For `attributeChangeTrigger`: the user attributes whose change starts a run, " +
					"such as `department` or `jobTitle`.",
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues()},
			},
			"change_type": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "For `membershipChangeTrigger`: `add` (the user joins a scope group) or " +
					"`remove` (the user leaves it).",
				Validators: []validator.String{stringvalidator.OneOf(graph.MembershipChangeTypes...)},
			},
			"inactivity_period_in_days": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "For `userInactivityTrigger`: days without sign-in, at least 1.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
		},
	}
}

// tasksAttribute is Graph's tasks: the ordered list of built-in tasks a run performs.
func tasksAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Required: true,
		MarkdownDescription: "The tasks, run in this order (1 to 25). Changing a task's name or description changes it in " +
			"place; any other change (adding, removing or reordering tasks, a definition, an argument, `enabled`, " +
			"`continue_on_error`) creates a new version of the workflow.",
		Validators: []validator.List{listvalidator.SizeBetween(1, graph.MaxTasksPerWorkflow)},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"task_definition_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The built-in task to run (`taskDefinitionId`), e.g. `70b29d51-b59a-4773-9280-8841dfd3f2ea` " +
					"(Send welcome email); see the `entragov_task_definitions` data source. Compared case-insensitively.",
				Validators: []validator.String{validators.GUID()},
			},
			"display_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The task's name, unique within the workflow. Changes in place.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "What the task does. Defaults to an empty string. Changes in place.",
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether the task runs (`isEnabled`). Defaults to `true`.",
			},
			"continue_on_error": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether the workflow goes on when this task fails (`continueOnError`). Defaults to `false`.",
			},
			"arguments": schema.MapAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				Default: mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
				MarkdownDescription: "The task's arguments by name (`arguments`), e.g. `{ groupID = \"<group id>\" }`; a " +
					"multi-valued argument is one comma-separated string. Required arguments, unknown names and enum " +
					"values (`\"true\"`/`\"false\"`) are checked at plan time against the task definition. Defaults to none.",
			},
		}},
	}
}
