# A key and a self-signed certificate valid for a year, then both in a password-protected PKCS#12 file
# (OpenSSL 3 protects it with AES-256; files with the older 3DES protection are read as well).
openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
  -subj "/CN=entragov-terraform" -keyout client.key -out client.crt
openssl pkcs12 -export -inkey client.key -in client.crt -out client.pfx -passout pass:change-me
