package lifecycle_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
)

func TestTaskDefinitionsTable(t *testing.T) {
	defs := lifecycle.TaskDefinitions()
	if len(defs) != 25 {
		t.Fatalf("%d definitions", len(defs))
	}
	ids := map[string]bool{}
	for _, d := range defs {
		if ids[strings.ToLower(d.ID)] || d.DisplayName == "" || d.Description == "" || len(d.Categories) == 0 {
			t.Errorf("bad definition %+v", d)
		}
		ids[strings.ToLower(d.ID)] = true
		for _, p := range d.Parameters {
			switch p.ValueType {
			case "enum":
				if strings.Join(p.Values, ",") != "true,false" {
					t.Errorf("%s.%s values %v", d.DisplayName, p.Name, p.Values)
				}
			case "int", "string":
				if len(p.Values) != 0 {
					t.Errorf("%s.%s values %v", d.DisplayName, p.Name, p.Values)
				}
			default:
				t.Errorf("%s.%s valueType %s", d.DisplayName, p.Name, p.ValueType)
			}
		}
	}
	// A copy: changing it does not change the emulator's table.
	defs[0].Parameters[0].Name = "changed"
	if lifecycle.TaskDefinitions()[0].Parameters[0].Name != "cc" {
		t.Error("TaskDefinitions shares its slices")
	}
}

func TestTaskDefinitionsAPI(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	resp, all := e.DoWith(e.Token, "GET", lwPath+"/taskDefinitions", nil, lwPrefer())
	if resp.StatusCode != http.StatusOK || len(all["value"].([]any)) != 25 {
		t.Fatalf("list: %d %v", resp.StatusCode, all)
	}
	_, leaver := e.DoWith(e.Token, "GET", lwPath+"/taskDefinitions?$filter=category%20has%20'leaver'&$orderby=displayName", nil, lwPrefer())
	v := leaver["value"].([]any)
	if len(v) != 19 {
		t.Errorf("leaver definitions: %d", len(v))
	}
	prev := ""
	for _, x := range v {
		d := x.(map[string]any)
		if !strings.Contains(d["category"].(string), "leaver") {
			t.Errorf("not leaver: %v", d)
		}
		if name := d["displayName"].(string); strings.ToLower(name) < strings.ToLower(prev) {
			t.Errorf("not ordered: %s after %s", name, prev)
		} else {
			prev = name
		}
	}
	_, joiner := e.Do("GET", lwPath+"/taskDefinitions?$filter=category%20has%20'joiner'&$select=displayName", nil)
	jv := joiner["value"].([]any)
	if len(jv) != 12 {
		t.Errorf("joiner definitions: %d", len(jv))
	}
	if _, ok := jv[0].(map[string]any)["parameters"]; ok {
		t.Errorf("$select ignored: %v", jv[0])
	}
	resp, tap := e.DoWith(e.Token, "GET", lwPath+"/taskDefinitions/1B555E50-7F65-41D5-B514-5894A026D10D", nil, lwPrefer())
	if resp.StatusCode != 200 || tap["version"] != float64(1) || tap["continueOnError"] != false || tap["category"] != "joiner" {
		t.Fatalf("TAP: %v", tap)
	}
	p0 := tap["parameters"].([]any)[0].(map[string]any)
	p1 := tap["parameters"].([]any)[1].(map[string]any)
	if p0["name"] != "tapLifetimeMinutes" || p0["valueType"] != "int" || p1["valueType"] != "enum" || len(p1["values"].([]any)) != 2 {
		t.Errorf("TAP parameters: %v", tap["parameters"])
	}
	resp, _ = e.Do("GET", lwPath+"/taskDefinitions/00000000-0000-0000-0000-000000000000", nil)
	if resp.StatusCode != 404 {
		t.Errorf("unknown definition: %d", resp.StatusCode)
	}
}

