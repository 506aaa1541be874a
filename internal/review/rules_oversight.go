package review

import (
	"fmt"
	"strings"
)

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

// Access review series (entragov_access_review).

const accessReviewPattern = "settings.recurrence.pattern"

func checkAccessReviewDeleted(c *Change) []string {
	switch {
	case c.Source == SourceDrift && c.IsDelete():
		return []string{"the access review was deleted outside Terraform"}
	case c.IsDelete():
		return []string{fmt.Sprintf("access review %s deleted", c.show(true, "display_name"))}
	}
	return nil
}

// accessReviewPeriod is the days between two instances; false for a one-time review or an unknown pattern.
func accessReviewPeriod(c *Change, before bool) (float64, bool) {
	unit, ok := patternDays[c.str(before, accessReviewPattern+".type")]
	if !ok {
		return 0, false
	}
	interval, ok := c.number(before, accessReviewPattern+".interval")
	if !ok || interval < 1 {
		interval = 1
	}
	return unit * interval, true
}

func checkAccessReviewLessFrequent(c *Change) []string {
	if c.unknown(accessReviewPattern) {
		return nil
	}
	before, okB := accessReviewPeriod(c, true)
	after, okA := accessReviewPeriod(c, false)
	switch {
	case okB && okA && after > before:
		return []string{fmt.Sprintf("recurrence: every %s × %s → every %s × %s (about %g → %g days)",
			c.show(true, accessReviewPattern+".interval"), c.show(true, accessReviewPattern+".type"),
			c.show(false, accessReviewPattern+".interval"), c.show(false, accessReviewPattern+".type"), before, after)}
	case okB && !okA && c.value(false, accessReviewPattern) == nil && c.value(false, "settings") != nil:
		return []string{"recurrence: a recurring review becomes a one-time review"}
	}
	return nil
}

func checkAccessReviewAutoApply(c *Change) []string {
	const p = "settings.auto_apply_decisions_enabled"
	if c.unknown(p) {
		return nil
	}
	if c.isTrue(true, p) && c.isFalse(false, p) {
		return []string{c.diff(p)}
	}
	return nil
}

// approvesByDefault: a default decision is on and it is Approve.
func approvesByDefault(c *Change, before bool) bool {
	return c.isTrue(before, "settings.default_decision_enabled") && c.str(before, "settings.default_decision") == "Approve"
}

func checkAccessReviewDefaultApprove(c *Change) []string {
	if c.unknown("settings.default_decision") || c.unknown("settings.default_decision_enabled") {
		return nil
	}
	if approvesByDefault(c, false) && !approvesByDefault(c, true) {
		return []string{c.diff("settings.default_decision")}
	}
	return nil
}

func checkAccessReviewSelfReview(c *Change) []string {
	if c.unknown("reviewers") || c.value(false, "reviewers") == nil {
		return nil
	}
	before := c.list(true, "reviewers")
	if len(before) > 0 && len(c.list(false, "reviewers")) == 0 {
		var queries []string
		for _, r := range before {
			if m, ok := r.(map[string]any); ok {
				q, _ := m["query"].(string)
				queries = append(queries, q)
			}
		}
		return []string{fmt.Sprintf("reviewers: %s → the reviewed people themselves", strings.Join(queries, ", "))}
	}
	return nil
}
