package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Parsing and validation of accessPackageAssignmentPolicy bodies (spec 1.6) and of the
// value shapes shared with custom extensions. Every error is a 400 BadRequest whose
// message starts with the JSON path of the offending property, e.g.
// "requestApprovalSettings.stages[1].primaryApprovers[0]: …". Inputs are accepted in the
// variants of spec section 7 (string booleans and integers, @odata.type with or without
// '#', enum members in any case) and written back canonical (JSON types, camelCase).

const graphNamespace = "microsoft.graph."

// ---- paths and errors ----

func pvIndex(base string, i int) string { return fmt.Sprintf("%s[%d]", base, i) }

func pvErr(path, format string, args ...any) error {
	return badRequest(path + ": " + fmt.Sprintf(format, args...))
}

func pvLiteral(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func pvTypeErr(path string, v any, edm string) error {
	return pvErr(path, "cannot convert the literal '%s' to the expected type '%s'.", pvLiteral(v), edm)
}

// ---- scalar conversions ----

func pvBool(path string, v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string: // documented requests send "true"/"false" (spec 7)
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, pvTypeErr(path, v, "Edm.Boolean")
}

func pvInt(path string, v any) (int, error) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(n.String(), 10, 32)
		if err != nil {
			return 0, pvTypeErr(path, v, "Edm.Int32")
		}
		return int(i), nil
	case float64:
		f = n
	case int:
		return n, nil
	case int64:
		f = float64(n)
	case string: // documented requests send "1" (spec 7)
		i, err := strconv.ParseInt(strings.TrimSpace(n), 10, 32)
		if err != nil {
			return 0, pvTypeErr(path, v, "Edm.Int32")
		}
		return int(i), nil
	default:
		return 0, pvTypeErr(path, v, "Edm.Int32")
	}
	if f != math.Trunc(f) || f > math.MaxInt32 || f < math.MinInt32 {
		return 0, pvTypeErr(path, v, "Edm.Int32")
	}
	return int(f), nil
}

func pvEnum(path string, v any, members []string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", pvTypeErr(path, v, "enum")
	}
	for _, m := range members {
		if strings.EqualFold(m, strings.TrimSpace(s)) { // PascalCase accepted, camelCase written
			return m, nil
		}
	}
	return "", pvErr(path, "the value '%s' is not valid. Valid values: %s.", s, strings.Join(members, ", "))
}

// isoDuration is an ISO 8601 duration as sent (upper-cased) and its approximate length
// (years of 365 days, months of 30 days) for comparisons.
type isoDuration struct {
	text string
	secs float64
}

var isoDurationRE = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

func pvDuration(path string, v any) (isoDuration, error) {
	s, ok := v.(string)
	if !ok {
		return isoDuration{}, pvTypeErr(path, v, "Edm.Duration")
	}
	up := strings.ToUpper(strings.TrimSpace(s))
	m := isoDurationRE.FindStringSubmatch(up)
	if m == nil || up == "P" || strings.HasSuffix(up, "T") {
		return isoDuration{}, pvErr(path, "'%s' is not a valid ISO 8601 duration (for example P14D, PT8H, P1DT12H).", s)
	}
	units := []float64{365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1}
	var secs float64
	for i, u := range units {
		if m[i+1] != "" {
			n, err := strconv.ParseFloat(m[i+1], 64)
			if err != nil {
				return isoDuration{}, pvErr(path, "'%s' is not a valid ISO 8601 duration.", s)
			}
			secs += n * u
		}
	}
	return isoDuration{text: up, secs: secs}, nil
}

func pvDateTime(path string, v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, pvTypeErr(path, v, "Edm.DateTimeOffset")
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, pvErr(path, "'%s' is not a valid timestamp; use ISO 8601 with a time zone, e.g. 2025-01-01T00:00:00Z.", s)
	}
	return t, nil
}

func pvDate(path string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", pvTypeErr(path, v, "Edm.Date")
	}
	if _, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err != nil {
		return "", pvErr(path, "'%s' is not a valid date; use YYYY-MM-DD.", s)
	}
	return strings.TrimSpace(s), nil
}

func formatTimestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// odataLeaf reads an @odata.type value: "#microsoft.graph.x" or "microsoft.graph.x"
// (any case) gives "x"; false when the namespace is missing.
func odataLeaf(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) <= len(graphNamespace) || !strings.EqualFold(s[:len(graphNamespace)], graphNamespace) {
		return "", false
	}
	return s[len(graphNamespace):], true
}

// ---- object reader ----

// objIn reads one JSON object of a body, remembering which properties were read so
// done can refuse the rest. Instance annotations (keys with '@') are never refused.
type objIn struct {
	path string
	typ  string // leaf type name, for messages
	m    map[string]any
	used map[string]bool
}

func newObjIn(path, typ string, v any) (*objIn, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, pvErr(path, "expected a JSON object of type 'microsoft.graph.%s', got '%s'.", typ, pvLiteral(v))
	}
	return &objIn{path: path, typ: typ, m: m, used: map[string]bool{}}, nil
}

// at names a property of the object in messages.
func (o *objIn) at(k string) string {
	if o.path == "" {
		return k
	}
	return o.path + "." + k
}

// get returns a property; absent and null are both "not set".
func (o *objIn) get(k string) (any, bool) {
	o.used[k] = true
	v, ok := o.m[k]
	return v, ok && v != nil
}

// ignore accepts read-only properties without looking at them.
func (o *objIn) ignore(keys ...string) {
	for _, k := range keys {
		o.used[k] = true
	}
}

// fixedType checks an optional @odata.type of a non-polymorphic object; alternatives
// are further accepted leaf names (derived types without extra fields).
func (o *objIn) fixedType(alternatives ...string) (string, error) {
	raw, ok := o.m["@odata.type"]
	if !ok || raw == nil {
		return o.typ, nil
	}
	leaf, ok := odataLeaf(raw)
	if ok {
		for _, t := range append([]string{o.typ}, alternatives...) {
			if strings.EqualFold(leaf, t) {
				return t, nil
			}
		}
	}
	return "", pvErr(o.at("@odata.type"), "'%s' is not valid here; expected '#microsoft.graph.%s'.", pvLiteral(raw), o.typ)
}

