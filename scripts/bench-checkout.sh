#!/usr/bin/env bash
# Checkout latency and throughput on the running stack: POST /api/v1/orders through nginx at
# a fixed rate (open loop, HdrHistogram), a ramp to the highest rate that holds p95 < 500 ms,
# and pgbench replaying the SQL of one checkout in every database as the ceiling.
# Prints a table, then one JSON line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
"$ROOT/scripts/health-check.sh" --quiet || { echo "the stack is not healthy: run 'make up' first" >&2; exit 1; }
swift build -c release --product checkout-bench >/dev/null
PGPASSWORD=$PG_PASSWORD "$(swift build -c release --show-bin-path)/checkout-bench" \
  --rate "${BENCH_RATE:-50}" --seconds "${BENCH_SECONDS:-20}" --admin-password-file "$RUN/secrets/admin-password" \
  --scripts "$ROOT/scripts/bench/checkout"
