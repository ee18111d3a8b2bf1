#!/usr/bin/env bash
# Product search latency on the running stack: open loop at a fixed rate through the gateway
# (nginx on 8080), then straight over gRPC and straight against PostgreSQL, then a ramp to
# find where p95 passes 100 ms. Seeds the demo catalog first when it is missing.
# Prints a table, then one JSON object.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
"$ROOT/scripts/health-check.sh" --quiet || { echo "the stack is not healthy: run 'make up' first" >&2; exit 1; }
"$SHOP_BIN" seed >/dev/null
swift build -c release --product catalog-bench >/dev/null
"$(swift build -c release --show-bin-path)/catalog-bench" --rate "${BENCH_RATE:-200}" --seconds "${BENCH_SECONDS:-30}"
