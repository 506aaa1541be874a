package review

import (
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
)

// expiring are the expiration types under which assignments end by themselves.
var expiring = map[string]bool{"afterDuration": true, "afterDateTime": true}

func checkExpirationRemoved(c *Change) []string {
	const p = "expiration.type"
	if c.unknown(p) {
		return nil
	}
	if expiring[c.str(true, p)] && !expiring[c.str(false, p)] {
		return []string{c.diff(p)}
	}
	return nil
}

func checkExpirationLengthened(c *Change) []string {
	const typ, dur, end = "expiration.type", "expiration.duration", "expiration.end_date_time"
	if c.str(true, typ) != c.str(false, typ) || c.unknown(dur) || c.unknown(end) {
		return nil
	}
	switch c.str(false, typ) {
	case "afterDuration":
		if longer(c.str(true, dur), c.str(false, dur)) {
			return []string{c.diff(dur)}
		}
	case "afterDateTime":
		b, errB := time.Parse(time.RFC3339, c.str(true, end))
		a, errA := time.Parse(time.RFC3339, c.str(false, end))
		if errB == nil && errA == nil && a.After(b) {
			return []string{c.diff(end)}
		}
	}
	return nil
}

// longer compares two ISO 8601 durations; durations that cannot be parsed or ordered (P1M against P30D)
// are not reported.
func longer(before, after string) bool {
	b, errB := isoduration.Parse(before)
	a, errA := isoduration.Parse(after)
	if errB != nil || errA != nil {
		return false
	}
	cmp, decided := a.Compare(b)
	return decided && cmp > 0
}

func checkExtension(c *Change) []string {
	var out []string
	for _, p := range []string{"requestor_settings.enable_targets_to_self_update_access", "requestor_settings.enable_on_behalf_requestors_to_update_access"} {
		if c.isFalse(true, p) && c.isTrue(false, p) {
			out = append(out, c.diff(p))
		}
	}
	return out
}

func checkCustomSchedule(c *Change) []string {
	const p = "requestor_settings.allow_custom_assignment_schedule"
	if c.isFalse(true, p) && c.isTrue(false, p) {
		return []string{c.diff(p)}
	}
	return nil
}
