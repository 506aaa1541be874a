package lifecycle

import (
	"slices"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// paramKind says how a task argument's value is checked at plan time.
type paramKind int

const (
	kindString   paramKind = iota // free text
	kindBool                      // Graph's enum parameters: "true" or "false"
	kindInt                       // a whole number within min..max
	kindGUID                      // one object id
	kindGUIDList                  // comma-separated object ids
)

// taskParameter is one argument a task takes (spec 2.5). Min and Max bound a kindInt value when Max > 0;
// Values, when not empty, are the only values allowed (Graph's valueType "enum"), compared
// case-insensitively.
type taskParameter struct {
	Name     string
	Required bool
	Kind     paramKind
	Min, Max int
	Values   []string
}

// taskDefinition is one built-in lifecycle task (spec 2.5), kept in the provider for offline checks.
type taskDefinition struct {
	ID          string
	DisplayName string
	Categories  []string
	Parameters  []taskParameter
}

var emailParameters = []taskParameter{
	{Name: "cc"}, {Name: "customSubject"}, {Name: "customBody"}, {Name: "locale"}, {Name: "to"},
}

func withEmail(ps ...taskParameter) []taskParameter { return append(ps, emailParameters...) }

var (
	joiner            = []string{"joiner"}
	leaver            = []string{"leaver"}
	mover             = []string{"mover"}
	joinerLeaver      = []string{"joiner", "leaver"}
	joinerMover       = []string{"joiner", "mover"}
	leaverMover       = []string{"leaver", "mover"}
	joinerLeaverMover = []string{"joiner", "leaver", "mover"}
)

// builtInTaskDefinitions are the 25 task definitions of Graph v1.0 (spec 2.5, from the API's list
// response; the categories follow that response, not the narrower older docs).
var builtInTaskDefinitions = []taskDefinition{
	{ID: "70b29d51-b59a-4773-9280-8841dfd3f2ea", DisplayName: "Send welcome email", Categories: joiner, Parameters: withEmail()},
	{ID: "3C860712-2D37-42A4-928F-5C93935D26A1", DisplayName: "Send onboarding reminder email", Categories: joiner, Parameters: withEmail()},
	{ID: "1b555e50-7f65-41d5-b514-5894a026d10d", DisplayName: "Generate TAP and send email", Categories: joiner, Parameters: withEmail(
		taskParameter{Name: "tapLifetimeMinutes", Kind: kindInt, Min: 10, Max: 43000},
		taskParameter{Name: "tapIsUsableOnce", Kind: kindBool},
	)},
	{ID: "22085229-5809-45e8-97fd-270d28d66910", DisplayName: "Add user to groups", Categories: joinerLeaverMover,
		Parameters: []taskParameter{{Name: "groupID", Required: true, Kind: kindGUIDList}}},
	{ID: "e440ed8d-25a1-4618-84ce-091ed5be5594", DisplayName: "Add user to Teams", Categories: joinerLeaverMover,
		Parameters: []taskParameter{{Name: "teamID", Required: true, Kind: kindGUIDList}}},
	{ID: "6fc52c9d-398b-4305-9763-15f42c1676fc", DisplayName: "Enable user account", Categories: joinerLeaver,
		Parameters: []taskParameter{{Name: "enableOnPremisesAccount", Kind: kindBool}}},
	{ID: "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950", DisplayName: "Disable user account", Categories: joinerLeaver,
		Parameters: []taskParameter{{Name: "disableOnPremisesAccount", Kind: kindBool}}},
	{ID: "1953a66c-751c-45e5-8bfe-01462c70da3c", DisplayName: "Remove user from selected groups", Categories: joinerLeaverMover,
		Parameters: []taskParameter{{Name: "groupID", Required: true, Kind: kindGUIDList}}},
	{ID: "b3a31406-2a15-4c9a-b25b-a658fa5f07fc", DisplayName: "Remove user from all groups", Categories: leaver},
	{ID: "06aa7acb-01af-4824-8899-b14e5ed788d6", DisplayName: "Remove user from selected Teams", Categories: joinerLeaverMover,
		Parameters: []taskParameter{{Name: "teamID", Required: true, Kind: kindGUIDList}}},
	{ID: "81f7b200-2816-4b3b-8c5d-dc556f07b024", DisplayName: "Remove user from all Teams", Categories: leaver},
	{ID: "8fa97d28-3e52-4985-b3a9-a1126f9b8b4e", DisplayName: "Remove all licenses for user", Categories: leaver},
	{ID: "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff", DisplayName: "Delete user account", Categories: leaver,
		Parameters: []taskParameter{{Name: "deleteOnPremisesAccount", Kind: kindBool}}},
	{ID: "4262b724-8dba-4fad-afc3-43fcbb497a0e", DisplayName: "Run a Custom Task Extension", Categories: joinerLeaverMover,
		Parameters: []taskParameter{{Name: "customTaskExtensionID", Required: true, Kind: kindGUID}}},
	{ID: "52853a3e-f4e5-4eb8-bb24-1ac09a1da935", DisplayName: "Send email before user's last day", Categories: leaver, Parameters: withEmail()},
	{ID: "9c0a1eaf-5bda-4392-9d9e-6e155bb57411", DisplayName: "Send email on user's last day", Categories: leaver, Parameters: withEmail()},
	{ID: "6f22ddd4-b3a5-47a4-a846-0d7c201a49ce", DisplayName: "Send email after user's last day", Categories: leaver, Parameters: withEmail()},
	{ID: "c1ec1e76-f374-4375-aaa6-0bb6bd4c60be", DisplayName: "Request user access package assignment", Categories: joinerMover,
		Parameters: []taskParameter{{Name: "assignmentPolicyId", Required: true, Kind: kindGUID}, {Name: "accessPackageId", Required: true, Kind: kindGUID}}},
	{ID: "4a0b64f2-c7ec-46ba-b117-18f262946c50", DisplayName: "Remove access package assignment for user", Categories: leaverMover,
		Parameters: []taskParameter{{Name: "accessPackageId", Required: true, Kind: kindGUID}}},
	{ID: "42ae2956-193d-4f39-be06-691b8ac4fa1d", DisplayName: "Remove all access package assignments for user", Categories: leaver},
	{ID: "498770d9-bab7-4e4c-b73d-5ded82a1d0b3", DisplayName: "Cancel pending access package assignment requests for user", Categories: leaverMover},
	{ID: "aab41899-9972-422a-9d97-f626014578b7", DisplayName: "Send email to notify manager of user move", Categories: mover, Parameters: withEmail()},
	{ID: "683c87a4-2ad4-420b-97d4-220d90afcd24", DisplayName: "Assign licenses to user", Categories: joinerMover,
		Parameters: []taskParameter{{Name: "licenses", Required: true, Kind: kindGUIDList}}},
	{ID: "5fc402a8-daaf-4b7b-9203-da868b05fc5f", DisplayName: "Remove licenses from user", Categories: leaverMover,
		Parameters: []taskParameter{{Name: "licenses", Required: true, Kind: kindGUIDList}}},
	{ID: "509589a4-0466-4471-829e-49c5e502bdee", DisplayName: "Revoke all refresh tokens for user", Categories: leaverMover},
}

// taskCatalog is a list of task definitions to check tasks against: the provider's built-in list, or
// the tenant's GET /identityGovernance/lifecycleWorkflows/taskDefinitions.
type taskCatalog struct {
	tenant bool
	defs   []taskDefinition
}

var builtInCatalog = taskCatalog{defs: builtInTaskDefinitions}

// tenantCatalog turns the tenant's definitions into a catalogue. A parameter the built-in list also
// knows (same definition, same name but for case) keeps the provider's value check and required flag,
// which Graph's parameter type does not carry (it has name, values and valueType only: the
// microsoft.graph.identityGovernance.parameter complex type of the v1.0 metadata); allowed values
// always come from the tenant.
func tenantCatalog(defs []graph.TaskDefinition) taskCatalog {
	out := taskCatalog{tenant: true, defs: make([]taskDefinition, 0, len(defs))}
	for _, d := range defs {
		known, _ := builtInCatalog.find(d.ID)
		td := taskDefinition{ID: d.ID, DisplayName: d.DisplayName}
		for _, c := range strings.Split(d.Category, ",") {
			if c = strings.TrimSpace(c); c != "" {
				td.Categories = append(td.Categories, c)
			}
		}
		for _, gp := range d.Parameters {
			p := taskParameter{Name: gp.Name, Kind: kindForValueType(gp.ValueType)}
			if known != nil {
				if bp, ok := known.parameter(gp.Name); ok {
					p = *bp
					p.Name = gp.Name
				}
			}
			if len(gp.Values) > 0 {
				p.Values = append([]string(nil), gp.Values...)
				p.Kind = kindString
			}
			td.Parameters = append(td.Parameters, p)
		}
		out.defs = append(out.defs, td)
	}
	return out
}

// kindForValueType maps Graph's valueType (enum, string, int, bool) to the check of a parameter the
// provider does not know.
func kindForValueType(valueType string) paramKind {
	switch valueType {
	case "int":
		return kindInt
	case "bool":
		return kindBool
	default:
		return kindString
	}
}

// find looks a definition up by id, case-insensitively (Graph returns one id in upper case).
func (c taskCatalog) find(id string) (*taskDefinition, bool) {
	for i := range c.defs {
		if strings.EqualFold(c.defs[i].ID, strings.TrimSpace(id)) {
			return &c.defs[i], true
		}
	}
	return nil, false
}

// findTaskDefinition looks a definition up in the built-in list.
func findTaskDefinition(id string) (*taskDefinition, bool) { return builtInCatalog.find(id) }

// idsFor lists "id (display name)" of the definitions of a category (all when ""), for messages.
func (c taskCatalog) idsFor(category string) []string {
	var out []string
	for _, d := range c.defs {
		if category == "" || d.hasCategory(category) {
			out = append(out, d.ID+" ("+d.DisplayName+")")
		}
	}
	return out
}

func (d *taskDefinition) hasCategory(category string) bool {
	return slices.ContainsFunc(d.Categories, func(c string) bool { return strings.EqualFold(c, category) })
}

// parameter looks an argument up by name, case-insensitively. Microsoft's reference spells one name two
// ways: CustomTaskExtensionID in the table of
// https://learn.microsoft.com/graph/identitygovernance-lifecycleworkflows-task-arguments and
// customTaskExtensionID in that page's example request and in the list response of
// https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-list-taskdefinitions;
// neither page gives a case rule, so both spellings must pass, as in the local API
// (internal/emulator/lifecycle_validation.go, parseArguments).
func (d *taskDefinition) parameter(name string) (*taskParameter, bool) {
	for i := range d.Parameters {
		if strings.EqualFold(d.Parameters[i].Name, strings.TrimSpace(name)) {
			return &d.Parameters[i], true
		}
	}
	return nil, false
}

func (d *taskDefinition) parameterNames() []string {
	names := make([]string, len(d.Parameters))
	for i, p := range d.Parameters {
		names[i] = p.Name
	}
	return names
}
