package isoduration

import (
	"fmt"
	"strconv"
	"strings"
)

// Graph's durations are Edm.Duration: days, hours, minutes and seconds only, the xs:dayTimeDuration form
// of ISO 8601 (OData CSDL XML 4.01, section 4.4 Primitive Types:
// https://docs.oasis-open.org/odata/odata-csdl-xml/v4.01/odata-csdl-xml-v4.01.html#sec_PrimitiveTypes).
// Weeks are exact (7 days) and are sent as days; months and years have no fixed length and are refused.

// EdmError explains why a duration that parses is not an Edm.Duration, or returns nil when it is one or
// can be written as one (weeks). A value that does not parse is left to Parse's error.
func EdmError(s string) error {
	if calendarMonths(s) == 0 {
		return nil
	}
	years, months := calendarDesignators(s)
	unit, example := "months", `"P30D"`
	switch {
	case years && months:
		unit, example = "years and months", `"P365D"`
	case years:
		unit, example = "years", `"P365D"`
	}
	return fmt.Errorf("%q is not an Edm.Duration: %s have no fixed length; write days, e.g. %s", s, unit, example)
}

// ToEdm returns the spelling of s that Graph accepts: s itself (upper case) when it is already an
// Edm.Duration, or its length in days, hours, minutes and seconds when it uses weeks (P2W -> P14D) or
// zero years or months (P0Y1D -> P1D). It fails as EdmError does, and on a value that does not parse.
func ToEdm(s string) (string, error) {
	p, err := Parse(s)
	if err != nil {
		return "", err
	}
	if err := EdmError(s); err != nil {
		return "", err
	}
	upper := strings.ToUpper(s)
	datePart, _, _ := strings.Cut(upper, "T")
	if !strings.ContainsAny(datePart, "YMW") {
		return upper, nil
	}
	return p.edm(), nil
}

// edm writes the fixed part as P[n]DT[n]H[n]M[n[.f]]S, omitting zero components; zero is PT0S.
func (p Parsed) edm() string {
	days := p.wholeSeconds / secondsPerDay
	rest := p.wholeSeconds % secondsPerDay
	hours, rest := rest/secondsPerHour, rest%secondsPerHour
	minutes, seconds := rest/secondsPerMinute, rest%secondsPerMinute
	var b strings.Builder
	b.WriteString("P")
	if days > 0 {
		b.WriteString(strconv.FormatInt(days, 10) + "D")
	}
	if hours > 0 || minutes > 0 || seconds > 0 || p.nanos > 0 || days == 0 {
		b.WriteString("T")
		if hours > 0 {
			b.WriteString(strconv.FormatInt(hours, 10) + "H")
		}
		if minutes > 0 {
			b.WriteString(strconv.FormatInt(minutes, 10) + "M")
		}
		if seconds > 0 || p.nanos > 0 || (hours == 0 && minutes == 0) {
			b.WriteString(strconv.FormatInt(seconds, 10))
			if p.nanos > 0 {
				b.WriteString("." + strings.TrimRight(fmt.Sprintf("%09d", p.nanos), "0"))
			}
			b.WriteString("S")
		}
	}
	return b.String()
}

// calendarMonths is the calendar part of a duration, 0 when there is none or s does not parse (Parse's
// error is then the one to report).
func calendarMonths(s string) int64 {
	p, err := Parse(s)
	if err != nil {
		return 0
	}
	return p.months
}

// calendarDesignators reports whether the date part of a duration (before "T") has years or months.
func calendarDesignators(s string) (years, months bool) {
	datePart, _, _ := strings.Cut(strings.ToUpper(s), "T")
	return strings.Contains(datePart, "Y"), strings.Contains(datePart, "M")
}

// EdmValue is the value to send to Graph (see ToEdm). A null or unknown value, or one that ToEdm refuses
// (its validation has reported it at plan), is returned as it is.
func (v Duration) EdmValue() string {
	if v.IsNull() || v.IsUnknown() {
		return v.ValueString()
	}
	s, err := ToEdm(v.ValueString())
	if err != nil {
		return v.ValueString()
	}
	return s
}

// EdmPointer is EdmValue for Graph's nullable durations: nil when the value is null or unknown.
func (v Duration) EdmPointer() *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.EdmValue()
	return &s
}
