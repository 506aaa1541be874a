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
    instance_duration_in_days = 14
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3 }
      range   = { type = "noEnd", start_date = "2027-01-01" }
    }
  }
}

# A review series by its id, e.g. to report when its guests were last attested.
data "entragov_access_review" "falcon_guests" {
  id = entragov_access_review.falcon_guests.id
}

output "falcon_review_status" {
  value = data.entragov_access_review.falcon_guests.status
}
