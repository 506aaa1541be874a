package odata

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// ExpandItem is one navigation of $expand with its nested $expand and $select.
type ExpandItem struct {
	Name    string
	Nested  []ExpandItem
	Selects []string
}

// Navigations lists the expandable navigation properties per entity type as
// {property, type it leads to} pairs; each Graph area declares its own.
type Navigations map[string][][2]string

// ParseExpand parses and checks the request's $expand against the type's navigations.
func (n Navigations) ParseExpand(r *http.Request, typ string) ([]ExpandItem, error) {
	raw, ok := QueryOption(r.URL.Query(), "$expand")
	if !ok || strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	items, err := ParseExpandOption(raw)
	if err != nil {
		return nil, wire.BadRequest("Parsing OData Select and Expand failed: " + err.Error())
	}
	if err := n.resolve(items, typ); err != nil {
		return nil, err
	}
	return items, nil
}

func (n Navigations) resolve(items []ExpandItem, typ string) error {
	for i := range items {
		found := false
		for _, nav := range n[typ] {
			if strings.EqualFold(nav[0], items[i].Name) {
				items[i].Name = nav[0]
				if err := n.resolve(items[i].Nested, nav[1]); err != nil {
					return err
				}
				found = true
				break
			}
		}
		if !found {
			return wire.BadRequest(fmt.Sprintf("Parsing OData Select and Expand failed: Could not find a property named '%s' on type '%s'.", items[i].Name, typ))
		}
	}
	return nil
}

// ParseExpandOption parses the raw option `a,b($expand=c,d;$select=x,y),e` (other nested options ignored).
func ParseExpandOption(raw string) ([]ExpandItem, error) {
	p := &expandParser{s: raw}
	items, err := p.list()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected '%s' in $expand", p.s[p.i:])
	}
	return items, nil
}

type expandParser struct {
	s string
	i int
}

func (p *expandParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *expandParser) ident() string {
	p.space()
	j := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c == '$' || c == '/' || c == '.' || c == '*' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
			p.i++
			continue
		}
		break
	}
	return p.s[j:p.i]
}

func (p *expandParser) list() ([]ExpandItem, error) {
	var out []ExpandItem
	for {
		name := p.ident()
		if name == "" {
			return nil, fmt.Errorf("expected a navigation property in $expand")
		}
		it := ExpandItem{Name: name}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == '(' {
			p.i++
			if err := p.options(&it); err != nil {
				return nil, err
			}
		}
		out = append(out, it)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return out, nil
	}
}

// options parses `$expand=...;$select=...)` after the opening parenthesis.
func (p *expandParser) options(it *ExpandItem) error {
	for {
		name := p.ident()
		p.space()
		if name == "" || p.i >= len(p.s) || p.s[p.i] != '=' {
			return fmt.Errorf("expected a query option in $expand of '%s'", it.Name)
		}
		p.i++
		switch strings.ToLower(strings.TrimPrefix(name, "$")) {
		case "expand":
			nested, err := p.list()
			if err != nil {
				return err
			}
			it.Nested = append(it.Nested, nested...)
		case "select":
			for {
				if f := p.ident(); f != "" {
					it.Selects = append(it.Selects, f)
				}
				p.space()
				if p.i < len(p.s) && p.s[p.i] == ',' {
					p.i++
					continue
				}
				break
			}
		default: // $filter, $top, ...: skipped up to the next ';' or ')' at this depth
			depth, quoted := 0, false
			for p.i < len(p.s) {
				c := p.s[p.i]
				if quoted {
					if c == '\'' {
						quoted = false
					}
				} else if c == '\'' {
					quoted = true
				} else if c == '(' {
					depth++
				} else if c == ')' {
					if depth == 0 {
						break
					}
					depth--
				} else if c == ';' && depth == 0 {
					break
				}
				p.i++
			}
		}
		p.space()
		if p.i >= len(p.s) {
			return fmt.Errorf("missing ')' in $expand of '%s'", it.Name)
		}
		switch p.s[p.i] {
		case ';':
			p.i++
		case ')':
			p.i++
			return nil
		default:
			return fmt.Errorf("unexpected '%c' in $expand of '%s'", p.s[p.i], it.Name)
		}
	}
}
