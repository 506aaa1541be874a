package isoduration

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fuzzSeeds are the inputs of the table tests in isoduration_test.go (valid, invalid, Normalize,
// IsZero, Compare and semantic-equality cases), so the fuzzers start from every shape the tests know.
var fuzzSeeds = []string{
	// TestParseValid
	"P14D", "PT8H", "P1DT12H", "P2W", "PT0S", "P0D", "P365D", "P1Y", "P1Y2M", "P1M", "P1Y2M3W4DT5H6M7S",
	"PT1440M", "PT90S", "PT1.5S", "PT0,25S", "PT0.1234567S", "p14d", "P1dt2h", "P1W1D", "P1MT1M", "P0010D",
	// TestParseInvalid
	"", "P", "PT", "P1DT", "14D", " P1D", "P1D ", "-P1D", "P-1D", "P1X", "P1H", "P1S", "PT1D", "PT1W", "P1D1D",
	"P1D1Y", "PT1S1H", "P1DT1HT1M", "P1", "PD", "PT.5S", "P1.5D", "PT1.5H", "PT1.S", "PT0.1234567891S",
	"P99999999999999999999D", "P999999999999999D", "PT8H30",
	// TestNormalize, TestIsZero, TestCompare, TestStringSemanticEquals, TestValidateAttribute
	"P1dT2h", "p1x", "P0Y0M", "PT0.000000001S", "PT24H", "PT23H", "PT0.5S", "PT1S", "P1M1D", "P1D", "P32D",
	"P300D", "P30D", "P1M28D", "P2M", "PT1M", "PT60S", "PT0.500S", "P15D", "P12M", "p1dt12h", "14 days",
	// Limits of the arithmetic: the largest representable lengths and one past them.
	"PT9223372036854775807S", "PT9223372036854775808S", "P9223372036854775807M", "P768614336404564650Y",
	"PT9223372036854775807.999999999S", "P15250284452471W", "P106751991167300D",
}

// FuzzParse checks, for any text: Parse never panics; ValidateAttribute rejects exactly what Parse rejects
// (one error, on the attribute's path); Edm rejects exactly the parsed durations with months or years; Normalize leaves rejected text alone and, for accepted text, is
// idempotent, only changes letter case and keeps the parsed length; the normalized spelling is
// semantically equal to the original in both directions.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	ctx := context.Background()
	attrPath := path.Root("expiration").AtName("duration")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)

		resp := xattr.ValidateAttributeResponse{}
		NewDurationValue(s).ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: attrPath}, &resp)
		if err == nil && resp.Diagnostics.HasError() {
			t.Fatalf("Parse(%q) accepts it but ValidateAttribute reports %v", s, resp.Diagnostics)
		}
		// Months and years parse but are not Edm.Duration: the Edm validator refuses exactly those, with
		// one error on the path.
		edmResp := validator.StringResponse{}
		Edm().ValidateString(ctx, validator.StringRequest{Path: attrPath, ConfigValue: types.StringValue(s)}, &edmResp)
		if refused := err == nil && EdmError(s) != nil; refused != edmResp.Diagnostics.HasError() ||
			(refused && (len(edmResp.Diagnostics) != 1 || !strings.Contains(edmResp.Diagnostics[0].Detail(), "is not an Edm.Duration"))) {
			t.Fatalf("Edm(%q): %v, want an error exactly when Parse accepts it with months or years", s, edmResp.Diagnostics)
		}
		if err != nil {
			if resp.Diagnostics.ErrorsCount() != 1 || len(resp.Diagnostics) != 1 {
				t.Fatalf("Parse(%q) = %v, but ValidateAttribute reports %v (want exactly one error)", s, err, resp.Diagnostics)
			}
			d := resp.Diagnostics.Errors()[0]
			withPath, ok := d.(interface{ Path() path.Path })
			if !ok || !withPath.Path().Equal(attrPath) {
				t.Fatalf("ValidateAttribute(%q): diagnostic not on %s: %v", s, attrPath, d)
			}
			if got := Normalize(s); got != s {
				t.Fatalf("Normalize(%q) = %q, want rejected text unchanged", s, got)
			}
			return
		}

		again, _ := Parse(s)
		if !p.Equal(again) {
			t.Fatalf("Parse(%q) is not equal to itself parsed again", s)
		}
		if cmp, decided := p.Compare(again); cmp != 0 || !decided {
			t.Fatalf("Parse(%q).Compare(itself) = %d, %v", s, cmp, decided)
		}
		if p.Months() < 0 || p.Seconds() < 0 {
			t.Fatalf("Parse(%q) is negative: %d months, %v seconds", s, p.Months(), p.Seconds())
		}

		n := Normalize(s)
		if n != strings.ToUpper(s) || len(n) != len(s) {
			t.Fatalf("Normalize(%q) = %q, want the same text in upper case", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize is not idempotent: %q -> %q -> %q", s, n, again)
		}
		pn, err := Parse(n)
		if err != nil {
			t.Fatalf("Parse(Normalize(%q)) = Parse(%q) fails: %v", s, n, err)
		}
		if !pn.Equal(p) {
			t.Fatalf("Parse(Normalize(%q)) = %+v, want Parse(%q) = %+v", s, pn, s, p)
		}
		for _, pair := range [][2]string{{s, n}, {n, s}} {
			eq, diags := NewDurationValue(pair[0]).StringSemanticEquals(ctx, NewDurationValue(pair[1]))
			if diags.HasError() || !eq {
				t.Fatalf("%q semantically equals %q = %v %v, want true", pair[0], pair[1], eq, diags)
			}
		}
	})
}

