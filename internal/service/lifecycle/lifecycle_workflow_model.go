package lifecycle

import "github.com/hashicorp/terraform-plugin-framework/types"

// workflowModel is entragov_lifecycle_workflow. Task ids are not kept: createNewVersion re-issues them.
type workflowModel struct {
	ID                         types.String              `tfsdk:"id"`
	Category                   types.String              `tfsdk:"category"`
	DisplayName                types.String              `tfsdk:"display_name"`
	Description                types.String              `tfsdk:"description"`
	Enabled                    types.Bool                `tfsdk:"enabled"`
	SchedulingEnabled          types.Bool                `tfsdk:"scheduling_enabled"`
	ExecutionConditions        *executionConditionsModel `tfsdk:"execution_conditions"`
	Tasks                      []taskModel               `tfsdk:"tasks"`
	Version                    types.Int64               `tfsdk:"version"`
	CreatedDateTime            types.String              `tfsdk:"created_date_time"`
	LastModifiedDateTime       types.String              `tfsdk:"last_modified_date_time"`
	PermanentlyDeleteOnDestroy types.Bool                `tfsdk:"permanently_delete_on_destroy"`
}

type executionConditionsModel struct {
	Type    types.String  `tfsdk:"type"`
	Scope   *scopeModel   `tfsdk:"scope"`
	Trigger *triggerModel `tfsdk:"trigger"`
}

type scopeModel struct {
	Type     types.String `tfsdk:"type"`
	Rule     types.String `tfsdk:"rule"`
	GroupIDs types.List   `tfsdk:"group_ids"`
}

type triggerModel struct {
	Type                   types.String `tfsdk:"type"`
	TimeBasedAttribute     types.String `tfsdk:"time_based_attribute"`
	OffsetInDays           types.Int64  `tfsdk:"offset_in_days"`
	TriggerAttributes      types.List   `tfsdk:"trigger_attributes"`
	ChangeType             types.String `tfsdk:"change_type"`
	InactivityPeriodInDays types.Int64  `tfsdk:"inactivity_period_in_days"`
}

type taskModel struct {
	TaskDefinitionID types.String `tfsdk:"task_definition_id"`
	DisplayName      types.String `tfsdk:"display_name"`
	Description      types.String `tfsdk:"description"`
	Enabled          types.Bool   `tfsdk:"enabled"`
	ContinueOnError  types.Bool   `tfsdk:"continue_on_error"`
	Arguments        types.Map    `tfsdk:"arguments"`
}
