# ... or as a file the provider reads again whenever it needs a new Graph token, so a token that its issuer
# rotates on disk (a Kubernetes projected service account token, for example) keeps working.
export ENTRAGOV_TENANT_ID="<tenant id>"
export ENTRAGOV_CLIENT_ID="<application (client) id>"
export ENTRAGOV_OIDC_TOKEN_FILE_PATH="$PWD/token.jwt"
