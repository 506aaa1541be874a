// Package review reads a saved Terraform plan (the JSON of `terraform show -json`) of entragov resources
// and reports the changes a governance reviewer has to look at: wider access, weaker approval, longer
// access, less oversight, lost separation of duties, weaker offboarding and destroyed objects that hold
// assignments, each ranked high, medium or low. The rules are data (rules.go); a rule's logic is a small
// function beside the others of its concern (rules_*.go). The command is cmd/entragov-review.
package review