// polyType reads the required @odata.type of a polymorphic object against the leaf
// names allowed; it returns the canonical leaf.
func (o *objIn) polyType(base string, members []string) (string, error) {
	raw, ok := o.m["@odata.type"]
	if !ok || raw == nil {
		return "", pvErr(o.at("@odata.type"), "the type of this '%s' is required: set @odata.type to one of %s.", base, pvTypeList(members))
	}
	if leaf, ok := odataLeaf(raw); ok {
		for _, m := range members {
			if strings.EqualFold(leaf, m) {
				return m, nil
			}
		}
	}
	return "", pvErr(o.at("@odata.type"), "'%s' is not a valid '%s' type; valid types: %s.", pvLiteral(raw), base, pvTypeList(members))
}

func pvTypeList(members []string) string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = "#" + graphNamespace + m
	}
	return strings.Join(out, ", ")
}

func (o *objIn) str(k string, required, nonEmpty bool) (string, bool, error) {
	v, ok := o.get(k)
	if !ok {
		if required {
			return "", false, pvErr(o.at(k), "the property is required on type 'microsoft.graph.%s'.", o.typ)
		}
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", true, pvTypeErr(o.at(k), v, "Edm.String")
	}
	if nonEmpty && strings.TrimSpace(s) == "" {
		return "", true, pvErr(o.at(k), "the value must not be empty.")
	}
	return s, true, nil
}

// nullableStr returns the string or nil.
func (o *objIn) nullableStr(k string) (any, error) {
	s, ok, err := o.str(k, false, false)
	if err != nil || !ok {
		return nil, err
	}
	return s, nil
}

func (o *objIn) boolean(k string, def bool) (bool, error) {
	o.used[k] = true
	v, present := o.m[k]
	if !present {
		return def, nil
	}
	if v == nil {
		return false, pvErr(o.at(k), "a null value is not allowed for a non-nullable Edm.Boolean.")
	}
	return pvBool(o.at(k), v)
}

func (o *objIn) integer(k string, def int) (int, error) {
	o.used[k] = true
	v, present := o.m[k]
	if !present {
		return def, nil
	}
	if v == nil {
		return 0, pvErr(o.at(k), "a null value is not allowed for a non-nullable Edm.Int32.")
	}
	return pvInt(o.at(k), v)
}

func (o *objIn) enum(k string, members []string, def string) (string, error) {
	v, ok := o.get(k)
	if !ok {
		return def, nil
	}
	return pvEnum(o.at(k), v, members)
}

