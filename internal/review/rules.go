package review

// The rules, one row each: its name (stable, for JSON consumers and tests), its level, the resource types
// and attribute paths it reads, the sentence a reviewer gets, and the small function that decides (in the
// rules_<concern>.go file of its concern). A check returns one detail line per thing it found, nothing when
// the change is not risky for it. Checks run on updates and replacements (both sides known); OnCreate and
// OnDelete let a rule look at new and destroyed objects too.

const (
	typeCatalog        = "entragov_catalog"
	typeAccessPackage  = "entragov_access_package"
	typePolicy         = "entragov_assignment_policy"
	typeAssignment     = "entragov_access_package_assignment"
	typeIncompatible   = "entragov_access_package_incompatibility"
	typeConnectedOrg   = "entragov_connected_organization"
	typeEMSettings     = "entragov_entitlement_management_settings"
	typeWorkflow       = "entragov_lifecycle_workflow"
	typeAccessReview   = "entragov_access_review"
	typePrefixEntragov = "entragov_"
)

// Rule is one kind of risky change.
type Rule struct {
	Name     string
	Level    Level
	Concern  string
	Types    []string // resource types; empty is every entragov type not named by another rule's Types
	Paths    []string
	Why      string
	OnCreate bool
	OnDelete bool
	check    func(c *Change) []string
}

