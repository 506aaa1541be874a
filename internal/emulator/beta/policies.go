package beta

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Beta view of assignment policies: accessPackageAssignmentPolicy with accessPackageId,
// durationInDays / expirationDateTime, canExtend, requestorSettings {scopeType,
// acceptRequests, allowedRequestors}, requestApprovalSettings {isApprovalRequired, ...,
// approvalStages}, accessReviewSettings and questions with localized content. The beta
// body is translated to a complete v1.0 policy and written with the v1.0 POST or PUT, so the
// v1.0 validation applies. Properties beta cannot express (automatic request settings,
// custom extension stages, notification settings, on-behalf requestors, self-removal,
// custom schedules, approver visibility) are kept as they are on a beta PUT.
//
// Mapping (beta -> v1.0):
//   scopeType NoSubjects                        -> allowedTargetScope notSpecified
//   SpecificDirectorySubjects                   -> specificDirectoryUsers (+ allowedRequestors as targets)
//   SpecificConnectedOrganizationSubjects       -> specificConnectedOrganizationUsers
//   AllExistingDirectoryMemberUsers             -> allMemberUsers
//   AllExistingDirectorySubjects                -> allDirectoryUsers
//   AllConfiguredConnectedOrganizationSubjects  -> allConfiguredConnectedOrganizationUsers
//   AllExistingConnectedOrganizationSubjects    -> allConfiguredConnectedOrganizationUsers (memo: read back as written)
//   AllExternalSubjects                         -> allExternalUsers
//   acceptRequests                              -> requestorSettings.enableTargetsToSelfAddAccess (never with notSpecified:
//                                                  v1.0 refuses it; memo: NoSubjects with true reads back as written)
//   canExtend                                   -> requestorSettings.enableTargetsToSelfUpdateAccess
//   durationInDays N / expirationDateTime T     -> expiration afterDuration PND / afterDateTime T (neither: noExpiration)
//   approvalStageTimeOutInDays N                -> durationBeforeAutomaticDenial PND
//   escalationTimeInMinutes M                   -> durationBeforeEscalation (PT0S when 0)
//   userSet {id, isBackup}                      -> subjectSet {userId|groupId|connectedOrganizationId}; isBackup ones
//                                                  go to the fallback list (fallbackPrimaryApprovers, ...)
//   accessReviewSettings reviewerType Self / Manager / Reviewers -> isSelfReview / requestorManager / primaryReviewers
//   recurrenceType weekly|monthly|quarterly|halfyearly|annual     -> pattern weekly 1 / absoluteMonthly 1, 3, 6 / absoluteYearly 1
//                                                                    (month and dayOfMonth 0: the service picks them)
//
// Two beta requestor settings have no v1.0 value of their own (v1.0 has one
// allowedTargetScope for both connected-organization scopes, and no requestor flag for a
// notSpecified policy): the beta write keeps the scopeType and acceptRequests it was sent in
// the memo, with the v1.0 values they were written as, and a beta read gives them back while
// the v1.0 policy still has those values. So what the azuread provider writes reads back as
// written (its requestor_settings settle), and v1.0 clients see the mapping above.

const (
	typeBetaPolicy = "microsoft.graph.accessPackageAssignmentPolicy"
	v1Policies     = v1Prefix + "/assignmentPolicies"
	policyContext  = "identityGovernance/entitlementManagement/accessPackageAssignmentPolicies"
	policyV1Expand = "accessPackage,questions"
)

var (
	policyProps = []string{"id", "accessPackageId", "catalogId", "displayName", "description", "canExtend", "durationInDays",
		"expirationDateTime", "requestorSettings", "requestApprovalSettings", "accessReviewSettings", "questions",
		"createdBy", "createdDateTime", "modifiedBy", "modifiedDateTime"}
	policyFilterable = []string{"id", "displayName", "description", "accessPackageId"}

	scopeTypes = [][2]string{
		{"NoSubjects", "notSpecified"},
		{"SpecificDirectorySubjects", "specificDirectoryUsers"},
		{"SpecificConnectedOrganizationSubjects", "specificConnectedOrganizationUsers"},
		{"AllExistingDirectoryMemberUsers", "allMemberUsers"},
		{"AllExistingDirectorySubjects", "allDirectoryUsers"},
		{"AllConfiguredConnectedOrganizationSubjects", "allConfiguredConnectedOrganizationUsers"},
		{"AllExistingConnectedOrganizationSubjects", "allConfiguredConnectedOrganizationUsers"},
		{"AllExternalSubjects", "allExternalUsers"},
	}
	recurrences = map[string][2]any{
		"weekly":     {"weekly", 1},
		"monthly":    {"absoluteMonthly", 1},
		"quarterly":  {"absoluteMonthly", 3},
		"halfyearly": {"absoluteMonthly", 6},
		"annual":     {"absoluteYearly", 1},
	}
	// subject set types and the v1.0 name of the id beta calls "id".
	subjectIDs = map[string]string{
		"singleUser": "userId", "groupMembers": "groupId", "connectedOrganizationMembers": "connectedOrganizationId",
		"singleServicePrincipal": "servicePrincipalId",
	}
	subjectTypes = []string{"singleUser", "groupMembers", "connectedOrganizationMembers", "singleServicePrincipal",
		"requestorManager", "internalSponsors", "externalSponsors", "targetUserSponsors"}
)