// duration returns nil when the property is absent or null.
func (o *objIn) duration(k string) (*isoDuration, error) {
	v, ok := o.get(k)
	if !ok {
		return nil, nil
	}
	d, err := pvDuration(o.at(k), v)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func (o *objIn) dateTime(k string) (*time.Time, error) {
	v, ok := o.get(k)
	if !ok {
		return nil, nil
	}
	t, err := pvDateTime(o.at(k), v)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// object returns the nested object reader, or nil when absent or null.
func (o *objIn) object(k, typ string) (*objIn, error) {
	v, ok := o.get(k)
	if !ok {
		return nil, nil
	}
	return newObjIn(o.at(k), typ, v)
}

// array returns the elements of an array property (nil when absent or null).
func (o *objIn) array(k string) ([]any, error) {
	v, ok := o.get(k)
	if !ok {
		return nil, nil
	}
	l, isList := v.([]any)
	if !isList {
		return nil, pvErr(o.at(k), "expected a JSON array, got '%s'.", pvLiteral(v))
	}
	return l, nil
}

// done refuses the properties that were not read.
func (o *objIn) done() error {
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !o.used[k] && !strings.Contains(k, "@") {
			return pvErr(o.at(k), "The property '%s' does not exist on type 'microsoft.graph.%s'. Make sure to only use property names that are defined by the type.", k, o.typ)
		}
	}
	return nil
}

// ---- enums ----

var (
	policyTargetScopes = []string{"notSpecified", "specificDirectoryUsers", "specificConnectedOrganizationUsers",
		"specificDirectoryServicePrincipals", "allMemberUsers", "allDirectoryUsers", "allDirectoryServicePrincipals",
		"allConfiguredConnectedOrganizationUsers", "allExternalUsers", "allDirectoryAgentIdentities"}
	expirationPatternTypes   = []string{"notSpecified", "noExpiration", "afterDateTime", "afterDuration"}
	approverVisibilities     = []string{"default", "notVisible", "visible"}
	reviewExpirationBehavior = []string{"keepAccess", "removeAccess", "acceptAccessRecommendation"}
	recurrencePatternTypes   = []string{"daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"}
	recurrenceRangeTypes     = []string{"endDate", "noEnd", "numbered"}
	daysOfWeek               = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
	weekIndexes              = []string{"first", "second", "third", "fourth", "last"}
	customExtensionStages    = []string{"assignmentRequestCreated", "assignmentRequestApproved", "assignmentRequestGranted",
		"assignmentRequestRemoved", "assignmentFourteenDaysBeforeExpiration", "assignmentOneDayBeforeExpiration"}
)

// ---- subject sets ----

// subjectSetKind is one subtype of microsoft.graph.subjectSet.
type subjectSetKind struct {
	name  string // leaf after microsoft.graph.
	field string // the identifying property, "" when none
	coll  string // collection the field references, "" when none
	level bool   // carries managerLevel
	desc  bool   // carries description
}

const policyCollConnectedOrgs = "connectedOrganizations"

var subjectSetKinds = []subjectSetKind{
	{name: "singleUser", field: "userId", coll: collUsers, desc: true},
	{name: "groupMembers", field: "groupId", coll: collGroups, desc: true},
	{name: "connectedOrganizationMembers", field: "connectedOrganizationId", coll: policyCollConnectedOrgs, desc: true},
	{name: "attributeRuleMembers", field: "membershipRule", desc: true},
	{name: "singleServicePrincipal", field: "servicePrincipalId", coll: collServicePrincipals, desc: true},
	{name: "requestorManager", level: true},
	{name: "targetManager", level: true},
	{name: "internalSponsors"},
	{name: "externalSponsors"},
	{name: "targetUserSponsors"},
	{name: "targetApplicationOwners"},
	{name: "targetAgentIdentitySponsorsOrOwners"},
	{name: "identityGovernance.ruleBasedSubjectSet"},
	{name: "identityGovernance.groupBasedSubjectSet"},
}

// Where each subject set type may appear.
var (
	approverSubjectTypes = []string{"singleUser", "groupMembers", "requestorManager", "internalSponsors",
		"externalSponsors", "targetUserSponsors"}
	onBehalfSubjectTypes = []string{"singleUser", "groupMembers", "targetManager", "targetApplicationOwners", "requestorManager"}
	reviewerSubjectTypes = []string{"singleUser", "groupMembers", "requestorManager"}
)

// targetSubjectTypes is the allowedTargetScope table of spec 1.6.
func targetSubjectTypes(scope string, automatic bool) []string {
	switch scope {
	case "specificDirectoryUsers":
		if automatic {
			return []string{"singleUser", "groupMembers", "attributeRuleMembers"}
		}
		return []string{"singleUser", "groupMembers"}
	case "specificConnectedOrganizationUsers":
		return []string{"connectedOrganizationMembers"}
	case "specificDirectoryServicePrincipals":
		return []string{"singleServicePrincipal", "groupMembers"}
	}
	return nil
}

// subjectRef is a directory or governance object a subject set names.
type subjectRef struct {
	path, coll, id string
}

func subjectSetKindOf(leaf string) (subjectSetKind, bool) {
	for _, k := range subjectSetKinds {
		if strings.EqualFold(k.name, leaf) {
			return k, true
		}
	}
	return subjectSetKind{}, false
}

// parseSubjectSets reads an array of subject sets; allowed names the types permitted
// there and where (for messages).
func parseSubjectSets(path string, list []any, allowed []string, where string, refs *[]subjectRef) ([]any, error) {
	out := make([]any, 0, len(list))
	for i, v := range list {
		ss, err := parseSubjectSet(pvIndex(path, i), v, allowed, where, refs)
		if err != nil {
			return nil, err
		}
		out = append(out, ss)
	}
	return out, nil
}

func parseSubjectSet(path string, v any, allowed []string, where string, refs *[]subjectRef) (map[string]any, error) {
	o, err := newObjIn(path, "subjectSet", v)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(subjectSetKinds))
	for i, k := range subjectSetKinds {
		names[i] = k.name
	}
	leaf, err := o.polyType("subjectSet", names)
	if err != nil {
		return nil, err
	}
	kind, _ := subjectSetKindOf(leaf)
	ok := false
	for _, a := range allowed {
		ok = ok || a == kind.name
	}
	if !ok {
		if len(allowed) == 0 {
			return nil, pvErr(path, "subject set type '%s' is not allowed in %s: the list must be empty.", kind.name, where)
		}
		return nil, pvErr(path, "subject set type '%s' is not allowed in %s; allowed types: %s.", kind.name, where, strings.Join(allowed, ", "))
	}
	o.typ = kind.name
	out := map[string]any{"@odata.type": "#" + graphNamespace + kind.name}
	if kind.field != "" {
		val, _, err := o.str(kind.field, true, true)
		if err != nil {
			return nil, err
		}
		if kind.name == "attributeRuleMembers" {
			if _, err := dirParseRule(val); err != nil {
				return nil, pvErr(o.at("membershipRule"), "invalid membership rule: %v.", err)
			}
		}
		if kind.coll != "" {
			*refs = append(*refs, subjectRef{path: o.at(kind.field), coll: kind.coll, id: val})
		}
		out[kind.field] = val
	}
	if kind.level {
		v, present := o.get("managerLevel")
		if !present {
			return nil, pvErr(o.at("managerLevel"), "the property is required on type 'microsoft.graph.%s'.", kind.name)
		}
		n, err := pvInt(o.at("managerLevel"), v)
		if err != nil {
			return nil, err
		}
		if n < 1 {
			return nil, pvErr(o.at("managerLevel"), "must be 1 (direct manager) or more, got %d.", n)
		}
		out["managerLevel"] = n
	}
	if kind.desc {
		d, err := o.nullableStr("description")
		if err != nil {
			return nil, err
		}
		if d != nil {
			out["description"] = d
		}
	}
	return out, o.done()
}

// ---- expiration pattern ----

// expirationIn is a parsed expirationPattern and its canonical form.
type expirationIn struct {
	typ      string
	end      *time.Time
	duration *isoDuration
	out      map[string]any
}

func defaultExpiration() map[string]any {
	return map[string]any{"type": "notSpecified", "endDateTime": nil, "duration": nil}
}