// Rules is the rule table, in the order findings of one level and object are listed.
var Rules = []Rule{
	// Who can get access widens.
	{Name: "target-scope-broadened", Level: High, Concern: "access", Types: []string{typePolicy}, OnCreate: true,
		Paths: []string{"allowed_target_scope"}, check: checkTargetScope,
		Why: "More people can request this access package: the policy's allowed target scope is broader."},
	{Name: "targets-added", Level: Medium, Concern: "access", Types: []string{typePolicy},
		Paths: []string{"specific_allowed_targets"}, check: checkTargetsAdded,
		Why: "New users, groups or connected organizations can request this access package."},
	{Name: "attribute-rule-broadened", Level: Medium, Concern: "access", Types: []string{typePolicy},
		Paths: []string{"specific_allowed_targets.*.membership_rule"}, check: checkAttributeRuleBroadened,
		Why: "An attribute rule that decides who may request lost an -and condition or gained an -or: it likely admits more users."},
	{Name: "on-behalf-requestors-added", Level: Medium, Concern: "access", Types: []string{typePolicy},
		Paths: []string{"requestor_settings.enable_on_behalf_requestors_to_add_access", "requestor_settings.on_behalf_requestors"}, check: checkOnBehalf,
		Why: "More people can request this access for others."},
	{Name: "package-unhidden", Level: Medium, Concern: "access", Types: []string{typeAccessPackage},
		Paths: []string{"hidden"}, check: checkUnhidden,
		Why: "A hidden access package becomes visible in the My Access portal: everyone in scope can find and request it."},
	{Name: "catalog-externally-visible", Level: High, Concern: "access", Types: []string{typeCatalog},
		Paths: []string{"externally_visible"}, check: checkCatalogExternal,
		Why: "The catalog's access packages become requestable by users of connected organizations."},
	{Name: "catalog-published", Level: Medium, Concern: "access", Types: []string{typeCatalog},
		Paths: []string{"state"}, check: checkCatalogPublished,
		Why: "An unpublished catalog is published: its access packages open for requests."},

	// Approval weakens.
	{Name: "approval-disabled", Level: High, Concern: "approval", Types: []string{typePolicy},
		Paths: []string{"request_approval_settings.approval_required_for_add", "request_approval_settings.approval_required_for_update"}, check: checkApprovalDisabled,
		Why: "Requests are granted without anyone approving them."},
	{Name: "approval-stages-removed", Level: Medium, Concern: "approval", Types: []string{typePolicy},
		Paths: []string{"request_approval_settings.stages"}, check: checkStagesRemoved,
		Why: "Fewer approval stages: fewer people must agree before access is granted."},
	{Name: "approvers-manager-only", Level: Medium, Concern: "approval", Types: []string{typePolicy},
		Paths: []string{"request_approval_settings.stages.*.primary_approvers"}, check: checkManagerOnly,
		Why: "The requestor's manager alone approves a stage that named other approvers: the resource owners no longer see requests."},
	{Name: "justification-not-required", Level: Low, Concern: "approval", Types: []string{typePolicy},
		Paths: []string{"request_approval_settings.requestor_justification_required", "request_approval_settings.stages.*.approver_justification_required"}, check: checkJustification,
		Why: "Requests or approvals no longer need a written justification, which audits rely on."},
	{Name: "escalation-removed", Level: Low, Concern: "approval", Types: []string{typePolicy},
		Paths: []string{"request_approval_settings.stages.*.escalation_enabled", "request_approval_settings.stages.*.escalation_approvers"}, check: checkEscalation,
		Why: "Unanswered requests are no longer escalated to other approvers."},

	// Access lasts longer.
	{Name: "expiration-removed", Level: High, Concern: "duration", Types: []string{typePolicy},
		Paths: []string{"expiration.type"}, check: checkExpirationRemoved,
		Why: "Assignments no longer end by themselves: access is kept until someone removes it."},
	{Name: "expiration-lengthened", Level: Medium, Concern: "duration", Types: []string{typePolicy},
		Paths: []string{"expiration.duration", "expiration.end_date_time"}, check: checkExpirationLengthened,
		Why: "Assignments last longer before they expire."},
	{Name: "extension-allowed", Level: Medium, Concern: "duration", Types: []string{typePolicy},
		Paths: []string{"requestor_settings.enable_targets_to_self_update_access", "requestor_settings.enable_on_behalf_requestors_to_update_access"}, check: checkExtension,
		Why: "Assignments can be extended, so access can outlive the policy's expiration."},
	{Name: "custom-schedule-allowed", Level: Low, Concern: "duration", Types: []string{typePolicy},
		Paths: []string{"requestor_settings.allow_custom_assignment_schedule"}, check: checkCustomSchedule,
		Why: "Requestors can choose their own start and end dates."},

	// Oversight drops.
	{Name: "reviews-disabled", Level: High, Concern: "oversight", Types: []string{typePolicy},
		Paths: []string{"review_settings", "review_settings.enabled"}, check: checkReviewsDisabled,
		Why: "Assignments are no longer reviewed: nobody confirms that people still need this access."},
	{Name: "reviews-less-frequent", Level: Medium, Concern: "oversight", Types: []string{typePolicy},
		Paths: []string{"review_settings.schedule.recurrence.pattern.type", "review_settings.schedule.recurrence.pattern.interval"}, check: checkReviewsLessFrequent,
		Why: "Access reviews happen less often."},
	{Name: "reviews-not-auto-applied", Level: Medium, Concern: "oversight", Types: []string{typePolicy},
		Paths: []string{"review_settings.expiration_behavior"}, check: checkReviewAutoApply,
		Why: "When reviewers do not answer, access is now kept instead of removed."},
	{Name: "reviewers-self-review", Level: Medium, Concern: "oversight", Types: []string{typePolicy},
		Paths: []string{"review_settings.self_review", "review_settings.primary_reviewers"}, check: checkSelfReview,
		Why: "Assigned users now review their own access, with no other reviewer."},
	{Name: "access-review-deleted", Level: High, Concern: "oversight", Types: []string{typeAccessReview}, OnDelete: true,
		check: checkAccessReviewDeleted,
		Why:   "An access review series is deleted: nobody confirms any more that the people it covered still need their access."},
	{Name: "access-review-less-frequent", Level: Medium, Concern: "oversight", Types: []string{typeAccessReview},
		Paths: []string{accessReviewPattern + ".type", accessReviewPattern + ".interval"}, check: checkAccessReviewLessFrequent,
		Why: "The access review recurs less often."},
	{Name: "access-review-not-auto-applied", Level: Medium, Concern: "oversight", Types: []string{typeAccessReview},
		Paths: []string{"settings.auto_apply_decisions_enabled"}, check: checkAccessReviewAutoApply,
		Why: "Review decisions are no longer applied when an instance ends: denied access stays until an administrator applies the decisions."},
	{Name: "access-review-default-approve", Level: Medium, Concern: "oversight", Types: []string{typeAccessReview},
		Paths: []string{"settings.default_decision", "settings.default_decision_enabled"}, check: checkAccessReviewDefaultApprove,
		Why: "Access that no reviewer answers for is now approved by default."},
	{Name: "access-review-self-review", Level: Medium, Concern: "oversight", Types: []string{typeAccessReview},
		Paths: []string{"reviewers"}, check: checkAccessReviewSelfReview,
		Why: "The reviewed people now review their own access, with no other reviewer."},

	// Separation of duties.
	{Name: "incompatibility-removed", Level: High, Concern: "separation of duties", Types: []string{typeIncompatible, typeAccessPackage}, OnDelete: true,
		Paths: []string{"incompatible_access_package_id", "incompatible_access_package_ids", "incompatible_group_ids"}, check: checkIncompatibility,
		Why: "A separation-of-duties rule is removed: one person may now hold both accesses."},

	// Offboarding weakens.
	{Name: "external-user-cleanup-relaxed", Level: High, Concern: "offboarding", Types: []string{typeEMSettings},
		Paths: []string{"external_user_lifecycle_action"}, check: checkExternalLifecycle,
		Why: "External users who lose their last assignment are no longer blocked or deleted as before."},
	{Name: "external-user-deletion-delayed", Level: Low, Concern: "offboarding", Types: []string{typeEMSettings},
		Paths: []string{"duration_until_external_user_deleted_after_blocked"}, check: checkExternalDeletionDelay,
		Why: "Blocked external users stay in the directory longer before they are deleted."},
	{Name: "leaver-workflow-disabled", Level: High, Concern: "offboarding", Types: []string{typeWorkflow}, OnDelete: true,
		Paths: []string{"category", "enabled", "scheduling_enabled"}, check: checkLeaverDisabled,
		Why: "A leaver workflow stops running: leavers keep their access and accounts."},
	{Name: "leaver-tasks-reduced", Level: Medium, Concern: "offboarding", Types: []string{typeWorkflow},
		Paths: []string{"tasks.*.task_definition_id", "tasks.*.enabled"}, check: checkLeaverTasks,
		Why: "A leaver workflow does less: a task that removed access or accounts is gone or turned off."},
	{Name: "leaver-scope-narrowed", Level: Medium, Concern: "offboarding", Types: []string{typeWorkflow},
		Paths: []string{"execution_conditions.scope.rule", "execution_conditions.scope.group_ids"}, check: checkLeaverScope,
		Why: "A leaver workflow runs for fewer users: the others are not offboarded."},
	{Name: "connected-org-configured-without-sponsors", Level: Medium, Concern: "offboarding", Types: []string{typeConnectedOrg}, OnCreate: true,
		Paths: []string{"state", "internal_sponsor_ids", "external_sponsor_ids"}, check: checkConnectedOrgSponsors,
		Why: "A configured connected organization's users keep their guest accounts after their last assignment ends, and no sponsor answers for them."},

	// Destroys and replacements.
	{Name: "assignment-holder-destroyed", Level: High, Concern: "destroy", Types: []string{typeCatalog, typeAccessPackage, typePolicy, typeAssignment}, OnDelete: true,
		check: checkDestroyed,
		Why:   "This object holds access package assignments: destroying or replacing it ends them, and users lose the access they were granted."},
	{Name: "object-destroyed", Level: Low, Concern: "destroy", OnDelete: true,
		check: checkDestroyed,
		Why:   "A governance object is destroyed or replaced; a replacement gets a new id, which anything outside this configuration that names the old one loses."},
}

// applies reports whether the rule looks at resources of type t.
func (r *Rule) applies(t string) bool {
	if len(r.Types) == 0 {
		return t != typeIncompatible && !destroyRuleTypes[t]
	}
	for _, rt := range r.Types {
		if rt == t {
			return true
		}
	}
	return false
}

// destroyRuleTypes are the types whose destruction assignment-holder-destroyed names.
var destroyRuleTypes = map[string]bool{typeCatalog: true, typeAccessPackage: true, typePolicy: true, typeAssignment: true}
