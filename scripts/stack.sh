#!/usr/bin/env bash
# The local stack under supervisord.
#   scripts/stack.sh up      prepare .run/, start everything, wait until healthy, migrate, seed
#   scripts/stack.sh down    stop every program and supervisord; data stays in .run/
#   scripts/stack.sh wait    wait until every program is healthy
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"

log() { printf '[stack] %s\n' "$*"; }

# PostgreSQL refuses to run as root, so its data directory belongs to an unprivileged
# account. When that account cannot reach the checkout (a home directory of mode 700, say)
# the data lives in /var/tmp and .run/postgres points there.
prepare_postgres() {
  local owner; owner=$(pg_owner)
  if [ ! -e "$RUN/postgres" ]; then
    if as_pg_owner test -x "$RUN"; then
      mkdir -p "$RUN/postgres"
    else
      local elsewhere; elsewhere=/var/tmp/swiftshop-$(printf '%s' "$RUN" | sha1sum | cut -c1-12)
      mkdir -p "$elsewhere"
      ln -s "$elsewhere" "$RUN/postgres"
    fi
  fi
  # The real path: through the link, the account could not reach what it points to.
  local home; home=$(readlink -f "$RUN/postgres")
  PG_DATA=$home/data
  PG_SOCKET_DIR=$home/socket
  mkdir -p "$PG_SOCKET_DIR"
  chown "$owner" "$RUN/postgres/" "$PG_SOCKET_DIR"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PG_DATA"
    local pw; pw=$(mktemp); echo "$PG_PASSWORD" > "$pw"; chown "$owner" "$pw"
    as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=peer \
      --auth-host=scram-sha-256 --pwfile="$pw" -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pw"
    # The services' role; each service creates its own database on first start.
    echo "CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';" |
      as_pg_owner "$PG_BIN/postgres" --single -D "$PG_DATA" postgres >/dev/null
  fi
}

prepare_secrets() {
  mkdir -p "$RUN/secrets"
  chmod 700 "$RUN/secrets"
  local key=$RUN/secrets/jwt-es256.pem
  if [ ! -f "$key" ]; then
    log "generating the token signing key $key"
    openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$key"
    chmod 600 "$key"
  fi
  local webhooks=$RUN/secrets/payment-webhook-secret
  if [ ! -f "$webhooks" ]; then
    log "generating the payment sandbox's webhook secret $webhooks"
    (umask 077 && echo "whsec_$(openssl rand -base64 32)" > "$webhooks")
  fi
  prepare_broker_tls
  prepare_service_tls
  prepare_admin_password
}

# A certificate for each process that speaks gRPC, from the stack's CA (the broker's), into
# .run/secrets/tls: `<name>.pem` and `<name>-key.pem`, with the name as common name, which
# is how a server knows which service calls it.
SERVICE_IDENTITIES=(user product order notification fulfillment payment-sandbox gateway bench)
prepare_service_tls() {
  local ca=$RUN/secrets/amqp-tls dir=$RUN/secrets/tls
  mkdir -p "$dir"
  cp "$ca/ca.pem" "$dir/ca.pem"
  local name
  for name in "${SERVICE_IDENTITIES[@]}"; do
    # Kept while the stack's CA still vouches for it (a new CA means new certificates).
    openssl verify -CAfile "$dir/ca.pem" "$dir/$name.pem" >/dev/null 2>&1 && continue
    log "issuing the gRPC certificate of $name"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$name" \
      -keyout "$dir/$name-key.pem" -out "$dir/$name.csr" 2>/dev/null
    printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' "$name" \
      > "$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca-key.pem" -CAcreateserial \
      -days 825 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
    rm -f "$dir/$name.csr" "$dir/$name.ext"
    chmod 600 "$dir/$name-key.pem"
  done
}

# The administrator's password: SHOP_ADMIN_PASSWORD when given, else one generated once.
prepare_admin_password() {
  local file=$RUN/secrets/admin-password
  if [ -n "${SHOP_ADMIN_PASSWORD:-}" ]; then
    printf '%s' "$SHOP_ADMIN_PASSWORD" > "$file"
  elif [ ! -s "$file" ]; then
    log "generating the administrator's password $file"
    openssl rand -base64 18 | tr -d '\n/+=' > "$file"
  fi
  chmod 600 "$file"
}