// ---- small conversions ----

func objectAt(path string, v any) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, wire.PathError(path, "expected a JSON object, got '%s'.", wire.Literal(v))
	}
	return m, nil
}

func listAt(path string, v any) ([]any, error) {
	if v == nil {
		return nil, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, wire.PathError(path, "expected a JSON array, got '%s'.", wire.Literal(v))
	}
	return l, nil
}

func boolAt(path string, m map[string]any, k string) (bool, error) {
	v, ok := m[k]
	if !ok || v == nil {
		return false, nil
	}
	return wire.Bool(path+"."+k, v)
}

func intAt(path string, m map[string]any, k string) (int, error) {
	v, ok := m[k]
	if !ok || v == nil {
		return 0, nil
	}
	return wire.Int(path+"."+k, v)
}

// minutesDuration writes a number of minutes as the shortest ISO 8601 duration.
func minutesDuration(m int) string {
	switch {
	case m <= 0:
		return "PT0S"
	case m%1440 == 0:
		return "P" + strconv.Itoa(m/1440) + "D"
	case m%60 == 0:
		return "PT" + strconv.Itoa(m/60) + "H"
	}
	return "PT" + strconv.Itoa(m) + "M"
}

// durationSeconds reads a v1.0 duration; 0 when absent or invalid.
func durationSeconds(v any) float64 {
	if v == nil {
		return 0
	}
	d, err := wire.ParseDuration("", v)
	if err != nil {
		return 0
	}
	return d.Seconds
}

// wholeDays is the number of days of a duration, or 0 when it is not a whole number of days.
func wholeDays(v any) int {
	secs := durationSeconds(v)
	if secs <= 0 || math.Mod(secs, 86400) != 0 {
		return 0
	}
	return int(secs / 86400)
}

// ---- subject sets ----

func subjectFromBeta(path string, v any) (map[string]any, bool, error) {
	m, err := objectAt(path, v)
	if err != nil {
		return nil, false, err
	}
	raw, _ := m["@odata.type"].(string)
	leaf := strings.TrimPrefix(strings.TrimPrefix(raw, "#"), wire.GraphNamespace)
	typ := ""
	for _, t := range subjectTypes {
		if strings.EqualFold(t, leaf) {
			typ = t
		}
	}
	if typ == "" {
		return nil, false, wire.PathError(path+".@odata.type", "'%s' is not a valid userSet type; valid types: %s.", raw, strings.Join(subjectTypes, ", "))
	}
	backup, err := boolAt(path, m, "isBackup")
	if err != nil {
		return nil, false, err
	}
	out := map[string]any{"@odata.type": "#" + wire.GraphNamespace + typ}
	if key, ok := subjectIDs[typ]; ok {
		out[key] = m["id"]
	}
	if typ == "requestorManager" {
		level, err := intAt(path, m, "managerLevel")
		if err != nil {
			return nil, false, err
		}
		if level == 0 {
			level = 1
		}
		out["managerLevel"] = level
	}
	if d, ok := m["description"].(string); ok && d != "" {
		out["description"] = d
	}
	return out, backup, nil
}

// subjectsFromBeta splits a userSet list into the primary and the backup (fallback) lists.
func subjectsFromBeta(path string, v any) (primary, backup []any, err error) {
	l, err := listAt(path, v)
	if err != nil {
		return nil, nil, err
	}
	primary, backup = []any{}, []any{}
	for i, x := range l {
		s, isBackup, err := subjectFromBeta(wire.Index(path, i), x)
		if err != nil {
			return nil, nil, err
		}
		if isBackup {
			backup = append(backup, s)
		} else {
			primary = append(primary, s)
		}
	}
	return primary, backup, nil
}

