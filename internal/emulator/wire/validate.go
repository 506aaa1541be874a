package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ReadBody reads a request body as a JSON object, answering like Graph for the
// usual mistakes: wrong media type, too large, malformed, not an object.
func ReadBody(r *http.Request) (map[string]any, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeRequestTooLarge,
				Message: fmt.Sprintf("The request body exceeds the maximum of %d bytes.", mbe.Limit)}
		}
		return nil, BadRequest("Unable to read the request body.")
	}
	ct := r.Header.Get("Content-Type")
	mt, _, perr := mime.ParseMediaType(ct)
	if ct == "" || perr != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMedia,
			Message: "A supported MIME type could not be found that matches the content type of the response. Send Content-Type: application/json."}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, BadRequest("The request payload must be a JSON object.")
	}
	return obj, nil
}

// PropKind is the JSON shape of a Prop.
type PropKind int

const (
	KindString PropKind = iota
	KindBool
	KindEnum
)

// Prop describes one structural property of an entity type for input validation.
type Prop struct {
	Name     string
	Kind     PropKind
	Enum     []string // camelCase members for KindEnum
	ReadOnly bool     // accepted and ignored on input (id, timestamps)
	Required bool     // must be present on create
	NonEmpty bool     // strings: "" rejected
	Nullable bool
}

// EntityType is a flat entity type validated by Validate.
type EntityType struct {
	Name  string // "microsoft.graph.accessPackageCatalog"
	Props []Prop
}

func (et *EntityType) prop(name string) *Prop {
	for i := range et.Props {
		if et.Props[i].Name == name {
			return &et.Props[i]
		}
	}
	return nil
}

// Validate checks a body against the type and returns the writable values, normalised
// (enums camelCase, string booleans converted). Instance annotations (keys with '@')
// and read-only properties are ignored, as Graph does (spec section 7).
func (et *EntityType) Validate(body map[string]any, create bool) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range body {
		if strings.Contains(k, "@") {
			continue
		}
		ps := et.prop(k)
		if ps == nil {
			return nil, BadRequest(fmt.Sprintf("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type.", k, et.Name))
		}
		if ps.ReadOnly {
			continue
		}
		nv, err := ps.Convert(v)
		if err != nil {
			return nil, err
		}
		out[k] = nv
	}
	if create {
		for _, ps := range et.Props {
			if _, ok := out[ps.Name]; ps.Required && !ok {
				return nil, BadRequest(fmt.Sprintf("The property '%s' is required on type '%s'.", ps.Name, et.Name))
			}
		}
	}
	return out, nil
}

// TypeError is the 400 Graph gives when a property literal has the wrong type.
func TypeError(name string, v any, edm string) error {
	b, _ := json.Marshal(v)
	return BadRequest(fmt.Sprintf("Invalid value for property '%s': cannot convert the literal '%s' to the expected type '%s'.", name, strings.Trim(string(b), `"`), edm))
}

// Convert checks and normalises one value of the property.
func (ps *Prop) Convert(v any) (any, error) {
	if v == nil {
		if ps.Nullable {
			return nil, nil
		}
		return nil, BadRequest(fmt.Sprintf("Invalid value for property '%s': a null value is not allowed.", ps.Name))
	}
	switch ps.Kind {
	case KindString:
		s, ok := v.(string)
		if !ok {
			return nil, TypeError(ps.Name, v, "Edm.String")
		}
		if ps.NonEmpty && strings.TrimSpace(s) == "" {
			return nil, BadRequest(fmt.Sprintf("Invalid value for property '%s': the value must not be empty.", ps.Name))
		}
		return s, nil
	case KindBool:
		switch b := v.(type) {
		case bool:
			return b, nil
		case string: // documented requests send "true"/"false" (spec section 7)
			switch strings.ToLower(b) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
		}
		return nil, TypeError(ps.Name, v, "Edm.Boolean")
	case KindEnum:
		s, ok := v.(string)
		if !ok {
			return nil, TypeError(ps.Name, v, "enum")
		}
		for _, m := range ps.Enum {
			if strings.EqualFold(m, s) { // PascalCase input accepted, camelCase stored
				return m, nil
			}
		}
		return nil, BadEnum(ps.Name, s, ps.Enum)
	}
	return nil, fmt.Errorf("unknown kind for %s", ps.Name)
}

// BadEnum is the 400 for an enum value outside valid.
func BadEnum(name, got string, valid []string) error {
	return BadRequest(fmt.Sprintf("The value '%s' is not valid for property '%s'. Valid values: %s.", got, name, strings.Join(valid, ", ")))
}

// BodyObject reads an optional object property of a body.
func BodyObject(body map[string]any, name string) (map[string]any, bool, error) {
	v, ok := body[name]
	if !ok || v == nil {
		return nil, false, nil
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		return nil, true, TypeError(name, v, "Edm.ComplexType")
	}
	return m, true, nil
}

// BodyString reads an optional string property of a body.
func BodyString(body map[string]any, name string) (string, bool, error) {
	v, ok := body[name]
	if !ok || v == nil {
		return "", false, nil
	}
	str, isStr := v.(string)
	if !isStr {
		return "", true, TypeError(name, v, "Edm.String")
	}
	return str, true, nil
}

// UnknownProperty is the 400 for a property the type does not have.
func UnknownProperty(k, typ string) error {
	return BadRequest(fmt.Sprintf("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type.", k, typ))
}

// RequiredProperty is the 400 for a missing required property.
func RequiredProperty(k, typ string) error {
	return BadRequest(fmt.Sprintf("The property '%s' is required on type '%s'.", k, typ))
}
