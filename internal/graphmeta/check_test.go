package graphmeta_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graphmeta"
)

// tinyCSDL is a made-up metadata document in the shape of Graph's: two namespaces, an alias, a
// polymorphic base with derived types, an evolvable enum.
const tinyCSDL = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="test.ns" Alias="t" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="state">
        <Member Name="on" Value="0" />
        <Member Name="off" Value="1" />
        <Member Name="unknownFutureValue" Value="2" />
        <Member Name="paused" Value="3" />
      </EnumType>
      <EnumType Name="unused"><Member Name="x" Value="0" /></EnumType>
      <EntityType Name="entity" Abstract="true"><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
      <EntityType Name="thing" BaseType="t.entity">
        <Property Name="name" Type="Edm.String" />
        <Property Name="state" Type="t.state" />
        <Property Name="members" Type="Collection(t.set)" />
        <Property Name="count" Type="Edm.Int32" />
        <NavigationProperty Name="owner" Type="t.person" />
      </EntityType>
      <EntityType Name="person" BaseType="t.entity"><Property Name="mail" Type="Edm.String" /></EntityType>
      <ComplexType Name="set" Abstract="true" />
      <ComplexType Name="single" BaseType="t.set"><Property Name="userId" Type="Edm.String" /></ComplexType>
      <ComplexType Name="group" BaseType="t.set"><Property Name="groupId" Type="Edm.String" /></ComplexType>
      <ComplexType Name="manager" BaseType="t.set" />
    </Schema>
    <Schema Namespace="test.ns.sub" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="ruleSet" BaseType="t.set"><Property Name="rule" Type="Edm.String" /></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>`

func tinyDigest(t *testing.T) *graphmeta.Digest {
	t.Helper()
	m, err := graphmeta.ParseCSDL(strings.NewReader(tinyCSDL))
	if err != nil {
		t.Fatal(err)
	}
	d, err := graphmeta.Build(m, []string{"test.ns.thing"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBuildDigest(t *testing.T) {
	d := tinyDigest(t)
	var types []string
	for n := range d.Types {
		types = append(types, n)
	}
	slices.Sort(types)
	// The seed, its base, its property's complex type with every derived type (across namespaces); not
	// the navigation target.
	want := []string{"test.ns.entity", "test.ns.group", "test.ns.manager", "test.ns.set", "test.ns.single", "test.ns.sub.ruleSet", "test.ns.thing"}
	if !slices.Equal(types, want) {
		t.Errorf("types = %v, want %v", types, want)
	}
	if d.Types["test.ns.thing"].Properties["members"] != "Collection(test.ns.set)" || d.Types["test.ns.sub.ruleSet"].Base != "test.ns.set" {
		t.Errorf("aliases not resolved: %+v %+v", d.Types["test.ns.thing"], d.Types["test.ns.sub.ruleSet"])
	}
	if _, ok := d.Enums["test.ns.unused"]; ok || d.Enums["test.ns.state"] == nil {
		t.Errorf("enums = %v", d.Enums)
	}
	if _, err := graphmeta.Build(&graphmeta.Model{}, []string{"test.ns.nothing"}, nil); err == nil {
		t.Error("a seed missing from the CSDL was accepted")
	}
}

// fakeSet is a client's polymorphic struct with its own MarshalJSON, like graph.SubjectSet; this one
// writes groupId for the "single" type, which the metadata does not have there.
type fakeSet struct {
	Type   string
	UserID string
}

func (s fakeSet) MarshalJSON() ([]byte, error) {
	ns := "#test.ns."
	if s.Type == "ruleSet" {
		ns = "#test.ns.sub."
	}
	m := map[string]any{"@odata.type": ns + s.Type}
	switch s.Type {
	case "single":
		m["groupId"] = s.UserID // the bug
	case "ruleSet":
		m["rule"] = s.UserID
	}
	return json.Marshal(m)
}

type fakeThing struct {
	ID      string    `json:"id,omitempty"`
	Name    int       `json:"name"`    // wrong kind: Edm.String
	Colour  string    `json:"colour"`  // no such property
	Members []fakeSet `json:"members"` // polymorphic
}

func findingNames(c *graphmeta.Checker) []string {
	var out []string
	for _, f := range c.Findings() {
		out = append(out, f.Name+" | "+f.Message)
	}
	return out
}

func hasFinding(names []string, prefix string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, prefix) })
}

// TestCheckerReportsFakeClient shows the checks fail: a property the type lacks, a Go kind that does not
// fit, a property written on the wrong derived type, an @odata.type that is not derived, an enum member
// the metadata lacks. And the other way: what the fake client does not handle.
func TestCheckerReportsFakeClient(t *testing.T) {
	c := graphmeta.NewChecker(tinyDigest(t))
	w := &graphmeta.Walker{C: c, Variants: map[reflect.Type][]string{
		reflect.TypeFor[fakeSet](): {"single", "ruleSet", "person"},
	}}
	w.Walk("fakeThing", reflect.TypeFor[fakeThing](), "test.ns.thing")
	c.EnumList("fakeStates", "test.ns.state", []string{"on", "sideways"})
	c.CheckJSON("fakeBody", map[string]any{"state": "upside", "count": "7"}, "test.ns.thing")

	got := findingNames(c)
	for _, want := range []string{
		"test.ns.thing/colour | property \"colour\" is not on test.ns.thing",
		" | a Go int (JSON number) where Edm.String belongs",
		"test.ns.single/groupId | property \"groupId\" is not on test.ns.single",
		"person | type \"person\" is not test.ns.set or a type derived from it",
		"test.ns.person | type \"#test.ns.person\" is not in the metadata",
		"test.ns.state/sideways | \"sideways\" is not a member of enum test.ns.state",
		"test.ns.state/upside | ",
		" | a JSON string where Edm.Int32 belongs",
	} {
		if !hasFinding(got, want) {
			t.Errorf("no finding %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if len(got) != 8 {
		t.Errorf("%d findings, want 8:\n%s", len(got), strings.Join(got, "\n"))
	}

	unhandled := c.Unhandled()
	want := []string{
		"test.ns.group",         // a derived type never written
		"test.ns.manager",       // another
		"test.ns.single/userId", // a property of a handled type never sent
		"test.ns.state/off",     // enum members no list allows (unknownFutureValue is not listed)
		"test.ns.state/paused",  // an evolvable member
		"test.ns.thing/count",   // not in fakeThing (the CheckJSON body had it, but with a wrong kind it still counts as used)
		"test.ns.thing/owner",   // a navigation property
	}
	want = slices.DeleteFunc(want, func(s string) bool { return s == "test.ns.thing/count" })
	if !slices.Equal(unhandled, want) {
		t.Errorf("Unhandled() =\n%s\nwant\n%s", strings.Join(unhandled, "\n"), strings.Join(want, "\n"))
	}
}

// TestRealDigestReportsFakeClient feeds the real digest a made-up client property and enum member.
func TestRealDigestReportsFakeClient(t *testing.T) {
	c := graphmeta.NewChecker(loadDigest(t))
	type fakeAccessPackage struct {
		DisplayName string `json:"displayName"`
		CatalogID   string `json:"catalogId"` // Graph has no catalogId (internal/graph/access_packages.go)
	}
	w := &graphmeta.Walker{C: c}
	w.Walk("fakeAccessPackage", reflect.TypeFor[fakeAccessPackage](), mg+"accessPackage")
	c.EnumList("fakeScopes", mg+"allowedTargetScope", []string{"allMemberUsers", "allRobots"})
	c.TypeList("fakeSubjectSets", mg+"subjectSet", []string{"singleUser", "everyone"})
	got := findingNames(c)
	for _, want := range []string{
		mg + "accessPackage/catalogId | ",
		mg + "allowedTargetScope/allRobots | ",
		"everyone | ",
	} {
		if !hasFinding(got, want) {
			t.Errorf("no finding %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if len(got) != 3 {
		t.Errorf("%d findings, want 3:\n%s", len(got), strings.Join(got, "\n"))
	}
}

func TestCompareAllowList(t *testing.T) {
	unhandled := []string{"a.t/p", "a.t/q", "a.u/x", "a.u/y", "a.v"}
	list := []graphmeta.AllowEntry{
		{Name: "a.t/p", Reason: "read-only"},
		{Name: "a.u/*", Reason: "directory object"},
		{Name: "a.w/z", Reason: "handled since"}, // stale
		{Name: "a.v"},                            // no reason
		{Name: "a.t/p", Reason: "twice"},         // duplicate
	}
	r := graphmeta.CompareAllowList(unhandled, list)
	if !slices.Equal(r.NotAllowed, []string{"a.t/q"}) {
		t.Errorf("NotAllowed = %v", r.NotAllowed)
	}
	if len(r.Stale) != 1 || r.Stale[0].Name != "a.w/z" {
		t.Errorf("Stale = %v", r.Stale)
	}
	if !slices.Equal(r.Invalid, []string{"a.v: no reason", "a.t/p: listed twice"}) {
		t.Errorf("Invalid = %v", r.Invalid)
	}
	if r.OK() || !graphmeta.CompareAllowList([]string{"a.u/x"}, []graphmeta.AllowEntry{{Name: "a.u/*", Reason: "r"}}).OK() {
		t.Error("OK() is wrong")
	}
}

// TestGoSource checks the source readers on a made-up package.
func TestGoSource(t *testing.T) {
	dir := t.TempDir()
	src := `package fake