func subjectsToBeta(primary, backup any) []any {
	out := []any{}
	for i, l := range []any{primary, backup} {
		for _, x := range wire.AnySlice(l) {
			m, ok := x.(map[string]any)
			if !ok {
				continue
			}
			typ, _ := m["@odata.type"].(string)
			leaf := strings.TrimPrefix(strings.TrimPrefix(typ, "#"), wire.GraphNamespace)
			u := map[string]any{"@odata.type": "#" + wire.GraphNamespace + leaf, "isBackup": i == 1}
			if key, ok := subjectIDs[leaf]; ok {
				u["id"] = m[key]
			}
			if leaf == "requestorManager" || leaf == "targetManager" {
				u["managerLevel"] = m["managerLevel"]
			}
			if d, ok := m["description"]; ok {
				u["description"] = d
			}
			out = append(out, u)
		}
	}
	return out
}

// ---- questions ----

func localizedFromBeta(path string, v any) (text any, localizations []any, err error) {
	m, err := objectAt(path, v)
	if err != nil || m == nil {
		return nil, []any{}, err
	}
	text = m["defaultText"]
	l, err := listAt(path+".localizedTexts", m["localizedTexts"])
	if err != nil {
		return nil, nil, err
	}
	localizations = []any{}
	for i, x := range l {
		lt, err := objectAt(wire.Index(path+".localizedTexts", i), x)
		if err != nil {
			return nil, nil, err
		}
		localizations = append(localizations, map[string]any{"languageCode": lt["languageCode"], "text": lt["text"]})
	}
	return text, localizations, nil
}

func localizedToBeta(text, localizations any) map[string]any {
	l := []any{}
	for _, x := range wire.AnySlice(localizations) {
		if m, ok := x.(map[string]any); ok {
			l = append(l, map[string]any{"languageCode": m["languageCode"], "text": m["text"]})
		}
	}
	return map[string]any{"defaultText": text, "localizedTexts": l}
}

func questionsFromBeta(v any) ([]any, error) {
	l, err := listAt("questions", v)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for i, x := range l {
		path := wire.Index("questions", i)
		q, err := objectAt(path, x)
		if err != nil {
			return nil, err
		}
		raw, _ := q["@odata.type"].(string)
		leaf := strings.TrimPrefix(strings.TrimPrefix(raw, "#"), wire.GraphNamespace)
		text, locs, err := localizedFromBeta(path+".text", q["text"])
		if err != nil {
			return nil, err
		}
		o := map[string]any{"@odata.type": "#" + wire.GraphNamespace + leaf, "text": text, "localizations": locs}
		for _, k := range []string{"id", "sequence", "isRequired", "isAnswerEditable"} {
			if v, ok := q[k]; ok && v != nil {
				o[k] = v
			}
		}
		switch strings.ToLower(leaf) {
		case "accesspackagetextinputquestion":
			for _, k := range []string{"isSingleLineQuestion", "regexPattern"} {
				if v, ok := q[k]; ok && v != nil {
					o[k] = v
				}
			}
		case "accesspackagemultiplechoicequestion":
			if v, ok := q["allowsMultipleSelection"]; ok && v != nil {
				o["isMultipleSelectionAllowed"] = v
			}
			cl, err := listAt(path+".choices", q["choices"])
			if err != nil {
				return nil, err
			}
			choices := []any{}
			for j, c := range cl {
				cp := wire.Index(path+".choices", j)
				cm, err := objectAt(cp, c)
				if err != nil {
					return nil, err
				}
				ct, clocs, err := localizedFromBeta(cp+".displayValue", cm["displayValue"])
				if err != nil {
					return nil, err
				}
				choices = append(choices, map[string]any{"actualValue": cm["actualValue"], "text": ct, "localizations": clocs})
			}
			o["choices"] = choices
		default:
			return nil, wire.PathError(path+".@odata.type", "'%s' is not a valid accessPackageQuestion type; valid types: #microsoft.graph.accessPackageTextInputQuestion, #microsoft.graph.accessPackageMultipleChoiceQuestion.", raw)
		}
		out = append(out, o)
	}
	return out, nil
}

func questionsToBeta(v any) []any {
	out := []any{}
	for _, x := range wire.AnySlice(v) {
		q, ok := x.(map[string]any)
		if !ok {
			continue
		}
		o := map[string]any{
			"@odata.type": q["@odata.type"], "id": q["id"], "sequence": q["sequence"], "isRequired": q["isRequired"],
			"isAnswerEditable": q["isAnswerEditable"], "text": localizedToBeta(q["text"], q["localizations"]),
		}
		if choices, ok := q["choices"]; ok {
			l := []any{}
			for _, c := range wire.AnySlice(choices) {
				if cm, ok := c.(map[string]any); ok {
					l = append(l, map[string]any{"actualValue": cm["actualValue"], "displayValue": localizedToBeta(cm["text"], cm["localizations"])})
				}
			}
			o["choices"] = l
			o["allowsMultipleSelection"] = q["isMultipleSelectionAllowed"]
		} else {
			o["isSingleLineQuestion"] = q["isSingleLineQuestion"]
			o["regexPattern"] = q["regexPattern"]
		}
		out = append(out, o)
	}
	return out
}

