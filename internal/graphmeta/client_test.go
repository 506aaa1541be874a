package graphmeta_test

// The client (internal/graph) and the provider's allowed-value lists against the Graph v1.0 metadata
// (issue 13, item 3). Offline: the facts come from testdata/v1.0-digest.json, generated from
// https://github.com/microsoftgraph/msgraph-metadata (schemas/v1.0-Prod.csdl) by cmd/graphmeta-gen.
// With ENTRAGOV_GRAPH_CSDL=/path/to/v1.0-Prod.csdl, TestDigestIsGenerated also checks that the digest
// is what the generator makes of that file.

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
	"github.com/entragov/terraform-provider-entragov/internal/graphmeta"
)

const (
	digestPath    = "testdata/v1.0-digest.json"
	allowListPath = "allowlist.json"

	mg = "microsoft.graph."
	ig = "microsoft.graph.identityGovernance."
)

// roots maps each client struct to the Graph type it is the body or reply of; nested structs are
// mapped through the metadata's property types.
var roots = []struct {
	v   any
	typ string
}{
	{graph.Catalog{}, mg + "accessPackageCatalog"},
	{graph.CatalogCreate{}, mg + "accessPackageCatalog"},
	{graph.CatalogUpdate{}, mg + "accessPackageCatalog"},
	{graph.AccessPackage{}, mg + "accessPackage"},
	{graph.AccessPackageCreate{}, mg + "accessPackage"},
	{graph.AccessPackageUpdate{}, mg + "accessPackage"},
	{graph.CatalogResource{}, mg + "accessPackageResource"},
	{graph.CatalogResourceRole{}, mg + "accessPackageResourceRole"},
	{graph.CatalogResourceScope{}, mg + "accessPackageResourceScope"},
	{graph.ResourceRequest{}, mg + "accessPackageResourceRequest"},
	{graph.ResourceRoleScope{}, mg + "accessPackageResourceRoleScope"},
	{graph.RoleScopeRole{}, mg + "accessPackageResourceRole"},
	{graph.AssignmentPolicy{}, mg + "accessPackageAssignmentPolicy"},
	{graph.CustomWorkflowExtension{}, mg + "customCalloutExtension"},
	{graph.CustomTaskExtension{}, ig + "customTaskExtension"},
	{graph.ConnectedOrganization{}, mg + "connectedOrganization"},
	{graph.ConnectedOrganizationUpdate{}, mg + "connectedOrganization"},
	{graph.RoleAssignment{}, mg + "unifiedRoleAssignment"},
	{graph.RoleDefinition{}, mg + "unifiedRoleDefinition"},
	{graph.DirectoryObject{}, mg + "directoryObject"},
	{graph.EntitlementManagementSettings{}, mg + "entitlementManagementSettings"},
	{graph.AssignmentRequest{}, mg + "accessPackageAssignmentRequest"},
	{graph.Assignment{}, mg + "accessPackageAssignment"},
	{graph.WorkflowDefinition{}, ig + "workflow"},
	{graph.Workflow{}, ig + "workflow"},
	{graph.WorkflowUpdate{}, ig + "workflow"},
	{graph.WorkflowVersion{}, ig + "workflowVersion"},
	{graph.WorkflowTaskUpdate{}, ig + "task"},
	{graph.TaskDefinition{}, ig + "taskDefinition"},
	{graph.LifecycleSettings{}, ig + "lifecycleManagementSettings"},
	{graph.WorkflowRun{}, ig + "run"},
	{graph.RunUserProcessingResult{}, ig + "userProcessingResult"},
	{graph.TaskProcessingResult{}, ig + "taskProcessingResult"},
	{graph.User{}, mg + "user"},
	{graph.Invitation{}, mg + "invitation"},
	{graph.UserUpdate{}, mg + "user"},
	{graph.UserProcessingResult{}, ig + "userProcessingResult"},
	{graph.Group{}, mg + "group"},
	{graph.ExternalUser{}, mg + "user"},
	{graph.CrossTenantAccessPartner{}, mg + "crossTenantAccessPolicyConfigurationPartner"},
	{graph.CrossTenantAccessDefault{}, mg + "crossTenantAccessPolicyConfigurationDefault"},
	{graph.AuthorizationPolicy{}, mg + "authorizationPolicy"},
	{graph.AccessReviewDefinition{}, mg + "accessReviewScheduleDefinition"},
	{graph.AccessReviewRecurrence{}, mg + "patternedRecurrence"},
	{graph.AccessReviewInstance{}, mg + "accessReviewInstance"},
	{graph.AccessReviewDecision{}, mg + "accessReviewInstanceDecisionItem"},
	{graph.AccessReviewDecisionUpdate{}, mg + "accessReviewInstanceDecisionItem"},
}

