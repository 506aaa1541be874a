# Rename and unpublish the catalog behind Terraform's back (a JSON merge patch, not validated).
catalog_id="$(terraform output -raw catalog_id)"
curl -sS --fail --cacert "$SSL_CERT_FILE" -X PATCH \
  -H "Content-Type: application/json" \
  -d '{"displayName": "Sandbox (renamed by hand)", "state": "unpublished"}' \
  "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/objects/catalogs/$catalog_id"
