curl -sS --fail --cacert entragov-emulator-ca.pem https://127.0.0.1:9443/_emulator/health
