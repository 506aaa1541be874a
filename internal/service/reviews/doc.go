// Package reviews holds the access review resources and data sources: access review series
// (Graph accessReviewScheduleDefinition, /identityGovernance/accessReviews/definitions), such as the
// periodic review of guests in groups and access packages. The reviews' instances and decisions, which
// follow the clock, are Graph's run of a series and not configuration.
package reviews
