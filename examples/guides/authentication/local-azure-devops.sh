# What Azure Pipelines sets in every job, pointed at the local API's imitation of Azure DevOps. Its tokens have
# the issuer https://vstoken.dev.azure.com/c0ffee00-1234-4abc-8def-0123456789ab and the subject
# sc://entragov/governance/entragov-local, which the admin application trusts.
export SYSTEM_OIDCREQUESTURI="$ENTRAGOV_LOGIN_ENDPOINT/_emulator/federation/azuredevops"
