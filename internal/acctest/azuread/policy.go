package azuread

import (
	"context"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// azuread_access_package_assignment_policy, as documented: access_package_id, display_name,
// description (required); duration_in_days, expiration_date, extension_enabled; blocks
// requestor_settings, approval_settings (approval_stage with primary_approver /
// alternative_approver), assignment_review_settings (reviewer) and question (text, choice
// with display_value, localized_text). Subject blocks: subject_type, object_id, backup.
//
// Optional arguments without a default are Optional+Computed here so that, as with the SDKv2
// provider, state holds zero values ("", false, 0) for arguments left out.

func optStr() schema.StringAttribute { return schema.StringAttribute{Optional: true, Computed: true} }
func optBool() schema.BoolAttribute  { return schema.BoolAttribute{Optional: true, Computed: true} }
func optInt() schema.Int64Attribute  { return schema.Int64Attribute{Optional: true, Computed: true} }

func maxOne() []validator.List { return []validator.List{listvalidator.SizeAtMost(1)} }

func exactlyOne() []validator.List {
	return []validator.List{listvalidator.IsRequired(), listvalidator.SizeBetween(1, 1)}
}

func userSetBlock() schema.ListNestedBlock {
	return schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
		"subject_type": schema.StringAttribute{Required: true},
		"object_id":    optStr(),
		"backup":       optBool(),
	}}}
}

func localizedContentBlock(required bool) schema.ListNestedBlock {
	b := schema.ListNestedBlock{
		NestedObject: schema.NestedBlockObject{
			Attributes: map[string]schema.Attribute{"default_text": schema.StringAttribute{Required: true}},
			Blocks: map[string]schema.Block{"localized_text": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{
					"language_code": schema.StringAttribute{Required: true},
					"content":       schema.StringAttribute{Required: true},
				},
			}}},
		},
		Validators: maxOne(),
	}
	if required {
		b.Validators = exactlyOne()
	}
	return b
}

func policySchema() schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                idAttribute(),
			"access_package_id": schema.StringAttribute{Required: true},
			"display_name":      schema.StringAttribute{Required: true},
			"description":       schema.StringAttribute{Required: true},
			"duration_in_days":  optInt(),
			"expiration_date":   optStr(),
			"extension_enabled": optBool(),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock("create", "read", "update", "delete"),
			"requestor_settings": schema.ListNestedBlock{
				Validators: maxOne(),
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{"requests_accepted": optBool(), "scope_type": optStr()},
					Blocks:     map[string]schema.Block{"requestor": userSetBlock()},
				},
			},
			"approval_settings": schema.ListNestedBlock{
				Validators: maxOne(),
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"approval_required": optBool(), "approval_required_for_extension": optBool(), "requestor_justification_required": optBool(),
					},
					Blocks: map[string]schema.Block{"approval_stage": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
						Attributes: map[string]schema.Attribute{
							"approval_timeout_in_days":            schema.Int64Attribute{Required: true},
							"approver_justification_required":     optBool(),
							"alternative_approval_enabled":        optBool(),
							"enable_alternative_approval_in_days": optInt(),
						},
						Blocks: map[string]schema.Block{"primary_approver": userSetBlock(), "alternative_approver": userSetBlock()},
					}}},
				},
			},
			"assignment_review_settings": schema.ListNestedBlock{
				Validators: maxOne(),
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"enabled": optBool(), "review_frequency": optStr(), "review_type": optStr(), "starting_on": optStr(),
						"duration_in_days": optInt(), "access_recommendation_enabled": optBool(),
						"approver_justification_required": optBool(), "access_review_timeout_behavior": optStr(),
					},
					Blocks: map[string]schema.Block{"reviewer": userSetBlock()},
				},
			},
			"question": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{"required": optBool(), "sequence": optInt()},
				Blocks: map[string]schema.Block{
					"text": localizedContentBlock(true),
					"choice": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
						Attributes: map[string]schema.Attribute{"actual_value": schema.StringAttribute{Required: true}},
						Blocks:     map[string]schema.Block{"display_value": localizedContentBlock(true)},
					}},
				},
			}},
		},
	}
}