// notGraphTypes are tagged structs of internal/graph that are no Graph entity or complex type, or are
// checked another way.
var notGraphTypes = map[string]string{
	"page":                "OData collection envelope (value, @odata.nextLink), internal/graph/paging.go",
	"odataRef":            "a $ref body: the @odata.id annotation only",
	"nameRef":             "the triggerAttributes items, checked through WorkflowTrigger's MarshalJSON samples",
	"resourceRequestBody": "checked through the body literals of AddCatalogResource and RemoveCatalogResource",
	"AssignmentFilter":    "query parameters, no JSON",
	"errorBody":           "Graph's error envelope (error.code, message, innerError), internal/graph/errors.go",
	"member":              "ListGroupMemberIDs reads only directoryObject.id ($select=id)",
	"B2BManagementPolicy": "a Graph beta type (b2bManagementPolicy), not in the v1.0 metadata: internal/graph/b2b_management_policies.go",
}

// extensionTypes are the custom extension types the client pairs with policy stages
// (internal/graph/assignment_policies.go).
var extensionTypes = []string{graph.RequestWorkflowExtensionType, graph.AssignmentWorkflowExtensionType}

// variants are the @odata.type values the client writes (or reads) for its polymorphic structs.
var variants = map[reflect.Type][]string{
	reflect.TypeFor[graph.SubjectSet]():                 graph.SubjectSetTypes,
	reflect.TypeFor[graph.IdentitySource]():             graph.IdentitySourceTypes,
	reflect.TypeFor[graph.AccessReviewScope]():          graph.AccessReviewScopeTypes,
	reflect.TypeFor[graph.AccessReviewAction]():         graph.AccessReviewActionTypes,
	reflect.TypeFor[graph.AccessReviewInsight]():        graph.AccessReviewInsightTypes,
	reflect.TypeFor[graph.AccessReviewRecipientScope](): {graph.NotificationRecipientQuery},
	reflect.TypeFor[graph.Question]():                   graph.QuestionTypes,
	reflect.TypeFor[graph.ExecutionConditions]():        graph.ExecutionConditionTypes,
	reflect.TypeFor[graph.WorkflowScope]():              graph.WorkflowScopeTypes,
	reflect.TypeFor[graph.WorkflowTrigger]():            graph.WorkflowTriggerTypes,
	reflect.TypeFor[graph.CustomWorkflowExtension]():    extensionTypes,
	reflect.TypeFor[graph.TypedIDRef]():                 extensionTypes,
	// Named in ExtensionAuthentication's doc comment; the caller sets the type.
	reflect.TypeFor[graph.ExtensionAuthentication](): {"azureAdPopTokenAuthentication", "azureAdTokenAuthentication"},
	// The literal CreateCustomWorkflowExtension writes (checked to be in the source below).
	reflect.TypeFor[graph.LogicAppEndpointConfiguration](): {"logicAppTriggerEndpointConfiguration"},
}

// unmarshalers maps each client type with its own UnmarshalJSON to the Graph type it reads: the fields
// its decoder reads must be on that type or a type derived from it.
var unmarshalers = map[string]string{
	"SubjectSet":          mg + "subjectSet",
	"IdentitySource":      mg + "identitySource",
	"Question":            mg + "accessPackageQuestion",
	"ExecutionConditions": ig + "workflowExecutionConditions",
	"WorkflowScope":       mg + "subjectSet",
	"WorkflowTrigger":     ig + "workflowExecutionTrigger",
	"AccessReviewScope":   mg + "accessReviewScope",
	"AccessReviewAction":  mg + "accessReviewApplyAction",
	"AccessReviewInsight": mg + "accessReviewRecommendationInsightSetting",
}

