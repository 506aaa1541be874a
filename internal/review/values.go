package review

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Paths are dotted attribute paths as the rules table writes them: "request_approval_settings.stages",
// a number indexes a list ("stages.0.escalation_enabled") and "*" is every element (only in the table's
// Paths, which say what a rule reads).

func splitPath(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, ".")
}

// lookup follows a path through decoded JSON; a missing step, a wrong type or an index out of range is nil.
func lookup(v any, path string) any {
	for _, seg := range splitPath(path) {
		switch t := v.(type) {
		case map[string]any:
			v = t[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

// marked reports whether a Terraform marker structure (after_unknown, before_sensitive, after_sensitive:
// the shape of the value with true where the mark is) marks the path or anything on it or under it. A "*"
// step matches every element.
func marked(m any, segs []string) bool {
	if b, ok := m.(bool); ok {
		return b
	}
	if len(segs) == 0 {
		return containsTrue(m)
	}
	switch t := m.(type) {
	case map[string]any:
		return marked(t[segs[0]], segs[1:])
	case []any:
		if segs[0] == "*" {
			for _, e := range t {
				if marked(e, segs[1:]) {
					return true
				}
			}
			return false
		}
		i, err := strconv.Atoi(segs[0])
		if err != nil || i < 0 || i >= len(t) {
			return false
		}
		return marked(t[i], segs[1:])
	}
	return false
}

func containsTrue(m any) bool {
	switch t := m.(type) {
	case bool:
		return t
	case map[string]any:
		for _, v := range t {
			if containsTrue(v) {
				return true
			}
		}
	case []any:
		for _, v := range t {
			if containsTrue(v) {
				return true
			}
		}
	}
	return false
}

// value is the value at path before or after the change.
func (c *Change) value(before bool, path string) any {
	if before {
		return lookup(c.Before, path)
	}
	return lookup(c.After, path)
}

// unknown reports whether the after value at path is known only after apply.
func (c *Change) unknown(path string) bool {
	return marked(c.afterUnknown, splitPath(path))
}

func (c *Change) sensitiveAt(before bool, path string) bool {
	side := 1
	if before {
		side = 0
	}
	return marked(c.sensitive[side], splitPath(path))
}

// show renders the value at path for a reader, never printing a sensitive one.
func (c *Change) show(before bool, path string) string {
	switch {
	case c.sensitiveAt(before, path):
		return "(sensitive)"
	case !before && c.unknown(path):
		return "(known after apply)"
	}
	return render(c.value(before, path))
}

// diff is "path: before → after" for a detail line.
func (c *Change) diff(path string) string {
	return path + ": " + c.show(true, path) + " → " + c.show(false, path)
}

func render(v any) string {
	switch t := v.(type) {
	case nil:
		return "(none)"
	case string:
		return strconv.Quote(t)
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return "(unreadable)"
		}
		return string(b)
	}
}

// Typed reads: a value of another type (or missing) reads as the zero value with ok false.

func (c *Change) str(before bool, path string) string {
	s, _ := c.value(before, path).(string)
	return s
}

func (c *Change) boolean(before bool, path string) (value, ok bool) {
	value, ok = c.value(before, path).(bool)
	return value, ok
}

// isTrue is true only for a known true; isFalse treats a missing value as false (Graph's default for the
// switches the rules read), but not one known only after apply.
func (c *Change) isTrue(before bool, path string) bool {
	v, _ := c.boolean(before, path)
	return v
}

func (c *Change) isFalse(before bool, path string) bool {
	if !before && c.unknown(path) {
		return false
	}
	v, ok := c.boolean(before, path)
	return !ok || !v
}

func (c *Change) list(before bool, path string) []any {
	l, _ := c.value(before, path).([]any)
	return l
}

func (c *Change) number(before bool, path string) (float64, bool) {
	n, ok := c.value(before, path).(float64)
	return n, ok
}

// canonical is a comparable text of a JSON value (encoding/json sorts map keys).
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// added lists the elements of after that before lacks, counting duplicates.
func added(before, after []any) []any {
	seen := map[string]int{}
	for _, e := range before {
		seen[canonical(e)]++
	}
	var out []any
	for _, e := range after {
		k := canonical(e)
		if seen[k] > 0 {
			seen[k]--
			continue
		}
		out = append(out, e)
	}
	return out
}