func policyDef() resourceDef {
	return resourceDef{
		name:   "access_package_assignment_policy",
		schema: policySchema(),
		// The real provider suppresses the diff of a left-out requestor_settings,
		// approval_settings, assignment_review_settings or question: the refresh keeps them
		// out of state (blocks cannot be computed in this stand-in).
		create: func(ctx context.Context, c *client, plan map[string]any) (string, error) {
			var out map[string]any
			err := c.do(ctx, http.MethodPost, "accessPackageAssignmentPolicies", nil, expandPolicy(plan), &out)
			return str(out, "id"), err
		},
		read: func(ctx context.Context, c *client, id string) (map[string]any, error) {
			var p map[string]any
			if err := c.do(ctx, http.MethodGet, "accessPackageAssignmentPolicies/"+id, nil, nil, &p); err != nil {
				if notFound(err) {
					return nil, nil
				}
				return nil, err
			}
			return flattenPolicy(p), nil
		},
		update: func(ctx context.Context, c *client, id string, plan map[string]any) error {
			return c.do(ctx, http.MethodPut, "accessPackageAssignmentPolicies/"+id, nil, expandPolicy(plan), nil)
		},
		delete: func(ctx context.Context, c *client, id string) error {
			return c.do(ctx, http.MethodDelete, "accessPackageAssignmentPolicies/"+id, nil, nil, nil)
		},
		keepOutIfAbsent: []string{"requestor_settings", "approval_settings", "assignment_review_settings", "question"},
	}
}

// ---- expand (Terraform -> Graph beta) ----

func putNonZero(m map[string]any, k string, v any) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
	case int:
		if x == 0 {
			return
		}
	case bool:
		if !x {
			return
		}
	}
	m[k] = v
}

// noZero is nullable.NoZero of hashicorp/go-azure-sdk (sdk/nullable/nullable.go): the zero
// value of a string, bool or int is sent as JSON null.
func noZero(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case int:
		if x == 0 {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	}
	return v
}

func expandPolicy(plan map[string]any) map[string]any {
	out := map[string]any{"@odata.type": "#microsoft.graph.accessPackageAssignmentPolicy"}
	putNonZero(out, "accessPackageId", str(plan, "access_package_id"))
	putNonZero(out, "canExtend", boolean(plan, "extension_enabled"))
	putNonZero(out, "description", str(plan, "description"))
	putNonZero(out, "displayName", str(plan, "display_name"))
	putNonZero(out, "durationInDays", integer(plan, "duration_in_days"))
	putNonZero(out, "expirationDateTime", str(plan, "expiration_date"))
	out["questions"] = expandQuestions(list(plan, "question"))
	if a := first(plan, "approval_settings"); a != nil {
		stages := []any{}
		for _, x := range list(a, "approval_stage") {
			s, _ := x.(map[string]any)
			st := map[string]any{
				"primaryApprovers":    expandUserSets(list(s, "primary_approver")),
				"escalationApprovers": expandUserSets(list(s, "alternative_approver")),
			}
			putNonZero(st, "approvalStageTimeOutInDays", integer(s, "approval_timeout_in_days"))
			putNonZero(st, "escalationTimeInMinutes", integer(s, "enable_alternative_approval_in_days")*24*60)
			putNonZero(st, "isApproverJustificationRequired", boolean(s, "approver_justification_required"))
			putNonZero(st, "isEscalationEnabled", boolean(s, "alternative_approval_enabled"))
			stages = append(stages, st)
		}
		out["requestApprovalSettings"] = map[string]any{
			"isApprovalRequired":               boolean(a, "approval_required"),
			"isApprovalRequiredForExtension":   boolean(a, "approval_required_for_extension"),
			"isRequestorJustificationRequired": boolean(a, "requestor_justification_required"),
			"approvalStages":                   stages,
		}
	}
	if r := first(plan, "requestor_settings"); r != nil {
		// As azuread's expandRequestorSettings (internal/services/identitygovernance/identitygovernance.go
		// of hashicorp/terraform-provider-azuread): scope_type and requests_accepted go through
		// nullable.NoZero, which sends "" and false as JSON null (sdk/nullable/nullable.go of
		// hashicorp/go-azure-sdk), not as the value and not left out.
		out["requestorSettings"] = map[string]any{
			"scopeType":         noZero(str(r, "scope_type")),
			"acceptRequests":    noZero(boolean(r, "requests_accepted")),
			"allowedRequestors": expandUserSets(list(r, "requestor")),
		}
	}
	if r := first(plan, "assignment_review_settings"); r != nil {
		reviewers := expandUserSets(list(r, "reviewer"))
		rv := map[string]any{
			"durationInDays":                  integer(r, "duration_in_days"),
			"isAccessRecommendationEnabled":   boolean(r, "access_recommendation_enabled"),
			"isApprovalJustificationRequired": boolean(r, "approver_justification_required"),
			"isEnabled":                       boolean(r, "enabled"),
			"reviewers":                       reviewers,
		}
		putNonZero(rv, "accessReviewTimeoutBehavior", str(r, "access_review_timeout_behavior"))
		putNonZero(rv, "recurrenceType", str(r, "review_frequency"))
		putNonZero(rv, "reviewerType", str(r, "review_type"))
		putNonZero(rv, "startDateTime", str(r, "starting_on"))
		// An all-default block is sent as no review settings.
		if rv["accessReviewTimeoutBehavior"] != nil || rv["durationInDays"] != 0 || rv["isAccessRecommendationEnabled"] == true ||
			rv["isApprovalJustificationRequired"] == true || rv["isEnabled"] == true || rv["recurrenceType"] != nil ||
			rv["reviewerType"] != nil || len(reviewers) > 0 {
			out["accessReviewSettings"] = rv
		}
	}
	return out
}

