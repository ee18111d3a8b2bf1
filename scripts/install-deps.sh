#!/usr/bin/env bash
# Installs the Debian packages the local stack and the tests need. Idempotent: does
# nothing when everything is present. Daemons are kept from starting on install so that no
# default instance holds the ports the stack uses.
set -euo pipefail

packages=(postgresql postgresql-contrib rabbitmq-server redis-server redis-tools etcd-server etcd-client nginx supervisor
  prometheus prometheus-alertmanager chromium fonts-dejavu-core
  protobuf-compiler wrk python3-venv python3-pip python3-aiosmtpd curl jq openssl procps netcat-openbsd gettext-base)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  created_policy=1
fi
trap '[ $created_policy -eq 1 ] && $sudo rm -f "$policy"' EXIT

echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Packages whose maintainer scripts start a daemon anyway are stopped here.
for svc in rabbitmq-server redis-server etcd nginx supervisor postgresql prometheus prometheus-alertmanager; do
  $sudo service "$svc" stop >/dev/null 2>&1 || true
done
# Installing RabbitMQ can leave an epmd behind; the stack runs its own. Only the one this
# install started is asked to stop, through its port, and none that ran before.
if [[ " ${missing[*]} " == *" rabbitmq-server "* ]] && command -v epmd >/dev/null; then
  epmd -kill >/dev/null 2>&1 || true
fi
