#!/usr/bin/env bash
# Waits until every given check passes, then runs the command after `--`.
#   scripts/await.sh [--timeout S] CHECK... -- COMMAND ARGS...
# A check is tcp:HOST:PORT, postgres:HOST:PORT or an http(s) URL that must answer 2xx.
# Exits non-zero when a check is still failing after the timeout (default 120 s), so that
# supervisord retries the program later.
set -uo pipefail
timeout=120
checks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout=$2; shift 2 ;;
    --) shift; break ;;
    *) checks+=("$1"); shift ;;
  esac
done

# What it says lands in the program's log, so it says it as the program would: one ECS line.
say() { # level message
  printf '{"@timestamp":"%s","log.level":"%s","message":"%s","service.name":"await","log.logger":"scripts/await.sh"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$1" "$2" >&2
}

check() {
  case "$1" in
    tcp:*) local hp=${1#tcp:}; (exec 3<>"/dev/tcp/${hp%:*}/${hp##*:}") 2>/dev/null ;;
    postgres:*) local hp=${1#postgres:}; pg_isready -q -h "${hp%:*}" -p "${hp##*:}" ;;
    http://* | https://*) curl -fs -o /dev/null --max-time 2 "$1" ;;
    *) say error "unknown check $1"; return 2 ;;
  esac
}

deadline=$((SECONDS + timeout))
for c in "${checks[@]}"; do
  until check "$c"; do
    if [ $SECONDS -ge $deadline ]; then
      say error "$c still failing after ${timeout}s"
      exit 1
    fi
    sleep 0.5
  done
done
[ $# -gt 0 ] && exec "$@"
