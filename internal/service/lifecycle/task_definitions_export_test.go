package lifecycle

import (
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// BuiltInTaskDefinitions renders the built-in list as Graph's taskDefinition objects, for the tests of
// package lifecycle_test that compare it with an API's list: arguments checked as true/false are Graph's
// enum parameters with the values "true" and "false", whole numbers are "int", all else "string".
func BuiltInTaskDefinitions() []graph.TaskDefinition {
	out := make([]graph.TaskDefinition, 0, len(builtInTaskDefinitions))
	for _, d := range builtInTaskDefinitions {
		gd := graph.TaskDefinition{ID: d.ID, DisplayName: d.DisplayName, Category: strings.Join(d.Categories, ",")}
		for _, p := range d.Parameters {
			gp := graph.TaskDefinitionParameter{Name: p.Name, Values: []string{}, ValueType: "string"}
			switch p.Kind {
			case kindBool:
				gp.Values, gp.ValueType = []string{"true", "false"}, "enum"
			case kindInt:
				gp.ValueType = "int"
			}
			gd.Parameters = append(gd.Parameters, gp)
		}
		out = append(out, gd)
	}
	return out
}
