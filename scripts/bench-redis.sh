#!/usr/bin/env bash
# Benchmarks the Redis client against redis-benchmark (the C tool shipped with Redis), on the
# same server in the same run: GET/SET with 50 concurrent clients, without pipelining and
# with 16 commands pipelined. Uses the stack's Redis when it answers, otherwise starts a
# throwaway redis-server on a spare loopback port. Prints a table, then one JSON object.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${BENCH_REQUESTS:-200000}
clients=50
port=6379
tmp=""
if [ "$(redis-cli -p 6379 ping 2>/dev/null)" != "PONG" ]; then
  port=6399
  tmp=$(mktemp -d)
  redis-server --port $port --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" --daemonize yes \
    --pidfile "$tmp/redis.pid" >/dev/null
  trap 'kill "$(cat "$tmp/redis.pid")" 2>/dev/null; rm -rf "$tmp"' EXIT
  until [ "$(redis-cli -p $port ping 2>/dev/null)" = "PONG" ]; do sleep 0.1; done
fi

swift build -c release --product redis-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/redis-bench

# redis-benchmark --csv prints "test","rps",...; the combined rate weighs both tests equally.
tool() {
  redis-benchmark -h 127.0.0.1 -p $port -c $clients -n "$requests" -t set,get -P "$1" --csv |
    python3 -c '
import csv, sys
rows = {r[0]: float(r[1]) for r in csv.reader(sys.stdin) if r and r[0] in ("SET", "GET")}
print(int(2 / (1 / rows["SET"] + 1 / rows["GET"])))'
}
ours() {
  "$bench" -h 127.0.0.1 -p $port -c $clients -n "$requests" -P "$1" |
    python3 -c 'import json, sys; print(json.loads(sys.stdin.read())["get_set_ops_per_s"])'
}

plain_tool=$(tool 1)
plain_ours=$(ours 1)
piped_tool=$(tool 16)
piped_ours=$(ours 16)

python3 - "$plain_ours" "$plain_tool" "$piped_ours" "$piped_tool" "$requests" <<'PY'
import json, sys
plain_ours, plain_tool, piped_ours, piped_tool, requests = map(int, sys.argv[1:])
print(f"GET/SET, 50 clients, {requests} requests per test, 3-byte values")
print(f"{'':24}{'RedisClient':>14}{'redis-benchmark':>18}{'ratio':>8}")
print(f"{'no pipelining':24}{plain_ours:>14}{plain_tool:>18}{plain_ours / plain_tool:>8.2f}")
print(f"{'16 pipelined':24}{piped_ours:>14}{piped_tool:>18}{piped_ours / piped_tool:>8.2f}")
print(json.dumps({"get_set_ops_per_s": plain_ours, "redis_benchmark_get_set_ops_per_s": plain_tool,
                  "pipelined_ops_per_s": piped_ours, "redis_benchmark_pipelined_ops_per_s": piped_tool}))
PY
