#!/usr/bin/env bash
# Reports the health of the local stack: each supervisord program, each service's /health,
# and PostgreSQL, Redis, etcd and RabbitMQ connectivity. Exits non-zero when anything is down.
#   scripts/health-check.sh [--quiet]
set -uo pipefail
source "$(dirname "$0")/lib/env.sh"
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

# name and health URL of every HTTP endpoint of the stack
endpoints=(
  "user http://127.0.0.1:3001/health"
  "product http://127.0.0.1:3002/health"
  "product-2 http://127.0.0.1:3012/health"
  "order http://127.0.0.1:3003/health"
  "order-2 http://127.0.0.1:3013/health"
  "notification http://127.0.0.1:3004/health"
  "notification-2 http://127.0.0.1:3014/health"
  "payment-sandbox http://127.0.0.1:3010/health"
  "fulfillment http://127.0.0.1:3005/health"
  "fulfillment-2 http://127.0.0.1:3015/health"
  "gateway-1 http://127.0.0.1:8081/health"
  "gateway-2 http://127.0.0.1:8082/health"
  "nginx http://127.0.0.1:8080/health"
  "traffic http://127.0.0.1:3020/health"
)

failures=0
report() { # name state detail
  [ $quiet -eq 1 ] || printf '%-22s %-9s %s\n' "$1" "$2" "$3"
  case "$2" in ok | degraded | RUNNING) ;; *) failures=$((failures + 1)) ;; esac
}

if stack_running; then
  while read -r name state rest; do
    [ -n "$name" ] && report "program:$name" "$state" "$rest"
  done < <(ctl status 2>/dev/null)
else
  report supervisord down "not running (make up)"
fi

if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then report postgres ok "127.0.0.1:$PG_PORT"
else report postgres down "127.0.0.1:$PG_PORT not accepting connections"; fi

if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; then report redis ok "127.0.0.1:6379"
else report redis down "127.0.0.1:6379 no PONG"; fi

if curl -fsS --max-time 3 http://127.0.0.1:2379/health 2>/dev/null | grep -q '"health":"true"'; then
  report etcd ok "127.0.0.1:2379"
else report etcd down "127.0.0.1:2379 not healthy"; fi

if printf 'QUIT\r\n' | nc -w 3 127.0.0.1 1025 2>/dev/null | grep -q '^220'; then report smtp ok "127.0.0.1:1025"
else report smtp down "127.0.0.1:1025 no SMTP greeting"; fi

if curl -fsS --max-time 3 -u guest:guest http://127.0.0.1:15672/api/aliveness-test/%2F 2>/dev/null | grep -q '"ok"'; then
  report rabbitmq ok "127.0.0.1:5672"
else report rabbitmq down "aliveness test failed"; fi

for e in "prometheus http://127.0.0.1:9090/-/ready" "alertmanager http://127.0.0.1:9093/-/ready" \
  "otlp http://127.0.0.1:4318/health"; do
  name=${e%% *}; url=${e#* }
  if curl -fsS --max-time 3 "$url" >/dev/null 2>&1; then report "$name" ok "$url"
  else report "$name" down "$url not ready"; fi
done

for e in "${endpoints[@]}"; do
  name=${e%% *}; url=${e#* }
  body=$(curl -sS --max-time 3 "$url" 2>/dev/null)
  status=$(printf '%s' "$body" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])' 2>/dev/null)
  report "$name" "${status:-down}" "$url"
done

[ $failures -eq 0 ]
