#!/usr/bin/env bash
# Checkout latency and throughput on the running stack. First pgbench replays, in every
# database at once, the SQL one checkout issues there (scripts/bench/checkout/*.sql): the
# slowest database's rate is the ceiling for that work on this machine. Then checkout-bench
# sends POST /api/v1/orders through nginx at a fixed rate (open loop, HdrHistogram) and ramps
# to the highest rate that holds p95 < 500 ms. Prints a table, then one JSON line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
"$ROOT/scripts/health-check.sh" --quiet || { echo "the stack is not healthy: run 'make up' first" >&2; exit 1; }
swift build -c release --product checkout-bench >/dev/null
export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=$PG_USER PGPASSWORD=$PG_PASSWORD
scripts=$ROOT/scripts/bench/checkout
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A product of the replay's own, with stock enough, removed afterwards with its reservations.
product=$(psql -d products -qtAc "INSERT INTO products (id, sku, name, price_amount, currency, category_id)
  SELECT gen_random_uuid(), 'PGBENCH-' || md5(random()::text), 'pgbench', 1999, 'USD', id FROM categories LIMIT 1
  RETURNING id")
psql -d products -qc "INSERT INTO inventory (product_id, on_hand) VALUES ('$product', 1000000000)"
for database in orders products payments; do
  "$PG_BIN/pgbench" -n -M extended -c "${PGBENCH_CLIENTS:-8}" -j 2 -T "${PGBENCH_SECONDS:-15}" \
    -D "product=$product" -f "$scripts/$database.sql" "$database" >"$work/$database.log" 2>&1 &
done
wait
rates=()
for database in orders products payments; do
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/$database.log")
  [ -n "$tps" ] || { cat "$work/$database.log" >&2; exit 1; }
  rates+=("$database=$tps")
done
psql -d orders -q <<'SQL'
DELETE FROM fulfillment_jobs WHERE order_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
DELETE FROM order_status_history WHERE order_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
DELETE FROM order_lines WHERE order_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
DELETE FROM saga_credentials WHERE order_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
DELETE FROM outbox WHERE aggregate_id IN (SELECT id FROM orders WHERE lease_owner = 'pgbench');
DELETE FROM orders WHERE lease_owner = 'pgbench';
DELETE FROM idempotency_keys WHERE scope = 'pgbench';
SQL
psql -d payments -q <<'SQL'
DELETE FROM webhook_outbox WHERE webhook_id IN (SELECT key FROM idempotency_keys WHERE scope = 'pgbench');
DELETE FROM payments WHERE reference = 'pgbench';
DELETE FROM idempotency_keys WHERE scope = 'pgbench';
SQL
psql -d products -qc "DELETE FROM reservations WHERE product_id = '$product'; DELETE FROM products WHERE id = '$product'"

"$(swift build -c release --show-bin-path)/checkout-bench" \
  --rate "${BENCH_RATE:-50}" --seconds "${BENCH_SECONDS:-20}" --admin-password-file "$RUN/secrets/admin-password" \
  --pgbench "$(IFS=,; echo "${rates[*]}")"