// parseExpiration reads an expirationPattern and checks that its fields fit its type.
func parseExpiration(o *objIn) (*expirationIn, error) {
	if _, err := o.fixedType(); err != nil {
		return nil, err
	}
	e := &expirationIn{}
	var err error
	if e.typ, err = o.enum("type", expirationPatternTypes, "notSpecified"); err != nil {
		return nil, err
	}
	if e.end, err = o.dateTime("endDateTime"); err != nil {
		return nil, err
	}
	if e.duration, err = o.duration("duration"); err != nil {
		return nil, err
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	switch e.typ {
	case "afterDateTime":
		if e.end == nil {
			return nil, pvErr(o.at("endDateTime"), "required when type is afterDateTime.")
		}
		if e.duration != nil {
			return nil, pvErr(o.at("duration"), "must be null when type is afterDateTime.")
		}
	case "afterDuration":
		if e.duration == nil {
			return nil, pvErr(o.at("duration"), "required when type is afterDuration.")
		}
		if e.duration.secs <= 0 {
			return nil, pvErr(o.at("duration"), "must be a positive duration, got '%s'.", e.duration.text)
		}
		if e.end != nil {
			return nil, pvErr(o.at("endDateTime"), "must be null when type is afterDuration.")
		}
	default:
		if e.end != nil {
			return nil, pvErr(o.at("endDateTime"), "must be null when type is %s.", e.typ)
		}
		if e.duration != nil {
			return nil, pvErr(o.at("duration"), "must be null when type is %s.", e.typ)
		}
	}
	e.out = defaultExpiration()
	e.out["type"] = e.typ
	if e.end != nil {
		e.out["endDateTime"] = formatTimestamp(*e.end)
	}
	if e.duration != nil {
		e.out["duration"] = e.duration.text
	}
	return e, nil
}

// ---- the policy ----

// policyInput is a validated policy body: the canonical document (without id,
// timestamps and internal fields) and what still has to be checked against the store.
type policyInput struct {
	doc         map[string]any
	packageID   string
	bodyID      string           // read-only id sent in the body ("" when absent)
	refs        []subjectRef     // users, groups, service principals, connected organizations
	extensions  []extensionRef   // custom extension stage settings
	questionIDs []string         // id sent with each question ("" when none)
	settingIDs  []string         // id sent with each custom extension stage setting
	questions   []map[string]any // the same maps as doc["questions"]
	settings    []map[string]any // the same maps as doc["customExtensionStageSettings"]
	automatic   bool             // automaticRequestSettings.requestAccessForAllowedTargets
}

// extensionRef is a customExtensionStageSetting's extension, checked against the catalog.
type extensionRef struct {
	path, id, stage, sentType string
	setting                   map[string]any
}

const typePolicyLeaf = "accessPackageAssignmentPolicy"

// accessPackage stub properties accepted (and ignored) next to its id.
var policyPackageStubProps = []string{"displayName", "description", "isHidden", "createdDateTime", "modifiedDateTime", "catalog"}

// parsePolicy validates a POST or PUT body; now is the server clock (afterDateTime
// expirations must lie in the future).
func parsePolicy(body map[string]any, now time.Time) (*policyInput, error) {
	o, err := newObjIn("", typePolicyLeaf, body)
	if err != nil {
		return nil, err
	}
	if _, err := o.fixedType(); err != nil {
		return nil, err
	}
	pi := &policyInput{doc: map[string]any{}}
	if pi.bodyID, _, err = o.str("id", false, false); err != nil {
		return nil, err
	}
	o.ignore("createdDateTime", "modifiedDateTime", "catalog")

	name, _, err := o.str("displayName", true, true)
	if err != nil {
		return nil, err
	}
	pi.doc["displayName"] = name
	if _, present := o.m["description"]; !present {
		return nil, pvErr("description", "the property is required on type 'microsoft.graph.%s' (an empty string is allowed).", typePolicyLeaf)
	}
	if pi.doc["description"], err = o.nullableStr("description"); err != nil {
		return nil, err
	}

	ap, err := o.object("accessPackage", "accessPackage")
	if err != nil {
		return nil, err
	}
	if ap == nil {
		return nil, pvErr("accessPackage", "the property is required: bind the policy with \"accessPackage\": {\"id\": \"<access package id>\"}.")
	}
	if _, err := ap.fixedType(); err != nil {
		return nil, err
	}
	if pi.packageID, _, err = ap.str("id", true, true); err != nil {
		return nil, err
	}
	ap.ignore(policyPackageStubProps...)
	if err := ap.done(); err != nil {
		return nil, err
	}

	scope, err := o.enum("allowedTargetScope", policyTargetScopes, "notSpecified")
	if err != nil {
		return nil, err
	}
	pi.doc["allowedTargetScope"] = scope

	auto, err := parseAutomaticRequestSettings(o)
	if err != nil {
		return nil, err
	}
	pi.doc["automaticRequestSettings"] = nil
	if auto != nil {
		pi.doc["automaticRequestSettings"] = auto
		pi.automatic = auto["requestAccessForAllowedTargets"] == true
	}

	targetsIn, err := o.array("specificAllowedTargets")
	if err != nil {
		return nil, err
	}
	targets, err := parseSubjectSets("specificAllowedTargets", targetsIn, targetSubjectTypes(scope, auto != nil),
		"specificAllowedTargets with allowedTargetScope "+scope, &pi.refs)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(scope, "specific") && len(targets) == 0 {
		return nil, pvErr("specificAllowedTargets", "allowedTargetScope %s needs at least one target.", scope)
	}
	pi.doc["specificAllowedTargets"] = targets

	pi.doc["expiration"] = defaultExpiration()
	if eo, err := o.object("expiration", "expirationPattern"); err != nil {
		return nil, err
	} else if eo != nil {
		e, err := parseExpiration(eo)
		if err != nil {
			return nil, err
		}
		if e.typ == "afterDateTime" && !e.end.After(now) {
			return nil, pvErr("expiration.endDateTime", "'%s' is not in the future.", formatTimestamp(*e.end))
		}
		pi.doc["expiration"] = e.out
	}

	rs, err := parseRequestorSettings(o, &pi.refs)
	if err != nil {
		return nil, err
	}
	pi.doc["requestorSettings"] = rs
	as, err := parseApprovalSettings(o, &pi.refs)
	if err != nil {
		return nil, err
	}
	pi.doc["requestApprovalSettings"] = as
	if pi.doc["reviewSettings"], err = parseReviewSettings(o, &pi.refs); err != nil {
		return nil, err
	}

	pi.doc["notificationSettings"] = map[string]any{"isAssignmentNotificationDisabled": false}
	if no, err := o.object("notificationSettings", "accessPackageNotificationSettings"); err != nil {
		return nil, err
	} else if no != nil {
		if _, err := no.fixedType(); err != nil {
			return nil, err
		}
		dis, err := no.boolean("isAssignmentNotificationDisabled", false)
		if err != nil {
			return nil, err
		}
		if err := no.done(); err != nil {
			return nil, err
		}
		pi.doc["notificationSettings"] = map[string]any{"isAssignmentNotificationDisabled": dis}
	}

	if err := parseQuestions(o, pi); err != nil {
		return nil, err
	}
	if err := parseStageSettings(o, pi); err != nil {
		return nil, err
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	if err := checkPolicyRules(pi, scope, targets, rs, as, auto); err != nil {
		return nil, err
	}
	return pi, nil
}

func parseAutomaticRequestSettings(o *objIn) (map[string]any, error) {
	ao, err := o.object("automaticRequestSettings", "accessPackageAutomaticRequestSettings")
	if err != nil || ao == nil {
		return nil, err
	}
	if _, err := ao.fixedType(); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, k := range []string{"requestAccessForAllowedTargets", "removeAccessWhenTargetLeavesAllowedTargets"} {
		b, err := ao.boolean(k, false)
		if err != nil {
			return nil, err
		}
		out[k] = b
	}
	out["gracePeriodBeforeAccessRemoval"] = nil
	d, err := ao.duration("gracePeriodBeforeAccessRemoval")
	if err != nil {
		return nil, err
	}
	if d != nil {
		out["gracePeriodBeforeAccessRemoval"] = d.text
	}
	return out, ao.done()
}

var (
	requestorSelfFlags     = []string{"enableTargetsToSelfAddAccess", "enableTargetsToSelfUpdateAccess", "enableTargetsToSelfRemoveAccess"}
	requestorOnBehalfFlags = []string{"enableOnBehalfRequestorsToAddAccess", "enableOnBehalfRequestorsToUpdateAccess", "enableOnBehalfRequestorsToRemoveAccess"}
)

func parseRequestorSettings(o *objIn, refs *[]subjectRef) (map[string]any, error) {
	out := map[string]any{"allowCustomAssignmentSchedule": false, "onBehalfRequestors": []any{}}
	for _, k := range append(append([]string(nil), requestorSelfFlags...), requestorOnBehalfFlags...) {
		out[k] = false
	}
	ro, err := o.object("requestorSettings", "accessPackageAssignmentRequestorSettings")
	if err != nil || ro == nil {
		return out, err
	}
	if _, err := ro.fixedType(); err != nil {
		return nil, err
	}
	flags := append(append([]string{"allowCustomAssignmentSchedule"}, requestorSelfFlags...), requestorOnBehalfFlags...)
	for _, k := range flags {
		if out[k], err = ro.boolean(k, false); err != nil {
			return nil, err
		}
	}
	l, err := ro.array("onBehalfRequestors")
	if err != nil {
		return nil, err
	}
	if out["onBehalfRequestors"], err = parseSubjectSets(ro.at("onBehalfRequestors"), l, onBehalfSubjectTypes, "onBehalfRequestors", refs); err != nil {
		return nil, err
	}
	return out, ro.done()
}

const maxApprovalStages = 3

func parseApprovalSettings(o *objIn, refs *[]subjectRef) (map[string]any, error) {
	out := map[string]any{"isApprovalRequiredForAdd": false, "isApprovalRequiredForUpdate": false,
		"isRequestorJustificationRequired": false, "stages": []any{}}
	ao, err := o.object("requestApprovalSettings", "accessPackageAssignmentApprovalSettings")
	if err != nil || ao == nil {
		return out, err
	}
	if _, err := ao.fixedType(); err != nil {
		return nil, err
	}
	for _, k := range []string{"isApprovalRequiredForAdd", "isApprovalRequiredForUpdate", "isRequestorJustificationRequired"} {
		if out[k], err = ao.boolean(k, false); err != nil {
			return nil, err
		}
	}
	l, err := ao.array("stages")
	if err != nil {
		return nil, err
	}
	if len(l) > maxApprovalStages {
		return nil, pvErr(ao.at("stages"), "at most %d approval stages are supported, got %d.", maxApprovalStages, len(l))
	}
	stages := make([]any, 0, len(l))
	for i, v := range l {
		st, err := parseApprovalStage(pvIndex(ao.at("stages"), i), v, refs)
		if err != nil {
			return nil, err
		}
		stages = append(stages, st)
	}
	out["stages"] = stages
	return out, ao.done()
}

var stageApproverLists = []string{"primaryApprovers", "fallbackPrimaryApprovers", "escalationApprovers", "fallbackEscalationApprovers"}

func parseApprovalStage(path string, v any, refs *[]subjectRef) (map[string]any, error) {
	so, err := newObjIn(path, "accessPackageApprovalStage", v)
	if err != nil {
		return nil, err
	}
	typ, err := so.fixedType("accessPackageDynamicApprovalStage")
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if typ != so.typ {
		out["@odata.type"] = "#" + graphNamespace + typ
	}
	deny, err := so.duration("durationBeforeAutomaticDenial")
	if err != nil {
		return nil, err
	}
	if deny == nil {
		return nil, pvErr(so.at("durationBeforeAutomaticDenial"), "required on every approval stage (e.g. \"P14D\").")
	}
	if deny.secs <= 0 {
		return nil, pvErr(so.at("durationBeforeAutomaticDenial"), "must be a positive duration, got '%s'.", deny.text)
	}
	out["durationBeforeAutomaticDenial"] = deny.text
	for _, k := range []string{"isApproverJustificationRequired", "isEscalationEnabled"} {
		if out[k], err = so.boolean(k, false); err != nil {
			return nil, err
		}
	}
	esc, err := so.duration("durationBeforeEscalation")
	if err != nil {
		return nil, err
	}
	out["durationBeforeEscalation"] = "PT0S"
	if esc != nil {
		out["durationBeforeEscalation"] = esc.text
	}
	if out["approverInformationVisibility"], err = so.enum("approverInformationVisibility", approverVisibilities, "default"); err != nil {
		return nil, err
	}
	lists := map[string][]any{}
	for _, k := range stageApproverLists {
		l, err := so.array(k)
		if err != nil {
			return nil, err
		}
		if lists[k], err = parseSubjectSets(so.at(k), l, approverSubjectTypes, k, refs); err != nil {
			return nil, err
		}
		out[k] = lists[k]
	}
	if err := so.done(); err != nil {
		return nil, err
	}
	if len(lists["primaryApprovers"]) == 0 {
		return nil, pvErr(so.at("primaryApprovers"), "every approval stage needs at least one primary approver.")
	}
	if out["isEscalationEnabled"] == true {
		if esc == nil || esc.secs <= 0 {
			return nil, pvErr(so.at("durationBeforeEscalation"), "must be a positive duration when isEscalationEnabled is true.")
		}
		if esc.secs >= deny.secs {
			return nil, pvErr(so.at("durationBeforeEscalation"), "'%s' must be shorter than durationBeforeAutomaticDenial '%s'.", esc.text, deny.text)
		}
		if len(lists["escalationApprovers"]) == 0 {
			return nil, pvErr(so.at("escalationApprovers"), "at least one escalation approver is required when isEscalationEnabled is true.")
		}
	}
	return out, nil
}

func parseReviewSettings(o *objIn, refs *[]subjectRef) (any, error) {
	ro, err := o.object("reviewSettings", "accessPackageAssignmentReviewSettings")
	if err != nil || ro == nil {
		return nil, err
	}
	if _, err := ro.fixedType(); err != nil {
		return nil, err
	}
	out := map[string]any{}
	defaults := map[string]bool{"isEnabled": false, "isRecommendationEnabled": true, "isReviewerJustificationRequired": true, "isSelfReview": false}
	for _, k := range []string{"isEnabled", "isRecommendationEnabled", "isReviewerJustificationRequired", "isSelfReview"} {
		if out[k], err = ro.boolean(k, defaults[k]); err != nil {
			return nil, err
		}
	}
	if out["expirationBehavior"], err = ro.enum("expirationBehavior", reviewExpirationBehavior, "keepAccess"); err != nil {
		return nil, err
	}
	for _, k := range []string{"primaryReviewers", "fallbackReviewers"} {
		l, err := ro.array(k)
		if err != nil {
			return nil, err
		}
		if out[k], err = parseSubjectSets(ro.at(k), l, reviewerSubjectTypes, k, refs); err != nil {
			return nil, err
		}
	}
	enabled := out["isEnabled"] == true
	out["schedule"] = nil
	so, err := ro.object("schedule", "entitlementManagementSchedule")
	if err != nil {
		return nil, err
	}
	if so != nil {
		if out["schedule"], err = parseReviewSchedule(so, enabled); err != nil {
			return nil, err
		}
	} else if enabled {
		return nil, pvErr(ro.at("schedule"), "required when isEnabled is true.")
	}
	if err := ro.done(); err != nil {
		return nil, err
	}
	if enabled && out["isSelfReview"] != true && len(out["primaryReviewers"].([]any)) == 0 {
		return nil, pvErr(ro.at("primaryReviewers"), "at least one primary reviewer is required unless isSelfReview is true.")
	}
	return out, nil
}

func parseReviewSchedule(so *objIn, enabled bool) (map[string]any, error) {
	if _, err := so.fixedType(); err != nil {
		return nil, err
	}
	out := map[string]any{"startDateTime": nil, "expiration": nil, "recurrence": nil}
	start, err := so.dateTime("startDateTime")
	if err != nil {
		return nil, err
	}
	if start != nil {
		out["startDateTime"] = formatTimestamp(*start)
	} else if enabled {
		return nil, pvErr(so.at("startDateTime"), "required when the review is enabled.")
	}
	eo, err := so.object("expiration", "expirationPattern")
	if err != nil {
		return nil, err
	}
	if eo != nil {
		e, err := parseExpiration(eo)
		if err != nil {
			return nil, err
		}
		if enabled && e.typ != "afterDuration" {
			return nil, pvErr(eo.at("type"), "a review's duration must be an afterDuration expiration, got '%s'.", e.typ)
		}
		out["expiration"] = e.out
	} else if enabled {
		return nil, pvErr(so.at("expiration"), "required when the review is enabled (e.g. {\"type\": \"afterDuration\", \"duration\": \"P14D\"}).")
	}
	rec, err := so.object("recurrence", "patternedRecurrence")
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if out["recurrence"], err = parseRecurrence(rec, enabled); err != nil {
			return nil, err
		}
	} else if enabled {
		return nil, pvErr(so.at("recurrence"), "required when the review is enabled.")
	}
	return out, so.done()
}

func parseRecurrence(ro *objIn, enabled bool) (map[string]any, error) {
	if _, err := ro.fixedType(); err != nil {
		return nil, err
	}
	out := map[string]any{"pattern": nil, "range": nil}
	po, err := ro.object("pattern", "recurrencePattern")
	if err != nil {
		return nil, err
	}
	if po == nil && enabled {
		return nil, pvErr(ro.at("pattern"), "required when the review is enabled.")
	}
	if po != nil {
		if out["pattern"], err = parseRecurrencePattern(po, enabled); err != nil {
			return nil, err
		}
	}
	rgo, err := ro.object("range", "recurrenceRange")
	if err != nil {
		return nil, err
	}
	if rgo == nil && enabled {
		return nil, pvErr(ro.at("range"), "required when the review is enabled (e.g. {\"type\": \"noEnd\"}).")
	}
	if rgo != nil {
		if out["range"], err = parseRecurrenceRange(rgo, enabled); err != nil {
			return nil, err
		}
	}
	return out, ro.done()
}

func parseRecurrencePattern(po *objIn, enabled bool) (map[string]any, error) {
	if _, err := po.fixedType(); err != nil {
		return nil, err
	}
	out := map[string]any{"type": nil}
	if v, ok := po.get("type"); ok {
		t, err := pvEnum(po.at("type"), v, recurrencePatternTypes)
		if err != nil {
			return nil, err
		}
		out["type"] = t
	} else if enabled {
		return nil, pvErr(po.at("type"), "required when the review is enabled.")
	}
	var err error
	limits := map[string][2]int{"interval": {0, math.MaxInt32}, "month": {0, 12}, "dayOfMonth": {0, 31}}
	for _, k := range []string{"interval", "month", "dayOfMonth"} {
		n, err := po.integer(k, 0)
		if err != nil {
			return nil, err
		}
		if n < limits[k][0] || n > limits[k][1] {
			return nil, pvErr(po.at(k), "%d is out of range (%d to %d).", n, limits[k][0], limits[k][1])
		}
		out[k] = n
	}
	if enabled && out["interval"].(int) < 1 {
		return nil, pvErr(po.at("interval"), "must be 1 or more, got %d.", out["interval"])
	}
	days, err := po.array("daysOfWeek")
	if err != nil {
		return nil, err
	}
	dl := make([]any, 0, len(days))
	for i, d := range days {
		s, err := pvEnum(pvIndex(po.at("daysOfWeek"), i), d, daysOfWeek)
		if err != nil {
			return nil, err
		}
		dl = append(dl, s)
	}
	out["daysOfWeek"] = dl
	if out["type"] == "weekly" && len(dl) == 0 {
		return nil, pvErr(po.at("daysOfWeek"), "a weekly pattern needs at least one day of the week.")
	}
	out["firstDayOfWeek"], out["index"] = nil, nil
	if v, ok := po.get("firstDayOfWeek"); ok {
		if out["firstDayOfWeek"], err = pvEnum(po.at("firstDayOfWeek"), v, daysOfWeek); err != nil {
			return nil, err
		}
	}
	if v, ok := po.get("index"); ok {
		if out["index"], err = pvEnum(po.at("index"), v, weekIndexes); err != nil {
			return nil, err
		}
	}
	return out, po.done()
}

func parseRecurrenceRange(ro *objIn, enabled bool) (map[string]any, error) {
	if _, err := ro.fixedType(); err != nil {
		return nil, err
	}
	out := map[string]any{"type": nil, "startDate": nil, "endDate": nil, "recurrenceTimeZone": nil}
	var err error
	if v, ok := ro.get("type"); ok {
		if out["type"], err = pvEnum(ro.at("type"), v, recurrenceRangeTypes); err != nil {
			return nil, err
		}
	} else if enabled {
		return nil, pvErr(ro.at("type"), "required when the review is enabled.")
	}
	for _, k := range []string{"startDate", "endDate"} {
		if v, ok := ro.get(k); ok {
			if out[k], err = pvDate(ro.at(k), v); err != nil {
				return nil, err
			}
		}
	}
	n, err := ro.integer("numberOfOccurrences", 0)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, pvErr(ro.at("numberOfOccurrences"), "must not be negative, got %d.", n)
	}
	out["numberOfOccurrences"] = n
	if out["recurrenceTimeZone"], err = ro.nullableStr("recurrenceTimeZone"); err != nil {
		return nil, err
	}
	switch out["type"] {
	case "endDate":
		if out["endDate"] == nil {
			return nil, pvErr(ro.at("endDate"), "required when the range type is endDate.")
		}
		if s, ok := out["startDate"].(string); ok && s > out["endDate"].(string) {
			return nil, pvErr(ro.at("endDate"), "'%s' is before startDate '%s'.", out["endDate"], s)
		}
	case "numbered":
		if n < 1 {
			return nil, pvErr(ro.at("numberOfOccurrences"), "must be 1 or more when the range type is numbered.")
		}
	}
	return out, ro.done()
}

