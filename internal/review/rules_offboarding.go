package review

import (
	"fmt"
	"strings"
)

// checkIncompatibility: an incompatibility link destroyed, or incompatible packages or groups dropped
// from an access package.
func checkIncompatibility(c *Change) []string {
	if c.Type == typeIncompatible {
		if c.IsDelete() {
			return []string{fmt.Sprintf("access package %s is no longer incompatible with %s",
				c.show(true, "access_package_id"), c.show(true, "incompatible_access_package_id"))}
		}
		return nil
	}
	if c.IsDelete() {
		return nil
	}
	var out []string
	for _, p := range []string{"incompatible_access_package_ids", "incompatible_group_ids"} {
		if c.unknown(p) {
			continue
		}
		for _, gone := range added(c.list(false, p), c.list(true, p)) {
			out = append(out, fmt.Sprintf("%s: %s removed", p, render(gone)))
		}
	}
	return out
}

// lifecycleStrength orders the external user lifecycle actions from weakest to strongest.
var lifecycleStrength = map[string]int{"none": 0, "blockSignIn": 1, "blockSignInAndDelete": 2}

func checkExternalLifecycle(c *Change) []string {
	const p = "external_user_lifecycle_action"
	if c.unknown(p) {
		return nil
	}
	before, okB := lifecycleStrength[c.str(true, p)]
	after, okA := lifecycleStrength[c.str(false, p)]
	if okB && okA && after < before {
		return []string{c.diff(p)}
	}
	return nil
}

func checkExternalDeletionDelay(c *Change) []string {
	const p = "duration_until_external_user_deleted_after_blocked"
	if !c.unknown(p) && longer(c.str(true, p), c.str(false, p)) {
		return []string{c.diff(p)}
	}
	return nil
}

func isLeaver(c *Change) bool {
	return c.str(true, "category") == "leaver" || c.str(false, "category") == "leaver"
}

func checkLeaverDisabled(c *Change) []string {
	if !isLeaver(c) {
		return nil
	}
	if c.IsDelete() {
		return []string{"the leaver workflow is deleted"}
	}
	var out []string
	for _, p := range []string{"enabled", "scheduling_enabled"} {
		if c.isTrue(true, p) && c.isFalse(false, p) {
			out = append(out, c.diff(p))
		}
	}
	return out
}

// checkLeaverTasks matches tasks by task definition: one that is gone, or turned off.
func checkLeaverTasks(c *Change) []string {
	if !isLeaver(c) || c.unknown("tasks") {
		return nil
	}
	before, after := c.list(true, "tasks"), c.list(false, "tasks")
	var out []string
	for _, gone := range added(taskIDs(after), taskIDs(before)) {
		id, _ := gone.(string)
		out = append(out, "task removed: "+taskName(findTask(before, id)))
	}
	enabledAfter := map[string]bool{}
	for _, t := range after {
		id, _ := lookup(t, "task_definition_id").(string)
		if on, ok := lookup(t, "enabled").(bool); ok && on {
			enabledAfter[id] = true
		}
	}
	for _, t := range before {
		id, _ := lookup(t, "task_definition_id").(string)
		on, _ := lookup(t, "enabled").(bool)
		if on && !enabledAfter[id] && containsTask(after, id) {
			out = append(out, "task turned off: "+taskName(t))
		}
	}
	return out
}

func taskIDs(tasks []any) []any {
	out := make([]any, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, lookup(t, "task_definition_id"))
	}
	return out
}

func findTask(tasks []any, id string) any {
	for _, t := range tasks {
		if lookup(t, "task_definition_id") == id {
			return t
		}
	}
	return nil
}

func taskName(t any) string {
	id, _ := lookup(t, "task_definition_id").(string)
	if name, ok := lookup(t, "display_name").(string); ok && name != "" {
		return fmt.Sprintf("%q (definition %s)", name, id)
	}
	return "definition " + id
}

func containsTask(tasks []any, id string) bool { return findTask(tasks, id) != nil }

const workflowScope = "execution_conditions.scope"

func checkLeaverScope(c *Change) []string {
	if !isLeaver(c) || c.unknown(workflowScope) {
		return nil
	}
	var out []string
	rb, ra := c.str(true, workflowScope+".rule"), c.str(false, workflowScope+".rule")
	if rb != "" && ra != "" && ruleBroader(ra, rb) {
		out = append(out, c.diff(workflowScope+".rule"))
	}
	for _, gone := range added(c.list(false, workflowScope+".group_ids"), c.list(true, workflowScope+".group_ids")) {
		out = append(out, "scope group removed: "+render(gone))
	}
	return out
}

func checkConnectedOrgSponsors(c *Change) []string {
	if c.unknown("state") || c.unknown("internal_sponsor_ids") || c.unknown("external_sponsor_ids") {
		return nil
	}
	if c.str(false, "state") != "configured" || c.str(true, "state") == "configured" {
		return nil
	}
	if len(c.list(false, "internal_sponsor_ids")) > 0 || len(c.list(false, "external_sponsor_ids")) > 0 {
		return nil
	}
	from := "new"
	if !c.IsCreate() {
		from = c.show(true, "state")
	}
	return []string{fmt.Sprintf("state: %s → \"configured\", with no internal or external sponsors", from)}
}

// checkDestroyed names a destroy or a replacement, with the attributes that force it.
func checkDestroyed(c *Change) []string {
	switch {
	case c.Source == SourceDrift && c.IsDelete():
		return []string{"deleted outside Terraform; the next apply creates it again with a new id"}
	case c.IsDelete():
		return []string{"destroyed"}
	case c.IsReplace():
		d := "replaced: deleted, then created again with a new id"
		if paths := replacePaths(c); paths != "" {
			d += " (forced by " + paths + ")"
		}
		return []string{d}
	}
	return nil
}

func replacePaths(c *Change) string {
	paths, _ := c.replacePaths.([]any)
	var names []string
	for _, p := range paths {
		steps, _ := p.([]any)
		var parts []string
		for _, s := range steps {
			parts = append(parts, fmt.Sprint(s))
		}
		if len(parts) > 0 {
			names = append(names, strings.Join(parts, "."))
		}
	}
	return strings.Join(names, ", ")
}
