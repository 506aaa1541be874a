package subjectset

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Bits of the fuzzers' field masks, one per attribute beside type, in fieldNames order.
const allFields = 1<<7 - 1

// fuzzStringValue is null, unknown or the value, as the masks say (set wins over unknown).
func fuzzStringValue(bit int, set, unknown uint8, value string) types.String {
	switch {
	case set&(1<<bit) != 0:
		return types.StringValue(value)
	case unknown&(1<<bit) != 0:
		return types.StringUnknown()
	}
	return types.StringNull()
}

// fuzzModel builds a subject set from the fuzzer's inputs. typeState 0 is a known type, 1 null, 2 unknown.
func fuzzModel(typ string, typeState, set, unknown uint8, userID, groupID, orgID, spID, rule string, level int64, description string) Model {
	m := Model{
		Type:                    types.StringValue(typ),
		UserID:                  fuzzStringValue(0, set, unknown, userID),
		GroupID:                 fuzzStringValue(1, set, unknown, groupID),
		ConnectedOrganizationID: fuzzStringValue(2, set, unknown, orgID),
		ServicePrincipalID:      fuzzStringValue(3, set, unknown, spID),
		MembershipRule:          fuzzStringValue(4, set, unknown, rule),
		ManagerLevel:            types.Int64Null(),
		Description:             fuzzStringValue(6, set, unknown, description),
	}
	switch {
	case set&(1<<5) != 0:
		m.ManagerLevel = types.Int64Value(level)
	case unknown&(1<<5) != 0:
		m.ManagerLevel = types.Int64Unknown()
	}
	switch typeState % 3 {
	case 1:
		m.Type = types.StringNull()
	case 2:
		m.Type = types.StringUnknown()
	}
	return m
}

// setMask is the mask with a bit for every field the configuration sets for a valid subject set of typ.
func setMask(typ string, withDescription bool) uint8 {
	var mask uint8
	for i, field := range fieldNames {
		if typeRules[typ].required == field || (withDescription && field == attrDescription && typeRules[typ].description) {
			mask |= 1 << i
		}
	}
	return mask
}

