# Sign in once as yourself (a browser opens). --allow-no-subscriptions lets an account sign in that has no
# Azure subscription, as is usual in a tenant used only for Entra ID.
az login --tenant "<tenant id>" --allow-no-subscriptions
export ENTRAGOV_USE_CLI=true
