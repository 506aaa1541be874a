package review

import (
	"encoding/json"
	"strings"
	"testing"
)

// ruleCase is one change of one resource, as before/after fragments of its attributes in the plan JSON.
type ruleCase struct {
	name    string
	typ     string
	actions string // JSON array; ["update"] when empty
	before  string
	after   string
	unknown string // after_unknown; {} when empty
	drift   bool
	// fires is the detail the rule must report (a substring); empty means the rule must stay quiet.
	fires string
}

const policyApproval = `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{"primary_approvers":[{"type":"groupMembers","group_id":"g1"}]}]}}`

// ruleCases holds, for every rule, changes that must fire it and changes that must not.
var ruleCases = map[string][]ruleCase{
	"target-scope-broadened": {
		{name: "specific to all members", typ: typePolicy, before: `{"allowed_target_scope":"specificDirectoryUsers"}`, after: `{"allowed_target_scope":"allMemberUsers"}`, fires: `"specificDirectoryUsers" → "allMemberUsers"`},
		{name: "to all external users", typ: typePolicy, before: `{"allowed_target_scope":"allMemberUsers"}`, after: `{"allowed_target_scope":"allExternalUsers"}`, fires: `"allExternalUsers"`},
		{name: "an unknown future scope", typ: typePolicy, before: `{"allowed_target_scope":"allDirectoryUsers"}`, after: `{"allowed_target_scope":"everyoneOnEarth"}`, fires: "everyoneOnEarth"},
		{name: "new policy for all external users", typ: typePolicy, actions: `["create"]`, before: `null`, after: `{"allowed_target_scope":"allExternalUsers"}`, fires: "new policy"},
		{name: "new policy for specific users", typ: typePolicy, actions: `["create"]`, before: `null`, after: `{"allowed_target_scope":"specificDirectoryUsers"}`},
		{name: "narrowed", typ: typePolicy, before: `{"allowed_target_scope":"allExternalUsers"}`, after: `{"allowed_target_scope":"allConfiguredConnectedOrganizationUsers"}`},
		{name: "unknown after apply", typ: typePolicy, before: `{"allowed_target_scope":"specificDirectoryUsers"}`, after: `{}`, unknown: `{"allowed_target_scope":true}`},
		{name: "drift", typ: typePolicy, drift: true, before: `{"allowed_target_scope":"specificDirectoryUsers"}`, after: `{"allowed_target_scope":"allDirectoryUsers"}`, fires: "allDirectoryUsers"},
	},
	"targets-added": {
		{name: "a connected organization", typ: typePolicy, before: `{"specific_allowed_targets":[{"type":"groupMembers","group_id":"g1"}]}`,
			after: `{"specific_allowed_targets":[{"type":"groupMembers","group_id":"g1"},{"type":"connectedOrganizationMembers","connected_organization_id":"o1"}]}`, fires: "connectedOrganizationMembers (connected_organization_id o1)"},
		{name: "one more attribute rule", typ: typePolicy, before: `{"specific_allowed_targets":[]}`,
			after: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"x"}]}`, fires: "attribute rule targets: 0 → 1"},
		{name: "reordered", typ: typePolicy, before: `{"specific_allowed_targets":[{"type":"singleUser","user_id":"u1"},{"type":"groupMembers","group_id":"g1"}]}`,
			after: `{"specific_allowed_targets":[{"type":"groupMembers","group_id":"g1"},{"type":"singleUser","user_id":"u1"}]}`},
		{name: "one removed", typ: typePolicy, before: `{"specific_allowed_targets":[{"type":"singleUser","user_id":"u1"},{"type":"groupMembers","group_id":"g1"}]}`,
			after: `{"specific_allowed_targets":[{"type":"groupMembers","group_id":"g1"}]}`},
	},
	"attribute-rule-broadened": {
		{name: "an -and dropped", typ: typePolicy, before: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Sales\") -and (user.country -eq \"US\")"}]}`,
			after: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Sales\")"}]}`, fires: `(user.department -eq \"Sales\")`},
		{name: "an -or added", typ: typePolicy, before: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Sales\")"}]}`,
			after: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Sales\") -or (user.department -eq \"HR\")"}]}`, fires: "HR"},
		{name: "an -and added", typ: typePolicy, before: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Sales\")"}]}`,
			after: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Sales\") -and (user.country -eq \"US\")"}]}`},
		{name: "a word containing or", typ: typePolicy, before: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Sales\")"}]}`,
			after: `{"specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"(user.department -eq \"Order desk\")"}]}`},
	},
	"on-behalf-requestors-added": {
		{name: "switched on", typ: typePolicy, before: `{"requestor_settings":{"enable_on_behalf_requestors_to_add_access":false}}`,
			after: `{"requestor_settings":{"enable_on_behalf_requestors_to_add_access":true}}`, fires: "enable_on_behalf_requestors_to_add_access: false → true"},
		{name: "a requestor added", typ: typePolicy, before: `{"requestor_settings":{"enable_on_behalf_requestors_to_add_access":true,"on_behalf_requestors":[]}}`,
			after: `{"requestor_settings":{"enable_on_behalf_requestors_to_add_access":true,"on_behalf_requestors":[{"type":"targetManager","manager_level":1}]}}`, fires: "targetManager (manager_level 1)"},
		{name: "switched off", typ: typePolicy, before: `{"requestor_settings":{"enable_on_behalf_requestors_to_add_access":true}}`,
			after: `{"requestor_settings":{"enable_on_behalf_requestors_to_add_access":false}}`},
	},
	"package-unhidden": {
		{name: "made visible", typ: typeAccessPackage, before: `{"hidden":true}`, after: `{"hidden":false}`, fires: "hidden: true → false"},
		{name: "hidden", typ: typeAccessPackage, before: `{"hidden":false}`, after: `{"hidden":true}`},
		{name: "known after apply", typ: typeAccessPackage, before: `{"hidden":true}`, after: `{}`, unknown: `{"hidden":true}`},
	},
	"catalog-externally-visible": {
		{name: "made external", typ: typeCatalog, before: `{"externally_visible":false}`, after: `{"externally_visible":true}`, fires: "externally_visible: false → true"},
		{name: "made internal", typ: typeCatalog, before: `{"externally_visible":true}`, after: `{"externally_visible":false}`},
	},
	"catalog-published": {
		{name: "published", typ: typeCatalog, before: `{"state":"unpublished"}`, after: `{"state":"published"}`, fires: `"unpublished" → "published"`},
		{name: "unpublished", typ: typeCatalog, before: `{"state":"published"}`, after: `{"state":"unpublished"}`},
	},
	"approval-disabled": {
		{name: "turned off", typ: typePolicy, before: policyApproval, after: `{"request_approval_settings":{"approval_required_for_add":false,"stages":[]}}`, fires: "approval_required_for_add: true → false"},
		{name: "settings removed", typ: typePolicy, before: policyApproval, after: `{"request_approval_settings":null}`, fires: "approval_required_for_add: true → (none)"},
		{name: "for extensions", typ: typePolicy, before: `{"request_approval_settings":{"approval_required_for_update":true}}`, after: `{"request_approval_settings":{"approval_required_for_update":false}}`, fires: "approval_required_for_update"},
		{name: "turned on", typ: typePolicy, before: `{"request_approval_settings":{"approval_required_for_add":false}}`, after: policyApproval},
		{name: "known after apply", typ: typePolicy, before: policyApproval, after: `{"request_approval_settings":{}}`, unknown: `{"request_approval_settings":{"approval_required_for_add":true}}`},
	},
	"approval-stages-removed": {
		{name: "two to one", typ: typePolicy, before: `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{},{}]}}`,
			after: `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{}]}}`, fires: "approval stages: 2 → 1"},
		{name: "with approval turned off", typ: typePolicy, before: `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{},{}]}}`,
			after: `{"request_approval_settings":{"approval_required_for_add":false,"stages":[]}}`},
		{name: "one to two", typ: typePolicy, before: `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{}]}}`,
			after: `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{},{}]}}`},
	},
	"approvers-manager-only": {
		{name: "group to manager", typ: typePolicy, before: policyApproval,
			after: `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{"primary_approvers":[{"type":"requestorManager","manager_level":1}]}]}}`, fires: "groupMembers (group_id g1) → requestorManager only"},
		{name: "manager and group", typ: typePolicy, before: policyApproval,
			after: `{"request_approval_settings":{"approval_required_for_add":true,"stages":[{"primary_approvers":[{"type":"requestorManager"},{"type":"groupMembers","group_id":"g1"}]}]}}`},
		{name: "already the manager", typ: typePolicy, before: `{"request_approval_settings":{"stages":[{"primary_approvers":[{"type":"requestorManager","manager_level":1}]}]}}`,
			after: `{"request_approval_settings":{"stages":[{"primary_approvers":[{"type":"requestorManager","manager_level":2}]}]}}`},
	},
	"justification-not-required": {
		{name: "requestor", typ: typePolicy, before: `{"request_approval_settings":{"requestor_justification_required":true}}`,
			after: `{"request_approval_settings":{"requestor_justification_required":false}}`, fires: "requestor_justification_required: true → false"},
		{name: "approver of stage 2", typ: typePolicy, before: `{"request_approval_settings":{"stages":[{},{"approver_justification_required":true}]}}`,
			after: `{"request_approval_settings":{"stages":[{},{"approver_justification_required":false}]}}`, fires: "stages.1.approver_justification_required"},
		{name: "now required", typ: typePolicy, before: `{"request_approval_settings":{"requestor_justification_required":false}}`,
			after: `{"request_approval_settings":{"requestor_justification_required":true}}`},
	},
	"escalation-removed": {
		{name: "turned off", typ: typePolicy, before: `{"request_approval_settings":{"stages":[{"escalation_enabled":true,"escalation_approvers":[{"type":"singleUser","user_id":"u1"}]}]}}`,
			after: `{"request_approval_settings":{"stages":[{"escalation_enabled":false,"escalation_approvers":[]}]}}`, fires: "stages.0.escalation_enabled: true → false"},
		{name: "approvers emptied", typ: typePolicy, before: `{"request_approval_settings":{"stages":[{"escalation_enabled":true,"escalation_approvers":[{"type":"singleUser","user_id":"u1"}]}]}}`,
			after: `{"request_approval_settings":{"stages":[{"escalation_enabled":true,"escalation_approvers":[]}]}}`, fires: "escalation approvers: singleUser (user_id u1) → none"},
		{name: "turned on", typ: typePolicy, before: `{"request_approval_settings":{"stages":[{"escalation_enabled":false}]}}`,
			after: `{"request_approval_settings":{"stages":[{"escalation_enabled":true,"escalation_approvers":[{"type":"singleUser","user_id":"u1"}]}]}}`},
	},
	"expiration-removed": {
		{name: "no expiration", typ: typePolicy, before: `{"expiration":{"type":"afterDuration","duration":"P90D"}}`, after: `{"expiration":{"type":"noExpiration"}}`, fires: `"afterDuration" → "noExpiration"`},
		{name: "expiration removed", typ: typePolicy, before: `{"expiration":{"type":"afterDateTime","end_date_time":"2027-01-01T00:00:00Z"}}`, after: `{"expiration":null}`, fires: "(none)"},
		{name: "expiration added", typ: typePolicy, before: `{"expiration":{"type":"noExpiration"}}`, after: `{"expiration":{"type":"afterDuration","duration":"P90D"}}`},
	},
	"expiration-lengthened": {
		{name: "longer duration", typ: typePolicy, before: `{"expiration":{"type":"afterDuration","duration":"P90D"}}`, after: `{"expiration":{"type":"afterDuration","duration":"P1Y"}}`, fires: `"P90D" → "P1Y"`},
		{name: "later end", typ: typePolicy, before: `{"expiration":{"type":"afterDateTime","end_date_time":"2027-01-01T00:00:00Z"}}`, after: `{"expiration":{"type":"afterDateTime","end_date_time":"2028-01-01T00:00:00Z"}}`, fires: "2028"},
		{name: "same length in other words", typ: typePolicy, before: `{"expiration":{"type":"afterDuration","duration":"P1D"}}`, after: `{"expiration":{"type":"afterDuration","duration":"PT24H"}}`},
		{name: "a month against 30 days", typ: typePolicy, before: `{"expiration":{"type":"afterDuration","duration":"P30D"}}`, after: `{"expiration":{"type":"afterDuration","duration":"P1M"}}`},
		{name: "shorter", typ: typePolicy, before: `{"expiration":{"type":"afterDuration","duration":"P90D"}}`, after: `{"expiration":{"type":"afterDuration","duration":"P30D"}}`},
		{name: "not a duration", typ: typePolicy, before: `{"expiration":{"type":"afterDuration","duration":"P90D"}}`, after: `{"expiration":{"type":"afterDuration","duration":"forever"}}`},
	},
	"extension-allowed": {
		{name: "self extension", typ: typePolicy, before: `{"requestor_settings":{"enable_targets_to_self_update_access":false}}`,
			after: `{"requestor_settings":{"enable_targets_to_self_update_access":true}}`, fires: "enable_targets_to_self_update_access: false → true"},
		{name: "on behalf", typ: typePolicy, before: `{"requestor_settings":null}`,
			after: `{"requestor_settings":{"enable_on_behalf_requestors_to_update_access":true}}`, fires: "enable_on_behalf_requestors_to_update_access: (none) → true"},
		{name: "off", typ: typePolicy, before: `{"requestor_settings":{"enable_targets_to_self_update_access":true}}`,
			after: `{"requestor_settings":{"enable_targets_to_self_update_access":false}}`},
	},
	"custom-schedule-allowed": {
		{name: "on", typ: typePolicy, before: `{"requestor_settings":{"allow_custom_assignment_schedule":false}}`,
			after: `{"requestor_settings":{"allow_custom_assignment_schedule":true}}`, fires: "allow_custom_assignment_schedule: false → true"},
		{name: "off", typ: typePolicy, before: `{"requestor_settings":{"allow_custom_assignment_schedule":true}}`,
			after: `{"requestor_settings":{"allow_custom_assignment_schedule":false}}`},
	},
	"reviews-disabled": {
		{name: "turned off", typ: typePolicy, before: `{"review_settings":{"enabled":true}}`, after: `{"review_settings":{"enabled":false}}`, fires: "review_settings.enabled: true → false"},
		{name: "removed", typ: typePolicy, before: `{"review_settings":{"enabled":true}}`, after: `{"review_settings":null}`, fires: "review_settings removed"},
		{name: "added", typ: typePolicy, before: `{"review_settings":null}`, after: `{"review_settings":{"enabled":true}}`},
		{name: "known after apply", typ: typePolicy, before: `{"review_settings":{"enabled":true}}`, after: `{"review_settings":{}}`, unknown: `{"review_settings":{"enabled":true}}`},
	},
	"reviews-less-frequent": {
		{name: "quarterly to yearly", typ: typePolicy, before: `{"review_settings":{"schedule":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":3}}}}}`,
			after: `{"review_settings":{"schedule":{"recurrence":{"pattern":{"type":"absoluteYearly","interval":1}}}}}`, fires: "about 90 → 365 days"},
		{name: "weekly to monthly", typ: typePolicy, before: `{"review_settings":{"schedule":{"recurrence":{"pattern":{"type":"weekly","interval":1}}}}}`,
			after: `{"review_settings":{"schedule":{"recurrence":{"pattern":{"type":"relativeMonthly","interval":1}}}}}`, fires: "about 7 → 30 days"},
		{name: "more often", typ: typePolicy, before: `{"review_settings":{"schedule":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":6}}}}}`,
			after: `{"review_settings":{"schedule":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":3}}}}}`},
		{name: "while turned off", typ: typePolicy, before: `{"review_settings":{"schedule":{"recurrence":{"pattern":{"type":"weekly","interval":1}}}}}`,
			after: `{"review_settings":{"enabled":false,"schedule":{"recurrence":{"pattern":{"type":"absoluteYearly","interval":1}}}}}`},
	},
	"reviews-not-auto-applied": {
		{name: "keep access", typ: typePolicy, before: `{"review_settings":{"expiration_behavior":"removeAccess"}}`, after: `{"review_settings":{"expiration_behavior":"keepAccess"}}`, fires: `"removeAccess" → "keepAccess"`},
		{name: "remove access", typ: typePolicy, before: `{"review_settings":{"expiration_behavior":"keepAccess"}}`, after: `{"review_settings":{"expiration_behavior":"removeAccess"}}`},
	},
	"reviewers-self-review": {
		{name: "group to self", typ: typePolicy, before: `{"review_settings":{"self_review":false,"primary_reviewers":[{"type":"groupMembers","group_id":"g1"}]}}`,
			after: `{"review_settings":{"self_review":true,"primary_reviewers":[]}}`, fires: "groupMembers (group_id g1) → the assigned users themselves"},
		{name: "self and a group", typ: typePolicy, before: `{"review_settings":{"self_review":false,"primary_reviewers":[{"type":"groupMembers","group_id":"g1"}]}}`,
			after: `{"review_settings":{"self_review":true,"primary_reviewers":[{"type":"groupMembers","group_id":"g1"}]}}`},
		{name: "self review already", typ: typePolicy, before: `{"review_settings":{"self_review":true}}`, after: `{"review_settings":{"self_review":true,"expiration_behavior":"keepAccess"}}`},
	},
	"access-review-deleted": {
		{name: "destroyed", typ: typeAccessReview, actions: `["delete"]`, before: `{"display_name":"Guests of Falcon"}`, after: `null`, fires: `access review "Guests of Falcon" deleted`},
		{name: "deleted outside Terraform", typ: typeAccessReview, actions: `["delete"]`, drift: true, before: `{"display_name":"Guests of Falcon"}`, after: `null`, fires: "deleted outside Terraform"},
		{name: "renamed", typ: typeAccessReview, before: `{"display_name":"Guests of Falcon"}`, after: `{"display_name":"Falcon guests"}`},
	},
	"access-review-less-frequent": {
		{name: "quarterly to half-yearly", typ: typeAccessReview, before: `{"settings":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":3}}}}`,
			after: `{"settings":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":6}}}}`, fires: "about 90 → 180 days"},
		{name: "to a one-time review", typ: typeAccessReview, before: `{"settings":{"recurrence":{"pattern":{"type":"weekly","interval":1}}}}`,
			after: `{"settings":{"recurrence":{"pattern":null}}}`, fires: "becomes a one-time review"},
		{name: "more often", typ: typeAccessReview, before: `{"settings":{"recurrence":{"pattern":{"type":"absoluteMonthly","interval":3}}}}`,
			after: `{"settings":{"recurrence":{"pattern":{"type":"weekly","interval":4}}}}`},
		{name: "unknown", typ: typeAccessReview, before: `{"settings":{"recurrence":{"pattern":{"type":"weekly","interval":1}}}}`,
			after: `{"settings":{"recurrence":{}}}`, unknown: `{"settings":{"recurrence":{"pattern":true}}}`},
	},
	"access-review-not-auto-applied": {
		{name: "turned off", typ: typeAccessReview, before: `{"settings":{"auto_apply_decisions_enabled":true}}`, after: `{"settings":{"auto_apply_decisions_enabled":false}}`,
			fires: "settings.auto_apply_decisions_enabled: true → false"},
		{name: "turned on", typ: typeAccessReview, before: `{"settings":{"auto_apply_decisions_enabled":false}}`, after: `{"settings":{"auto_apply_decisions_enabled":true}}`},
	},
	"access-review-default-approve": {
		{name: "deny to approve", typ: typeAccessReview, before: `{"settings":{"default_decision_enabled":true,"default_decision":"Deny"}}`,
			after: `{"settings":{"default_decision_enabled":true,"default_decision":"Approve"}}`, fires: `"Deny" → "Approve"`},
		{name: "approve switched on", typ: typeAccessReview, before: `{"settings":{"default_decision_enabled":false,"default_decision":"None"}}`,
			after: `{"settings":{"default_decision_enabled":true,"default_decision":"Approve"}}`, fires: `"None" → "Approve"`},
		{name: "approve to deny", typ: typeAccessReview, before: `{"settings":{"default_decision_enabled":true,"default_decision":"Approve"}}`,
			after: `{"settings":{"default_decision_enabled":true,"default_decision":"Deny"}}`},
	},
	"access-review-self-review": {
		{name: "sponsors to self", typ: typeAccessReview, before: `{"reviewers":[{"query":"./sponsors","query_root":"decisions"}]}`, after: `{"reviewers":[]}`,
			fires: "./sponsors → the reviewed people themselves"},
		{name: "another reviewer", typ: typeAccessReview, before: `{"reviewers":[{"query":"./owners"}]}`, after: `{"reviewers":[{"query":"./manager","query_root":"decisions"}]}`},
		{name: "self already", typ: typeAccessReview, before: `{"reviewers":[]}`, after: `{"reviewers":[]}`},
	},
	"incompatibility-removed": {
		{name: "link destroyed", typ: typeIncompatible, actions: `["delete"]`, before: `{"access_package_id":"a","incompatible_access_package_id":"b"}`, after: `null`, fires: `"a" is no longer incompatible with "b"`},
		{name: "link deleted outside Terraform", typ: typeIncompatible, drift: true, actions: `["delete"]`, before: `{"access_package_id":"a","incompatible_access_package_id":"b"}`, after: `null`, fires: "no longer incompatible"},
		{name: "package loses a group", typ: typeAccessPackage, before: `{"incompatible_group_ids":["g1","g2"]}`, after: `{"incompatible_group_ids":["g2"]}`, fires: `incompatible_group_ids: "g1" removed`},
		{name: "link created", typ: typeIncompatible, actions: `["create"]`, before: `null`, after: `{"access_package_id":"a","incompatible_access_package_id":"b"}`},
		{name: "package gains a group", typ: typeAccessPackage, before: `{"incompatible_group_ids":["g2"]}`, after: `{"incompatible_group_ids":["g1","g2"]}`},
	},
	"external-user-cleanup-relaxed": {
		{name: "no deletion", typ: typeEMSettings, before: `{"external_user_lifecycle_action":"blockSignInAndDelete"}`, after: `{"external_user_lifecycle_action":"blockSignIn"}`, fires: `"blockSignInAndDelete" → "blockSignIn"`},
		{name: "nothing", typ: typeEMSettings, before: `{"external_user_lifecycle_action":"blockSignIn"}`, after: `{"external_user_lifecycle_action":"none"}`, fires: `"none"`},
		{name: "stricter", typ: typeEMSettings, before: `{"external_user_lifecycle_action":"none"}`, after: `{"external_user_lifecycle_action":"blockSignInAndDelete"}`},
	},
	"external-user-deletion-delayed": {
		{name: "longer", typ: typeEMSettings, before: `{"duration_until_external_user_deleted_after_blocked":"P30D"}`, after: `{"duration_until_external_user_deleted_after_blocked":"P90D"}`, fires: `"P30D" → "P90D"`},
		{name: "shorter", typ: typeEMSettings, before: `{"duration_until_external_user_deleted_after_blocked":"P30D"}`, after: `{"duration_until_external_user_deleted_after_blocked":"P7D"}`},
	},
	"leaver-workflow-disabled": {
		{name: "disabled", typ: typeWorkflow, before: `{"category":"leaver","enabled":true}`, after: `{"category":"leaver","enabled":false}`, fires: "enabled: true → false"},
		{name: "deleted", typ: typeWorkflow, actions: `["delete"]`, before: `{"category":"leaver","enabled":true}`, after: `null`, fires: "the leaver workflow is deleted"},
		{name: "a joiner workflow", typ: typeWorkflow, before: `{"category":"joiner","enabled":true}`, after: `{"category":"joiner","enabled":false}`},
		{name: "enabled", typ: typeWorkflow, before: `{"category":"leaver","enabled":false}`, after: `{"category":"leaver","enabled":true}`},
	},
	"leaver-tasks-reduced": {
		{name: "task removed", typ: typeWorkflow, before: `{"category":"leaver","tasks":[{"task_definition_id":"t1","display_name":"Remove access"},{"task_definition_id":"t2","display_name":"Delete user"}]}`,
			after: `{"category":"leaver","tasks":[{"task_definition_id":"t1","display_name":"Remove access"}]}`, fires: `task removed: "Delete user" (definition t2)`},
		{name: "task turned off", typ: typeWorkflow, before: `{"category":"leaver","tasks":[{"task_definition_id":"t1","enabled":true}]}`,
			after: `{"category":"leaver","tasks":[{"task_definition_id":"t1","enabled":false}]}`, fires: "task turned off: definition t1"},
		{name: "task renamed", typ: typeWorkflow, before: `{"category":"leaver","tasks":[{"task_definition_id":"t1","display_name":"a","enabled":true}]}`,
			after: `{"category":"leaver","tasks":[{"task_definition_id":"t1","display_name":"b","enabled":true}]}`},
		{name: "a mover workflow", typ: typeWorkflow, before: `{"category":"mover","tasks":[{"task_definition_id":"t1"}]}`, after: `{"category":"mover","tasks":[]}`},
	},
	"leaver-scope-narrowed": {
		{name: "an and added", typ: typeWorkflow, before: `{"category":"leaver","execution_conditions":{"scope":{"rule":"(userType eq 'Guest')"}}}`,
			after: `{"category":"leaver","execution_conditions":{"scope":{"rule":"(userType eq 'Guest') and (department eq 'Sales')"}}}`, fires: "department eq 'Sales'"},
		{name: "a group removed", typ: typeWorkflow, before: `{"category":"leaver","execution_conditions":{"scope":{"group_ids":["g1","g2"]}}}`,
			after: `{"category":"leaver","execution_conditions":{"scope":{"group_ids":["g2"]}}}`, fires: `scope group removed: "g1"`},
		{name: "broadened", typ: typeWorkflow, before: `{"category":"leaver","execution_conditions":{"scope":{"rule":"(userType eq 'Guest') and (department eq 'Sales')"}}}`,
			after: `{"category":"leaver","execution_conditions":{"scope":{"rule":"(userType eq 'Guest')"}}}`},
	},
	"connected-org-configured-without-sponsors": {
		{name: "configured, no sponsors", typ: typeConnectedOrg, before: `{"state":"proposed","internal_sponsor_ids":[],"external_sponsor_ids":[]}`,
			after: `{"state":"configured","internal_sponsor_ids":[],"external_sponsor_ids":[]}`, fires: `"proposed" → "configured"`},
		{name: "new, configured, no sponsors", typ: typeConnectedOrg, actions: `["create"]`, before: `null`, after: `{"state":"configured"}`, fires: "new → "},
		{name: "configured with a sponsor", typ: typeConnectedOrg, before: `{"state":"proposed"}`, after: `{"state":"configured","internal_sponsor_ids":["u1"]}`},
		{name: "sponsors known after apply", typ: typeConnectedOrg, before: `{"state":"proposed"}`, after: `{"state":"configured"}`, unknown: `{"internal_sponsor_ids":true}`},
	},
	"assignment-holder-destroyed": {
		{name: "package destroyed", typ: typeAccessPackage, actions: `["delete"]`, before: `{"display_name":"P"}`, after: `null`, fires: "destroyed"},
		{name: "policy replaced", typ: typePolicy, actions: `["delete","create"]`, before: `{"access_package_id":"a"}`, after: `{"access_package_id":"b"}`, fires: "replaced: deleted, then created again with a new id"},
		{name: "catalog deleted outside Terraform", typ: typeCatalog, drift: true, actions: `["delete"]`, before: `{"display_name":"C"}`, after: `null`, fires: "deleted outside Terraform"},
		{name: "package updated", typ: typeAccessPackage, before: `{"description":"a"}`, after: `{"description":"b"}`},
		{name: "a connected organization", typ: typeConnectedOrg, actions: `["delete"]`, before: `{}`, after: `null`},
	},
	"object-destroyed": {
		{name: "connected organization destroyed", typ: typeConnectedOrg, actions: `["delete"]`, before: `{}`, after: `null`, fires: "destroyed"},
		{name: "role scope replaced", typ: "entragov_access_package_resource_role_scope", actions: `["create","delete"]`, before: `{}`, after: `{}`, fires: "replaced"},
		{name: "a package (assignment-holder-destroyed)", typ: typeAccessPackage, actions: `["delete"]`, before: `{}`, after: `null`},
		{name: "created", typ: typeConnectedOrg, actions: `["create"]`, before: `null`, after: `{}`},
	},
}

