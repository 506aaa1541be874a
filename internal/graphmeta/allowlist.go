package graphmeta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// AllowEntry is one reviewed member the client does not handle: a name as Checker.Unhandled writes it
// ("<type>/*" covers every property of a type) and why it is not handled.
type AllowEntry struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// AllowList is the reviewed allow-list file.
type AllowList struct {
	Comment string `json:"comment"`
	// Mismatches are findings (Finding.Name) known and accepted: the client sends what the metadata
	// lacks because Graph's documentation says so.
	Mismatches []AllowEntry `json:"mismatches"`
	// Unhandled are members of the types the client uses that it does not handle (Checker.Unhandled).
	Unhandled []AllowEntry `json:"unhandled"`
}

// LoadAllowList reads an allow-list file.
func LoadAllowList(path string) (*AllowList, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list AllowList
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &list, nil
}

func (e AllowEntry) matches(name string) bool {
	if prefix, ok := strings.CutSuffix(e.Name, "/*"); ok {
		return strings.HasPrefix(name, prefix+"/")
	}
	return e.Name == name
}

// AllowListResult compares the unhandled members with the allow-list.
type AllowListResult struct {
	NotAllowed []string     // unhandled and not listed: handle them or list them with a reason
	Stale      []AllowEntry // listed but handled (or gone from the metadata): remove them
	Invalid    []string     // entries without a reason, duplicates
}

// OK reports whether the allow-list is exactly what is unhandled.
func (r AllowListResult) OK() bool {
	return len(r.NotAllowed) == 0 && len(r.Stale) == 0 && len(r.Invalid) == 0
}

// CompareAllowList matches unhandled against list.
func CompareAllowList(unhandled []string, list []AllowEntry) AllowListResult {
	var r AllowListResult
	seen := map[string]bool{}
	for _, e := range list {
		if strings.TrimSpace(e.Reason) == "" {
			r.Invalid = append(r.Invalid, e.Name+": no reason")
		}
		if seen[e.Name] {
			r.Invalid = append(r.Invalid, e.Name+": listed twice")
		}
		seen[e.Name] = true
	}
	used := make([]bool, len(list))
	for _, u := range unhandled {
		found := false
		for i, e := range list {
			if e.matches(u) {
				used[i], found = true, true
			}
		}
		if !found {
			r.NotAllowed = append(r.NotAllowed, u)
		}
	}
	for i, e := range list {
		if !used[i] {
			r.Stale = append(r.Stale, e)
		}
	}
	return r
}
