package schemadoc

import "testing"

func TestCodeList(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"scheduled"}, "`scheduled`"},
		{[]string{"Approve", "Deny", "DontKnow"}, "`Approve`, `Deny`, `DontKnow`"},
	} {
		if got := CodeList(c.in); got != c.want {
			t.Errorf("CodeList(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
