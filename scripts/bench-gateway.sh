#!/usr/bin/env bash
# What the gateway costs, on the running stack, each against its peer in the same run:
#   - requests per second of a trivial route through nginx to the gateway (/health/live)
#     against nginx answering by itself (/edge/ping): same client (wrk), same connections;
#   - a product read through the gateway against the same gRPC call made straight to the
#     product service (p50 / p95), one request at a time.
# Prints both, then one JSON object. BENCH_SECONDS (10), BENCH_CONNECTIONS (64), BENCH_SAMPLES (3000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
"$ROOT/scripts/health-check.sh" --quiet || { echo "the stack is not healthy: run 'make up' first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
"$SHOP_BIN" seed >/dev/null
swift build -c release --product gateway-bench >/dev/null

seconds=${BENCH_SECONDS:-10} connections=${BENCH_CONNECTIONS:-64}
rps() {
  wrk -t 2 -c "$connections" -d "${seconds}s" "$1" | awk '/^Requests\/sec/ { print $2 }'
}
rps http://127.0.0.1:8080/health/live >/dev/null # warm both paths' connections
nginx_rps=$(rps http://127.0.0.1:8080/edge/ping)
gateway_rps=$(rps http://127.0.0.1:8080/health/live)
echo "trivial route, wrk with $connections connections for ${seconds}s each"
echo "  nginx alone (/edge/ping)              $nginx_rps requests/s"
echo "  nginx -> gateway (/health/live)       $gateway_rps requests/s"

reads=$("$(swift build -c release --show-bin-path)/gateway-bench" --samples "${BENCH_SAMPLES:-3000}" \
  --tls-directory "$RUN/secrets/tls")
printf '%s\n' "$reads" | sed '$d'
python3 - "$nginx_rps" "$gateway_rps" "$(printf '%s\n' "$reads" | tail -n 1)" <<'PY'
import json, sys
nginx, gateway, reads = float(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
result = {"gateway_rps": round(gateway), "nginx_rps": round(nginx), "gateway_to_nginx": round(gateway / nginx, 3),
          "gateway_added_p50_ms": reads["gateway_added_p50_ms"], "gateway_added_p95_ms": reads["gateway_added_p95_ms"],
          "gateway_read_p50_ms": reads["gateway_read_p50_ms"], "grpc_read_p50_ms": reads["grpc_read_p50_ms"]}
print(json.dumps(result))
PY