// A tenant can have task definitions beyond the built-in ones (GET LW/taskDefinitions lists
// what the tenant has, https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-taskdefinitions?view=graph-rest-1.0):
// PutTaskDefinition adds one out of band, the list and the workflow checks use it, Reset removes it.
func TestTenantTaskDefinitions(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	const notifyID = "a5c1e0d2-7b3f-4c8e-9d6a-2f4b8e1c3d70"
	notify := emulator.TaskDefinition{
		ID: notifyID, DisplayName: "Notify someone", Description: "Notify someone of the user's start",
		Categories: []string{"mover", "Joiner"},
		Parameters: []emulator.TaskParameter{
			{Name: "notifyWho", Values: []string{"User", "Managers", "Sponsors"}, ValueType: "enum", Required: true},
			{Name: "delayMinutes", ValueType: "int"},
		},
	}
	if err := e.Srv.PutTaskDefinition(notify); err != nil {
		t.Fatal(err)
	}
	all := lwStatus(e, "GET", lwPath+"/taskDefinitions", nil, 200)["value"].([]any)
	if len(all) != 26 || all[25].(map[string]any)["id"] != notifyID {
		t.Fatalf("list after PutTaskDefinition: %d definitions, last %v", len(all), all[len(all)-1])
	}
	got := lwStatus(e, "GET", lwPath+"/taskDefinitions/"+strings.ToUpper(notifyID), nil, 200)
	params := got["parameters"].([]any)
	if got["displayName"] != "Notify someone" || got["category"] != "joiner,mover" || got["version"] != float64(1) || len(params) != 2 ||
		params[0].(map[string]any)["valueType"] != "enum" || len(params[0].(map[string]any)["values"].([]any)) != 3 ||
		len(params[1].(map[string]any)["values"].([]any)) != 0 {
		t.Errorf("GET the new definition: %v", got)
	}
	for k := range got {
		if strings.HasPrefix(k, "_") {
			t.Errorf("internal field %s in output", k)
		}
	}
	if n := len(lwStatus(e, "GET", lwPath+"/taskDefinitions?$filter=category%20has%20'joiner'", nil, 200)["value"].([]any)); n != 13 {
		t.Errorf("joiner definitions with the new one: %d, want 13", n)
	}

	// Workflows use it: the category, the enum values and the required argument are checked.
	body := lwJoiner("Tenant task")
	lwSetTasks(body, lwTask("Notify", notifyID, "NotifyWho", "managers", "delayMinutes", "30"))
	task := lwTasks(lwCreate(e, body))[0]
	args := task["arguments"].([]any)
	if task["category"] != "joiner,mover" || len(args) != 2 || args[0].(map[string]any)["name"] != "notifyWho" || args[0].(map[string]any)["value"] != "Managers" {
		t.Errorf("task of the new definition: %v", task)
	}
	for name, c := range map[string]struct {
		edit func(map[string]any)
		want string
	}{
		"category": {func(b map[string]any) {
			b["category"] = "leaver"
			lwSetTasks(b, lwTask("Notify", notifyID, "notifyWho", "User"))
		}, "cannot be used in a leaver workflow"},
		"enum value": {func(b map[string]any) { lwSetTasks(b, lwTask("Notify", notifyID, "notifyWho", "Everyone")) }, "Valid values: User, Managers, Sponsors"},
		"required":   {func(b map[string]any) { lwSetTasks(b, lwTask("Notify", notifyID, "delayMinutes", "5")) }, "requires the argument 'notifyWho'"},
		"int argument": {func(b map[string]any) {
			lwSetTasks(b, lwTask("Notify", notifyID, "notifyWho", "User", "delayMinutes", "soon"))
		}, "takes a whole number"},
	} {
		b := lwJoiner("Refused " + name)
		c.edit(b)
		if obj := lwStatus(e, "POST", lwPath+"/workflows", b, 400); !strings.Contains(emulatortest.ErrMessage(obj), c.want) {
			t.Errorf("%s: %v, want %q", name, obj, c.want)
		}
	}

	// Replacing keeps the position; a built-in one can be replaced and comes back when deleted.
	notify.DisplayName = "Notify somebody"
	if err := e.Srv.PutTaskDefinition(notify); err != nil {
		t.Fatal(err)
	}
	welcome := emulator.TaskDefinitions()[0]
	welcome.DisplayName = "Send a welcome email"
	if err := e.Srv.PutTaskDefinition(welcome); err != nil {
		t.Fatal(err)
	}
	all = lwStatus(e, "GET", lwPath+"/taskDefinitions", nil, 200)["value"].([]any)
	if len(all) != 26 || all[0].(map[string]any)["displayName"] != "Send a welcome email" || all[25].(map[string]any)["displayName"] != "Notify somebody" {
		t.Errorf("after replacing: %d definitions, first %v, last %v", len(all), all[0], all[25])
	}
	if err := e.Srv.DeleteTaskDefinition(welcome.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.DeleteTaskDefinition(welcome.ID); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if got := lwStatus(e, "GET", lwPath+"/taskDefinitions/"+welcome.ID, nil, 200); got["displayName"] != "Send welcome email" {
		t.Errorf("built-in after delete: %v", got)
	}

	// Malformed definitions are refused.
	for name, d := range map[string]emulator.TaskDefinition{
		"id":          {ID: "notify", DisplayName: "x", Categories: []string{"joiner"}},
		"name":        {ID: notifyID, DisplayName: " ", Categories: []string{"joiner"}},
		"no category": {ID: notifyID, DisplayName: "x"},
		"category":    {ID: notifyID, DisplayName: "x", Categories: []string{"onboarding"}},
		"value type":  {ID: notifyID, DisplayName: "x", Categories: []string{"joiner"}, Parameters: []emulator.TaskParameter{{Name: "a", ValueType: "bool"}}},
		"enum values": {ID: notifyID, DisplayName: "x", Categories: []string{"joiner"}, Parameters: []emulator.TaskParameter{{Name: "a", ValueType: "enum"}}},
		"twice":       {ID: notifyID, DisplayName: "x", Categories: []string{"joiner"}, Parameters: []emulator.TaskParameter{{Name: "a", ValueType: "string"}, {Name: "A", ValueType: "int"}}},
	} {
		if err := e.Srv.PutTaskDefinition(d); err == nil {
			t.Errorf("%s: accepted %+v", name, d)
		}
	}

	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if n := len(lwStatus(e, "GET", lwPath+"/taskDefinitions", nil, 200)["value"].([]any)); n != 25 {
		t.Errorf("after Reset: %d definitions", n)
	}
	lwStatus(e, "GET", lwPath+"/taskDefinitions/"+notifyID, nil, 404)
}

// The control route PUT /_emulator/taskDefinitions/{id} takes the definition in Graph's shape plus
// a "required" flag per parameter; DELETE removes it.
func TestTenantTaskDefinitionsControlRoute(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	const id = "0c6a5f3e-2b1d-4e8f-9a7c-6d5e4f3a2b1c"
	path := "/_emulator/taskDefinitions/" + id
	def := map[string]any{"displayName": "Archive mailbox", "description": "Archive the mailbox", "category": "leaver",
		"parameters": []any{map[string]any{"name": "retentionDays", "values": []any{}, "valueType": "int", "required": true}}}
	if resp, obj := e.DoWith("", "PUT", path, def, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT: %d %v", resp.StatusCode, obj)
	}
	got := lwStatus(e, "GET", lwPath+"/taskDefinitions/"+id, nil, 200)
	if got["category"] != "leaver" || got["description"] != "Archive the mailbox" {
		t.Errorf("GET: %v", got)
	}
	b := lwLeaver("Archive")
	lwSetTasks(b, lwTask("Archive", id))
	if obj := lwStatus(e, "POST", lwPath+"/workflows", b, 400); !strings.Contains(emulatortest.ErrMessage(obj), "requires the argument 'retentionDays'") {
		t.Errorf("required flag: %v", obj)
	}
	for _, bad := range []any{
		map[string]any{"displayName": "x", "category": "leaver", "parameters": []any{map[string]any{"name": "a", "valueType": "date"}}},
		map[string]any{"displayName": "x", "category": "leaver", "colour": "red"},
		map[string]any{"id": "0c6a5f3e-0000-0000-0000-000000000000", "displayName": "x", "category": "leaver"},
	} {
		if resp, obj := e.DoWith("", "PUT", path, bad, nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("PUT %v: %d %v", bad, resp.StatusCode, obj)
		}
	}
	if resp, _ := e.DoWith("", "DELETE", path, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE: %d", resp.StatusCode)
	}
	if resp, _ := e.DoWith("", "DELETE", path, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE again: %d", resp.StatusCode)
	}
	lwStatus(e, "GET", lwPath+"/taskDefinitions/"+id, nil, 404)
}

// The list answers @odata.count without $count=true, as the first example of
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-taskdefinitions?view=graph-rest-1.0 shows.
func TestTaskDefinitionsCount(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	for q, want := range map[string]float64{"": 25, "?$filter=category%20has%20'joiner'": 12, "?$top=5": 25} {
		got := lwStatus(e, "GET", lwPath+"/taskDefinitions"+q, nil, 200)
		if got["@odata.count"] != want {
			t.Errorf("%q: @odata.count %v, want %v", q, got["@odata.count"], want)
		}
	}
}
