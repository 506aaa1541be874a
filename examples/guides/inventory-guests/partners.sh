# The local API only: invite two Adatum consultants as guests and create a connected organization for
# Fabrikam, through Graph, as an administrator would. A real tenant has its own guests already.
token="$(curl -sS --fail --cacert "$SSL_CERT_FILE" "$ENTRAGOV_LOGIN_ENDPOINT/$ENTRAGOV_TENANT_ID/oauth2/v2.0/token" \
  -d grant_type=client_credentials -d client_id="$ENTRAGOV_CLIENT_ID" \
  --data-urlencode client_secret="$ENTRAGOV_CLIENT_SECRET" \
  --data-urlencode scope=https://graph.microsoft.com/.default | jq -r .access_token)"
graph() {
  curl -sS --fail --cacert "$SSL_CERT_FILE" -H "Authorization: Bearer $token" -H "Content-Type: application/json" "$@"
}
for mail in mary@adatum.com omar@adatum.com; do
  id="$(graph -d "{\"invitedUserEmailAddress\": \"$mail\", \"inviteRedirectUrl\": \"https://myapps.microsoft.com\"}" \
    "$ENTRAGOV_GRAPH_ENDPOINT/v1.0/invitations" | jq -r .invitedUser.id)"
  graph -X PATCH -d '{"companyName": "Adatum Corporation"}' "$ENTRAGOV_GRAPH_ENDPOINT/v1.0/users/$id"
done
graph -o /dev/null -d '{"displayName": "Fabrikam", "description": "Design agency", "state": "configured",
  "identitySources": [{"@odata.type": "#microsoft.graph.domainIdentitySource", "domainName": "fabrikam.com", "displayName": "Fabrikam"}]}' \
  "$ENTRAGOV_GRAPH_ENDPOINT/v1.0/identityGovernance/entitlementManagement/connectedOrganizations"
