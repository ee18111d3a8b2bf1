#!/usr/bin/env bash
# Checks the running stack as a client would, through nginx: scripts/health-check.sh first,
# then register → log in → create an order of one item in stock → get it → list it → wait
# (up to 15 s) for the fulfillment worker to pack it. Exits non-zero on the first failed step.
#   scripts/smoke-test.sh            (SHOP_BASE_URL overrides http://127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${SHOP_BASE_URL:-http://127.0.0.1:8080}/api/v1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "[smoke] FAILED: $*" >&2; exit 1; }
step() { echo "[smoke] $*"; }

# call METHOD PATH EXPECTED-STATUS [BODY] [extra curl arguments…]: the body lands in $work/body.
call() {
  local method=$1 path=$2 expected=$3 body=${4:-}
  shift 4 || shift $#
  local args=(-s -o "$work/body" -w '%{http_code}' -X "$method" "$base$path" -H 'Content-Type: application/json')
  [ -n "${token:-}" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-d "$body")
  local status
  status=$(curl "${args[@]}" "$@") || fail "$method $path: no answer"
  [ "$status" = "$expected" ] || fail "$method $path: HTTP $status (expected $expected): $(head -c 500 "$work/body")"
}
field() { jq -er "$1" "$work/body" || fail "no $1 in $(head -c 500 "$work/body")"; }

scripts/health-check.sh --quiet || { scripts/health-check.sh >&2 || true; fail "the stack is not healthy"; }
step "health check passed"

email="smoke-$(date +%s)-$RANDOM@example.com"
password="smoke-test-password"
call POST /users/register 201 "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Smoke Test\"}"
call POST /auth/login 200 "{\"email\":\"$email\",\"password\":\"$password\"}"
token=$(field .access_token)
step "registered and logged in as $email"

call GET "/products?in_stock=true&limit=1" 200
product=$(field '.items[0].id')
order_body=$(jq -nc --arg product "$product" '{
  items: [{product_id: $product, quantity: 1}],
  shipping_address: {line1: "1 Smoke Street", city: "Testville", postal_code: "12345", country: "DE"},
  payment: {card_number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "123"}}')
call POST /orders 201 "$order_body" -H "Idempotency-Key: smoke-$(date +%s)-$RANDOM"
order=$(field .id)
[ "$(field .status)" = paid ] || fail "order $order is $(field .status), not paid"
step "created order $order (paid)"

call GET "/orders/$order" 200
[ "$(field .id)" = "$order" ] || fail "GET /orders/$order answered another order"
step "got order $order"

call GET /orders 200
jq -e --arg order "$order" 'any(.items[]; .id == $order)' "$work/body" >/dev/null ||
  fail "order $order is not in the customer's list"
step "listed order $order"

deadline=$((SECONDS + 15))
while :; do
  call GET "/orders/$order" 200
  state=$(jq -r '.fulfillment.status // "none"' "$work/body")
  [ "$state" = packed ] && break
  [ $SECONDS -lt $deadline ] || fail "order $order not packed within 15 s (fulfillment: $state)"
  sleep 0.2
done
step "order $order packed in warehouse $(field .fulfillment.warehouse) at $(field .fulfillment.packed_at)"
step "passed"
