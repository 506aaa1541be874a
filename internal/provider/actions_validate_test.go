package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// TestActionsValidateConfig runs the plan-time checks of the actions in process, as Terraform's
// ValidateActionConfig call does, with no Graph client: valid configurations pass (unknown values
// included), and each invalid one is refused with its attribute path.
func TestActionsValidateConfig(t *testing.T) {
	ctx := context.Background()
	base, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	server, ok := base.(interface {
		GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error)
		ValidateActionConfig(context.Context, *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error)
	})
	if !ok {
		t.Fatal("the provider server does not serve actions")
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	strSet := func(vs ...tftypes.Value) tftypes.Value {
		return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, vs)
	}
	const guid = "5eed0001-0000-4000-8000-000000000005"
	message := func(values map[string]tftypes.Value) map[string]tftypes.Value {
		return map[string]tftypes.Value{"message": nestedObject(t, schemas, values)}
	}
	invitation := func(extra map[string]tftypes.Value) map[string]tftypes.Value {
		v := map[string]tftypes.Value{"user_email_address": str("ada@example.com"), "redirect_url": str("https://myapps.microsoft.com")}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	cases := []struct {
		name, action string
		values       map[string]tftypes.Value
		want         string // "" when valid; else the attribute path and words of the error
	}{
		{"activate", "entragov_lifecycle_workflow_activate", map[string]tftypes.Value{"workflow_id": str(guid), "user_ids": strSet(str(guid))}, ""},
		{"activate unknown", "entragov_lifecycle_workflow_activate", map[string]tftypes.Value{"workflow_id": unknown, "user_ids": strSet(unknown)}, ""},
		{"activate bad id", "entragov_lifecycle_workflow_activate", map[string]tftypes.Value{"workflow_id": str("wf"), "user_ids": strSet(str(guid))}, "workflow_id: is not a GUID"},
		{"activate no users", "entragov_lifecycle_workflow_activate", map[string]tftypes.Value{"workflow_id": str(guid), "user_ids": strSet()}, "user_ids: at least 1"},
		{"activate bad user", "entragov_lifecycle_workflow_activate", map[string]tftypes.Value{"workflow_id": str(guid), "user_ids": strSet(str("alex"))}, "user_ids[tftypes.String<\"alex\">]: is not a GUID"},
		{"reprocess", "entragov_access_package_assignment_reprocess", map[string]tftypes.Value{"assignment_id": str(guid)}, ""},
		{"reprocess bad id", "entragov_access_package_assignment_reprocess", map[string]tftypes.Value{"assignment_id": str("")}, "assignment_id: is not a GUID"},
		{"invitation", "entragov_invitation_send", invitation(message(map[string]tftypes.Value{"language": str("fr-FR")})), ""},
		{"invitation bad email", "entragov_invitation_send", invitation(map[string]tftypes.Value{"user_email_address": str("Ada <ada@example.com>")}), "user_email_address: is not an email address"},
		{"invitation bad url", "entragov_invitation_send", invitation(map[string]tftypes.Value{"redirect_url": str("ftp://example.com")}), "redirect_url: is not an absolute http or https URL"},
		{"invitation bad type", "entragov_invitation_send", invitation(map[string]tftypes.Value{"user_type": str("guest")}), "user_type: value must be one of"},
		{"invitation body and language", "entragov_invitation_send", invitation(message(map[string]tftypes.Value{"body": str("Hi"), "language": str("fr-FR")})), "message.language: Graph ignores the language"},
		{"invitation two cc", "entragov_invitation_send", invitation(message(map[string]tftypes.Value{
			"additional_recipients": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("a@contoso.com"), str("b@contoso.com")}),
		})), "message.additional_recipients: list must contain at least 1 elements and at most 1 elements"},
		{"invitation message without email", "entragov_invitation_send", invitation(func() map[string]tftypes.Value {
			v := message(map[string]tftypes.Value{"body": str("Hi")})
			v["send_invitation_message"] = tftypes.NewValue(tftypes.Bool, false)
			return v
		}()), "message: message customises the invitation email"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := schemas.ActionSchemas[c.action]
			if s == nil {
				t.Fatalf("no schema for %s", c.action)
			}
			typ := s.Schema.ValueType().(tftypes.Object)
			config, err := tfprotov6.NewDynamicValue(typ, objectWithNulls(typ, c.values))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := server.ValidateActionConfig(ctx, &tfprotov6.ValidateActionConfigRequest{ActionType: c.action, Config: &config})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					got = append(got, attributePath(d.Attribute)+": "+d.Summary+" "+d.Detail)
				}
			}
			all := strings.Join(got, "\n")
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("refused: %s", all)
			case c.want != "":
				path, words, _ := strings.Cut(c.want, ": ")
				if !strings.HasPrefix(all, path+":") || !strings.Contains(all, words) {
					t.Errorf("want %q, got %q", c.want, all)
				}
			}
		})
	}
}

// objectWithNulls is an object of typ with the given attribute values and null for the others.
func objectWithNulls(typ tftypes.Object, values map[string]tftypes.Value) tftypes.Value {
	all := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		if v, ok := values[name]; ok {
			all[name] = v
			continue
		}
		all[name] = tftypes.NewValue(at, nil)
	}
	return tftypes.NewValue(typ, all)
}

// nestedObject is a value of the invitation's message attribute.
func nestedObject(t *testing.T, schemas *tfprotov6.GetProviderSchemaResponse, values map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	typ := schemas.ActionSchemas["entragov_invitation_send"].Schema.ValueType().(tftypes.Object).AttributeTypes["message"].(tftypes.Object)
	return objectWithNulls(typ, values)
}

// attributePath renders a diagnostic's attribute path as message.language or user_ids[Value("x")].
func attributePath(p *tftypes.AttributePath) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteString(".")
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyValue:
			b.WriteString("[" + tftypes.Value(s).String() + "]")
		default:
			fmt.Fprintf(&b, "[%v]", step)
		}
	}
	return b.String()
}
