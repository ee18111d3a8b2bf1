#!/usr/bin/env bash
# A bounded load test against the running stack: `shop traffic run` with the stack's
# administrator (who ships and delivers what the customers buy) and customers of its own
# (load-<n>@example.com, registered on the first run and reused). Arguments go to
# `shop traffic run` (--users, --duration, --ramp, --slo, --rate, --mode, --mix).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
"$ROOT/scripts/health-check.sh" --quiet || { echo "the stack is not healthy: run 'make up' first" >&2; exit 1; }
# A socket per virtual user.
ulimit -n "$(open_file_limit)"
exec "$SHOP_BIN" traffic run --reports "$RUN/reports" "$@" \
  --traffic-account-prefix load --admin-password-file "$RUN/secrets/admin-password" \
  --traffic-supervisor-config "$RUN/supervisord.conf"