import "example.com/graph"

const prefix = "#test.ns."

const Single = "single"

var Kinds = []string{Single, "group"}

var byKind = map[string][]string{Single: {"a"}, "group": {"b", "c"}}

type body struct {
	Name  string ` + "`json:\"name\"`" + `
	State string ` + "`json:\"state,omitempty\"`" + `
	Skip  string ` + "`json:\"-\"`" + `
}

type Client struct{}

func (c *Client) Send(id string) {
	body := map[string]any{"state": "on", "owner": map[string]string{"id": id}, "members": []any{body{Name: "n"}}}
	body["count"] = 3
	var out struct {
		Mail string ` + "`json:\"mail\"`" + `
	}
	_, _ = body, out
}

func schema() any {
	return map[string]any{"colour": map[string]any{"validators": OneOf("red", "green"), "kinds": []string{graph.Kind, prefix + "x"}}}
}
`
	if err := os.WriteFile(filepath.Join(dir, "fake.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := graphmeta.ParseGoDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Imported = map[string]map[string]string{"graph": {"Kind": "imported"}}
	lists := s.StringLists()
	for key, want := range map[string][]string{
		"Kinds":                    {"single", "group"},
		"byKind.keys":              {"single", "group"},
		"byKind.values":            {"a", "b", "c"},
		"inline:colour.validators": {"red", "green"},
		"inline:colour.kinds":      {"imported", "#test.ns.x"},
	} {
		if !slices.Equal(lists[key], want) {
			t.Errorf("list %s = %v, want %v (all: %v)", key, lists[key], want, lists)
		}
	}
	values, err := s.FuncJSON("Client.Send")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(values)
	want := `[{"members":[{"name":"n"}],"owner":{"id":null},"state":"on"},{"count":3},{"mail":null}]`
	if string(got) != want {
		t.Errorf("FuncJSON = %s, want %s", got, want)
	}
	if fns := s.BodyFuncs(); !slices.Equal(fns, []string{"Client.Send"}) {
		t.Errorf("BodyFuncs = %v", fns)
	}
	if tags, _ := s.StructTags("body"); !slices.Equal(tags, []string{"name", "state"}) {
		t.Errorf("StructTags(body) = %v", tags)
	}
}
