package lifecycle_test

import (
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
