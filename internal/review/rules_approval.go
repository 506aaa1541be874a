package review

import (
	"fmt"
)

const (
	approvalSettings = "request_approval_settings"
	approvalStages   = approvalSettings + ".stages"
)

// checkApprovalDisabled: approval was required and is not any more (settings removed count as off, as
// Graph then grants requests without approval).
func checkApprovalDisabled(c *Change) []string {
	var out []string
	for _, p := range []string{approvalSettings + ".approval_required_for_add", approvalSettings + ".approval_required_for_update"} {
		if c.isTrue(true, p) && c.isFalse(false, p) {
			out = append(out, c.diff(p))
		}
	}
	return out
}

// checkStagesRemoved counts stages while approval stays on (turning it off is approval-disabled).
func checkStagesRemoved(c *Change) []string {
	if c.unknown(approvalStages) || c.isFalse(false, approvalSettings+".approval_required_for_add") {
		return nil
	}
	before, after := len(c.list(true, approvalStages)), len(c.list(false, approvalStages))
	if after < before {
		return []string{fmt.Sprintf("approval stages: %d → %d", before, after)}
	}
	return nil
}

func managerOnly(approvers []any) bool {
	if len(approvers) == 0 {
		return false
	}
	for _, a := range approvers {
		if lookup(a, "type") != "requestorManager" {
			return false
		}
	}
	return true
}

func checkManagerOnly(c *Change) []string {
	var out []string
	for i := range pairedLen(c, approvalStages) {
		p := fmt.Sprintf("%s.%d.primary_approvers", approvalStages, i)
		if c.unknown(p) {
			continue
		}
		before, after := c.list(true, p), c.list(false, p)
		if managerOnly(after) && !managerOnly(before) {
			out = append(out, fmt.Sprintf("stage %d primary approvers: %s → requestorManager only", i+1, describeSubjects(before)))
		}
	}
	return out
}

func checkJustification(c *Change) []string {
	var out []string
	if p := approvalSettings + ".requestor_justification_required"; c.isTrue(true, p) && c.isFalse(false, p) {
		out = append(out, c.diff(p))
	}
	for i := range pairedLen(c, approvalStages) {
		if p := fmt.Sprintf("%s.%d.approver_justification_required", approvalStages, i); c.isTrue(true, p) && c.isFalse(false, p) {
			out = append(out, c.diff(p))
		}
	}
	return out
}

func checkEscalation(c *Change) []string {
	var out []string
	for i := range pairedLen(c, approvalStages) {
		enabled := fmt.Sprintf("%s.%d.escalation_enabled", approvalStages, i)
		approvers := fmt.Sprintf("%s.%d.escalation_approvers", approvalStages, i)
		switch {
		case c.isTrue(true, enabled) && c.isFalse(false, enabled):
			out = append(out, c.diff(enabled))
		case c.isTrue(true, enabled) && !c.unknown(approvers) && len(c.list(true, approvers)) > 0 && len(c.list(false, approvers)) == 0:
			out = append(out, fmt.Sprintf("stage %d escalation approvers: %s → none", i+1, describeSubjects(c.list(true, approvers))))
		}
	}
	return out
}

// pairedLen is how many list elements exist on both sides (stages compare by position).
func pairedLen(c *Change, path string) int {
	return min(len(c.list(true, path)), len(c.list(false, path)))
}

func describeSubjects(sets []any) string {
	if len(sets) == 0 {
		return "none"
	}
	s := ""
	for i, e := range sets {
		if i > 0 {
			s += ", "
		}
		s += describeSubject(e)
	}
	return s
}