// ---- questions ----

const (
	questionTextInput      = "accessPackageTextInputQuestion"
	questionMultipleChoice = "accessPackageMultipleChoiceQuestion"
)

func parseQuestions(o *objIn, pi *policyInput) error {
	l, err := o.array("questions")
	if err != nil {
		return err
	}
	list := make([]any, 0, len(l))
	seqAt := map[int]int{}
	for i, v := range l {
		path := pvIndex("questions", i)
		qo, err := newObjIn(path, "accessPackageQuestion", v)
		if err != nil {
			return err
		}
		typ, err := qo.polyType("accessPackageQuestion", []string{questionTextInput, questionMultipleChoice})
		if err != nil {
			return err
		}
		qo.typ = typ
		id, _, err := qo.str("id", false, false)
		if err != nil {
			return err
		}
		q := map[string]any{"@odata.type": "#" + graphNamespace + typ}
		seq, err := qo.integer("sequence", i+1)
		if err != nil {
			return err
		}
		if j, dup := seqAt[seq]; dup {
			return pvErr(qo.at("sequence"), "sequence %d is already used by questions[%d]; sequences must be distinct.", seq, j)
		}
		seqAt[seq] = i
		q["sequence"] = seq
		for _, k := range []string{"isRequired", "isAnswerEditable"} {
			if q[k], err = qo.boolean(k, false); err != nil {
				return err
			}
		}
		if q["text"], _, err = qo.str("text", true, true); err != nil {
			return err
		}
		if q["localizations"], err = parseLocalizations(qo); err != nil {
			return err
		}
		if typ == questionTextInput {
			if q["isSingleLineQuestion"], err = qo.boolean("isSingleLineQuestion", false); err != nil {
				return err
			}
			re, err := qo.nullableStr("regexPattern")
			if err != nil {
				return err
			}
			if s, ok := re.(string); ok {
				if _, err := regexp.Compile(s); err != nil {
					return pvErr(qo.at("regexPattern"), "'%s' is not a valid regular expression: %v.", s, err)
				}
			}
			q["regexPattern"] = re
		} else {
			if q["isMultipleSelectionAllowed"], err = qo.boolean("isMultipleSelectionAllowed", false); err != nil {
				return err
			}
			choices, err := qo.array("choices")
			if err != nil {
				return err
			}
			if len(choices) == 0 {
				return pvErr(qo.at("choices"), "a multiple choice question needs at least one choice.")
			}
			cl := make([]any, 0, len(choices))
			for j, c := range choices {
				co, err := newObjIn(pvIndex(qo.at("choices"), j), "accessPackageAnswerChoice", c)
				if err != nil {
					return err
				}
				if _, err := co.fixedType(); err != nil {
					return err
				}
				ch := map[string]any{}
				for _, k := range []string{"actualValue", "text"} {
					if ch[k], _, err = co.str(k, true, true); err != nil {
						return err
					}
				}
				if ch["localizations"], err = parseLocalizations(co); err != nil {
					return err
				}
				if err := co.done(); err != nil {
					return err
				}
				cl = append(cl, ch)
			}
			q["choices"] = cl
		}
		if err := qo.done(); err != nil {
			return err
		}
		list = append(list, q)
		pi.questions = append(pi.questions, q)
		pi.questionIDs = append(pi.questionIDs, id)
	}
	pi.doc["questions"] = list
	return nil
}

