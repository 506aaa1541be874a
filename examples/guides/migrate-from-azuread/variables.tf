# The group whose members the access package grants, and the group that approves requests.
variable "sales_group_id" {
  type = string
}

variable "approvers_group_id" {
  type = string
}