// planOf wraps one change in the JSON of a saved plan.
func planOf(t testing.TB, tc ruleCase) []byte {
	t.Helper()
	actions, unknown := tc.actions, tc.unknown
	if actions == "" {
		actions = `["update"]`
	}
	if unknown == "" {
		unknown = `{}`
	}
	change := `{"address":"` + tc.typ + `.x","mode":"managed","type":"` + tc.typ + `","name":"x","change":{"actions":` + actions +
		`,"before":` + tc.before + `,"after":` + tc.after + `,"after_unknown":` + unknown + `,"before_sensitive":{},"after_sensitive":{}}}`
	list, other := "resource_changes", "resource_drift"
	if tc.drift {
		list, other = other, list
	}
	doc := `{"format_version":"1.2","planned_values":{},"` + list + `":[` + change + `],"` + other + `":[]}`
	if !json.Valid([]byte(doc)) {
		t.Fatalf("the case's plan is not JSON: %s", doc)
	}
	return []byte(doc)
}

// TestRules runs every rule's cases through the whole review (plan parsing included).
func TestRules(t *testing.T) {
	for _, rule := range Rules {
		t.Run(rule.Name, func(t *testing.T) {
			cases := ruleCases[rule.Name]
			var fires, quiet int
			for _, tc := range cases {
				if tc.fires != "" {
					fires++
				} else {
					quiet++
				}
			}
			if fires == 0 || quiet == 0 {
				t.Fatalf("rule %s needs cases that fire it and cases that must not (has %d and %d)", rule.Name, fires, quiet)
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					p, err := ParsePlan(planOf(t, tc))
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, objs := range [][]*Object{Review(p).Drift, Review(p).Planned} {
						for _, o := range objs {
							for _, f := range o.Findings {
								if f.Rule.Name == rule.Name {
									got = append(got, f.Details...)
								}
							}
						}
					}
					switch {
					case tc.fires == "" && len(got) > 0:
						t.Errorf("fired with %q, want nothing", got)
					case tc.fires != "" && !strings.Contains(strings.Join(got, "\n"), tc.fires):
						t.Errorf("details %q, want one with %q", got, tc.fires)
					}
				})
			}
		})
	}
	for name := range ruleCases {
		if !ruleNamed(name) {
			t.Errorf("ruleCases has cases for %q, which is not in Rules", name)
		}
	}
}

func ruleNamed(name string) bool {
	for _, r := range Rules {
		if r.Name == name {
			return true
		}
	}
	return false
}

// TestRulesTable keeps the table usable as documentation: unique names, a level, a sentence, a check.
func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.Name] {
			t.Errorf("rule %s is in the table twice", r.Name)
		}
		seen[r.Name] = true
		if r.Level < Low || r.Level > High || r.Why == "" || r.check == nil || r.Concern == "" {
			t.Errorf("rule %s lacks a level, a sentence, a concern or a check", r.Name)
		}
		if !strings.HasSuffix(r.Why, ".") {
			t.Errorf("rule %s: the sentence should end with a period: %q", r.Name, r.Why)
		}
	}
}
