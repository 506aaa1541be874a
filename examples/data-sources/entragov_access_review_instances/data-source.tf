data "entragov_group" "project_falcon" {
  display_name = "Project Falcon"
}

resource "entragov_access_review" "falcon_guests" {
  display_name = "Fabrikam guests in Project Falcon (quarterly)"
  scope = {
    type  = "accessReviewQueryScope"
    query = "/groups/${data.entragov_group.project_falcon.id}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')"
  }
  reviewers = [{ query = "./sponsors", query_root = "decisions" }]
  settings = {
    instance_duration_in_days    = 14
    default_decision_enabled     = true
    default_decision             = "Deny"
    auto_apply_decisions_enabled = true
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }
}

# The review's instances with their decision counts, e.g. to report which quarter's review removed
# whom, or to alert while a review is still in progress with nobody reviewed.
data "entragov_access_review_instances" "falcon_guests" {
  access_review_id = entragov_access_review.falcon_guests.id
}

output "falcon_reviews_in_progress" {
  value = [for i in data.entragov_access_review_instances.falcon_guests.instances : i.id if i.status == "InProgress"]
}

output "falcon_guests_denied" {
  value = flatten(data.entragov_access_review_instances.falcon_guests.instances[*].denied_principal_ids)
}
