package isoduration

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		in      string
		months  int64
		seconds float64
	}{
		{"P14D", 0, 14 * 86400},
		{"PT8H", 0, 8 * 3600},
		{"P1DT12H", 0, 36 * 3600},
		{"P2W", 0, 14 * 86400},
		{"PT0S", 0, 0},
		{"P0D", 0, 0},
		{"P365D", 0, 365 * 86400},
		{"P1Y", 12, 0},
		{"P1Y2M", 14, 0},
		{"P1M", 1, 0},
		{"P1Y2M3W4DT5H6M7S", 14, 3*7*86400 + 4*86400 + 5*3600 + 6*60 + 7},
		{"PT1440M", 0, 86400},
		{"PT90S", 0, 90},
		{"PT1.5S", 0, 1.5},
		{"PT0,25S", 0, 0.25},
		{"PT0.1234567S", 0, 0.1234567},
		{"p14d", 0, 14 * 86400},
		{"P1dt2h", 0, 26 * 3600},
		{"P1W1D", 0, 8 * 86400},
		{"P1MT1M", 1, 60},
		{"P0010D", 0, 10 * 86400},
	} {
		t.Run(tc.in, func(t *testing.T) {
			p, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if p.Months() != tc.months || p.Seconds() != tc.seconds {
				t.Errorf("Parse(%q) = %d months %v seconds, want %d months %v seconds",
					tc.in, p.Months(), p.Seconds(), tc.months, tc.seconds)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	for in, wantErr := range map[string]string{
		"":                       "empty",
		"P":                      "at least one component",
		"PT":                     `"T" must be followed`,
		"P1DT":                   `"T" must be followed`,
		"14D":                    `start with "P"`,
		" P1D":                   `start with "P"`,
		"P1D ":                   "expected a number",
		"-P1D":                   "negative",
		"P-1D":                   "negative",
		"P1X":                    `unknown designator "X"`,
		"P1H":                    `"H" belongs after "T"`,
		"P1S":                    `"S" belongs after "T"`,
		"PT1D":                   `"D" belongs before "T"`,
		"PT1W":                   `"W" belongs before "T"`,
		"P1D1D":                  "repeated or out of order",
		"P1D1Y":                  "repeated or out of order",
		"PT1S1H":                 "repeated or out of order",
		"P1DT1HT1M":              `"T" appears twice`,
		"P1":                     "has no designator",
		"PD":                     "expected a number",
		"PT.5S":                  "expected a number",
		"P1.5D":                  "only seconds may have a fraction",
		"PT1.5H":                 "only seconds may have a fraction",
		"PT1.S":                  "no digits after the decimal sign",
		"PT0.1234567891S":        "more than 9 fractional digits",
		"P99999999999999999999D": "too large",
		"P999999999999999D":      "too long",
		"PT8H30":                 "has no designator",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := Parse(in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded", in)
			}
			if !strings.Contains(err.Error(), wantErr) {
				t.Errorf("Parse(%q) error %q, want it to contain %q", in, err, wantErr)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"p14d":   "P14D",
		"P1dT2h": "P1DT2H",
		"PT8H":   "PT8H",
		"p1x":    "p1x",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsZero(t *testing.T) {
	for in, want := range map[string]bool{"PT0S": true, "P0D": true, "P0Y0M": true, "PT0.000000001S": false, "P1M": false} {
		if p, _ := Parse(in); p.IsZero() != want {
			t.Errorf("Parse(%q).IsZero() = %v", in, !want)
		}
	}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b    string
		want    int
		decided bool
	}{
		{"P1D", "PT24H", 0, true},
		{"P1D", "PT23H", 1, true},
		{"PT0.5S", "PT1S", -1, true},
		{"P1M", "P1M1D", -1, true},
		{"P1M", "P1D", 1, true},     // no month is shorter than 28 days
		{"P1M", "P32D", -1, true},   // nor longer than 31
		{"P1Y", "P300D", 1, true},   // 12 months are at least 336 days
		{"P1M", "P30D", 0, false},   // depends on the month
		{"P1Y", "P365D", 0, false},  // leap years
		{"P2M", "P1M28D", 0, false}, // the second month may be 28 days
		{"PT0S", "P1M", -1, true},
	} {
		a, b := mustParse(tc.a), mustParse(tc.b)
		got, decided := a.Compare(b)
		if got != tc.want || decided != tc.decided {
			t.Errorf("%s.Compare(%s) = %d, %v; want %d, %v", tc.a, tc.b, got, decided, tc.want, tc.decided)
		}
		if back, _ := b.Compare(a); back != -tc.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tc.b, tc.a, back, -tc.want)
		}
	}
}

func TestStringSemanticEquals(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		prior, current string
		want           bool
	}{
		{"P1D", "PT24H", true},
		{"P1D", "PT1440M", true},
		{"PT24H", "PT1440M", true},
		{"P2W", "P14D", true},
		{"PT0S", "P0D", true},
		{"P14D", "p14d", true},
		{"P1Y", "P12M", true},
		{"PT1M", "PT60S", true},
		{"PT0.5S", "PT0.500S", true},
		{"P1M", "P30D", false},
		{"P1D", "PT23H", false},
		{"P14D", "P15D", false},
		{"P1X", "P1X", true}, // identical text, even if malformed
		{"P1X", "P1D", false},
	} {
		got, diags := NewDurationValue(tc.prior).StringSemanticEquals(ctx, NewDurationValue(tc.current))
		if diags.HasError() {
			t.Fatalf("%s vs %s: %v", tc.prior, tc.current, diags)
		}
		if got != tc.want {
			t.Errorf("%s semantically equals %s = %v, want %v", tc.prior, tc.current, got, tc.want)
		}
	}
	if _, diags := NewDurationValue("P1D").StringSemanticEquals(ctx, types.StringValue("P1D")); !diags.HasError() {
		t.Error("comparing with a plain string value: want an error diagnostic")
	}
}

func TestValidateAttribute(t *testing.T) {
	ctx := context.Background()
	attrPath := path.Root("expiration").AtName("duration")
	for _, tc := range []struct {
		value   Duration
		wantErr string
	}{
		{NewDurationValue("P14D"), ""},
		{NewDurationValue("p1dt12h"), ""},
		{NewDurationNull(), ""},
		{NewDurationUnknown(), ""},
		{NewDurationValue("P1X"), `"P1X" is not an ISO 8601 duration (unknown designator "X"); use forms like P14D, PT8H, P1DT12H, P2W.`},
		{NewDurationValue("PT"), `"PT" is not an ISO 8601 duration`},
		{NewDurationValue("14 days"), `"14 days" is not an ISO 8601 duration`},
	} {
		resp := xattr.ValidateAttributeResponse{}
		tc.value.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: attrPath}, &resp)
		if tc.wantErr == "" {
			if resp.Diagnostics.HasError() {
				t.Errorf("%s: unexpected %v", tc.value, resp.Diagnostics)
			}
			continue
		}
		if resp.Diagnostics.ErrorsCount() != 1 {
			t.Fatalf("%s: want one error, got %v", tc.value, resp.Diagnostics)
		}
		d := resp.Diagnostics.Errors()[0]
		withPath, ok := d.(interface{ Path() path.Path })
		if !ok || !withPath.Path().Equal(attrPath) {
			t.Errorf("%s: diagnostic not on %s: %v", tc.value, attrPath, d)
		}
		if !strings.Contains(d.Detail(), tc.wantErr) || !strings.Contains(d.Detail(), "expiration.duration") {
			t.Errorf("%s: detail %q, want it to name the path and contain %q", tc.value, d.Detail(), tc.wantErr)
		}
	}
}

