// Package isoduration is the ISO 8601 duration attribute type. Graph echoes durations in a spelling of its
// own choosing (P1D may come back as PT24H), so values compare by length, not by text, and the configured
// spelling stays in state.
package isoduration

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Parsed is a duration split into the part whose length depends on the calendar (months) and the part
// that is a fixed number of seconds. A day is 24 hours and a week 7 days: Graph works in UTC.
type Parsed struct {
	months       int64 // years*12 + months
	wholeSeconds int64 // weeks, days, hours, minutes and seconds
	nanos        int64 // fraction of a second, 0..999999999
}

const (
	secondsPerMinute = 60
	secondsPerHour   = 60 * secondsPerMinute
	secondsPerDay    = 24 * secondsPerHour
	secondsPerWeek   = 7 * secondsPerDay
	maxFractionDigit = 9 // nanoseconds
)

// Each designator's place in P[n]Y[n]M[n]W[n]DT[n]H[n]M[n]S; a component must come after the one before.
const (
	rankYear = iota + 1
	rankMonth
	rankWeek
	rankDay
	rankHour
	rankMinute
	rankSecond
)

// Parse reads an ISO 8601 duration such as P14D, PT8H, P1DT12H or P2W. Designators may be lower case;
// only seconds may have a fraction; negative durations are rejected because no Graph duration is negative.
func Parse(s string) (Parsed, error) {
	var p Parsed
	switch {
	case s == "":
		return p, errors.New("it is empty")
	case s[0] == '-':
		return p, errors.New("negative durations are not allowed")
	case s[0] != 'P' && s[0] != 'p':
		return p, errors.New(`it must start with "P"`)
	}
	rest := s[1:]
	if rest == "" {
		return p, errors.New(`"P" needs at least one component`)
	}
	inTime, timeComponents, lastRank := false, 0, 0
	for rest != "" {
		if rest[0] == 'T' || rest[0] == 't' {
			if inTime {
				return p, errors.New(`"T" appears twice`)
			}
			inTime, rest = true, rest[1:]
			continue
		}
		if rest[0] == '-' {
			return p, errors.New("negative durations are not allowed")
		}
		number, fraction, n := scanNumber(rest)
		if number == "" {
			return p, fmt.Errorf("expected a number at %q", rest)
		}
		rest = rest[n:]
		if rest == "" {
			return p, fmt.Errorf("%s has no designator", number)
		}
		designator := strings.ToUpper(rest[:1])
		rest = rest[1:]
		rank, err := designatorRank(designator, inTime)
		if err != nil {
			return p, err
		}
		if rank <= lastRank {
			return p, fmt.Errorf("%q is repeated or out of order (the order is Y M W D T H M S)", designator)
		}
		lastRank = rank
		if inTime {
			timeComponents++
		}
		if fraction != "" && rank != rankSecond {
			return p, fmt.Errorf("only seconds may have a fraction, not %s%s", number+fraction, designator)
		}
		if err := p.add(rank, number, fraction); err != nil {
			return p, err
		}
	}
	if inTime && timeComponents == 0 {
		return p, errors.New(`"T" must be followed by hours, minutes or seconds`)
	}
	return p, nil
}

// scanNumber reads leading digits and an optional fraction (ISO allows '.' or ',').
func scanNumber(s string) (number, fraction string, n int) {
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	number = s[:n]
	if number == "" || n == len(s) || (s[n] != '.' && s[n] != ',') {
		return number, "", n
	}
	start := n
	n++
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return number, s[start:n], n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func designatorRank(designator string, inTime bool) (int, error) {
	if inTime {
		switch designator {
		case "H":
			return rankHour, nil
		case "M":
			return rankMinute, nil
		case "S":
			return rankSecond, nil
		case "Y", "W", "D":
			return 0, fmt.Errorf("%q belongs before \"T\"", designator)
		}
	} else {
		switch designator {
		case "Y":
			return rankYear, nil
		case "M":
			return rankMonth, nil
		case "W":
			return rankWeek, nil
		case "D":
			return rankDay, nil
		case "H", "S":
			return 0, fmt.Errorf("%q belongs after \"T\"", designator)
		}
	}
	return 0, fmt.Errorf("unknown designator %q", designator)
}

func (p *Parsed) add(rank int, number, fraction string) error {
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is too large", number)
	}
	var ok bool
	switch rank {
	case rankYear:
		p.months, ok = mulAdd(p.months, n, 12)
	case rankMonth:
		p.months, ok = mulAdd(p.months, n, 1)
	case rankWeek:
		p.wholeSeconds, ok = mulAdd(p.wholeSeconds, n, secondsPerWeek)
	case rankDay:
		p.wholeSeconds, ok = mulAdd(p.wholeSeconds, n, secondsPerDay)
	case rankHour:
		p.wholeSeconds, ok = mulAdd(p.wholeSeconds, n, secondsPerHour)
	case rankMinute:
		p.wholeSeconds, ok = mulAdd(p.wholeSeconds, n, secondsPerMinute)
	case rankSecond:
		p.wholeSeconds, ok = mulAdd(p.wholeSeconds, n, 1)
		if ok && fraction != "" {
			p.nanos, err = parseNanos(fraction)
		}
	}
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("it is too long to represent")
	}
	return nil
}

