# The local API only: Omar follows the invitation link. Graph has no API for a guest's redemption, so the
# local API's control route plays his part.
omar="$(terraform show -json | jq -r '.values.root_module.resources[] | select(.address == "entragov_access_package_assignment.omar") | .values.target_id')"
curl -sS --fail --cacert "$SSL_CERT_FILE" -X POST "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/users/$omar/redeem"
