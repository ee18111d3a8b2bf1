#!/usr/bin/env bash
# AMQP throughput of this project's client against aio-pika, on the stack's RabbitMQ in the
# same run: persistent 512-byte messages to a durable queue with publisher confirms and 500 in
# flight, then consumed with manual acks and prefetch 100. aio-pika is installed into
# .venv-bench. Each client runs twice, alternating, and keeps its better run, so that a
# passing hiccup of the shared machine does not decide the comparison.
# Prints a table, then one JSON object.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
url=${BENCH_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/}
messages=${BENCH_MESSAGES:-30000}
"$ROOT/scripts/health-check.sh" --quiet || { echo "the stack is not healthy: run 'make up' first" >&2; exit 1; }

venv=.venv-bench
if [ ! -x $venv/bin/python ] || [ scripts/bench/requirements.txt -nt $venv/bin/python ]; then
  python3 -m venv $venv
  $venv/bin/pip install -q -r scripts/bench/requirements.txt
  touch $venv/bin/python
fi
swift build -c release --product amqp-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/amqp-bench

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(--url "$url" --messages "$messages" --in-flight "${BENCH_IN_FLIGHT:-500}" --size 512)
for round in 1 2; do
  "$bench" "${args[@]}" --prefetch 100 | tail -n 1 >"$tmp/swift-$round.json"
  $venv/bin/python scripts/bench/amqp_aio_pika.py "${args[@]}" --prefetch 100 | tail -n 1 >"$tmp/aio-pika-$round.json"
done
best() {
  python3 - "$@" <<'PY'
import json, sys
runs = [json.load(open(path)) for path in sys.argv[1:]]
best = dict(runs[0])
for key in ("publish_confirm_msgs_per_s", "consume_ack_msgs_per_s"):
    best[key] = max(run[key] for run in runs)
print(json.dumps(best))
PY
}
best "$tmp"/swift-*.json >"$tmp/swift.json"
best "$tmp"/aio-pika-*.json >"$tmp/aio-pika.json"
python3 scripts/bench/amqp_report.py --swift "$tmp/swift.json" --aio-pika "$tmp/aio-pika.json"
