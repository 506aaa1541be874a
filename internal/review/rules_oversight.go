package review

import "fmt"

const reviewSettings = "review_settings"

// reviewsOn is true when the policy has review settings that are not turned off (enabled defaults to true).
func reviewsOn(c *Change, before bool) bool {
	if c.value(before, reviewSettings) == nil {
		return false
	}
	v, ok := c.boolean(before, reviewSettings+".enabled")
	return !ok || v
}

func checkReviewsDisabled(c *Change) []string {
	if c.unknown(reviewSettings) || c.unknown(reviewSettings+".enabled") {
		return nil
	}
	if reviewsOn(c, true) && !reviewsOn(c, false) {
		if c.value(false, reviewSettings) == nil {
			return []string{"review_settings removed"}
		}
		return []string{c.diff(reviewSettings + ".enabled")}
	}
	return nil
}

// patternDays is the approximate length in days of one unit of each recurrence pattern type.
var patternDays = map[string]float64{
	"daily": 1, "weekly": 7, "absoluteMonthly": 30, "relativeMonthly": 30, "absoluteYearly": 365, "relativeYearly": 365,
}

const reviewPattern = reviewSettings + ".schedule.recurrence.pattern"

// reviewPeriod is the days between two reviews, false when the schedule has no pattern it knows.
func reviewPeriod(c *Change, before bool) (float64, bool) {
	unit, ok := patternDays[c.str(before, reviewPattern+".type")]
	if !ok {
		return 0, false
	}
	interval, ok := c.number(before, reviewPattern+".interval")
	if !ok || interval < 1 {
		interval = 1
	}
	return unit * interval, true
}

func checkReviewsLessFrequent(c *Change) []string {
	if !reviewsOn(c, true) || !reviewsOn(c, false) || c.unknown(reviewPattern) {
		return nil
	}
	before, okB := reviewPeriod(c, true)
	after, okA := reviewPeriod(c, false)
	if okB && okA && after > before {
		return []string{fmt.Sprintf("review recurrence: every %s × %s → every %s × %s (about %g → %g days)",
			c.show(true, reviewPattern+".interval"), c.show(true, reviewPattern+".type"),
			c.show(false, reviewPattern+".interval"), c.show(false, reviewPattern+".type"), before, after)}
	}
	return nil
}

func checkReviewAutoApply(c *Change) []string {
	const p = reviewSettings + ".expiration_behavior"
	if !reviewsOn(c, false) || c.unknown(p) {
		return nil
	}
	if b := c.str(true, p); (b == "removeAccess" || b == "acceptAccessRecommendation") && c.str(false, p) == "keepAccess" {
		return []string{c.diff(p)}
	}
	return nil
}

// selfReviewOnly: assigned users review themselves and nobody else is a primary reviewer.
func selfReviewOnly(c *Change, before bool) bool {
	return c.isTrue(before, reviewSettings+".self_review") && len(c.list(before, reviewSettings+".primary_reviewers")) == 0
}

func checkSelfReview(c *Change) []string {
	if !reviewsOn(c, false) || c.unknown(reviewSettings+".primary_reviewers") {
		return nil
	}
	if selfReviewOnly(c, false) && !selfReviewOnly(c, true) {
		return []string{fmt.Sprintf("reviewers: %s → the assigned users themselves",
			describeSubjects(c.list(true, reviewSettings+".primary_reviewers")))}
	}
	return nil
}
