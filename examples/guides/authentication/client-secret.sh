export ENTRAGOV_TENANT_ID="<tenant id>"
export ENTRAGOV_CLIENT_ID="<application (client) id>"
export ENTRAGOV_CLIENT_SECRET="<client secret value>"
