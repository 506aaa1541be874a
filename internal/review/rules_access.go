package review

import (
	"fmt"
	"regexp"
	"strings"
)

// scopeBreadth orders allowedTargetScope values by how many can request: specific lists, then the
// connected organizations an administrator configured, then every member or service principal, then every
// directory user (members and guests), then any external user at all. A value this table does not know
// (a future Graph value) ranks as the broadest, so it is looked at.
var scopeBreadth = map[string]int{
	"":                                   0,
	"notSpecified":                       0,
	"specificDirectoryUsers":             1,
	"specificConnectedOrganizationUsers": 1,
	"specificDirectoryServicePrincipals": 1,
	"allConfiguredConnectedOrganizationUsers": 2,
	"allMemberUsers":                3,
	"allDirectoryServicePrincipals": 3,
	"allDirectoryAgentIdentities":   3,
	"allDirectoryUsers":             4,
	"allExternalUsers":              5,
}

const broadestScope = 5

func breadth(scope string) int {
	if b, ok := scopeBreadth[scope]; ok {
		return b
	}
	return broadestScope
}

// checkTargetScope: a broader scope; a new policy counts when it opens to an "all ..." scope.
func checkTargetScope(c *Change) []string {
	const path = "allowed_target_scope"
	if c.unknown(path) {
		return nil
	}
	before, after := breadth(c.str(true, path)), breadth(c.str(false, path))
	if c.IsCreate() {
		if after >= scopeBreadth["allMemberUsers"] {
			return []string{"new policy: " + path + " = " + c.show(false, path)}
		}
		return nil
	}
	if after > before {
		return []string{c.diff(path)}
	}
	return nil
}

const subjectAttributeRule = "attributeRuleMembers"

// checkTargetsAdded: specific targets that were not there before (attribute rules are compared by
// attribute-rule-broadened, unless there are more of them).
func checkTargetsAdded(c *Change) []string {
	const path = "specific_allowed_targets"
	if c.unknown(path) {
		return nil
	}
	before, after := c.list(true, path), c.list(false, path)
	var out []string
	for _, t := range added(withoutType(before, subjectAttributeRule), withoutType(after, subjectAttributeRule)) {
		out = append(out, "target added: "+describeSubject(t))
	}
	if nb, na := len(ofType(before, subjectAttributeRule)), len(ofType(after, subjectAttributeRule)); na > nb {
		out = append(out, fmt.Sprintf("attribute rule targets: %d → %d", nb, na))
	}
	return out
}

// checkAttributeRuleBroadened pairs the attribute rule targets by position.
func checkAttributeRuleBroadened(c *Change) []string {
	const path = "specific_allowed_targets"
	if c.unknown(path) {
		return nil
	}
	before, after := ofType(c.list(true, path), subjectAttributeRule), ofType(c.list(false, path), subjectAttributeRule)
	var out []string
	for i := 0; i < len(before) && i < len(after); i++ {
		rb, _ := lookup(before[i], "membership_rule").(string)
		ra, _ := lookup(after[i], "membership_rule").(string)
		if ruleBroader(rb, ra) {
			out = append(out, fmt.Sprintf("membership_rule: %q → %q", rb, ra))
		}
	}
	return out
}

var (
	andWord = regexp.MustCompile(`(?i)(^|[\s)])-?and([\s(]|$)`)
	orWord  = regexp.MustCompile(`(?i)(^|[\s)])-?or([\s(]|$)`)
)

// ruleBroader is a heuristic for rule languages built of conditions joined by and/or (dynamic group rules,
// lifecycle workflow scopes): a rule that changed and has fewer "and" or more "or" joins likely matches more.
func ruleBroader(before, after string) bool {
	if strings.TrimSpace(before) == strings.TrimSpace(after) {
		return false
	}
	if after == "" {
		return before != ""
	}
	ab, aa := len(andWord.FindAllString(before, -1)), len(andWord.FindAllString(after, -1))
	ob, oa := len(orWord.FindAllString(before, -1)), len(orWord.FindAllString(after, -1))
	return aa < ab || oa > ob
}

func checkOnBehalf(c *Change) []string {
	const enable, who = "requestor_settings.enable_on_behalf_requestors_to_add_access", "requestor_settings.on_behalf_requestors"
	var out []string
	if c.isFalse(true, enable) && c.isTrue(false, enable) {
		out = append(out, c.diff(enable))
	}
	if !c.unknown(who) {
		for _, s := range added(c.list(true, who), c.list(false, who)) {
			out = append(out, "on-behalf requestor added: "+describeSubject(s))
		}
	}
	return out
}

func checkUnhidden(c *Change) []string {
	if c.isTrue(true, "hidden") && c.isFalse(false, "hidden") {
		return []string{c.diff("hidden")}
	}
	return nil
}

func checkCatalogExternal(c *Change) []string {
	if c.isFalse(true, "externally_visible") && c.isTrue(false, "externally_visible") {
		return []string{c.diff("externally_visible")}
	}
	return nil
}

func checkCatalogPublished(c *Change) []string {
	if c.str(true, "state") == "unpublished" && c.str(false, "state") == "published" {
		return []string{c.diff("state")}
	}
	return nil
}

func ofType(sets []any, t string) []any {
	var out []any
	for _, s := range sets {
		if lookup(s, "type") == t {
			out = append(out, s)
		}
	}
	return out
}

func withoutType(sets []any, t string) []any {
	var out []any
	for _, s := range sets {
		if lookup(s, "type") != t {
			out = append(out, s)
		}
	}
	return out
}

// describeSubject names a subject set by its type and the one id or rule it holds.
func describeSubject(s any) string {
	t, _ := lookup(s, "type").(string)
	if t == "" {
		t = "subject"
	}
	for _, k := range []string{"user_id", "group_id", "connected_organization_id", "service_principal_id", "membership_rule"} {
		if v, ok := lookup(s, k).(string); ok && v != "" {
			return fmt.Sprintf("%s (%s %s)", t, k, v)
		}
	}
	if n, ok := lookup(s, "manager_level").(float64); ok {
		return fmt.Sprintf("%s (manager_level %g)", t, n)
	}
	return t
}