// bodies maps the client functions that build a request body from literals (or read into an anonymous
// struct) to the Graph type of that body.
var bodies = map[string]string{
	"Client.AssignAccessPackage":                mg + "accessPackageAssignmentRequest",
	"Client.AssignAccessPackageByEmail":         mg + "accessPackageAssignmentRequest",
	"Client.sendAdminAdd":                       mg + "accessPackageAssignmentRequest",
	"Client.GetAssignmentRequestWithAssignment": mg + "accessPackageAssignmentRequest",
	"Client.RemoveAssignment":                   mg + "accessPackageAssignmentRequest",
	"Client.CreateRoleScope":                    mg + "accessPackageResourceRoleScope",
	"Client.AddCatalogResource":                 mg + "accessPackageResourceRequest",
	"Client.RemoveCatalogResource":              mg + "accessPackageResourceRequest",
	// Reads an access package with $expand=assignmentPolicies into an anonymous struct.
	"Client.ListAssignmentPoliciesByName": mg + "accessPackage",
}

// notBodies are functions with a body literal that is no Graph type.
var notBodies = map[string]string{
	// The parameter of the createNewVersion action
	// (https://learn.microsoft.com/graph/api/identitygovernance-workflow-createnewversion); its value is a
	// WorkflowDefinition, checked as identityGovernance.workflow.
	"Client.CreateNewWorkflowVersion": "action parameter",
	// The subjects parameter of the activate action
	// (https://learn.microsoft.com/graph/api/identitygovernance-workflow-activate): user references {id}.
	"Client.ActivateWorkflow": "action parameter",
	// $ref bodies: {"@odata.id": URL}, an annotation.
	"Client.AddIncompatibleAccessPackage": "$ref",
	"Client.AddIncompatibleGroup":         "$ref",
	"Client.AddSponsor":                   "$ref",
	"Client.addRef":                       "$ref",
	// The request builder (internal/graph/client.go) and the token request of auth.go.
	"Client.do":              "request builder",
	"GitHubActionsAssertion": "not Graph",
	// Sign-in outside Graph (auth_cli.go, auth_msi.go): the Azure DevOps OIDC request, the managed identity
	// token endpoints and the Azure CLI's output.
	"AzureDevOpsAssertion":      "not Graph",
	"managedIdentityError":      "not Graph",
	"msiRequest.do":             "not Graph",
	"parseAzureCLIToken":        "not Graph",
	"parseManagedIdentityToken": "not Graph",
}

