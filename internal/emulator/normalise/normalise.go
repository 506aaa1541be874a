// Package normalise rewrites the local API's /v1.0 answers into the forms Graph answers in where they
// differ from what the client sent; the server applies it when its normalised switch is on.
package normalise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"net/url"
	"strings"
	"sync"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
)

// Normalised answers (issue 13, item 4): a switch, off by default, under which the local API answers the
// way Graph is documented or known to answer where that differs from what the client sent. It is a layer on
// the JSON the server answers on /v1.0 paths (and on the items of /v1.0/$batch): the stored objects are not
// touched, so every area's own behaviour stays what internal/emulator/README.md says, and a client that
// reads answers the way Graph allows it to (any order for unordered collections, '#' or not on @odata.type,
// null for what was never set) sees no difference. The rules are the table normaliseRules below; each cites
// the page or the reason it rests on.

// normaliseMetadata is the v1.0 metadata the rules need (types, their bases, properties and navigation
// properties): a copy of the types of internal/graphmeta/testdata/v1.0-digest.json, which is made from
// schemas/v1.0-Prod.csdl of https://github.com/microsoftgraph/msgraph-metadata (normalise_test.go keeps
// the two equal). It is copied here because the local API imports nothing else of the project.
//
//go:embed metadata.json
var normaliseMetadata []byte

// metaType is one type of normaliseMetadata.
type metaType struct {
	Kind       string            `json:"kind"`
	Base       string            `json:"base"`
	Shallow    bool              `json:"shallow"`
	Properties map[string]string `json:"properties"`
	Navigation map[string]string `json:"navigation"`
}

var (
	metaOnce  sync.Once
	metaTypes map[string]metaType
)

func normaliseTypes() map[string]metaType {
	metaOnce.Do(func() {
		var doc struct {
			Types map[string]metaType `json:"types"`
		}
		if err := json.Unmarshal(normaliseMetadata, &doc); err != nil {
			panic("emulator/normalise: metadata.json: " + err.Error())
		}
		metaTypes = doc.Types
	})
	return metaTypes
}

// structural returns the structural properties of a type, its bases' included (name -> type).
func structural(typeName string) map[string]string {
	types := normaliseTypes()
	out := map[string]string{}
	for t, ok := types[typeName]; ok; t, ok = types[t.Base] {
		for k, v := range t.Properties {
			if _, set := out[k]; !set {
				out[k] = v
			}
		}
	}
	return out
}

// memberType is the declared type of a structural or navigation property of typeName (its bases
// included), without Collection(...), and whether it is a collection.
func memberType(typeName, prop string) (string, bool, bool) {
	types := normaliseTypes()
	for t, ok := types[typeName]; ok; t, ok = types[t.Base] {
		decl, found := t.Properties[prop]
		if !found {
			decl, found = t.Navigation[prop]
		}
		if found {
			if inner, isColl := strings.CutPrefix(decl, "Collection("); isColl {
				return strings.TrimSuffix(inner, ")"), true, true
			}
			return decl, false, true
		}
	}
	return "", false, false
}

// ---- the rules ----

// ruleKind says what a rule does.
type ruleKind int

const (
	// ruleUnordered answers a collection in reverse order (of what was sent, and so stored).
	ruleUnordered ruleKind = iota + 1
	// ruleTypeWithoutHash answers @odata.type values without their leading '#'.
	ruleTypeWithoutHash
	// ruleFillDeclared answers every structural property of the type that the object lacks: null, or []
	// for a collection.
	ruleFillDeclared
	// ruleServiceName answers a read-only display name the service fills from another property.
	ruleServiceName
)

// normaliseRule is one row of the table: what Graph answers for Type's Property (Type "*" is every type
// of the metadata that is not shallow, i.e. every governance type).
type normaliseRule struct {
	Name     string
	Kind     ruleKind
	Type     string // qualified type name, or "*"
	Property string // the property the rule changes ("" for the whole object)
	From     string // ruleServiceName: the property the name is taken from
	Source   string // the page or reason
}

