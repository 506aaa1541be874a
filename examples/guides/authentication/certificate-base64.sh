# The file's content, base64-encoded: handy for CI secrets. (GNU base64; on macOS: base64 -i client.pfx)
export ENTRAGOV_TENANT_ID="<tenant id>"
export ENTRAGOV_CLIENT_ID="<application (client) id>"
export ENTRAGOV_CLIENT_CERTIFICATE="$(base64 -w0 client.pfx)"
export ENTRAGOV_CLIENT_CERTIFICATE_PASSWORD="change-me"