func parseLocalizations(o *objIn) ([]any, error) {
	l, err := o.array("localizations")
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(l))
	for i, v := range l {
		lo, err := newObjIn(pvIndex(o.at("localizations"), i), "accessPackageLocalizedText", v)
		if err != nil {
			return nil, err
		}
		if _, err := lo.fixedType(); err != nil {
			return nil, err
		}
		code, _, err := lo.str("languageCode", true, true)
		if err != nil {
			return nil, err
		}
		text, err := lo.nullableStr("text")
		if err != nil {
			return nil, err
		}
		if err := lo.done(); err != nil {
			return nil, err
		}
		out = append(out, map[string]any{"languageCode": code, "text": text})
	}
	return out, nil
}

// ---- custom extension stage settings ----

const (
	extTypeRequest    = "accessPackageAssignmentRequestWorkflowExtension"
	extTypeAssignment = "accessPackageAssignmentWorkflowExtension"
)

// extensionTypeForStage is the pairing of spec 1.6 [U].
func extensionTypeForStage(stage string) string {
	if strings.HasPrefix(stage, "assignmentRequest") {
		return extTypeRequest
	}
	return extTypeAssignment
}

// extension properties accepted (and ignored) next to id in a stage setting.
var stageExtensionStubProps = []string{"displayName", "description", "endpointConfiguration", "authenticationConfiguration",
	"clientConfiguration", "callbackConfiguration", "createdBy", "lastModifiedBy", "createdDateTime", "lastModifiedDateTime"}

