package framework

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
)

// ActionsMinimumTerraform is the first Terraform CLI that runs provider actions (action blocks,
// action_trigger, terraform apply -invoke).
const ActionsMinimumTerraform = "1.14"

// Progress sends a progress message of an action's Invoke: Terraform shows it while the action runs.
// Outside Terraform (unit tests) there may be no receiver.
func Progress(resp *action.InvokeResponse, format string, args ...any) {
	if resp.SendProgress == nil {
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
}
