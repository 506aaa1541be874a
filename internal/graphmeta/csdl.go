// Package graphmeta checks the Graph client (internal/graph) against the Microsoft Graph v1.0 metadata
// (CSDL, https://github.com/microsoftgraph/msgraph-metadata, schemas/v1.0-Prod.csdl).
//
// The CSDL itself is not part of this repository. A generator (cmd/graphmeta-gen) extracts the facts the
// provider needs, the entity, complex and enum types it uses and the types around them, into a compact
// digest (testdata/v1.0-digest.json) that the tests read offline. The Checker then answers two
// questions: does the client send or expect a property, enum member or type the metadata lacks, and
// which properties, members and derived types of the types it uses does it not handle. The second list
// must match a reviewed allow-list (allowlist.json), each entry with a reason; an entry that no longer
// matches fails too, so the list stays true.
//
// Refresh the digest from a newer CSDL, and check that it is what the generator makes of the file:
//
//	make graph-metadata CSDL=/path/to/v1.0-Prod.csdl CSDL_COMMIT=<msgraph-metadata commit> CSDL_DATE=<its date>
//
// or, to check only: ENTRAGOV_GRAPH_CSDL=/path/to/v1.0-Prod.csdl go test ./internal/graphmeta.
package graphmeta

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Model is the part of a CSDL document the digest is built from, with every type name fully qualified
// (aliases such as "graph." resolved to "microsoft.graph.").
type Model struct {
	Types map[string]*Type
	Enums map[string]*Enum
}

type edmxDoc struct {
	Schemas []edmSchema `xml:"DataServices>Schema"`
}

type edmSchema struct {
	Namespace    string          `xml:"Namespace,attr"`
	Alias        string          `xml:"Alias,attr"`
	EnumTypes    []edmEnum       `xml:"EnumType"`
	ComplexTypes []edmStructured `xml:"ComplexType"`
	EntityTypes  []edmStructured `xml:"EntityType"`
}

type edmEnum struct {
	Name    string `xml:"Name,attr"`
	IsFlags bool   `xml:"IsFlags,attr"`
	Members []struct {
		Name string `xml:"Name,attr"`
	} `xml:"Member"`
}

type edmStructured struct {
	Name       string    `xml:"Name,attr"`
	BaseType   string    `xml:"BaseType,attr"`
	Abstract   bool      `xml:"Abstract,attr"`
	OpenType   bool      `xml:"OpenType,attr"`
	Properties []edmProp `xml:"Property"`
	Navigation []edmProp `xml:"NavigationProperty"`
}

type edmProp struct {
	Name string `xml:"Name,attr"`
	Type string `xml:"Type,attr"`
}

// ParseCSDL reads a CSDL (EDMX) document.
func ParseCSDL(r io.Reader) (*Model, error) {
	var doc edmxDoc
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse CSDL: %w", err)
	}
	if len(doc.Schemas) == 0 {
		return nil, fmt.Errorf("parse CSDL: no Schema elements")
	}
	aliases := map[string]string{}
	for _, s := range doc.Schemas {
		if s.Alias != "" {
			aliases[s.Alias] = s.Namespace
		}
	}
	m := &Model{Types: map[string]*Type{}, Enums: map[string]*Enum{}}
	for _, s := range doc.Schemas {
		q := func(n string) string { return qualify(n, s.Namespace, aliases) }
		for _, e := range s.EnumTypes {
			en := &Enum{Flags: e.IsFlags}
			for _, mem := range e.Members {
				en.Members = append(en.Members, mem.Name)
			}
			m.Enums[s.Namespace+"."+e.Name] = en
		}
		add := func(kind string, list []edmStructured) {
			for _, st := range list {
				t := &Type{Kind: kind, Abstract: st.Abstract, Open: st.OpenType}
				if st.BaseType != "" {
					t.Base = q(st.BaseType)
				}
				for _, p := range st.Properties {
					if t.Properties == nil {
						t.Properties = map[string]string{}
					}
					t.Properties[p.Name] = q(p.Type)
				}
				for _, p := range st.Navigation {
					if t.Navigation == nil {
						t.Navigation = map[string]string{}
					}
					t.Navigation[p.Name] = q(p.Type)
				}
				m.Types[s.Namespace+"."+st.Name] = t
			}
		}
		add(KindComplex, s.ComplexTypes)
		add(KindEntity, s.EntityTypes)
	}
	return m, nil
}

// qualify resolves an alias ("graph.subjectSet") and keeps Collection(...) around the element type.
// Edm types are kept as they are.
func qualify(name, namespace string, aliases map[string]string) string {
	if inner, ok := strings.CutPrefix(name, "Collection("); ok {
		return "Collection(" + qualify(strings.TrimSuffix(inner, ")"), namespace, aliases) + ")"
	}
	if strings.HasPrefix(name, "Edm.") {
		return name
	}
	i := strings.LastIndex(name, ".")
	if i < 0 {
		return namespace + "." + name
	}
	if ns, ok := aliases[name[:i]]; ok {
		return ns + name[i:]
	}
	return name
}

// ElementType strips Collection(...) from a property type and reports whether it was a collection.
func ElementType(t string) (string, bool) {
	if inner, ok := strings.CutPrefix(t, "Collection("); ok {
		return strings.TrimSuffix(inner, ")"), true
	}
	return t, false
}
