"""Monitoring of the local stack: Prometheus scrapes every program of the stack, the broker's
queues and whatever else the registry lists, and an alert that fires ends as a mail in the
operator's mailbox."""
import json
import os
import subprocess

import requests

from conftest import ROOT, ctl, healthy, wait_until
from notifying import mails_to

PROMETHEUS = "http://127.0.0.1:9090"
ALERTMANAGER = "http://127.0.0.1:9093"
SHOP_BIN = os.environ.get("SHOP_BIN", str(ROOT / ".build" / "release" / "shop"))


def active_targets():
    body = requests.get(f"{PROMETHEUS}/api/v1/targets", params={"state": "active"}, timeout=5).json()
    return body["data"]["activeTargets"]


def scraped_programs():
    """The programs Prometheus scraped successfully last time, by job."""
    return {(t["labels"]["job"], t["labels"].get("program")) for t in active_targets() if t["health"] == "up"}


def query(expr):
    body = requests.get(f"{PROMETHEUS}/api/v1/query", params={"query": expr}, timeout=5).json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def test_every_program_of_the_stack_and_the_broker_are_scraped():
    stack = json.loads((ROOT / "deploy" / "local" / "prometheus-targets.json").read_text())
    expected = {("swiftshop", group["labels"]["program"]) for group in stack}
    expected |= {("rabbitmq", "rabbitmq"), ("prometheus", "prometheus"), ("alertmanager", "alertmanager")}
    wait_until(lambda: scraped_programs() >= expected, 30)
    # The registry lists the same instances, so each is one target, not two.
    swiftshop = [t for t in active_targets() if t["labels"]["job"] == "swiftshop"]
    addresses = [t["labels"]["instance"] for t in swiftshop]
    assert len(addresses) == len(set(addresses)), addresses
    # Each queue's depth is there, dead-letter queues included.
    queues = {r["metric"]["queue"] for r in query("rabbitmq_detailed_queue_messages")}
    assert {"notification.messages", "notification.messages.dlq"} <= queues, queues


def test_the_rules_load_and_the_alertmanager_is_known():
    groups = requests.get(f"{PROMETHEUS}/api/v1/rules", timeout=5).json()["data"]["groups"]
    names = {rule["name"] for group in groups for rule in group["rules"]}
    assert {"InstanceDown", "ErrorBudgetBurn", "journey:http_latency_seconds:p95_5m"} <= names
    assert all(rule.get("health") != "err" for group in groups for rule in group["rules"]), groups
    managers = requests.get(f"{PROMETHEUS}/api/v1/alertmanagers", timeout=5).json()["data"]["activeAlertmanagers"]
    assert [m["url"] for m in managers] == ["http://127.0.0.1:9093/api/v2/alerts"]


def test_an_instance_started_beside_the_stack_is_scraped_without_editing_a_file():
    # A second traffic generator, paused, registered under a name of its own.
    env = {"PATH": os.environ["PATH"], "SHOP_DISCOVERY_ETCD": "127.0.0.1:2379",
           "SHOP_DISCOVERY_INSTANCE": "traffic-beside", "SHOP_TRAFFIC_USERS": "1"}
    beside = subprocess.Popen([SHOP_BIN, "traffic", "serve", "--control-port", "3031"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: ("swiftshop", "traffic-beside") in scraped_programs(), 45, interval=1)
        target = next(t for t in active_targets() if t["labels"].get("program") == "traffic-beside")
        assert target["labels"]["instance"] == "127.0.0.1:3031"
        assert target["labels"]["service"] == "traffic"
        wait_until(lambda: query('traffic_mode{program="traffic-beside"}'), 30, interval=1)
    finally:
        beside.terminate()
        beside.wait(timeout=30)
    # Stopped, it leaves the registry and so the targets.
    wait_until(lambda: all(t["labels"].get("program") != "traffic-beside" for t in active_targets()), 45, interval=1)


def test_a_stopped_program_alerts_the_operator_by_mail():
    ctl("stop", "fulfillment-2")
    try:
        alert = wait_until(lambda: mails_to("operator@swiftshop.local", "[FIRING] InstanceDown fulfillment fulfillment-2"),
                           180, interval=2)
    finally:
        ctl("start", "fulfillment-2")
    body = alert[0].get_body(preferencelist=("plain", "html")).get_content()
    assert "fulfillment-2 (fulfillment) is down" in body
    assert "alertmanager@swiftshop.local" in str(alert[0]["From"])
    wait_until(lambda: healthy("http://127.0.0.1:3015/health"), 60)
    # Back, it is scraped again and the alert resolves.
    wait_until(lambda: ("swiftshop", "fulfillment-2") in scraped_programs(), 30, interval=1)
    wait_until(lambda: not query('ALERTS{alertname="InstanceDown", program="fulfillment-2", alertstate="firing"}'),
               30, interval=1)