func parseStageSettings(o *objIn, pi *policyInput) error {
	l, err := o.array("customExtensionStageSettings")
	if err != nil {
		return err
	}
	list := make([]any, 0, len(l))
	stageAt := map[string]int{}
	for i, v := range l {
		so, err := newObjIn(pvIndex("customExtensionStageSettings", i), "customExtensionStageSetting", v)
		if err != nil {
			return err
		}
		if _, err := so.fixedType(); err != nil {
			return err
		}
		id, _, err := so.str("id", false, false)
		if err != nil {
			return err
		}
		sv, ok := so.get("stage")
		if !ok {
			return pvErr(so.at("stage"), "the property is required on type 'microsoft.graph.customExtensionStageSetting'.")
		}
		stage, err := pvEnum(so.at("stage"), sv, customExtensionStages)
		if err != nil {
			return err
		}
		if j, dup := stageAt[stage]; dup {
			return pvErr(so.at("stage"), "stage %s already has a custom extension in customExtensionStageSettings[%d]; one setting per stage.", stage, j)
		}
		stageAt[stage] = i
		eo, err := so.object("customExtension", "customCalloutExtension")
		if err != nil {
			return err
		}
		if eo == nil {
			return pvErr(so.at("customExtension"), "the property is required: {\"id\": \"<custom extension id>\"}.")
		}
		sentType := ""
		if raw, ok := eo.m["@odata.type"]; ok && raw != nil {
			leaf, ok := odataLeaf(raw)
			valid := []string{extTypeRequest, extTypeAssignment, "customCalloutExtension"}
			found := false
			for _, t := range valid {
				if ok && strings.EqualFold(leaf, t) {
					sentType, found = t, true
				}
			}
			if !found {
				return pvErr(eo.at("@odata.type"), "'%s' is not a valid custom extension type; valid types: %s.", pvLiteral(raw), pvTypeList(valid))
			}
		}
		extID, _, err := eo.str("id", true, true)
		if err != nil {
			return err
		}
		eo.ignore(stageExtensionStubProps...)
		if err := eo.done(); err != nil {
			return err
		}
		if err := so.done(); err != nil {
			return err
		}
		setting := map[string]any{"stage": stage, "customExtension": map[string]any{"id": extID}}
		list = append(list, setting)
		pi.settings = append(pi.settings, setting)
		pi.settingIDs = append(pi.settingIDs, id)
		pi.extensions = append(pi.extensions, extensionRef{path: so.at("customExtension"), id: extID, stage: stage, sentType: sentType, setting: setting})
	}
	pi.doc["customExtensionStageSettings"] = list
	return nil
}