// FuzzTypeFieldsValidator runs the subject set object validator on arbitrary type strings and any mix of
// null, unknown and set fields. It must never panic, report only errors on an attribute path below the
// object (req.Path.<field>), and report exactly what the type table (typeRules) says, field by field in
// schema order: the type's required field when null, and every set field the type does not use. Null or
// unknown types and types outside the table get no diagnostic (OneOf reports those).
func FuzzTypeFieldsValidator(f *testing.F) {
	// The table tests' cases: every type as configured (with and without description), each type missing
	// its required field, each type with one foreign field, unknown values, and a type outside the table.
	for _, typ := range graph.SubjectSetTypes {
		f.Add(typ, uint8(0), setMask(typ, true), uint8(0), userID, groupID, orgID, spID, rule, int64(2), "kept")
		f.Add(typ, uint8(0), setMask(typ, false), uint8(0), userID, groupID, orgID, spID, rule, int64(1), "")
		f.Add(typ, uint8(0), uint8(0), uint8(0), userID, groupID, orgID, spID, rule, int64(1), "")
		for i := range fieldNames {
			f.Add(typ, uint8(0), setMask(typ, false)|1<<i, uint8(0), userID, groupID, orgID, spID, rule, int64(1), "text")
		}
	}
	f.Add("singleUser", uint8(0), uint8(0), uint8(0b11), "", "", "", "", "", int64(0), "")
	f.Add("", uint8(2), uint8(0b10), uint8(0), "", groupID, "", "", "", int64(0), "")
	f.Add("ruleBasedSubjectSet", uint8(0), uint8(0b10), uint8(0), "", groupID, "", "", "", int64(0), "")
	f.Add("SingleUser", uint8(0), uint8(allFields), uint8(0), userID, groupID, orgID, spID, rule, int64(-1), "x")
	f.Add("groupMembers", uint8(1), uint8(allFields), uint8(allFields), "", "", "", "", "", int64(0), "")

	ctx := context.Background()
	objectPath := path.Root("approvers").AtListIndex(0)
	f.Fuzz(func(t *testing.T, typ string, typeState, set, unknown uint8, userID, groupID, orgID, spID, rule string, level int64, description string) {
		m := fuzzModel(typ, typeState, set, unknown, userID, groupID, orgID, spID, rule, level, description)
		object, diags := types.ObjectValueFrom(ctx, AttrTypes(), m)
		if diags.HasError() {
			t.Fatalf("building the object: %v", diags)
		}
		resp := validator.ObjectResponse{}
		typeFieldsValidator{}.ValidateObject(ctx, validator.ObjectRequest{Path: objectPath, ConfigValue: object}, &resp)

		var got []string
		for _, d := range resp.Diagnostics {
			if d.Severity() != diag.SeverityError {
				t.Fatalf("non-error diagnostic: %v", d)
			}
			withPath, ok := d.(diag.DiagnosticWithPath)
			if !ok {
				t.Fatalf("diagnostic without an attribute path: %s: %s", d.Summary(), d.Detail())
			}
			got = append(got, withPath.Path().String())
		}

		var want []string
		if rule, known := typeRules[m.Type.ValueString()]; known && !m.Type.IsNull() && !m.Type.IsUnknown() {
			values := m.fieldValues()
			for _, field := range fieldNames {
				v := values[field]
				if (field == rule.required && v.IsNull()) || (!rule.uses(field) && !v.IsNull() && !v.IsUnknown()) {
					want = append(want, objectPath.AtName(field).String())
				}
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("type %q (state %d), set %07b, unknown %07b: diagnostics on %v, want %v (%v)",
				typ, typeState%3, set&allFields, unknown&allFields, got, want, resp.Diagnostics)
		}
	})
}

// FuzzExpandFlatten builds two valid subject sets (a known type, its required field, its description
// when the type has one) from arbitrary values and checks that Flatten(Expand(list), list) is the list,
// also after the sets went over the wire as Graph JSON (for valid UTF-8, as Terraform strings are); that
// an import (no prior) gives the list without descriptions; and that Graph answering an ASCII id in
// another letter case keeps the configured spelling.
func FuzzExpandFlatten(f *testing.F) {
	for i := range graph.SubjectSetTypes {
		next := uint8((i + 1) % len(graph.SubjectSetTypes))
		f.Add(uint8(i), next, userID, rule, int64(2), "set by the configuration", true)
		f.Add(uint8(i), next, strings.ToUpper(groupID), rule, int64(1), "", true)
		f.Add(uint8(i), uint8(i), spID, `(user.department -eq "Sales")`, int64(7), "", false)
	}
	f.Add(uint8(0), uint8(3), "", "", int64(0), "Adele Vance", true)
	f.Add(uint8(4), uint8(9), orgID, "x", int64(-5), "\u00e9t\u00e9", true)

	ctx := context.Background()
	f.Fuzz(func(t *testing.T, first, second uint8, id, membershipRule string, level int64, description string, withDescription bool) {
		build := func(index uint8) Model {
			typ := graph.SubjectSetTypes[int(index)%len(graph.SubjectSetTypes)]
			return fuzzModel(typ, 0, setMask(typ, withDescription), 0, id, id, id, id, membershipRule, level, description)
		}
		models := []Model{build(first), build(second)}
		list, diags := types.ListValueFrom(ctx, ObjectType(), models)
		if diags.HasError() {
			t.Fatal(diags)
		}
		sets, diags := Expand(ctx, list)
		if diags.HasError() || len(sets) != 2 {
			t.Fatalf("Expand = %+v, %v", sets, diags)
		}
		for i, s := range sets {
			if s.Type != models[i].Type.ValueString() {
				t.Fatalf("Expand element %d has type %q, want %q", i, s.Type, models[i].Type.ValueString())
			}
		}
		back, diags := Flatten(ctx, sets, list)
		if diags.HasError() {
			t.Fatal(diags)
		}
		if !back.Equal(list) {
			t.Fatalf("round trip changed the list:\n got %v\nwant %v", back, list)
		}

		withoutDescription := make([]Model, len(models))
		for i, m := range models {
			m.Description = types.StringNull()
			withoutDescription[i] = m
		}
		wantImported, diags := types.ListValueFrom(ctx, ObjectType(), withoutDescription)
		if diags.HasError() {
			t.Fatal(diags)
		}
		imported, diags := Flatten(ctx, sets, types.ListNull(ObjectType()))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if !imported.Equal(wantImported) {
			t.Fatalf("import:\n got %v\nwant %v", imported, wantImported)
		}

		if utf8.ValidString(id) && utf8.ValidString(membershipRule) && utf8.ValidString(description) && level == int64(int(level)) {
			wire, err := json.Marshal(sets)
			if err != nil {
				t.Fatalf("marshal %+v: %v", sets, err)
			}
			var fromGraph []graph.SubjectSet
			if err := json.Unmarshal(wire, &fromGraph); err != nil {
				t.Fatalf("unmarshal %s: %v", wire, err)
			}
			overWire, diags := Flatten(ctx, fromGraph, list)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !overWire.Equal(list) {
				t.Fatalf("round trip over Graph JSON %s changed the list:\n got %v\nwant %v", wire, overWire, list)
			}
		}

		if isASCII(id) {
			recased := make([]graph.SubjectSet, len(sets))
			for i, s := range sets {
				s.UserID, s.GroupID = strings.ToLower(s.UserID), strings.ToUpper(s.GroupID)
				s.ConnectedOrganizationID, s.ServicePrincipalID = strings.ToLower(s.ConnectedOrganizationID), strings.ToUpper(s.ServicePrincipalID)
				recased[i] = s
			}
			kept, diags := Flatten(ctx, recased, list)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !kept.Equal(list) {
				t.Fatalf("Graph's recased ids replaced the configured spelling:\n got %v\nwant %v", kept, list)
			}
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