// ---- the policy ----

// requestorMemo is what a beta write said of the requestors, with the v1.0 values it became.
type requestorMemo struct {
	ScopeType          string `json:"scopeType"`
	AcceptRequests     bool   `json:"acceptRequests"`
	AllowedTargetScope string `json:"allowedTargetScope"`
	SelfAdd            bool   `json:"enableTargetsToSelfAddAccess"`
}

// holds says whether the v1.0 policy v still has the values the memo was written as.
func (m *requestorMemo) holds(v map[string]any) bool {
	if m == nil {
		return false
	}
	rs, _ := v["requestorSettings"].(map[string]any)
	return wire.StrField(v, "allowedTargetScope") == m.AllowedTargetScope && (rs["enableTargetsToSelfAddAccess"] == true) == m.SelfAdd
}

func policyMemoKey(id string) string { return "policy/" + strings.ToLower(id) }

func (s *API) loadPolicyMemo(id string) (*requestorMemo, error) {
	if s.memo == nil || id == "" {
		return nil, nil
	}
	raw, err := s.memo.Load(policyMemoKey(id))
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	var m requestorMemo
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("beta memo of policy %s: %w", id, err)
	}
	return &m, nil
}

// savePolicyMemo keeps m for the policy; a nil m forgets what was kept.
func (s *API) savePolicyMemo(id string, m *requestorMemo) error {
	if s.memo == nil || id == "" {
		return nil
	}
	var raw []byte
	if m != nil {
		var err error
		if raw, err = json.Marshal(m); err != nil {
			return err
		}
	}
	return s.memo.Save(policyMemoKey(id), raw)
}

// policyFromBeta builds the complete v1.0 body of a beta policy. prior is the stored v1.0
// policy on a PUT (its beta-inexpressible properties are kept) and nil on a POST. The memo
// is the beta requestor settings with the v1.0 values they became.
func policyFromBeta(b, prior map[string]any, now time.Time) (map[string]any, *requestorMemo, error) {
	if prior == nil {
		prior = map[string]any{}
	}
	out := map[string]any{}
	for _, k := range []string{"displayName", "description"} {
		if v, ok := b[k]; ok {
			out[k] = v
		}
	}
	pkgID, _, err := wire.BodyString(b, "accessPackageId")
	if err != nil {
		return nil, nil, err
	}
	if pkgID == "" {
		if ap, ok := prior["accessPackage"].(map[string]any); ok {
			pkgID = wire.StrField(ap, "id")
		}
	}
	if pkgID == "" {
		return nil, nil, wire.RequiredProperty("accessPackageId", typeBetaPolicy)
	}
	out["accessPackage"] = map[string]any{"id": pkgID}
	for _, k := range []string{"automaticRequestSettings", "notificationSettings", "customExtensionStageSettings"} {
		if v, ok := prior[k]; ok && v != nil {
			out[k] = v
		}
	}

	expiration, err := expirationFromBeta(b)
	if err != nil {
		return nil, nil, err
	}
	out["expiration"] = expiration

	memo, err := requestorsFromBeta(b, prior, out)
	if err != nil {
		return nil, nil, err
	}

	as, err := approvalFromBeta(b, prior)
	if err != nil {
		return nil, nil, err
	}
	out["requestApprovalSettings"] = as

	// Reviews.
	out["reviewSettings"] = nil
	brv, err := objectAt("accessReviewSettings", b["accessReviewSettings"])
	if err != nil {
		return nil, nil, err
	}
	if brv != nil {
		rv, err := reviewFromBeta(brv, now)
		if err != nil {
			return nil, nil, err
		}
		out["reviewSettings"] = rv
	}

	qs, err := questionsFromBeta(b["questions"])
	if err != nil {
		return nil, nil, err
	}
	out["questions"] = qs
	return out, memo, nil
}

// expirationFromBeta maps durationInDays or expirationDateTime (neither: no expiration).
func expirationFromBeta(b map[string]any) (map[string]any, error) {
	days, err := intAt("", b, "durationInDays")
	if err != nil {
		return nil, err
	}
	end, _ := b["expirationDateTime"].(string)
	switch {
	case days > 0 && end != "":
		return nil, wire.BadRequest("durationInDays and expirationDateTime cannot both be set.")
	case days > 0:
		return map[string]any{"type": "afterDuration", "duration": "P" + strconv.Itoa(days) + "D", "endDateTime": nil}, nil
	case end != "":
		return map[string]any{"type": "afterDateTime", "endDateTime": end, "duration": nil}, nil
	default:
		return map[string]any{"type": "noExpiration", "endDateTime": nil, "duration": nil}, nil
	}
}

