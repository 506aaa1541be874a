# What a GitHub Actions runner sets for a job with "id-token: write", pointed at the local API's imitation of
# GitHub's token service (its tokens have the subject repo:entragov/demo:ref:refs/heads/main).
export ENTRAGOV_TENANT_ID="9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
export ENTRAGOV_CLIENT_ID="3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
export ACTIONS_ID_TOKEN_REQUEST_URL="$ENTRAGOV_LOGIN_ENDPOINT/_emulator/federation/github"
export ACTIONS_ID_TOKEN_REQUEST_TOKEN="entragov-local-github-request-token"