// graphEnumLists maps the client's exported allowed-value lists (internal/graph, read from the source, so
// that a list renamed or added fails here rather than breaking the build) to their enum, or to the
// polymorphic base whose derived types they name. Every exported []string of internal/graph must be here
// or in notEnumLists.
var graphEnumLists = map[string]struct {
	enum string // an enum type
	base string // or a base type
}{
	"AllowedTargetScopes":            {enum: mg + "allowedTargetScope"},
	"AllowInvitesFromValues":         {enum: mg + "allowInvitesFrom"},
	"ExpirationTypes":                {enum: mg + "expirationPatternType"},
	"ApproverInformationVisibility":  {enum: mg + "approverInformationVisibility"},
	"ReviewExpirationBehaviors":      {enum: mg + "accessReviewExpirationBehavior"},
	"RecurrencePatternTypes":         {enum: mg + "recurrencePatternType"},
	"RecurrenceRangeTypes":           {enum: mg + "recurrenceRangeType"},
	"DaysOfWeek":                     {enum: mg + "dayOfWeek"},
	"WeekIndexes":                    {enum: mg + "weekIndex"},
	"CustomExtensionRequestStages":   {enum: mg + "accessPackageCustomExtensionStage"},
	"CustomExtensionExpirationStage": {enum: mg + "accessPackageCustomExtensionStage"},
	"CatalogStates":                  {enum: mg + "accessPackageCatalogState"},
	"ConnectedOrganizationStates":    {enum: mg + "connectedOrganizationState"},
	"SocialIdentitySourceTypes":      {enum: mg + "socialIdentitySourceType"},
	"ExternalUserLifecycleActions":   {enum: mg + "accessPackageExternalUserLifecycleAction"},
	"WorkflowCategories":             {enum: ig + "lifecycleWorkflowCategory"},
	"TimeBasedAttributes":            {enum: ig + "workflowTriggerTimeBasedAttribute"},
	"MembershipChangeTypes":          {enum: ig + "membershipChangeType"},
	"CrossTenantAccessTypes":         {enum: mg + "crossTenantAccessPolicyTargetConfigurationAccessType"},
	"CrossTenantAccessTargetTypes":   {enum: mg + "crossTenantAccessPolicyTargetType"},
	"PrimaryIdentityProviders":       {enum: mg + "b2bIdentityProvidersType"},
	"FallbackIdentityProviders":      {enum: mg + "b2bIdentityProvidersType"},
	"SubjectSetTypes":                {base: mg + "subjectSet"},
	"IdentitySourceTypes":            {base: mg + "identitySource"},
	"AccessReviewScopeTypes":         {base: mg + "accessReviewScope"},
	"AccessReviewActionTypes":        {base: mg + "accessReviewApplyAction"},
	"AccessReviewInsightTypes":       {base: mg + "accessReviewRecommendationInsightSetting"},
	"QuestionTypes":                  {base: mg + "accessPackageQuestion"},
	"ExecutionConditionTypes":        {base: ig + "workflowExecutionConditions"},
	"WorkflowScopeTypes":             {base: mg + "subjectSet"},
	"WorkflowTriggerTypes":           {base: ig + "workflowExecutionTrigger"},
	"CustomWorkflowExtensionTypes":   {base: mg + "customCalloutExtension"},
	"AuthenticationTypes":            {base: mg + "customExtensionAuthenticationConfiguration"},
}

var notEnumLists = map[string]string{
	// accessPackageResource.originSystem is an Edm.String in the metadata.
	"OriginSystems": "originSystem is Edm.String",
	// invitation.invitedUserType is an Edm.String; the values are from the invitation reference page.
	"InvitedUserTypes": "invitedUserType is Edm.String",
	// user.userType and user.externalUserState are Edm.String; the values are from the user resource page.
	"UserTypes":          "userType is Edm.String",
	"ExternalUserStates": "externalUserState is Edm.String",
	// accessReviewStageSettings.decisionsThatWillMoveToNextStage is a collection of Edm.String; the values
	// are from the accessReviewStageSettings reference page.
	"AccessReviewStageDecisions": "decisionsThatWillMoveToNextStage is Collection(Edm.String)",
	// accessReviewInstanceDecisionItem.decision is an Edm.String; the values are from the update page.
	"AccessReviewDecisions": "decision is Edm.String",
}

// sourceLists maps lists found by parsing the Go source (GoSource.StringLists keys) of a directory to
// their enum or polymorphic base: unexported lists of internal/graph and the provider's schema lists.
var sourceLists = []struct {
	dir, key   string
	enum, base string
	// compared only: the values must be members, but the list is no choice of values (the others are
	// not "unhandled")
	compareOnly bool
}{
	{"../graph", "finalRequestStates.keys", mg + "accessPackageRequestState", "", true},
	{"../framework/subjectset", "typeRules.keys", "", mg + "subjectSet", false},
	{"../service/entitlement", "targetSubjectTypes", "", mg + "subjectSet", false},
	{"../service/entitlement", "approverSubjectTypes", "", mg + "subjectSet", false},
	{"../service/entitlement", "onBehalfSubjectTypes", "", mg + "subjectSet", false},
	{"../service/entitlement", "reviewerSubjectTypes", "", mg + "subjectSet", false},
	{"../service/entitlement", "targetTypesByScope.keys", mg + "allowedTargetScope", "", false},
	{"../service/entitlement", "targetTypesByScope.values", "", mg + "subjectSet", false},
	{"../service/entitlement", "identitySourceFields.keys", "", mg + "identitySource", false},
	{"../service/entitlement", "inline:schedule.expiration.type", mg + "expirationPatternType", "", false},
	{"../service/lifecycle", "triggerFields.keys", "", ig + "workflowExecutionTrigger", false},
	{"../service/lifecycle", "joinerLeaverMover", ig + "lifecycleTaskCategory", "", false},
}

