#!/usr/bin/env bash
# Runs the Swift tests and the end-to-end suite against the local stack, starting the stack
# first when it is not running (and stopping it afterwards), or using the running one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
export SHOP_REQUIRE_INFRA=${SHOP_REQUIRE_INFRA:-1}

started=0
if stack_running && scripts/health-check.sh --quiet; then
  echo "[test] using the running stack"
else
  started=1
  scripts/stack.sh up
fi
cleanup() { [ $started -eq 1 ] && scripts/stack.sh down || true; }
trap cleanup EXIT

# Built first, so that the time limits below bound the tests alone: a hung test fails the run
# instead of holding it.
swift build --build-tests
status=0
# The monitoring configuration: Prometheus's as the stack renders it (with its rule files),
# the alert rules' unit tests, Alertmanager's.
promtool check config "$RUN/prometheus/prometheus.yml" >/dev/null || status=1
promtool test rules deploy/prometheus/tests/*.test.yml || status=1
amtool check-config deploy/local/alertmanager.yml >/dev/null || status=1
# Swift Testing would start every test at once; on two cores that many at a time starve the
# ones that time something (a deadline, a quick failure), so at most 16 run together.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-16}
timeout 900 swift test --skip-build || status=1
timeout 900 .venv/bin/pytest -q e2e --ignore=e2e/contract || status=1
# A short load test with the seed's SLO: missing it fails the suite.
timeout 600 scripts/load-test.sh --users 200 --duration 20s --ramp 5s --slo "p95<500ms,errors<1%" || status=1
# Last: the contract fuzzing's wrong logins use up much of this address's failed-login budget,
# which the load test's customers need to log in.
timeout 900 .venv/bin/pytest -q e2e/contract || status=1
exit $status