// FuzzSemanticEquals checks, for any two texts: StringSemanticEquals never panics or errors, is symmetric,
// is true for identical text, and otherwise agrees with Parse: true exactly when both parse to equal
// lengths. Compare agrees with Equal (decided 0 exactly for equal lengths) and is antisymmetric.
func FuzzSemanticEquals(f *testing.F) {
	pairs := [][2]string{
		{"P1D", "PT24H"}, {"P1D", "PT1440M"}, {"PT24H", "PT1440M"}, {"P2W", "P14D"}, {"PT0S", "P0D"},
		{"P14D", "p14d"}, {"P1Y", "P12M"}, {"PT1M", "PT60S"}, {"PT0.5S", "PT0.500S"}, {"P1M", "P30D"},
		{"P1D", "PT23H"}, {"P14D", "P15D"}, {"P1X", "P1X"}, {"P1X", "P1D"}, {"PT0.5S", "PT1S"},
		{"P1M", "P1M1D"}, {"P1M", "P1D"}, {"P1M", "P32D"}, {"P1Y", "P300D"}, {"P1Y", "P365D"},
		{"P2M", "P1M28D"}, {"PT0S", "P1M"}, {"PT0,25S", "PT0.25S"}, {"PT1.5S", "PT1,5S"},
	}
	for _, p := range pairs {
		f.Add(p[0], p[1])
	}
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i+7)%len(fuzzSeeds)])
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, diags := NewDurationValue(a).StringSemanticEquals(ctx, NewDurationValue(b))
		if diags.HasError() {
			t.Fatalf("%q vs %q: %v", a, b, diags)
		}
		ba, diags := NewDurationValue(b).StringSemanticEquals(ctx, NewDurationValue(a))
		if diags.HasError() {
			t.Fatalf("%q vs %q: %v", b, a, diags)
		}
		if ab != ba {
			t.Fatalf("not symmetric: %q ~ %q = %v, %q ~ %q = %v", a, b, ab, b, a, ba)
		}
		if a == b {
			if !ab {
				t.Fatalf("identical text %q is not semantically equal to itself", a)
			}
			return
		}
		pa, errA := Parse(a)
		pb, errB := Parse(b)
		if errA != nil || errB != nil {
			if ab {
				t.Fatalf("%q ~ %q = true although one does not parse (%v, %v)", a, b, errA, errB)
			}
			return
		}
		if ab != pa.Equal(pb) {
			t.Fatalf("%q ~ %q = %v, but Parse equality is %v", a, b, ab, pa.Equal(pb))
		}
		cmp, decided := pa.Compare(pb)
		back, backDecided := pb.Compare(pa)
		if decided != backDecided || (decided && cmp != -back) {
			t.Fatalf("Compare not antisymmetric: %q vs %q = %d,%v; reverse %d,%v", a, b, cmp, decided, back, backDecided)
		}
		if (decided && cmp == 0) != pa.Equal(pb) {
			t.Fatalf("%q vs %q: Compare = %d,%v but Equal = %v", a, b, cmp, decided, pa.Equal(pb))
		}
	})
}
