#!/usr/bin/env bash
# Quick start: installs what is needed, builds the Boost.Beast example server, starts it with a
# demo policy on 127.0.0.1:8080, and shows a preflight and an actual request with curl.
# The server keeps running until Ctrl-C (pass --no-wait to stop it after the demo).
set -euo pipefail
cd "$(dirname "$0")/.."
wait_for_ctrl_c=1
[ "${1:-}" = "--no-wait" ] && wait_for_ctrl_c=0

.ci/install-deps demo
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release -DCORS_BUILD_TESTS=OFF >/dev/null
cmake --build build/demo --target cors-example-beast

port=${CORS_DEMO_PORT:-8080}
log=$(mktemp)
build/demo/examples/cors-example-beast --port "$port" \
  --origin https://app.example.com --origin 'https://*.example.org' --origin 'http://localhost:*' \
  --method GET --method POST --method PUT --method DELETE \
  --header Content-Type --header X-Request-Id --expose X-Total-Count \
  --credentials --max-age 600 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q '^listening on' "$log" && break; sleep 0.1; done
head -1 "$log"

echo
echo '$ curl -si -X OPTIONS http://127.0.0.1:'"$port"'/items -H "Origin: https://app.example.com" \'
echo '      -H "Access-Control-Request-Method: PUT" -H "Access-Control-Request-Headers: content-type,x-request-id"'
curl -si -X OPTIONS "http://127.0.0.1:$port/items" -H "Origin: https://app.example.com" \
  -H "Access-Control-Request-Method: PUT" -H "Access-Control-Request-Headers: content-type,x-request-id"
echo
echo '$ curl -si http://127.0.0.1:'"$port"'/items -H "Origin: https://evil.example"'
curl -si "http://127.0.0.1:$port/items" -H "Origin: https://evil.example"
echo
echo '# Refused: the server answered (200 OK), but without Access-Control-Allow-Origin the browser hides the response from the page.'
if [ "$wait_for_ctrl_c" = 1 ]; then
  echo "The server keeps running on http://127.0.0.1:$port (request log below); Ctrl-C stops it."
  tail -n +2 -f "$log" &
  wait $server
fi
