# A federated token issued by another identity provider, passed as a value ...
export ENTRAGOV_TENANT_ID="<tenant id>"
export ENTRAGOV_CLIENT_ID="<application (client) id>"
export ENTRAGOV_OIDC_TOKEN="$(cat token.jwt)"
