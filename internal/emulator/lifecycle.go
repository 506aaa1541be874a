package emulator

import (
	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
)

// The lifecycle workflows area lives in internal/emulator/lifecycle; these names keep
// the emulator's API.

type (
	// TaskDefinition is one built-in lifecycle task definition.
	TaskDefinition = lifecycle.TaskDefinition
	// TaskParameter is one argument a task definition takes.
	TaskParameter = lifecycle.TaskParameter
)

// TaskDefinitions returns the built-in task definitions (a fresh copy).
func TaskDefinitions() []TaskDefinition { return lifecycle.TaskDefinitions() }

// ParseLifecycleRule checks a ruleBasedSubjectSet rule of a workflow scope.
func ParseLifecycleRule(rule string) error { return lifecycle.ParseRule(rule) }

// ChangeWorkflowTask changes one current task of an active workflow out of band (no
// validation), for drift tests (lifecycle.API.ChangeWorkflowTask).
func (s *Server) ChangeWorkflowTask(workflowID, task string, patch map[string]any) error {
	return s.lc.ChangeWorkflowTask(workflowID, task, patch)
}
