#!/usr/bin/env bash
# Event backbone latency and throughput on the running stack's PostgreSQL and RabbitMQ: commit
# to handler at a steady rate through a real relay and consumer, then a ramp to the highest
# rate sustained, then RabbitMQ alone for comparison. Prints a table, then one JSON object.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
"$ROOT/scripts/health-check.sh" --quiet || { echo "the stack is not healthy: run 'make up' first" >&2; exit 1; }
swift build -c release --product events-bench >/dev/null
"$(swift build -c release --show-bin-path)/events-bench" --rate "${BENCH_RATE:-500}" --seconds "${BENCH_SECONDS:-30}"
