# The local governance API (see its guide): trust its CA and point both endpoints at it.
export SSL_CERT_FILE="$PWD/entragov-emulator-ca.pem"
export ENTRAGOV_GRAPH_ENDPOINT="https://127.0.0.1:9443"
export ENTRAGOV_LOGIN_ENDPOINT="https://127.0.0.1:9443"