// Unordered collections: OData collections have no order unless the metadata says so with the
// Org.OData.Core.V1.Ordered term (https://github.com/oasis-tcs/odata-vocabularies/blob/main/vocabularies/Org.OData.Core.V1.md#Ordered),
// and schemas/v1.0-Prod.csdl sets it on none of these. The ordered ones stay as they are: approval stages
// (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentapprovalsettings?view=graph-rest-1.0:
// "the first, second or third stage"), questions (their `sequence`), tasks (`executionSequence`) and
// multiple-choice answers (the order the requestor sees).
const sourceUnordered = "OData collections are unordered without Core.Ordered (none of these has it in the v1.0 CSDL); the service keeps them as sets"

// normaliseRules is the table of rules.
var normaliseRules = []normaliseRule{
	{Name: "odata-type-without-hash", Kind: ruleTypeWithoutHash, Type: "*",
		Source: "the reference answers @odata.type without '#': connectedorganization-get and entitlementmanagement-list-connectedorganizations (identitySources), entitlementmanagement-list-assignments and accesspackageassignmentrequest-get (schedule), accesspackagecatalog-post-accesspackagecustomworkflowextensions (callbackConfiguration); https://learn.microsoft.com/en-us/graph/api/connectedorganization-get?view=graph-rest-1.0"},
	{Name: "fill-declared-properties", Kind: ruleFillDeclared, Type: "*",
		Source: "Graph's own serialisation writes every structural property of an entity or complex value, null when unset and [] for an empty collection (collections are never null: OData CSDL 4.01 section 7.2.1, https://docs.oasis-open.org/odata/odata-csdl-json/v4.01/odata-csdl-json-v4.01.html#sec_Nullable); not with $select, and not for the directory's types, whose default property set is smaller (https://learn.microsoft.com/en-us/graph/api/resources/user?view=graph-rest-1.0)"},
	{Name: "identity-source-display-name", Kind: ruleServiceName, Type: "microsoft.graph.domainIdentitySource", Property: "displayName", From: "domainName",
		Source: "displayName of an identity source is read-only, set by the service (https://learn.microsoft.com/en-us/graph/api/resources/domainidentitysource?view=graph-rest-1.0); answers only, the stored value is the entitlement area's"},

	{Name: "policy-targets", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageAssignmentPolicy", Property: "specificAllowedTargets", Source: sourceUnordered},
	{Name: "on-behalf-requestors", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageAssignmentRequestorSettings", Property: "onBehalfRequestors", Source: sourceUnordered},
	{Name: "primary-approvers", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageApprovalStage", Property: "primaryApprovers", Source: sourceUnordered},
	{Name: "fallback-primary-approvers", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageApprovalStage", Property: "fallbackPrimaryApprovers", Source: sourceUnordered},
	{Name: "escalation-approvers", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageApprovalStage", Property: "escalationApprovers", Source: sourceUnordered},
	{Name: "fallback-escalation-approvers", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageApprovalStage", Property: "fallbackEscalationApprovers", Source: sourceUnordered},
	{Name: "primary-reviewers", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageAssignmentReviewSettings", Property: "primaryReviewers", Source: sourceUnordered},
	{Name: "fallback-reviewers", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageAssignmentReviewSettings", Property: "fallbackReviewers", Source: sourceUnordered},
	{Name: "review-days-of-week", Kind: ruleUnordered, Type: "microsoft.graph.recurrencePattern", Property: "daysOfWeek", Source: sourceUnordered},
	{Name: "custom-extension-stage-settings", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageAssignmentPolicy", Property: "customExtensionStageSettings", Source: sourceUnordered + " (one setting per stage: https://learn.microsoft.com/en-us/graph/api/resources/customextensionstagesetting?view=graph-rest-1.0)"},
	{Name: "question-localizations", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageQuestion", Property: "localizations", Source: sourceUnordered + " (keyed by languageCode)"},
	{Name: "choice-localizations", Kind: ruleUnordered, Type: "microsoft.graph.accessPackageAnswerChoice", Property: "localizations", Source: sourceUnordered + " (keyed by languageCode)"},
	{Name: "identity-sources", Kind: ruleUnordered, Type: "microsoft.graph.connectedOrganization", Property: "identitySources", Source: sourceUnordered},
	{Name: "task-arguments", Kind: ruleUnordered, Type: "microsoft.graph.identityGovernance.task", Property: "arguments", Source: sourceUnordered + " (name/value pairs, names unique: https://learn.microsoft.com/en-us/graph/identitygovernance-lifecycleworkflows-task-arguments)"},
	{Name: "scope-groups", Kind: ruleUnordered, Type: "microsoft.graph.identityGovernance.groupBasedSubjectSet", Property: "groups", Source: sourceUnordered},
	{Name: "trigger-attributes", Kind: ruleUnordered, Type: "microsoft.graph.identityGovernance.attributeChangeTrigger", Property: "triggerAttributes", Source: sourceUnordered},
	// Navigation collections listed on their own path.
	{Name: "role-scopes", Kind: ruleUnordered, Type: "microsoft.graph.accessPackage", Property: "resourceRoleScopes", Source: sourceUnordered},
	{Name: "incompatible-access-packages", Kind: ruleUnordered, Type: "microsoft.graph.accessPackage", Property: "incompatibleAccessPackages", Source: sourceUnordered},
	{Name: "incompatible-groups", Kind: ruleUnordered, Type: "microsoft.graph.accessPackage", Property: "incompatibleGroups", Source: sourceUnordered},
	{Name: "packages-incompatible-with", Kind: ruleUnordered, Type: "microsoft.graph.accessPackage", Property: "accessPackagesIncompatibleWith", Source: sourceUnordered},
	{Name: "internal-sponsors", Kind: ruleUnordered, Type: "microsoft.graph.connectedOrganization", Property: "internalSponsors", Source: sourceUnordered},
	{Name: "external-sponsors", Kind: ruleUnordered, Type: "microsoft.graph.connectedOrganization", Property: "externalSponsors", Source: sourceUnordered},
}

// Candidates left out, and why:
//   - enum members in another case: Graph matches enum members sent in any case (internal/emulator/README.md,
//     "Request and response basics") but serialises a member by its name in the metadata (OData JSON
//     Format 4.01 section 7.1, https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_PrimitiveValue),
//     which is what the local API already answers; answering another case would be a behaviour Graph lacks.
//   - domains resolved to tenants: the entitlement area's own behaviour (README D4), not an answer rewrite.

// Body rewrites one JSON answer of a successful request by the rules; anything else (errors,
// empty bodies, other media types, paths of no known type) comes back unchanged.
func Body(method string, u *url.URL, status int, contentType string, body []byte) []byte {
	if status < 200 || status > 299 || len(bytes.TrimSpace(body)) == 0 || !strings.Contains(strings.ToLower(contentType), "json") {
		return body
	}
	target, ok := classifyPath(u.Path)
	if !ok {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return body
	}
	n := normaliser{fill: !hasQueryOption(u.Query(), "$select") && !strings.Contains(strings.ToLower(u.RawQuery), "select="),
		ordered: hasQueryOption(u.Query(), "$orderby")}
	n.answer(doc, target)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return body
	}
	return out.Bytes()
}

func hasQueryOption(q url.Values, name string) bool {
	for k := range q {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// pathTarget is what a /v1.0 path answers: a single object of Type, or a collection of them; Owner and
// Nav name the navigation property the collection is (for the unordered rules).
type pathTarget struct {
	Type       string
	Collection bool
	Owner, Nav string
}

// pathSegments maps the path segments of the governance APIs to the type of what they hold. A segment
// that is not in the table, after one that is a collection, is the id of one member.
var pathSegments = map[string]struct {
	typ, owner string
	single     bool
}{
	"catalogs":                       {typ: "microsoft.graph.accessPackageCatalog"},
	"catalog":                        {typ: "microsoft.graph.accessPackageCatalog", single: true},
	"accesspackages":                 {typ: "microsoft.graph.accessPackage"},
	"accesspackage":                  {typ: "microsoft.graph.accessPackage", single: true},
	"resourcerequests":               {typ: "microsoft.graph.accessPackageResourceRequest"},
	"resources":                      {typ: "microsoft.graph.accessPackageResource"},
	"resourceroles":                  {typ: "microsoft.graph.accessPackageResourceRole"},
	"roles":                          {typ: "microsoft.graph.accessPackageResourceRole"},
	"resourcescopes":                 {typ: "microsoft.graph.accessPackageResourceScope"},
	"scopes":                         {typ: "microsoft.graph.accessPackageResourceScope"},
	"resourcerolescopes":             {typ: "microsoft.graph.accessPackageResourceRoleScope", owner: "microsoft.graph.accessPackage"},
	"incompatibleaccesspackages":     {typ: "microsoft.graph.accessPackage", owner: "microsoft.graph.accessPackage"},
	"accesspackagesincompatiblewith": {typ: "microsoft.graph.accessPackage", owner: "microsoft.graph.accessPackage"},
	"incompatiblegroups":             {typ: "microsoft.graph.group", owner: "microsoft.graph.accessPackage"},
	"assignmentpolicies":             {typ: "microsoft.graph.accessPackageAssignmentPolicy"},
	"customworkflowextensions":       {typ: "microsoft.graph.customCalloutExtension"},
	"connectedorganizations":         {typ: "microsoft.graph.connectedOrganization"},
	"internalsponsors":               {typ: "microsoft.graph.directoryObject", owner: "microsoft.graph.connectedOrganization"},
	"externalsponsors":               {typ: "microsoft.graph.directoryObject", owner: "microsoft.graph.connectedOrganization"},
	"assignmentrequests":             {typ: "microsoft.graph.accessPackageAssignmentRequest"},
	"assignments":                    {typ: "microsoft.graph.accessPackageAssignment"},
	"workflows":                      {typ: "microsoft.graph.identityGovernance.workflow"},
	"tasks":                          {typ: "microsoft.graph.identityGovernance.task"},
	"versions":                       {typ: "microsoft.graph.identityGovernance.workflowVersion"},
	"taskdefinitions":                {typ: "microsoft.graph.identityGovernance.taskDefinition"},
}

// workflowActions answer the workflow they act on (createNewVersion, restore).
var workflowActions = map[string]bool{"createnewversion": true, "restore": true}

// classifyPath finds what a /v1.0/identityGovernance/... path answers. Other paths (the directory's, whose
// answers Graph serialises with its own default property sets) are not normalised.
func classifyPath(path string) (pathTarget, bool) {
	segs := route.SplitPath(path)
	if len(segs) < 3 || !strings.EqualFold(segs[1], "identityGovernance") {
		return pathTarget{}, false
	}
	var t pathTarget
	known := false
	for i := 2; i < len(segs); i++ {
		name := strings.ToLower(segs[i])
		name = strings.TrimPrefix(strings.TrimPrefix(name, "microsoft.graph."), "identitygovernance.")
		switch {
		case name == "settings" && i > 0:
			known = true
			t = pathTarget{Type: "microsoft.graph.entitlementManagementSettings"}
			if strings.EqualFold(segs[i-1], "lifecycleWorkflows") {
				t.Type = "microsoft.graph.identityGovernance.lifecycleManagementSettings"
			}
		case workflowActions[name] && known:
			t = pathTarget{Type: "microsoft.graph.identityGovernance.workflow"}
		case name == "$ref" || name == "$count":
			return pathTarget{}, false
		default:
			seg, ok := pathSegments[name]
			switch {
			case ok:
				next := pathTarget{Type: seg.typ, Collection: !seg.single}
				if seg.owner != "" && known && t.Type == seg.owner && !t.Collection {
					next.Owner, next.Nav = seg.owner, segs[i]
				}
				t, known = next, true
			case known && t.Collection:
				t.Collection, t.Owner, t.Nav = false, "", "" // the id of one member
			default:
				known = false // entitlementManagement, lifecycleWorkflows, deletedItems, actions, ...
			}
		}
	}
	return t, known
}

// normaliser applies the rules to one answer.
type normaliser struct {
	fill    bool // no $select: every declared property is answered
	ordered bool // $orderby: collections keep the order asked for
}

func (n normaliser) answer(doc map[string]any, t pathTarget) {
	if !t.Collection {
		n.object(doc, t.Type)
		return
	}
	values, ok := doc["value"].([]any)
	if !ok {
		return
	}
	for _, v := range values {
		if m, ok := v.(map[string]any); ok {
			n.object(m, t.Type)
		}
	}
	if t.Owner != "" && !n.ordered && unordered(t.Owner, strings.ToLower(t.Nav)) {
		reverse(values)
	}
}

// object normalises one object whose declared type is typeName (its @odata.type, when it names a known
// type, wins: subject sets, identity sources and extensions are polymorphic).
func (n normaliser) object(obj map[string]any, typeName string) {
	types := normaliseTypes()
	if raw, ok := obj["@odata.type"].(string); ok {
		if actual := "microsoft.graph." + strings.TrimPrefix(strings.TrimPrefix(raw, "#"), "microsoft.graph."); types[actual].Kind != "" {
			typeName = actual
		}
		if ruleOn(ruleTypeWithoutHash) {
			obj["@odata.type"] = strings.TrimPrefix(raw, "#")
		}
	}
	meta, known := types[typeName]
	for k, v := range obj {
		if strings.Contains(k, "@") {
			continue
		}
		member, isColl, declared := memberType(typeName, k)
		if !declared {
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			n.object(x, member)
		case []any:
			for _, e := range x {
				if m, ok := e.(map[string]any); ok {
					n.object(m, member)
				}
			}
			if isColl && unordered(typeName, strings.ToLower(k)) {
				reverse(x)
			}
		}
	}
	if !known || meta.Shallow {
		return
	}
	for _, r := range normaliseRules {
		if r.Kind == ruleServiceName && r.Type == typeName {
			if from, ok := obj[r.From].(string); ok && from != "" {
				obj[r.Property] = from
			}
		}
	}
	if n.fill && ruleOn(ruleFillDeclared) {
		for k, decl := range structural(typeName) {
			if _, has := obj[k]; has {
				if obj[k] == nil && strings.HasPrefix(decl, "Collection(") {
					obj[k] = []any{}
				}
				continue
			}
			if strings.HasPrefix(decl, "Collection(") {
				obj[k] = []any{}
			} else {
				obj[k] = nil
			}
		}
	}
}

// unordered reports whether a rule makes typeName's collection prop (lower case) unordered; a rule on a
// base type holds for its subtypes.
func unordered(typeName, prop string) bool {
	types := normaliseTypes()
	for t := typeName; t != ""; t = types[t].Base {
		for _, r := range normaliseRules {
			if r.Kind == ruleUnordered && r.Type == t && strings.ToLower(r.Property) == prop {
				return true
			}
		}
		if _, ok := types[t]; !ok {
			break
		}
	}
	return false
}

// ruleOn reports whether the table has a rule of kind for every type ("*").
func ruleOn(kind ruleKind) bool {
	for _, r := range normaliseRules {
		if r.Kind == kind && r.Type == "*" {
			return true
		}
	}
	return false
}

func reverse(l []any) {
	for i, j := 0, len(l)-1; i < j; i, j = i+1, j-1 {
		l[i], l[j] = l[j], l[i]
	}
}
