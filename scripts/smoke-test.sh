#!/usr/bin/env bash
# Walks register → login → profile through nginx, as a client would. Exits non-zero on the
# first unexpected answer.
set -euo pipefail
base=${SHOP_BASE_URL:-http://127.0.0.1:8080}
email="smoke-$(date +%s)-$RANDOM@example.com"
password="smoke-test-password"

json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

status=$(curl -s -o /tmp/smoke-register.json -w '%{http_code}' -X POST "$base/api/v1/users/register" \
  -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Smoke Test\"}")
[ "$status" = 201 ] || { echo "register: HTTP $status: $(cat /tmp/smoke-register.json)" >&2; exit 1; }
echo "registered $email"

token=$(curl -fsS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | json "['access_token']")
echo "logged in"

me=$(curl -fsS "$base/api/v1/users/me" -H "Authorization: Bearer $token" | json "['email']")
[ "$me" = "$email" ] || { echo "profile: expected $email, got $me" >&2; exit 1; }
echo "profile ok: $me"