// requestorsFromBeta maps requestorSettings and canExtend into out (allowedTargetScope,
// specificAllowedTargets, requestorSettings) and returns what the beta view must remember to give them back.
func requestorsFromBeta(b, prior, out map[string]any) (*requestorMemo, error) {
	priorRS, _ := prior["requestorSettings"].(map[string]any)
	rs := map[string]any{}
	for _, k := range []string{"enableTargetsToSelfRemoveAccess", "allowCustomAssignmentSchedule", "enableOnBehalfRequestorsToAddAccess",
		"enableOnBehalfRequestorsToUpdateAccess", "enableOnBehalfRequestorsToRemoveAccess", "onBehalfRequestors"} {
		if v, ok := priorRS[k]; ok {
			rs[k] = v
		}
	}
	canExtend, err := boolAt("", b, "canExtend")
	if err != nil {
		return nil, err
	}
	rs["enableTargetsToSelfUpdateAccess"] = canExtend
	scope, scopeType, targets := "notSpecified", "NoSubjects", []any{}
	brs, err := objectAt("requestorSettings", b["requestorSettings"])
	if err != nil {
		return nil, err
	}
	accept := false
	if brs != nil {
		if st, ok := brs["scopeType"]; ok && st != nil && st != "" {
			names := make([]string, len(scopeTypes))
			for i, p := range scopeTypes {
				names[i] = p[0]
			}
			got, err := enumMember("requestorSettings.scopeType", st, names)
			if err != nil {
				return nil, err
			}
			for _, p := range scopeTypes {
				if p[0] == got {
					scopeType, scope = p[0], p[1]
				}
			}
		}
		if accept, err = boolAt("requestorSettings", brs, "acceptRequests"); err != nil {
			return nil, err
		}
		primary, backup, err := subjectsFromBeta("requestorSettings.allowedRequestors", brs["allowedRequestors"])
		if err != nil {
			return nil, err
		}
		targets = append(append([]any{}, primary...), backup...)
	}
	rs["enableTargetsToSelfAddAccess"] = accept && scope != "notSpecified"
	out["requestorSettings"] = rs
	out["allowedTargetScope"] = scope
	out["specificAllowedTargets"] = targets
	return &requestorMemo{ScopeType: scopeType, AcceptRequests: accept, AllowedTargetScope: scope, SelfAdd: rs["enableTargetsToSelfAddAccess"] == true}, nil
}

// approvalFromBeta maps requestApprovalSettings and its stages; a stage keeps the v1.0-only
// approverInformationVisibility it had.
func approvalFromBeta(b, prior map[string]any) (map[string]any, error) {
	as := map[string]any{"isApprovalRequiredForAdd": false, "isApprovalRequiredForUpdate": false, "isRequestorJustificationRequired": false, "stages": []any{}}
	bas, err := objectAt("requestApprovalSettings", b["requestApprovalSettings"])
	if err != nil {
		return nil, err
	}
	if bas != nil {
		const p = "requestApprovalSettings"
		for beta, v1 := range map[string]string{"isApprovalRequired": "isApprovalRequiredForAdd",
			"isApprovalRequiredForExtension": "isApprovalRequiredForUpdate", "isRequestorJustificationRequired": "isRequestorJustificationRequired"} {
			if as[v1], err = boolAt(p, bas, beta); err != nil {
				return nil, err
			}
		}
		stagesIn, err := listAt(p+".approvalStages", bas["approvalStages"])
		if err != nil {
			return nil, err
		}
		var priorStages []any
		if pa, ok := prior["requestApprovalSettings"].(map[string]any); ok {
			priorStages = wire.AnySlice(pa["stages"])
		}
		stages := []any{}
		for i, x := range stagesIn {
			sp := wire.Index(p+".approvalStages", i)
			st, err := objectAt(sp, x)
			if err != nil {
				return nil, err
			}
			timeout, err := intAt(sp, st, "approvalStageTimeOutInDays")
			if err != nil {
				return nil, err
			}
			esc, err := intAt(sp, st, "escalationTimeInMinutes")
			if err != nil {
				return nil, err
			}
			justify, err := boolAt(sp, st, "isApproverJustificationRequired")
			if err != nil {
				return nil, err
			}
			escalate, err := boolAt(sp, st, "isEscalationEnabled")
			if err != nil {
				return nil, err
			}
			primary, fallback, err := subjectsFromBeta(sp+".primaryApprovers", st["primaryApprovers"])
			if err != nil {
				return nil, err
			}
			escalation, escFallback, err := subjectsFromBeta(sp+".escalationApprovers", st["escalationApprovers"])
			if err != nil {
				return nil, err
			}
			deny := "PT0S"
			if timeout > 0 {
				deny = "P" + strconv.Itoa(timeout) + "D"
			}
			visibility := "default"
			if i < len(priorStages) {
				if ps, ok := priorStages[i].(map[string]any); ok && wire.StrField(ps, "approverInformationVisibility") != "" {
					visibility = wire.StrField(ps, "approverInformationVisibility")
				}
			}
			stages = append(stages, map[string]any{
				"durationBeforeAutomaticDenial": deny, "isApproverJustificationRequired": justify,
				"isEscalationEnabled": escalate, "durationBeforeEscalation": minutesDuration(esc),
				"primaryApprovers": primary, "fallbackPrimaryApprovers": fallback,
				"escalationApprovers": escalation, "fallbackEscalationApprovers": escFallback,
				"approverInformationVisibility": visibility,
			})
		}
		as["stages"] = stages
	}
	return as, nil
}

