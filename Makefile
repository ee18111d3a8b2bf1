# SwiftShop. `make up` runs the stack, `make test` proves it; see README.md.
SHELL := /bin/bash
SWIFT ?= swift
VENV := .venv
export SHOP_REQUIRE_INFRA ?= 1
# At most 16 Swift tests at a time (scripts/run-tests.sh says why).
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH ?= 16

.PHONY: up down status deps build build-debug lint format test test-swift test-e2e e2e-venv protos clean bench-redis bench-catalog bench-amqp bench-events bench-checkout bench-fulfillment bench-smtp bench-notifications bench-gateway load-test

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product shop

build-debug:
	$(SWIFT) build --build-tests

up: build
	@scripts/stack.sh up

down:
	@scripts/stack.sh down

status:
	@scripts/health-check.sh

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Package.swift

protos:
	scripts/generate-protos.sh

$(VENV)/bin/pytest: e2e/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r e2e/requirements.txt
	touch $@

e2e-venv: $(VENV)/bin/pytest

test-swift:
	$(SWIFT) test

# The contract fuzzing runs last: its wrong logins use up much of the failed-login budget.
test-e2e: e2e-venv
	$(VENV)/bin/pytest -q e2e --ignore=e2e/contract
	$(VENV)/bin/pytest -q e2e/contract

# The whole suite. Starts the stack when it is not running and stops it again afterwards;
# a stack that `make up` started is used as it is and left running.
test: deps lint build e2e-venv
	@scripts/run-tests.sh

# The seed's performance scenario: 1000 customers for 60 s against the running stack (make up),
# failing when p95 or the error rate misses the SLO. Reports in .run/reports/.
load-test:
	@scripts/load-test.sh --users 1000 --duration 60s --ramp 10s --slo "p95<500ms,errors<1%"

clean:
	rm -rf .build $(VENV)

bench-redis: deps
	scripts/bench-redis.sh

bench-catalog: build
	scripts/bench-catalog.sh

bench-gateway: build
	scripts/bench-gateway.sh

bench-amqp: deps
	scripts/bench-amqp.sh

bench-smtp: deps
	scripts/bench-smtp.sh

bench-events: deps
	scripts/bench-events.sh

bench-checkout: build
	scripts/bench-checkout.sh

bench-fulfillment: e2e-venv
	$(VENV)/bin/python scripts/bench-fulfillment.py

bench-notifications: e2e-venv
	$(VENV)/bin/python scripts/bench-notifications.py