// pathNavigations are navigation properties the client follows in URLs or $expand and $filter values
// rather than in bodies; each must appear in a string literal of internal/graph.
var pathNavigations = []struct{ typ, nav, literal string }{
	{mg + "accessPackageCatalog", "accessPackages", "/accessPackages"},
	{mg + "accessPackageCatalog", "customWorkflowExtensions", "/customWorkflowExtensions"},
	{mg + "accessPackageCatalog", "resources", "/resources"},
	{mg + "accessPackageCatalog", "resourceRoles", "/resourceRoles"},
	{mg + "accessPackageResourceRole", "resource", "resource/id"},
	{mg + "connectedOrganization", "internalSponsors", "internalSponsors"},
	{mg + "connectedOrganization", "externalSponsors", "externalSponsors"},
	{ig + "workflow", "versions", "/versions"},
}

// expands are the $expand values of internal/graph with the type they expand from. Every $expand value
// in the source (a url.Values literal, a constant named Expand..., a literal with a nested $expand) must
// be here, and every entry in the source.
var expands = []struct{ typ, expr string }{
	{mg + "accessPackage", "catalog"},
	{mg + "accessPackage", "incompatibleAccessPackages,incompatibleGroups"},
	{mg + "accessPackage", "resourceRoleScopes($expand=role,scope)"},
	{mg + "accessPackage", "assignmentPolicies"},
	{mg + "accessPackageAssignmentPolicy", "accessPackage"},
	{mg + "accessPackageAssignmentPolicy", "accessPackage,questions,customExtensionStageSettings($expand=customExtension)"},
	{mg + "accessPackageAssignmentPolicy", "customExtensionStageSettings($expand=customExtension)"},
	{mg + "accessPackageAssignment", "target,accessPackage,assignmentPolicy"},
	{mg + "accessPackageAssignmentRequest", "assignment($expand=target,accessPackage,assignmentPolicy)"},
	{mg + "accessPackageResource", "roles,scopes"},
	{mg + "user", "sponsors($select=id)"},
}

// filters are the properties internal/graph filters on ($filter), as paths from a type, each with a
// piece of the source's filter text that must still be there.
var filters = []struct{ typ, path, literal string }{
	{mg + "accessPackageCatalog", "displayName", "displayName eq "},
	{mg + "accessPackage", "displayName", "displayName eq "},
	{mg + "accessPackageAssignmentPolicy", "displayName", "displayName eq "},
	{mg + "connectedOrganization", "displayName", "displayName eq "},
	{ig + "workflow", "displayName", "displayName eq "},
	{mg + "group", "displayName", "displayName eq "},
	{mg + "accessPackageResource", "originId", "originId eq "},
	{mg + "accessPackageResource", "id", "id eq "},
	{mg + "accessPackageResourceRole", "originSystem", "(originSystem eq %s and resource/id eq %s)"},
	{mg + "accessPackageResourceRole", "resource/id", "(originSystem eq %s and resource/id eq %s)"},
	{mg + "accessPackageAssignment", "accessPackage/id", "accessPackage/id"},
	{mg + "accessPackageAssignment", "assignmentPolicy/id", "assignmentPolicy/id"},
	{mg + "accessPackageAssignment", "target/objectId", "target/objectId"},
	{mg + "accessPackageAssignment", "state", "state"},
	{ig + "taskDefinition", "category", "category has "},
	{mg + "user", "userType", "userType eq "},
	{mg + "user", "externalUserState", "externalUserState eq "},
	{mg + "user", "companyName", "companyName eq "},
}

// checkPath checks a property path such as target/objectId from typ.
func checkPath(c *graphmeta.Checker, where, typ, path string) {
	for _, seg := range strings.Split(path, "/") {
		pt, ok := c.Property(where, typ, seg)
		if !ok {
			return
		}
		typ, _ = graphmeta.ElementType(pt)
	}
}

