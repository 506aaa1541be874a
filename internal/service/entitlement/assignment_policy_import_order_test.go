package entitlement_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// Subject sets (and custom extension stage settings) are sets to Graph (no Core.Ordered in the v1.0 metadata), and Graph may answer them in
// another order than they were sent (make testnormalised reverses them). Read keeps the order of the prior
// state (internal/framework/subjectset.Flatten), but an import has no prior state: it records Graph's
// order, which a configuration's list may not share. Under the normalised answers the import is therefore
// verified with the subject set lists compared as sets (importedSubjectSetsMatch), and only their order is
// left out of ImportStateVerify.

// subjectSetList matches the flatmap key of one field of a subject set list element.
var subjectSetList = regexp.MustCompile(`^(.*\.(?:primary_approvers|fallback_primary_approvers|escalation_approvers|fallback_escalation_approvers|primary_reviewers|fallback_reviewers|on_behalf_requestors)|specific_allowed_targets|custom_extension_stage_settings)\.(\d+)\.(.+)$`)

// importOrderIgnore is what ImportStateVerify leaves to importedSubjectSetsMatch: the subject set lists,
// under the normalised answers only.
func importOrderIgnore(ignore []string) []string {
	if !acctest.NormalisedEnabled() {
		return ignore
	}
	return append(append([]string{}, ignore...),
		"specific_allowed_targets.", "custom_extension_stage_settings.", "requestor_settings.on_behalf_requestors.",
		"request_approval_settings.stages.", "review_settings.primary_reviewers.", "review_settings.fallback_reviewers.")
}

// subjectSetsOf is every subject set list of a flatmap state as sorted element strings, and the other
// attributes under the ignored prefixes as they are. skip names the fields ("list field") that the
// scenario's own importIgnore leaves out.
func subjectSetsOf(attrs map[string]string, skip map[string]bool) map[string]string {
	elems := map[string]map[string][]string{} // list -> index -> fields
	out := map[string]string{}
	for k, v := range attrs {
		if m := subjectSetList.FindStringSubmatch(k); m != nil {
			if skip[m[1]+" "+m[3]] {
				continue
			}
			if elems[m[1]] == nil {
				elems[m[1]] = map[string][]string{}
			}
			elems[m[1]][m[2]] = append(elems[m[1]][m[2]], m[3]+"="+v)
			continue
		}
		out[k] = v
	}
	for list, byIndex := range elems {
		var all []string
		for _, fields := range byIndex {
			sort.Strings(fields)
			all = append(all, strings.Join(fields, ","))
		}
		sort.Strings(all)
		out[list+" (as a set)"] = strings.Join(all, " | ")
	}
	return out
}

// importedSubjectSetsMatch compares, under the normalised answers, the attributes importOrderIgnore left
// out of ImportStateVerify, with the subject set lists as sets. applied is the state before the import.
// ignore is the scenario's own importIgnore (fields of a list element are left out of every element).
func importedSubjectSetsMatch(applied *map[string]string, ignore []string) func([]*terraform.InstanceState) error {
	return func(states []*terraform.InstanceState) error {
		if !acctest.NormalisedEnabled() {
			return nil
		}
		if len(states) != 1 {
			return fmt.Errorf("imported %d instances, want 1", len(states))
		}
		skip := map[string]bool{}
		for _, k := range ignore {
			if m := subjectSetList.FindStringSubmatch(k); m != nil {
				skip[m[1]+" "+m[3]] = true
			}
		}
		want, got := subjectSetsOf(onlyIgnored(*applied), skip), subjectSetsOf(onlyIgnored(states[0].Attributes), skip)
		for k, v := range want {
			if got[k] != v {
				return fmt.Errorf("after import %s = %q, want %q", k, got[k], v)
			}
		}
		for k, v := range got {
			if _, ok := want[k]; !ok {
				return fmt.Errorf("after import %s = %q, which the applied state does not have", k, v)
			}
		}
		return nil
	}
}

func onlyIgnored(attrs map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range attrs {
		for _, p := range importOrderIgnore(nil) {
			if strings.HasPrefix(k, p) {
				out[k] = v
				break
			}
		}
	}
	return out
}

// captureAttributes records the flatmap state of address, for importedSubjectSetsMatch.
func captureAttributes(address string, into *map[string]string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s not in state", address)
		}
		*into = rs.Primary.Attributes
		return nil
	}
}