// parseNanos reads ".5" or ",5" as 500000000 nanoseconds.
func parseNanos(fraction string) (int64, error) {
	digits := fraction[1:]
	if digits == "" {
		return 0, fmt.Errorf("%q has no digits after the decimal sign", fraction)
	}
	if len(digits) > maxFractionDigit {
		return 0, fmt.Errorf("more than %d fractional digits in %q", maxFractionDigit, fraction)
	}
	digits += strings.Repeat("0", maxFractionDigit-len(digits))
	return strconv.ParseInt(digits, 10, 64)
}

// mulAdd returns acc + n*unit and false when that overflows int64.
func mulAdd(acc, n, unit int64) (int64, bool) {
	if n > (math.MaxInt64-acc)/unit {
		return 0, false
	}
	return acc + n*unit, true
}

// Normalize returns s with upper-case designators ("p14d" -> "P14D"); a value that is not a duration is
// returned unchanged so that the caller's validation reports it as written.
func Normalize(s string) string {
	if _, err := Parse(s); err != nil {
		return s
	}
	return strings.ToUpper(s)
}

// Months is the calendar part: years*12 + months.
func (p Parsed) Months() int64 { return p.months }

// Seconds is the fixed part (weeks, days, hours, minutes, seconds) in seconds.
func (p Parsed) Seconds() float64 { return float64(p.wholeSeconds) + float64(p.nanos)/1e9 }

// IsZero reports a zero-length duration (PT0S, P0D, P0M).
func (p Parsed) IsZero() bool { return p.months == 0 && p.wholeSeconds == 0 && p.nanos == 0 }

// Equal reports whether two durations have the same length: P1D equals PT24H and P1Y equals P12M, but P1M
// does not equal P30D because a month's length depends on the date it is counted from.
func (p Parsed) Equal(other Parsed) bool { return p == other }

// Compare returns -1, 0 or +1 as p is shorter than, as long as, or longer than other. decided is false
// when the answer depends on which months are counted (P1M against P30D): with different month counts the
// result is decided only if every month length from 28 to 31 days gives the same answer.
func (p Parsed) Compare(other Parsed) (result int, decided bool) {
	if p.months == other.months {
		return p.fixedNanos().Cmp(other.fixedNanos()), true
	}
	pShortest, pLongest := p.boundsNanos()
	oShortest, oLongest := other.boundsNanos()
	switch {
	case pLongest.Cmp(oShortest) < 0:
		return -1, true
	case pShortest.Cmp(oLongest) > 0:
		return 1, true
	}
	return 0, false
}

func (p Parsed) fixedNanos() *big.Int {
	n := big.NewInt(p.wholeSeconds)
	n.Mul(n, big.NewInt(1e9))
	return n.Add(n, big.NewInt(p.nanos))
}

// boundsNanos is the shortest and longest the duration can be, counting a month as 28 and 31 days.
func (p Parsed) boundsNanos() (shortest, longest *big.Int) {
	monthNanos := func(days int64) *big.Int {
		n := big.NewInt(p.months)
		n.Mul(n, big.NewInt(days*secondsPerDay))
		return n.Mul(n, big.NewInt(1e9))
	}
	fixed := p.fixedNanos()
	shortest = monthNanos(28)
	longest = monthNanos(31)
	return shortest.Add(shortest, fixed), longest.Add(longest, fixed)
}
