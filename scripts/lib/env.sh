# Shared settings of the local stack, sourced by the scripts in scripts/.
# Everything the stack keeps lives under $RUN (default: .run/ in the checkout).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN=${SHOP_RUN_DIR:-$ROOT/.run}
SHOP_BIN=${SHOP_BIN:-$ROOT/.build/release/shop}

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_PORT=5432
PG_USER=shop
PG_PASSWORD=shop

# RabbitMQ runs as this node, with its cookie, database and logs under $RUN/rabbitmq.
export RABBITMQ_NODENAME=shop@localhost
export RABBITMQ_HOME_DIR=$RUN/rabbitmq
rabbitmq_env() {
  env HOME="$RABBITMQ_HOME_DIR" RABBITMQ_NODENAME="$RABBITMQ_NODENAME" \
    RABBITMQ_CONFIG_FILE="$RABBITMQ_HOME_DIR/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_HOME_DIR/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$RABBITMQ_HOME_DIR/mnesia" RABBITMQ_LOG_BASE="$RUN/log/rabbitmq" \
    RABBITMQ_PID_FILE="$RABBITMQ_HOME_DIR/rabbitmq.pid" ERL_EPMD_ADDRESS=127.0.0.1 "$@"
}

# Open files for the stack and the load generator: a socket per virtual user (1000 and
# more) wants 65536, but never more than the environment's hard limit allows, since
# supervisord refuses to start when it cannot raise its own limit to minfds.
open_file_limit() {
  local hard; hard=$(ulimit -Hn)
  if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then echo 65536; else echo "$hard"; fi
}

ctl() { supervisorctl -c "$RUN/supervisord.conf" "$@"; }

stack_running() {
  [ -S "$RUN/supervisor.sock" ] && ctl pid >/dev/null 2>&1 && [ "$(ctl pid)" -gt 0 ] 2>/dev/null
}

# The unprivileged account PostgreSQL runs as when the stack is started by root.
pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