// subject types as the real provider spells them in state.
var userSetTypes = []string{"ConnectedOrganizationMembers", "ExternalSponsors", "GroupMembers", "InternalSponsors",
	"RequestorManager", "SingleUser", "TargetUserSponsors"}

func expandUserSets(in []any) []any {
	out := []any{}
	for _, x := range in {
		v, _ := x.(map[string]any)
		typ := str(v, "subject_type")
		u := map[string]any{"@odata.type": "#microsoft.graph." + strings.ToLower(typ[:1]) + typ[1:], "isBackup": boolean(v, "backup")}
		switch strings.ToLower(typ) {
		case "singleuser", "groupmembers", "connectedorganizationmembers":
			u["id"] = str(v, "object_id")
		}
		out = append(out, u)
	}
	return out
}

func expandLocalized(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	texts := []any{}
	for _, x := range list(m, "localized_text") {
		t, _ := x.(map[string]any)
		texts = append(texts, map[string]any{"languageCode": str(t, "language_code"), "text": str(t, "content")})
	}
	out := map[string]any{"localizedTexts": texts}
	putNonZero(out, "defaultText", str(m, "default_text"))
	return out
}

func expandQuestions(in []any) []any {
	out := []any{}
	for _, x := range in {
		v, _ := x.(map[string]any)
		text := first(v, "text")
		if text == nil {
			continue
		}
		q := map[string]any{"isRequired": boolean(v, "required"), "sequence": integer(v, "sequence"), "text": expandLocalized(text)}
		if choices := list(v, "choice"); len(choices) > 0 {
			l := []any{}
			for _, c := range choices {
				cm, _ := c.(map[string]any)
				l = append(l, map[string]any{"actualValue": str(cm, "actual_value"), "displayValue": expandLocalized(first(cm, "display_value"))})
			}
			q["@odata.type"] = "#microsoft.graph.accessPackageMultipleChoiceQuestion"
			q["choices"] = l
		} else {
			q["@odata.type"] = "#microsoft.graph.accessPackageTextInputQuestion"
		}
		out = append(out, q)
	}
	return out
}

// ---- flatten (Graph beta -> Terraform) ----

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func asInt(v any) int {
	f, _ := v.(float64)
	return int(f)
}

