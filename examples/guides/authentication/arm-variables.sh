# The variables of the AzureRM and AzureAD providers work as they are.
export ARM_TENANT_ID="<tenant id>"
export ARM_CLIENT_ID="<application (client) id>"
export ARM_CLIENT_SECRET="<client secret value>"