func reviewFromBeta(brv map[string]any, now time.Time) (map[string]any, error) {
	const p = "accessReviewSettings"
	rv := map[string]any{}
	var err error
	for beta, v1 := range map[string]string{"isEnabled": "isEnabled", "isAccessRecommendationEnabled": "isRecommendationEnabled",
		"isApprovalJustificationRequired": "isReviewerJustificationRequired"} {
		if rv[v1], err = boolAt(p, brv, beta); err != nil {
			return nil, err
		}
	}
	behavior := "keepAccess"
	if v, ok := brv["accessReviewTimeoutBehavior"]; ok && v != nil && v != "" {
		if behavior, err = enumMember(p+".accessReviewTimeoutBehavior", v, []string{"keepAccess", "removeAccess", "acceptAccessRecommendation"}); err != nil {
			return nil, err
		}
	}
	rv["expirationBehavior"] = behavior
	reviewers, fallback, err := subjectsFromBeta(p+".reviewers", brv["reviewers"])
	if err != nil {
		return nil, err
	}
	reviewerType := "Self"
	if v, ok := brv["reviewerType"]; ok && v != nil && v != "" {
		if reviewerType, err = enumMember(p+".reviewerType", v, []string{"Self", "Reviewers", "Manager"}); err != nil {
			return nil, err
		}
	}
	rv["isSelfReview"] = reviewerType == "Self"
	switch reviewerType {
	case "Self":
		rv["primaryReviewers"] = []any{}
	case "Manager":
		rv["primaryReviewers"] = []any{map[string]any{"@odata.type": "#" + wire.GraphNamespace + "requestorManager", "managerLevel": 1}}
	default:
		rv["primaryReviewers"] = reviewers
	}
	rv["fallbackReviewers"] = fallback
	days, err := intAt(p, brv, "durationInDays")
	if err != nil {
		return nil, err
	}
	start, _ := brv["startDateTime"].(string)
	if start == "" {
		start = now.UTC().Format(time.RFC3339) // beta: "default is now"
	}
	schedule := map[string]any{"startDateTime": start}
	if days > 0 {
		schedule["expiration"] = map[string]any{"type": "afterDuration", "duration": "P" + strconv.Itoa(days) + "D"}
	}
	if rt, _ := brv["recurrenceType"].(string); rt != "" {
		pattern, ok := recurrences[strings.ToLower(rt)]
		if !ok {
			return nil, wire.BadEnum("accessReviewSettings.recurrenceType", rt, []string{"weekly", "monthly", "quarterly", "halfyearly", "annual"})
		}
		pat := map[string]any{"type": pattern[0], "interval": pattern[1], "month": 0, "dayOfMonth": 0, "daysOfWeek": []any{}}
		if pattern[0] == "weekly" {
			t, err := time.Parse(time.RFC3339, start)
			if err != nil {
				return nil, wire.PathError(p+".startDateTime", "'%s' is not a valid timestamp.", start)
			}
			pat["daysOfWeek"] = []any{strings.ToLower(t.Weekday().String())}
		}
		schedule["recurrence"] = map[string]any{"pattern": pat, "range": map[string]any{"type": "noEnd", "numberOfOccurrences": 0}}
	}
	rv["schedule"] = schedule
	return rv, nil
}