func flattenPolicy(p map[string]any) map[string]any {
	out := map[string]any{
		"access_package_id": str(p, "accessPackageId"), "description": str(p, "description"),
		"display_name": str(p, "displayName"), "duration_in_days": asInt(p["durationInDays"]),
		"expiration_date": str(p, "expirationDateTime"), "extension_enabled": boolean(p, "canExtend"),
		"question": flattenQuestions(list(p, "questions")),
	}
	if a := asMap(p["requestApprovalSettings"]); a != nil {
		stages := []any{}
		for _, x := range list(a, "approvalStages") {
			s := asMap(x)
			days := 0
			if w := asInt(s["escalationTimeInMinutes"]); w > 0 {
				days = w / 60 / 24
			}
			stages = append(stages, map[string]any{
				"approval_timeout_in_days": asInt(s["approvalStageTimeOutInDays"]), "approver_justification_required": boolean(s, "isApproverJustificationRequired"),
				"alternative_approval_enabled": boolean(s, "isEscalationEnabled"), "enable_alternative_approval_in_days": days,
				"primary_approver": flattenUserSets(list(s, "primaryApprovers")), "alternative_approver": flattenUserSets(list(s, "escalationApprovers")),
			})
		}
		out["approval_settings"] = []any{map[string]any{
			"approval_required": boolean(a, "isApprovalRequired"), "approval_required_for_extension": boolean(a, "isApprovalRequiredForExtension"),
			"requestor_justification_required": boolean(a, "isRequestorJustificationRequired"), "approval_stage": stages,
		}}
	}
	if r := asMap(p["requestorSettings"]); r != nil {
		out["requestor_settings"] = []any{map[string]any{
			"requests_accepted": boolean(r, "acceptRequests"), "scope_type": str(r, "scopeType"), "requestor": flattenUserSets(list(r, "allowedRequestors")),
		}}
	}
	if r := asMap(p["accessReviewSettings"]); r != nil {
		out["assignment_review_settings"] = []any{map[string]any{
			"access_recommendation_enabled": boolean(r, "isAccessRecommendationEnabled"), "access_review_timeout_behavior": str(r, "accessReviewTimeoutBehavior"),
			"approver_justification_required": boolean(r, "isApprovalJustificationRequired"), "duration_in_days": asInt(r["durationInDays"]),
			"enabled": boolean(r, "isEnabled"), "review_frequency": str(r, "recurrenceType"), "review_type": str(r, "reviewerType"),
			"reviewer": flattenUserSets(list(r, "reviewers")), "starting_on": str(r, "startDateTime"),
		}}
	}
	return out
}

func flattenUserSets(in []any) []any {
	out := []any{}
	for _, x := range in {
		v := asMap(x)
		leaf := strings.TrimPrefix(str(v, "@odata.type"), "#microsoft.graph.")
		typ := leaf
		for _, t := range userSetTypes {
			if strings.EqualFold(t, leaf) {
				typ = t
			}
		}
		out = append(out, map[string]any{"subject_type": typ, "backup": boolean(v, "isBackup"), "object_id": str(v, "id")})
	}
	return out
}

func flattenLocalized(m map[string]any) []any {
	if m == nil {
		return []any{}
	}
	texts := []any{}
	for _, x := range list(m, "localizedTexts") {
		t := asMap(x)
		texts = append(texts, map[string]any{"language_code": str(t, "languageCode"), "content": str(t, "text")})
	}
	return []any{map[string]any{"default_text": str(m, "defaultText"), "localized_text": texts}}
}

func flattenQuestions(in []any) []any {
	out := []any{}
	for _, x := range in {
		q := asMap(x)
		m := map[string]any{"required": boolean(q, "isRequired"), "sequence": asInt(q["sequence"]), "text": flattenLocalized(asMap(q["text"])), "choice": []any{}}
		if strings.HasSuffix(str(q, "@odata.type"), "MultipleChoiceQuestion") {
			choices := []any{}
			for _, c := range list(q, "choices") {
				cm := asMap(c)
				choices = append(choices, map[string]any{"actual_value": str(cm, "actualValue"), "display_value": flattenLocalized(asMap(cm["displayValue"]))})
			}
			m["choice"] = choices
		}
		out = append(out, m)
	}
	return out
}
