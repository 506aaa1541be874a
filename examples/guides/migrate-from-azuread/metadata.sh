# The cloud metadata document the azuread provider reads (no token needed).
curl -s "https://127.0.0.1:9443/metadata/endpoints?api-version=2022-09-01"