// policyToBeta is the beta shape of a v1.0 policy read with $expand=accessPackage,questions;
// memo is what the last beta write kept aside for it (nil if none).
func policyToBeta(v map[string]any, memo *requestorMemo) map[string]any {
	out := map[string]any{
		"id": v["id"], "displayName": v["displayName"], "description": v["description"],
		"createdBy": "", "createdDateTime": v["createdDateTime"], "modifiedBy": "", "modifiedDateTime": v["modifiedDateTime"],
		"durationInDays": 0, "expirationDateTime": nil, "questions": questionsToBeta(v["questions"]),
	}
	if ap, ok := v["accessPackage"].(map[string]any); ok {
		out["accessPackageId"] = ap["id"]
	}
	if e, ok := v["expiration"].(map[string]any); ok {
		switch wire.StrField(e, "type") {
		case "afterDuration":
			out["durationInDays"] = wholeDays(e["duration"])
		case "afterDateTime":
			out["expirationDateTime"] = e["endDateTime"]
		}
	}
	rs, _ := v["requestorSettings"].(map[string]any)
	out["canExtend"] = rs["enableTargetsToSelfUpdateAccess"] == true
	scopeType := "NoSubjects"
	for _, p := range scopeTypes {
		if p[1] == wire.StrField(v, "allowedTargetScope") {
			scopeType = p[0]
			break
		}
	}
	accept := rs["enableTargetsToSelfAddAccess"] == true
	if memo.holds(v) {
		scopeType, accept = memo.ScopeType, memo.AcceptRequests
	}
	out["requestorSettings"] = map[string]any{
		"scopeType":         scopeType,
		"acceptRequests":    accept,
		"allowedRequestors": subjectsToBeta(v["specificAllowedTargets"], nil),
	}
	if as, ok := v["requestApprovalSettings"].(map[string]any); ok {
		stages := []any{}
		for _, x := range wire.AnySlice(as["stages"]) {
			st, ok := x.(map[string]any)
			if !ok {
				continue
			}
			stages = append(stages, map[string]any{
				"approvalStageTimeOutInDays":      int(math.Round(durationSeconds(st["durationBeforeAutomaticDenial"]) / 86400)),
				"isApproverJustificationRequired": st["isApproverJustificationRequired"] == true,
				"isEscalationEnabled":             st["isEscalationEnabled"] == true,
				"escalationTimeInMinutes":         int(durationSeconds(st["durationBeforeEscalation"]) / 60),
				"primaryApprovers":                subjectsToBeta(st["primaryApprovers"], st["fallbackPrimaryApprovers"]),
				"escalationApprovers":             subjectsToBeta(st["escalationApprovers"], st["fallbackEscalationApprovers"]),
			})
		}
		mode := "NoApproval"
		switch {
		case len(stages) == 1:
			mode = "SingleStage"
		case len(stages) > 1:
			mode = "Serial"
		}
		out["requestApprovalSettings"] = map[string]any{
			"isApprovalRequired":               as["isApprovalRequiredForAdd"] == true,
			"isApprovalRequiredForExtension":   as["isApprovalRequiredForUpdate"] == true,
			"isRequestorJustificationRequired": as["isRequestorJustificationRequired"] == true,
			"approvalMode":                     mode,
			"approvalStages":                   stages,
		}
	}
	out["accessReviewSettings"] = nil
	if rv, ok := v["reviewSettings"].(map[string]any); ok {
		out["accessReviewSettings"] = reviewToBeta(rv)
	}
	return out
}

// reviewToBeta is the beta accessReviewSettings of v1.0 reviewSettings.
func reviewToBeta(rv map[string]any) map[string]any {
	reviewerType := "Reviewers"
	primary := wire.AnySlice(rv["primaryReviewers"])
	switch {
	case rv["isSelfReview"] == true:
		reviewerType, primary = "Self", nil
	case len(primary) == 1 && strings.HasSuffix(wire.StrField(primary[0].(map[string]any), "@odata.type"), "requestorManager"):
		reviewerType, primary = "Manager", nil
	}
	ar := map[string]any{
		"isEnabled":                       rv["isEnabled"] == true,
		"accessReviewTimeoutBehavior":     rv["expirationBehavior"],
		"isAccessRecommendationEnabled":   rv["isRecommendationEnabled"] == true,
		"isApprovalJustificationRequired": rv["isReviewerJustificationRequired"] == true,
		"reviewerType":                    reviewerType,
		"reviewers":                       subjectsToBeta(primary, rv["fallbackReviewers"]),
		"recurrenceType":                  nil,
		"startDateTime":                   nil,
		"durationInDays":                  0,
	}
	if sc, ok := rv["schedule"].(map[string]any); ok {
		ar["startDateTime"] = sc["startDateTime"]
		if e, ok := sc["expiration"].(map[string]any); ok {
			ar["durationInDays"] = wholeDays(e["duration"])
		}
		if rc, ok := sc["recurrence"].(map[string]any); ok {
			pat, _ := rc["pattern"].(map[string]any)
			interval, _ := odata.ToFloat(pat["interval"])
			for name, p := range recurrences {
				if p[0] == wire.StrField(pat, "type") && float64(p[1].(int)) == interval {
					ar["recurrenceType"] = name
				}
			}
		}
	}
	return ar
}

