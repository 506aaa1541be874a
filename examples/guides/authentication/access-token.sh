# A Graph token obtained elsewhere, used as it is: no tenant or client id needed, and no refresh.
export ENTRAGOV_ACCESS_TOKEN="$(az account get-access-token --resource-type ms-graph --query accessToken --output tsv)"