func TestTypeRoundTrip(t *testing.T) {
	ctx := context.Background()
	got, err := DurationType{}.ValueFromTerraform(ctx, tftypes.NewValue(tftypes.String, "PT8H"))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(NewDurationValue("PT8H")) {
		t.Errorf("ValueFromTerraform = %#v", got)
	}
	if got.Equal(types.StringValue("PT8H")) {
		t.Error("a Duration must not equal a plain String")
	}
	if !got.Type(ctx).Equal(DurationType{}) || (DurationType{}).Equal(types.StringType) {
		t.Error("type equality")
	}
	s := "P1D"
	if !NewDurationPointerValue(&s).Equal(NewDurationValue("P1D")) || !NewDurationPointerValue(nil).IsNull() {
		t.Error("NewDurationPointerValue")
	}
}

func TestAtLeastAtMost(t *testing.T) {
	ctx := context.Background()
	attrPath := path.Root("duration_before_automatic_denial")
	for _, tc := range []struct {
		name    string
		v       validator.String
		value   types.String
		wantErr string
	}{
		{"at least met", AtLeast("P1D"), types.StringValue("PT24H"), ""},
		{"at least missed", AtLeast("P1D"), types.StringValue("PT23H"), "must be at least P1D, got \"PT23H\""},
		{"at least with months", AtLeast("P1D"), types.StringValue("P1M"), ""},
		{"at most met", AtMost("P14D"), types.StringValue("P2W"), ""},
		{"at most missed", AtMost("P14D"), types.StringValue("P15D"), "must be at most P14D, got \"P15D\""},
		// Months are not Edm.Duration: the type's own validation refuses them, the bound leaves them alone.
		{"at most months left to the type", AtMost("P30D"), types.StringValue("P1M"), ""},
		{"at most months decided left to the type", AtMost("P30D"), types.StringValue("P2M"), ""},
		{"malformed left to the type", AtMost("P14D"), types.StringValue("P1X"), ""},
		{"null", AtLeast("P1D"), types.StringNull(), ""},
		{"unknown", AtLeast("P1D"), types.StringUnknown(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := validator.StringResponse{}
			tc.v.ValidateString(ctx, validator.StringRequest{Path: attrPath, ConfigValue: tc.value}, &resp)
			if tc.wantErr == "" {
				if resp.Diagnostics.HasError() {
					t.Errorf("unexpected %v", resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("want one error, got %v", resp.Diagnostics)
			}
			detail := resp.Diagnostics.Errors()[0].Detail()
			if !strings.Contains(detail, tc.wantErr) || !strings.Contains(detail, attrPath.String()) {
				t.Errorf("detail %q, want the path and %q", detail, tc.wantErr)
			}
		})
	}
}

func TestLimitMustParse(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("AtLeast with a malformed limit did not panic")
		}
	}()
	AtLeast("14 days")
}