# Gives shop.events its alternate exchange, shop.unrouted, so that an event no consumer is
# bound for is kept instead of returned (the services declare the exchange and its queue).
set_broker_policy() {
  "$ROOT/scripts/rabbitmqctl" set_policy --apply-to exchanges shop-unrouted '^shop\.events$' \
    '{"alternate-exchange":"shop.unrouted"}' >/dev/null
}

# A private CA and a certificate for 127.0.0.1/localhost, for RabbitMQ's amqps:// listener.
prepare_broker_tls() {
  local dir=$RUN/secrets/amqp-tls
  [ -f "$dir/server.pem" ] && return
  log "generating the broker's TLS certificate in $dir"
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=SwiftShop local CA" -keyout "$dir/ca-key.pem" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server-key.pem" -out "$dir/server.csr" 2>/dev/null
  # For serving only: it must not pass for a service's client certificate.
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -CAcreateserial \
    -days 3650 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  rm -f "$dir/server.csr" "$dir/server.ext"
  chmod 600 "$dir"/*-key.pem
}

render() {
  local vars='${RUN} ${ROOT} ${PG_BIN} ${PG_DATA} ${PG_SOCKET_DIR} ${PG_OWNER} ${SHOP_BIN} ${SHOP_ENV} ${NOTIFICATION_ENV} ${NGINX_USER} ${OPEN_FILES}'
  envsubst "$vars" < "$1" > "$2"
}

prepare() {
  mkdir -p "$RUN/log/rabbitmq" "$RUN/redis" "$RUN/rabbitmq" "$RUN/nginx" "$RUN/etcd" "$RUN/prometheus/targets" \
    "$RUN/alertmanager"
  prepare_postgres
  prepare_secrets
  export RUN ROOT PG_BIN PG_DATA PG_SOCKET_DIR SHOP_BIN
  export PG_OWNER; PG_OWNER=$(pg_owner)
  export OPEN_FILES; OPEN_FILES=$(open_file_limit)
  export NGINX_USER=""; [ "$(id -u)" -eq 0 ] && NGINX_USER="user root;"
  # Every instance registers in etcd as its program, and calls the others through it.
  local discovery="SHOP_DISCOVERY_ETCD=\"127.0.0.1:2379\",SHOP_DISCOVERY_INSTANCE=\"%(program_name)s\""
  local role upstreams=""
  for role in user product order notification; do
    upstreams+=",SHOP_$(printf '%s' "$role" | tr a-z A-Z)_ADDRESS=\"etcd:///$role\""
  done
  # Traces go to the stack's OTLP sink (scripts/otlp-sink.py), every one of them.
  local tracing="SHOP_OTEL_ENDPOINT=\"http://127.0.0.1:4318\""
  export SHOP_ENV="SHOP_TOKEN_SIGNING_KEY_FILE=\"$RUN/secrets/jwt-es256.pem\",SHOP_ENVIRONMENT=\"local\",SHOP_TLS_DIRECTORY=\"$RUN/secrets/tls\",$discovery$upstreams,$tracing"
  export NOTIFICATION_ENV="SHOP_PUSH_VAPID_KEY_FILE=\"$RUN/secrets/vapid-private-key.pem\",SHOP_OUTBOUND_ALLOW_LOOPBACK=\"true\",SHOP_NOTIFICATIONS_RETRY_INITIAL_MS=\"2000\",SHOP_NOTIFICATIONS_RETRY_MAX_MS=\"10000\",SHOP_WEBHOOKS_RETRY_INITIAL_MS=\"2000\",SHOP_WEBHOOKS_RETRY_MAX_MS=\"10000\",SHOP_WEBHOOKS_DISABLE_AFTER_FAILURES=\"5\""
  render "$ROOT/deploy/local/supervisord.conf" "$RUN/supervisord.conf"
  render "$ROOT/deploy/local/nginx.conf" "$RUN/nginx/nginx.conf"
  render "$ROOT/deploy/local/redis.conf" "$RUN/redis/redis.conf"
  render "$ROOT/deploy/local/rabbitmq.conf" "$RUN/rabbitmq/rabbitmq.conf"
  render "$ROOT/deploy/local/prometheus.yml" "$RUN/prometheus/prometheus.yml"
  cp "$ROOT/deploy/local/prometheus-targets.json" "$RUN/prometheus/targets/stack.json"
  cp "$ROOT/deploy/local/alertmanager.yml" "$RUN/alertmanager/alertmanager.yml"
  echo '[rabbitmq_management,rabbitmq_prometheus].' > "$RUN/rabbitmq/enabled_plugins"
}

# Every program RUNNING and every health endpoint answering.
healthy() {
  "$ROOT/scripts/health-check.sh" --quiet
}

wait_healthy() {
  local timeout=${1:-240} deadline=$((SECONDS + ${1:-240}))
  until healthy; do
    if [ $SECONDS -ge $deadline ]; then
      log "not healthy after ${timeout}s:"
      "$ROOT/scripts/health-check.sh" || true
      return 1
    fi
    sleep 1
  done
}

up() {
  [ -x "$SHOP_BIN" ] || { echo "missing $SHOP_BIN: run 'make build' first" >&2; exit 1; }
  prepare
  if stack_running; then
    log "supervisord already running; applying configuration"
    ctl reread >/dev/null
    ctl update >/dev/null
    ctl start all >/dev/null || true
  else
    # An epmd that a package install left behind holds the port of the stack's own; it is
    # asked to stop, which it does only while no Erlang node is registered with it.
    command -v epmd >/dev/null && epmd -kill >/dev/null 2>&1 || true
    log "starting supervisord"
    supervisord -c "$RUN/supervisord.conf"
  fi
  wait_healthy 240
  set_broker_policy
  log "migrating and seeding"
  "$SHOP_BIN" migrate
  SHOP_ADMIN_PASSWORD=$(cat "$RUN/secrets/admin-password") "$SHOP_BIN" seed
  cat <<MSG
[stack] SwiftShop is up
  API (nginx)          http://127.0.0.1:8080/api/v1   (OpenAPI: /openapi.yaml)
  gateways             http://127.0.0.1:8081  http://127.0.0.1:8082
  user service         gRPC 127.0.0.1:50051, admin http://127.0.0.1:3001/health
  product service      gRPC 127.0.0.1:50052 and :50062, admin http://127.0.0.1:3002/health and :3012
  order service        gRPC 127.0.0.1:50053 and :50063, admin http://127.0.0.1:3003/health and :3013
  notification service gRPC 127.0.0.1:50054 and :50064, admin http://127.0.0.1:3004/health and :3014
  payment sandbox      http://127.0.0.1:3010/v1/payments, health http://127.0.0.1:3010/health
  fulfillment workers  health http://127.0.0.1:3005/health and :3015
  traffic generator    http://127.0.0.1:3020/status  (paused; PUT /mode, make load-test)
  RabbitMQ             amqp://guest:guest@127.0.0.1:5672/  amqps://…@localhost:5671/ (CA .run/secrets/amqp-tls/ca.pem)
  RabbitMQ management  http://127.0.0.1:15672  (guest / guest)
  PostgreSQL           postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:5432
  Redis                redis://127.0.0.1:6379
  etcd (registry)      http://127.0.0.1:2379   (shop discovery list)
  Prometheus           http://127.0.0.1:9090   (targets: /targets, alerts: /alerts)
  Alertmanager         http://127.0.0.1:9093   (alert mail lands in .run/mail/)
  SMTP sink            smtp://127.0.0.1:1025, into the maildir $RUN/mail/
  trace sink           http://127.0.0.1:4318/v1/traces (OTLP/HTTP), into $RUN/traces/
  administrator        admin@swiftshop.local / $(cat "$RUN/secrets/admin-password")  (.run/secrets/admin-password)
  logs                 $RUN/log/    control: scripts/ctl status
MSG
}

down() {
  if stack_running; then
    log "stopping"
    ctl stop all >/dev/null || true
    ctl shutdown >/dev/null || true
    local deadline=$((SECONDS + 60))
    while [ -S "$RUN/supervisor.sock" ] && [ -f "$RUN/supervisord.pid" ] &&
      kill -0 "$(cat "$RUN/supervisord.pid")" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.5
    done
  else
    log "not running"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  wait) wait_healthy "${2:-240}" ;;
  *) echo "usage: $0 up|down|wait [timeout]" >&2; exit 2 ;;
esac
