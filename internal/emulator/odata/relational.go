package odata

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ordering comparisons in $filter: `prop lt|le|gt|ge literal` where the literal is a
// number or an unquoted DateTimeOffset (2022-08-01T00:00:00Z), and `prop eq|ne` with a
// DateTimeOffset. The lifecycle workflow page documents them on its dates and version
// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-workflow?view=graph-rest-1.0:
// createdDateTime, lastModifiedDateTime, deletedDateTime and version support
// `$filter`(`lt`, `le`, `gt`, `ge`, `eq`, `ne`)). A stored value of another type never matches.

// tDateTime is an unquoted DateTimeOffset literal.
const tDateTime tokKind = 100

// relExpr compares a property with a number or a timestamp.
type relExpr struct {
	path   []string
	op     string // lt, le, gt, ge, eq, ne
	num    float64
	at     time.Time
	isTime bool
}

func (c relExpr) Eval(o map[string]any) bool {
	v := lookupPath(o, c.path)
	var cmp int
	if c.isTime {
		s, ok := v.(string)
		if !ok {
			return c.op == "ne"
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return c.op == "ne"
		}
		cmp = t.Compare(c.at)
	} else {
		f, ok := ToFloat(v)
		if !ok {
			return c.op == "ne"
		}
		switch {
		case f < c.num:
			cmp = -1
		case f > c.num:
			cmp = 1
		}
	}
	switch c.op {
	case "lt":
		return cmp < 0
	case "le":
		return cmp <= 0
	case "gt":
		return cmp > 0
	case "ge":
		return cmp >= 0
	case "eq":
		return cmp == 0
	}
	return cmp != 0
}

// orderingOp reads lt, le, gt or ge.
func (p *filterParser) orderingOp() (string, bool) {
	for _, op := range []string{"lt", "le", "gt", "ge"} {
		if p.keyword(op) {
			return op, true
		}
	}
	return "", false
}

// relational builds the comparison of path with the literal tok.
func relational(path []string, op string, tok token) (Filter, error) {
	c := relExpr{path: path, op: op}
	switch tok.kind {
	case tNumber:
		f, err := strconv.ParseFloat(tok.text, 64)
		if err != nil {
			return nil, err
		}
		c.num = f
	case tDateTime:
		t, err := time.Parse(time.RFC3339Nano, tok.text)
		if err != nil {
			return nil, fmt.Errorf("%q is not a DateTimeOffset", tok.text)
		}
		c.at, c.isTime = t, true
	default:
		return nil, fmt.Errorf("%s needs a number or a DateTimeOffset literal", op)
	}
	return c, nil
}

// lexNumber reads the number or DateTimeOffset literal starting at s[i].
func lexNumber(s string, i int) (token, int) {
	j := i + 1
	for j < len(s) && (s[j] == '.' || (s[j] >= '0' && s[j] <= '9')) {
		j++
	}
	// yyyy-mm-ddThh:mm[:ss[.fffffff]](Z|±hh:mm)
	if j-i == 4 && j < len(s) && s[j] == '-' && s[i] != '-' {
		k := j
		for k < len(s) && strings.IndexByte("0123456789-:.TZtz+", s[k]) >= 0 {
			k++
		}
		return token{tDateTime, strings.ToUpper(s[i:k])}, k
	}
	return token{tNumber, s[i:j]}, j
}
