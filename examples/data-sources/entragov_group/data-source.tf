data "entragov_group" "sales" {
  display_name = "Sales"
}

output "sales_member_count" {
  value = length(data.entragov_group.sales.member_ids)
}