// checkExpand checks an $expand value: each item a property of typ, nested $expand options against the
// item's type.
func checkExpand(c *graphmeta.Checker, where, typ, expr string) {
	for _, item := range splitTop(expr) {
		name, opts, _ := strings.Cut(item, "(")
		pt, ok := c.Property(where, typ, strings.TrimSpace(name))
		if !ok || opts == "" {
			continue
		}
		el, _ := graphmeta.ElementType(pt)
		for _, opt := range splitTopBy(strings.TrimSuffix(opts, ")"), ';') {
			if nested, ok := strings.CutPrefix(opt, "$expand="); ok {
				checkExpand(c, where, el, nested)
			}
		}
	}
}

func splitTop(s string) []string { return splitTopBy(s, ',') }

// splitTopBy splits s at sep outside parentheses.
func splitTopBy(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

var (
	checkOnce sync.Once
	checked   *graphmeta.Checker
	checkErr  []string
)

func loadDigest(t *testing.T) *graphmeta.Digest {
	t.Helper()
	d, err := graphmeta.LoadDigest(digestPath)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func parse(t *testing.T, dir string, imported map[string]map[string]string) *graphmeta.GoSource {
	t.Helper()
	s, err := graphmeta.ParseGoDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Imported = imported
	return s
}

// checkClient records everything the client and the provider's lists use in one Checker. Problems of
// the test's own tables (a mapped function or list that no longer exists, a new client struct nobody
// mapped) are returned as errors.
func checkClient(t *testing.T) (*graphmeta.Checker, []string) {
	checkOnce.Do(func() {
		checked, checkErr = buildCheck(t)
	})
	return checked, checkErr
}

func buildCheck(t *testing.T) (*graphmeta.Checker, []string) {
	var errs []string
	fail := func(format string, args ...any) {
		errs = append(errs, sprintf(format, args...))
	}
	c := graphmeta.NewChecker(loadDigest(t))
	w := &graphmeta.Walker{C: c, Variants: variants}
	for _, r := range roots {
		typ := reflect.TypeOf(r.v)
		w.Walk("graph."+typ.Name(), typ, r.typ)
	}

	src := parse(t, "../graph", nil)
	imported := map[string]map[string]string{"graph": src.Consts()}

	// Every tagged struct of the client is walked or accounted for.
	for _, name := range src.TaggedStructs() {
		if !w.Visited[name] && notGraphTypes[name] == "" {
			fail("internal/graph struct %s is not mapped to a Graph type: add it to roots (or notGraphTypes with a reason)", name)
		}
	}
	for _, name := range src.Methods("MarshalJSON") {
		if _, ok := variants[typeByName(name)]; !ok {
			fail("graph.%s has its own MarshalJSON: add its @odata.type values to variants", name)
		}
	}

	// What the decoders of the polymorphic types read.
	for _, name := range src.Methods("UnmarshalJSON") {
		typ, ok := unmarshalers[name]
		if !ok {
			fail("graph.%s has its own UnmarshalJSON: map it in unmarshalers", name)
			continue
		}
		for _, tag := range src.UnmarshalTags(name) {
			if tag != "@odata.type" {
				c.PropertyInHierarchy("graph."+name+".UnmarshalJSON", typ, tag)
			}
		}
	}

	// Bodies built from literals.
	for _, fn := range src.BodyFuncs() {
		if bodies[fn] == "" && notBodies[fn] == "" {
			fail("internal/graph %s builds a request body from literals: map it in bodies", fn)
		}
	}
	for fn, typ := range bodies {
		values, err := src.FuncJSON(fn)
		if err != nil {
			fail("bodies: %v", err)
			continue
		}
		for _, v := range values {
			c.CheckJSON("graph."+fn, v, typ)
		}
	}

	// Properties the client selects.
	if sel, ok := src.Consts()["userSelect"]; ok {
		for _, p := range strings.Split(sel, ",") {
			c.Property("graph.userSelect", mg+"user", p)
		}
	} else {
		fail("internal/graph has no userSelect constant")
	}

	// Navigations followed in URLs.
	literals := src.StringLiterals()
	for _, n := range pathNavigations {
		if !slices.ContainsFunc(literals, func(l string) bool { return strings.Contains(l, n.literal) }) {
			fail("pathNavigations: no string literal of internal/graph contains %q (%s/%s)", n.literal, n.typ, n.nav)
			continue
		}
		c.Property("graph path "+n.literal, n.typ, n.nav)
	}
	// $expand values and $filter properties.
	found := src.QueryValues("$expand")
	for name, v := range src.Consts() {
		if strings.HasPrefix(name, "Expand") {
			found = append(found, v)
		}
	}
	for _, l := range literals {
		if strings.Contains(l, "($expand=") {
			found = append(found, l)
		}
	}
	slices.Sort(found)
	found = slices.Compact(found)
	for _, f := range found {
		if !slices.ContainsFunc(expands, func(e struct{ typ, expr string }) bool { return e.expr == f }) {
			fail("internal/graph expands %q: add it to expands with the type it expands from", f)
		}
	}
	for _, e := range expands {
		if !slices.Contains(found, e.expr) {
			fail("expands: internal/graph no longer expands %q: remove it", e.expr)
			continue
		}
		checkExpand(c, "graph $expand="+e.expr, e.typ, e.expr)
	}
	for _, f := range filters {
		if !slices.ContainsFunc(literals, func(l string) bool { return strings.Contains(l, f.literal) }) {
			fail("filters: no string literal of internal/graph contains %q (%s %s): update the table", f.literal, f.typ, f.path)
			continue
		}
		checkPath(c, "graph $filter "+f.path, f.typ, f.path)
	}

	if !slices.Contains(literals, "logicAppTriggerEndpointConfiguration") {
		fail("internal/graph no longer writes logicAppTriggerEndpointConfiguration: update variants")
	}

	// The client's exported lists.
	lists := src.StringLists()
	for name := range lists {
		if strings.ContainsAny(name, ".:") || !isExported(name) {
			continue
		}
		if _, ok := graphEnumLists[name]; !ok && notEnumLists[name] == "" {
			fail("graph.%s is a list of allowed values: map it in graphEnumLists (or notEnumLists with a reason)", name)
		}
	}
	for name, l := range graphEnumLists {
		vals, ok := lists[name]
		if !ok {
			fail("graphEnumLists: internal/graph has no literal list %s any more: update the table", name)
			continue
		}
		if l.enum != "" {
			c.EnumList("graph."+name, l.enum, vals)
		} else {
			c.TypeList("graph."+name, l.base, vals)
		}
	}

	// Lists in the provider's source.
	parsed := map[string]map[string][]string{}
	for _, l := range sourceLists {
		if parsed[l.dir] == nil {
			parsed[l.dir] = parse(t, l.dir, imported).StringLists()
		}
		vals, ok := parsed[l.dir][l.key]
		if !ok {
			fail("sourceLists: %s has no list %s", l.dir, l.key)
			continue
		}
		where := strings.TrimPrefix(l.dir, "../") + " " + l.key
		if l.compareOnly {
			for _, v := range vals {
				c.EnumValue(where, l.enum, v)
			}
			continue
		}
		if l.enum != "" {
			c.EnumList(where, l.enum, vals)
		} else {
			c.TypeList(where, l.base, vals)
		}
	}

	// The user properties a lifecycle scope rule may test (internal/service/lifecycle/rule.go).
	rule := parse(t, "../service/lifecycle", imported).StringLists()["ruleProperties:inline"]
	if len(rule) == 0 {
		fail("internal/service/lifecycle has no ruleProperties list")
	}
	for _, p := range rule {
		first, _, _ := strings.Cut(p, "/")
		c.Property("service/lifecycle ruleProperties", mg+"user", first)
	}
	return c, errs
}

func sprintf(format string, args ...any) string {
	return fmt.Sprintf(format, args...)
}

func isExported(name string) bool { return name != "" && strings.ToUpper(name[:1]) == name[:1] }

func typeByName(name string) reflect.Type {
	for t := range variants {
		if t.Name() == name {
			return t
		}
	}
	return nil
}

// TestClientAgainstMetadata fails for every property, @odata.type and enum member the client sends,
// reads or allows that the Graph v1.0 metadata lacks.
func TestClientAgainstMetadata(t *testing.T) {
	c, errs := checkClient(t)
	if c == nil {
		t.Fatal("the client could not be checked")
	}
	for _, e := range errs {
		t.Error(e + " (the tables are in internal/graphmeta/client_test.go)")
	}
	list, err := graphmeta.LoadAllowList(allowListPath)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range c.Findings() {
		if f.Name == "" || !slices.ContainsFunc(list.Mismatches, func(e graphmeta.AllowEntry) bool { return e.Name == f.Name }) {
			t.Errorf("not in the Graph v1.0 metadata: %s", f)
		}
		if f.Name != "" {
			names = append(names, f.Name)
		}
	}
	r := graphmeta.CompareAllowList(names, list.Mismatches)
	for _, e := range r.Stale {
		t.Errorf("stale mismatch in %s: %s is no longer found: remove it", allowListPath, e.Name)
	}
	for _, e := range r.Invalid {
		t.Errorf("%s: %s", allowListPath, e)
	}
}

// TestAllowList fails when a member the client does not handle is missing from allowlist.json, and when
// an entry there is handled (stale: remove it) or has no reason.
func TestAllowList(t *testing.T) {
	c, _ := checkClient(t)
	if c == nil {
		t.Fatal("the client could not be checked")
	}
	list, err := graphmeta.LoadAllowList(allowListPath)
	if err != nil {
		t.Fatal(err)
	}
	r := graphmeta.CompareAllowList(c.Unhandled(), list.Unhandled)
	for _, n := range r.NotAllowed {
		t.Errorf("not handled by the client and not in %s: %s (handle it, or list it with a reason)", allowListPath, n)
	}
	for _, e := range r.Stale {
		t.Errorf("stale entry in %s: %s is handled now (or gone from the metadata): remove it", allowListPath, e.Name)
	}
	for _, e := range r.Invalid {
		t.Errorf("%s: %s", allowListPath, e)
	}
}

// TestDigestSeeds fails when the seed lists changed since the digest was generated.
func TestDigestSeeds(t *testing.T) {
	d := loadDigest(t)
	if !slices.Equal(d.Seeds, slices.Sorted(slices.Values(graphmeta.Seeds))) || !slices.Equal(d.Shallow, slices.Sorted(slices.Values(graphmeta.Shallow))) {
		t.Errorf("%s was generated from other seeds; regenerate it (make graph-metadata CSDL=...)", digestPath)
	}
	if d.Source.Commit == "" || d.Source.SHA256 == "" {
		t.Errorf("%s has no source commit or checksum", digestPath)
	}
}

// TestDigestIsGenerated checks, when ENTRAGOV_GRAPH_CSDL names a v1.0 CSDL file, that the committed
// digest is what the generator makes of it.
func TestDigestIsGenerated(t *testing.T) {
	path := os.Getenv("ENTRAGOV_GRAPH_CSDL")
	if path == "" {
		t.Skip("ENTRAGOV_GRAPH_CSDL is not set")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := graphmeta.Generate(raw)
	if err != nil {
		t.Fatal(err)
	}
	d := loadDigest(t)
	if fresh.Source.SHA256 != d.Source.SHA256 {
		t.Logf("%s has sha256 %s; the digest was generated from %s (commit %s)", path, fresh.Source.SHA256, d.Source.SHA256, d.Source.Commit)
	}
	fresh.Source = d.Source
	want, err := fresh.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(digestPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is not what the generator makes of %s: regenerate it with make graph-metadata CSDL=%s", digestPath, path, path)
		for _, l := range diffLines(string(got), string(want), 20) {
			t.Log(l)
		}
	}
}

func diffLines(a, b string, limit int) []string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) && len(out) < limit {
			out = append(out, "- "+l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) && len(out) < limit {
			out = append(out, "+ "+l)
		}
	}
	return out
}
