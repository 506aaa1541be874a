# Grant Graph application permissions to the managed identity's service principal (the portal has no page for
# this). Run it as a Privileged Role Administrator; <managed identity object id> is its "Object (principal) ID".
graph_sp="$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query id --output tsv)"
for permission in EntitlementManagement.ReadWrite.All LifecycleWorkflows.ReadWrite.All; do
  role_id="$(az ad sp show --id 00000003-0000-0000-c000-000000000000 \
    --query "appRoles[?value=='$permission'].id | [0]" --output tsv)"
  az rest --method POST \
    --uri "https://graph.microsoft.com/v1.0/servicePrincipals/<managed identity object id>/appRoleAssignments" \
    --body "{\"principalId\": \"<managed identity object id>\", \"resourceId\": \"$graph_sp\", \"appRoleId\": \"$role_id\"}"
done
