# Requests go to a gateway in front of Graph; the tokens are still requested for (and accepted by) Graph.
export ENTRAGOV_GRAPH_ENDPOINT="<gateway URL>"
export ENTRAGOV_GRAPH_TOKEN_SCOPE="https://graph.microsoft.com/.default"
