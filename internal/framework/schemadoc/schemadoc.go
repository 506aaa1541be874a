// Package schemadoc holds the small pieces of text the schemas' Markdown descriptions share.
package schemadoc

import "strings"

// CodeList renders values as Markdown code spans separated by commas ("`a`, `b`"), the way descriptions
// list the values an attribute allows.
func CodeList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
