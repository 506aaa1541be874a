# Someone renames and unpublishes the catalog in the portal; here, through the local API's control API.
catalog_id="$(terraform output -raw catalog_id)"
curl -sS --fail --cacert "$SSL_CERT_FILE" -X PATCH -H "Content-Type: application/json" \
  -d '{"displayName": "Partner onboarding (old)", "state": "unpublished"}' \
  "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/objects/catalogs/$catalog_id"
