#!/usr/bin/env bash
# What the gateway costs, on the running stack, each against its peer in the same run:
#   - requests per second of a trivial route through nginx to the gateway (/health/live)
#     against nginx answering by itself (/edge/ping): same client (wrk), same connections;
#   - the same route asked of one gateway instance directly, against a bare Hummingbird server
#     with the same answer and nothing else (the framework's own floor on this machine);
#   - a second nginx proxying, as the edge does, to an upstream that answers at once (a third
#     nginx server): the most any upstream can reach behind the proxy hop here;
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
direct_rps=$(rps http://127.0.0.1:8081/health/live)
bench="$(swift build -c release --show-bin-path)/gateway-bench"
floor_port=${BENCH_FLOOR_PORT:-8089}
"$bench" --serve-floor "$floor_port" &
floor_pid=$!
trap 'kill "$floor_pid" 2>/dev/null || true' EXIT
"$ROOT/scripts/await.sh" "tcp:127.0.0.1:$floor_port" -- true
floor_rps=$(rps "http://127.0.0.1:$floor_port/health/live")
kill "$floor_pid"

# The proxy hop with an upstream that costs nothing: nginx in front of nginx.
edge_port=${BENCH_EDGE_PORT:-8094} upstream_port=${BENCH_UPSTREAM_PORT:-8093}
proxy_dir="$RUN/bench-nginx"
mkdir -p "$proxy_dir/logs"
cat >"$proxy_dir/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 2;
pid $proxy_dir/nginx.pid;
error_log $proxy_dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $proxy_dir/logs/access.log;
  client_body_temp_path $proxy_dir/client_body;
  proxy_temp_path $proxy_dir/proxy;
  fastcgi_temp_path $proxy_dir/fastcgi;
  uwsgi_temp_path $proxy_dir/uwsgi;
  scgi_temp_path $proxy_dir/scgi;
  upstream answer { server 127.0.0.1:$upstream_port; keepalive 64; }
  server {
    listen 127.0.0.1:$upstream_port backlog=4096;
    access_log off;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
  server {
    listen 127.0.0.1:$edge_port backlog=4096;
    location / {
      proxy_pass http://answer;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
CONF
/usr/sbin/nginx -p "$proxy_dir" -c "$proxy_dir/nginx.conf" -g "daemon off;" &
proxy_pid=$!
trap 'kill "$floor_pid" "$proxy_pid" 2>/dev/null || true' EXIT
"$ROOT/scripts/await.sh" "tcp:127.0.0.1:$edge_port" -- true
rps "http://127.0.0.1:$edge_port/health/live" >/dev/null
proxied_rps=$(rps "http://127.0.0.1:$edge_port/health/live")
kill "$proxy_pid"
echo "trivial route, wrk with $connections connections for ${seconds}s each"
echo "  nginx alone (/edge/ping)              $nginx_rps requests/s"
echo "  nginx -> gateway (/health/live)       $gateway_rps requests/s"
echo "  one gateway, directly                 $direct_rps requests/s"
echo "  bare Hummingbird, directly            $floor_rps requests/s"
echo "  nginx -> nginx's answer               $proxied_rps requests/s"

reads=$("$bench" --samples "${BENCH_SAMPLES:-3000}" --tls-directory "$RUN/secrets/tls")
printf '%s\n' "$reads" | sed '$d'
python3 - "$nginx_rps" "$gateway_rps" "$direct_rps" "$floor_rps" "$proxied_rps" "$(printf '%s\n' "$reads" | tail -n 1)" <<'PY'
import json, sys
nginx, gateway, direct, floor, proxied = map(float, sys.argv[1:6])
reads = json.loads(sys.argv[6])
result = {"gateway_rps": round(gateway), "nginx_rps": round(nginx), "gateway_to_nginx": round(gateway / nginx, 3),
          "gateway_direct_rps": round(direct), "hummingbird_floor_rps": round(floor),
          "gateway_to_floor": round(direct / floor, 3), "floor_to_nginx": round(floor / nginx, 3),
          "proxied_nginx_rps": round(proxied), "proxied_to_nginx": round(proxied / nginx, 3),
          "gateway_added_p50_ms": reads["gateway_added_p50_ms"], "gateway_added_p95_ms": reads["gateway_added_p95_ms"],
          "gateway_read_p50_ms": reads["gateway_read_p50_ms"], "grpc_read_p50_ms": reads["grpc_read_p50_ms"]}
print(json.dumps(result))
PY
