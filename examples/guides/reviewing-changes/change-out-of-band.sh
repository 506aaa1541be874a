# Someone turns approval off in the portal; here, through the local API's control API.
policy_id="$(terraform output -raw policy_id)"
curl -sS --fail --cacert "$SSL_CERT_FILE" -X PATCH -H "Content-Type: application/json" \
  -d '{"requestApprovalSettings": {"isApprovalRequiredForAdd": false, "stages": []}}' \
  "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/objects/assignmentPolicies/$policy_id"