// ---- handlers ----

func (s *API) listPolicies(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := odata.ParseQuery(r, policyFilterable, s.pageSize)
	if err != nil {
		return err
	}
	all, err := s.v1All(r, v1Policies, url.Values{"$expand": {policyV1Expand}})
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(all))
	for i, p := range all {
		memo, err := s.loadPolicyMemo(wire.StrField(p, "id"))
		if err != nil {
			return err
		}
		items[i] = policyToBeta(p, memo)
	}
	s.writeCollection(w, r, cq, items, policyContext)
	return nil
}

func (s *API) getPolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	pol, err := s.v1(r, http.MethodGet, v1Policies+"/"+p["id"], url.Values{"$expand": {policyV1Expand}}, nil)
	if err != nil {
		return err
	}
	memo, err := s.loadPolicyMemo(wire.StrField(pol, "id"))
	if err != nil {
		return err
	}
	s.writeEntity(w, r, http.StatusOK, policyToBeta(pol, memo), policyContext)
	return nil
}

func (s *API) createPolicy(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := readBody(r, typeBetaPolicy, policyProps...)
	if err != nil {
		return err
	}
	in, memo, err := policyFromBeta(body, nil, s.now())
	if err != nil {
		return err
	}
	created, err := s.v1(r, http.MethodPost, v1Policies, nil, in)
	if err != nil {
		return err
	}
	if err := s.savePolicyMemo(wire.StrField(created, "id"), memo); err != nil {
		return err
	}
	// The create answer has neither the package nor the questions: they are what was sent.
	created["accessPackage"] = in["accessPackage"]
	if _, ok := created["questions"]; !ok {
		created["questions"] = in["questions"]
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/accessPackageAssignmentPolicies/"+wire.StrField(created, "id"))
	s.writeEntity(w, r, http.StatusCreated, policyToBeta(created, memo), policyContext)
	return nil
}

func (s *API) replacePolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := readBody(r, typeBetaPolicy, policyProps...)
	if err != nil {
		return err
	}
	path := v1Policies + "/" + p["id"]
	prior, err := s.v1(r, http.MethodGet, path, url.Values{"$expand": {"accessPackage,questions,customExtensionStageSettings($expand=customExtension)"}}, nil)
	if err != nil {
		return err
	}
	// Stage settings go back as references.
	var settings []any
	for _, x := range wire.AnySlice(prior["customExtensionStageSettings"]) {
		if m, ok := x.(map[string]any); ok {
			ext, _ := m["customExtension"].(map[string]any)
			settings = append(settings, map[string]any{"stage": m["stage"],
				"customExtension": map[string]any{"@odata.type": ext["@odata.type"], "id": ext["id"]}})
		}
	}
	prior["customExtensionStageSettings"] = settings
	if pkg, ok := prior["accessPackage"].(map[string]any); ok {
		if want, _ := body["accessPackageId"].(string); want != "" && !strings.EqualFold(want, wire.StrField(pkg, "id")) {
			return wire.BadRequest(fmt.Sprintf("The policy belongs to access package '%s'; moving it to '%s' is not supported.", wire.StrField(pkg, "id"), want))
		}
	}
	in, memo, err := policyFromBeta(body, prior, s.now())
	if err != nil {
		return err
	}
	if _, err := s.v1(r, http.MethodPut, path, nil, in); err != nil {
		return err
	}
	if err := s.savePolicyMemo(wire.StrField(prior, "id"), memo); err != nil {
		return err
	}
	pol, err := s.v1(r, http.MethodGet, path, url.Values{"$expand": {policyV1Expand}}, nil)
	if err != nil {
		return err
	}
	s.writeEntity(w, r, http.StatusOK, policyToBeta(pol, memo), policyContext)
	return nil
}

func (s *API) deletePolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if _, err := s.v1(r, http.MethodDelete, v1Policies+"/"+p["id"], nil, nil); err != nil {
		return err
	}
	if err := s.savePolicyMemo(p["id"], nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