// ---- rules across properties ----

func checkPolicyRules(pi *policyInput, scope string, targets []any, rs, as, auto map[string]any) error {
	// Requestors.
	if scope == "notSpecified" && rs["enableTargetsToSelfAddAccess"] == true {
		return pvErr("requestorSettings.enableTargetsToSelfAddAccess",
			"allowedTargetScope notSpecified allows only administrator direct assignment; set an allowedTargetScope to let targets request access.")
	}
	onBehalf := rs["onBehalfRequestors"].([]any)
	for _, k := range requestorOnBehalfFlags {
		if rs[k] == true && len(onBehalf) == 0 {
			return pvErr("requestorSettings.onBehalfRequestors", "at least one on-behalf requestor is required when %s is true.", k)
		}
	}
	// Approval.
	stages := as["stages"].([]any)
	required := as["isApprovalRequiredForAdd"] == true || as["isApprovalRequiredForUpdate"] == true
	if required && len(stages) == 0 {
		return pvErr("requestApprovalSettings.stages", "at least one approval stage is required when isApprovalRequiredForAdd or isApprovalRequiredForUpdate is true.")
	}
	if !required && len(stages) > 0 {
		return pvErr("requestApprovalSettings.stages", "must be empty when neither isApprovalRequiredForAdd nor isApprovalRequiredForUpdate is true.")
	}
	// Auto-assignment.
	if auto != nil && auto["requestAccessForAllowedTargets"] == true {
		if scope != "specificDirectoryUsers" {
			return pvErr("allowedTargetScope", "an auto-assignment policy (automaticRequestSettings.requestAccessForAllowedTargets true) needs allowedTargetScope specificDirectoryUsers, got %s.", scope)
		}
		for i, t := range targets {
			if t.(map[string]any)["@odata.type"] != "#"+graphNamespace+"attributeRuleMembers" {
				return pvErr(pvIndex("specificAllowedTargets", i), "an auto-assignment policy takes only attributeRuleMembers targets.")
			}
		}
		for _, k := range append(append([]string(nil), requestorSelfFlags...), requestorOnBehalfFlags...) {
			if rs[k] == true {
				return pvErr("requestorSettings."+k, "must be false on an auto-assignment policy (automaticRequestSettings.requestAccessForAllowedTargets true).")
			}
		}
	}
	return nil
}
