resource "entragov_catalog" "procurement" {
  display_name = "Procurement"
  description  = "Purchasing and invoice approval"
}

resource "entragov_access_package" "buyer" {
  catalog_id   = entragov_catalog.procurement.id
  display_name = "Buyer"
  description  = "Raise purchase orders"
}

resource "entragov_access_package" "invoice_approver" {
  catalog_id   = entragov_catalog.procurement.id
  display_name = "Invoice approver"
  description  = "Approve supplier invoices"
}

# Nobody may both buy and approve invoices: each package excludes holders of the other.
resource "entragov_access_package_incompatibility" "buyer_excludes_approvers" {
  access_package_id              = entragov_access_package.buyer.id
  incompatible_access_package_id = entragov_access_package.invoice_approver.id
}

resource "entragov_access_package_incompatibility" "approver_excludes_buyers" {
  access_package_id              = entragov_access_package.invoice_approver.id
  incompatible_access_package_id = entragov_access_package.buyer.id
}
