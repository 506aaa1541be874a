package emulator

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

// readJSONBody reads a request body as a JSON object, answering like Graph for the
// usual mistakes: wrong media type, too large, malformed, not an object.
func readJSONBody(r *http.Request) (map[string]any, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, code: codeRequestTooLarge,
				message: fmt.Sprintf("The request body exceeds the maximum of %d bytes.", mbe.Limit)}
		}
		return nil, badRequest("Unable to read the request body.")
	}
	ct := r.Header.Get("Content-Type")
	mt, _, perr := mime.ParseMediaType(ct)
	if ct == "" || perr != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, &apiError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMedia,
			message: "A supported MIME type could not be found that matches the content type of the response. Send Content-Type: application/json."}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("The request payload must be a JSON object.")
	}
	return obj, nil
}

type propKind int

const (
	pString propKind = iota
	pBool
	pEnum
)

// propSpec describes one structural property of an entity type for input validation.
type propSpec struct {
	name     string
	kind     propKind
	enum     []string // camelCase members for pEnum
	readOnly bool     // accepted and ignored on input (id, timestamps)
	required bool     // must be present on create
	nonEmpty bool     // strings: "" rejected
	nullable bool
}

type entityType struct {
	name  string // "microsoft.graph.accessPackageCatalog"
	props []propSpec
}

func (et *entityType) prop(name string) *propSpec {
	for i := range et.props {
		if et.props[i].name == name {
			return &et.props[i]
		}
	}
	return nil
}

// validate checks a body against the type and returns the writable values, normalised
// (enums camelCase, string booleans converted). Instance annotations (keys with '@')
// and read-only properties are ignored, as Graph does (spec section 7).
func (et *entityType) validate(body map[string]any, create bool) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range body {
		if strings.Contains(k, "@") {
			continue
		}
		ps := et.prop(k)
		if ps == nil {
			return nil, badRequest(fmt.Sprintf("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type.", k, et.name))
		}
		if ps.readOnly {
			continue
		}
		nv, err := ps.convert(v)
		if err != nil {
			return nil, err
		}
		out[k] = nv
	}
	if create {
		for _, ps := range et.props {
			if _, ok := out[ps.name]; ps.required && !ok {
				return nil, badRequest(fmt.Sprintf("The property '%s' is required on type '%s'.", ps.name, et.name))
			}
		}
	}
	return out, nil
}

func typeError(name string, v any, edm string) error {
	b, _ := json.Marshal(v)
	return badRequest(fmt.Sprintf("Invalid value for property '%s': cannot convert the literal '%s' to the expected type '%s'.", name, strings.Trim(string(b), `"`), edm))
}

func (ps *propSpec) convert(v any) (any, error) {
	if v == nil {
		if ps.nullable {
			return nil, nil
		}
		return nil, badRequest(fmt.Sprintf("Invalid value for property '%s': a null value is not allowed.", ps.name))
	}
	switch ps.kind {
	case pString:
		s, ok := v.(string)
		if !ok {
			return nil, typeError(ps.name, v, "Edm.String")
		}
		if ps.nonEmpty && strings.TrimSpace(s) == "" {
			return nil, badRequest(fmt.Sprintf("Invalid value for property '%s': the value must not be empty.", ps.name))
		}
		return s, nil
	case pBool:
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
		return nil, typeError(ps.name, v, "Edm.Boolean")
	case pEnum:
		s, ok := v.(string)
		if !ok {
			return nil, typeError(ps.name, v, "enum")
		}
		for _, m := range ps.enum {
			if strings.EqualFold(m, s) { // PascalCase input accepted, camelCase stored
				return m, nil
			}
		}
		return nil, badEnum(ps.name, s, ps.enum)
	}
	return nil, fmt.Errorf("unknown kind for %s", ps.name)
}

func badEnum(name, got string, valid []string) error {
	return badRequest(fmt.Sprintf("The value '%s' is not valid for property '%s'. Valid values: %s.", got, name, strings.Join(valid, ", ")))
}
