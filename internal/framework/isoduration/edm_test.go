package isoduration_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
)

// Graph's durations are Edm.Duration (days, hours, minutes, seconds): weeks are sent as days, anything
// already in that form is sent as written (upper case).
func TestToEdm(t *testing.T) {
	for in, want := range map[string]string{
		"P14D":      "P14D",
		"p14d":      "P14D",
		"PT8H":      "PT8H",
		"P1DT12H":   "P1DT12H",
		"PT36H":     "PT36H",
		"PT1.5S":    "PT1.5S",
		"P2W":       "P14D",
		"P1W":       "P7D",
		"P1W2DT3H":  "P9DT3H",
		"p1w":       "P7D",
		"P0W":       "PT0S",
		"P0Y0M1D":   "P1D",
		"P0M":       "PT0S",
		"P0MT1H30M": "PT1H30M",
	} {
		got, err := isoduration.ToEdm(in)
		if err != nil || got != want {
			t.Errorf("ToEdm(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"P1M":    `"P1M" is not an Edm.Duration: months have no fixed length; write days, e.g. "P30D"`,
		"P1Y":    `"P1Y" is not an Edm.Duration: years have no fixed length; write days, e.g. "P365D"`,
		"P1Y1M":  "years and months have no fixed length",
		"P1MT1H": "months have no fixed length",
		"P1X":    "unknown designator",
	} {
		if _, err := isoduration.ToEdm(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ToEdm(%q): error %v, want %q", in, err, want)
		}
	}
}

func TestDurationEdmValue(t *testing.T) {
	if got := isoduration.NewDurationValue("P2W").EdmValue(); got != "P14D" {
		t.Errorf("EdmValue(P2W) = %q", got)
	}
	if got := isoduration.NewDurationValue("P2W").EdmPointer(); got == nil || *got != "P14D" {
		t.Errorf("EdmPointer(P2W) = %v", got)
	}
	if got := isoduration.NewDurationNull().EdmPointer(); got != nil {
		t.Errorf("EdmPointer(null) = %q", *got)
	}
	if got := (isoduration.Duration{StringValue: basetypes.NewStringUnknown()}).EdmPointer(); got != nil {
		t.Errorf("EdmPointer(unknown) = %q", *got)
	}
}

// Every value ToEdm returns parses, is the same length as its input and is already in Edm form.
func FuzzToEdm(f *testing.F) {
	for _, s := range []string{"P2W", "P1W2DT3H4M5.5S", "PT0S", "P14D", "p1w", "P0Y0M0W0D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := isoduration.ToEdm(s)
		if err != nil {
			return
		}
		in, _ := isoduration.Parse(s)
		got, err := isoduration.Parse(out)
		if err != nil || !got.Equal(in) {
			t.Fatalf("ToEdm(%q) = %q: parses to %v (%v), not the input's length", s, out, got, err)
		}
		if again, err := isoduration.ToEdm(out); err != nil || again != out {
			t.Fatalf("ToEdm(%q) = %q is not stable: %q, %v", s, out, again, err)
		}
		if strings.ContainsAny(strings.SplitN(out, "T", 2)[0], "YMW") {
			t.Fatalf("ToEdm(%q) = %q has a calendar designator", s, out)
		}
	})
}
