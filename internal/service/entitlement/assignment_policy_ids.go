package entitlement

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// idsByContent plans the service-assigned id of each element of a nested list (questions, custom
// extension stage settings) from the prior state element with the same content, never from the element
// at the same position: Terraform pairs list elements by index, so an id kept by position would move to
// whatever element now sits there. An element with no counterpart is planned unknown, and Graph gives it
// a new id; sending an id asks Graph to keep that object (and, for a question, the answers given to it).
//
// Elements are paired in rounds, each pairing an element with the first unpaired prior element that
// agrees on the round's attributes: everything but the id first, then the weaker keys of matchKeys (for
// example a question whose wording changed but whose type and settings did not). Each prior id is used at
// most once. A value not known yet never matches.
type idsByContent struct {
	idAttr    string
	matchKeys []func(name string) bool // attributes compared in each round after the exact one
}

var _ planmodifier.List = idsByContent{}

// questionIDs pairs questions by content, then by type and text (settings edited), then by everything
// but the text (reworded).
func questionIDs() planmodifier.List {
	return idsByContent{idAttr: "id", matchKeys: []func(string) bool{
		func(name string) bool { return name == "type" || name == "text" },
		func(name string) bool { return name != "id" && name != "text" },
	}}
}

// extensionStageIDs pairs custom extension stage settings by content, then by stage (a stage takes one
// setting, so a stage whose extension changed is the same setting).
func extensionStageIDs() planmodifier.List {
	return idsByContent{idAttr: "id", matchKeys: []func(string) bool{
		func(name string) bool { return name == "stage" },
	}}
}

func (m idsByContent) Description(context.Context) string {
	return "an element keeps the id of the prior element with the same content; a new element's id is unknown"
}

func (m idsByContent) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m idsByContent) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	elemType, ok := req.PlanValue.ElementType(ctx).(types.ObjectType)
	if !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Unexpected list element type",
			fmt.Sprintf("%s holds %T, not objects. Please report this to the provider developers.", req.Path, req.PlanValue.ElementType(ctx)))
		return
	}
	planned, ok := objects(req.PlanValue)
	if !ok {
		return // an element is unknown as a whole: nothing to pair
	}
	var prior []types.Object
	if !req.StateValue.IsNull() && !req.StateValue.IsUnknown() {
		prior, _ = objects(req.StateValue)
	}

	ids := make([]attr.Value, len(planned))
	used := make([]bool, len(prior))
	rounds := append([]func(string) bool{func(name string) bool { return name != m.idAttr }}, m.matchKeys...)
	for _, compared := range rounds {
		for i, p := range planned {
			if ids[i] != nil {
				continue
			}
			for j, s := range prior {
				id, hasID := s.Attributes()[m.idAttr].(types.String)
				if used[j] || !hasID || id.IsNull() || id.IsUnknown() || !sameAttributes(ctx, p, s, compared) {
					continue
				}
				ids[i], used[j] = id, true
				break
			}
		}
	}

	elements := make([]attr.Value, len(planned))
	for i, p := range planned {
		attrs := make(map[string]attr.Value, len(p.Attributes()))
		for name, v := range p.Attributes() {
			attrs[name] = v
		}
		attrs[m.idAttr] = types.StringUnknown()
		if ids[i] != nil {
			attrs[m.idAttr] = ids[i]
		}
		object, diags := types.ObjectValue(elemType.AttrTypes, attrs)
		resp.Diagnostics.Append(diags...)
		elements[i] = object
	}
	if resp.Diagnostics.HasError() {
		return
	}
	list, diags := types.ListValue(elemType, elements)
	resp.Diagnostics.Append(diags...)
	resp.PlanValue = list
}

// objects returns the list's elements; ok is false when one is unknown or null as a whole.
func objects(l types.List) ([]types.Object, bool) {
	out := make([]types.Object, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsNull() || o.IsUnknown() {
			return nil, false
		}
		out = append(out, o)
	}
	return out, true
}

// sameAttributes reports whether the planned and prior objects hold equal, fully known values in every
// attribute that compared selects.
func sameAttributes(ctx context.Context, planned, prior types.Object, compared func(string) bool) bool {
	priorAttrs := prior.Attributes()
	for name, v := range planned.Attributes() {
		if !compared(name) {
			continue
		}
		if !fullyKnown(ctx, v) || !v.Equal(priorAttrs[name]) {
			return false
		}
	}
	return true
}

func fullyKnown(ctx context.Context, v attr.Value) bool {
	tv, err := v.ToTerraformValue(ctx)
	return err == nil && tv.IsFullyKnown()
}
