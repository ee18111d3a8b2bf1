"""The event operations of the `shop` command line against the running stack."""
import json
import os
import re
import uuid

import pika

from conftest import run_shop, shop, unique_email, wait_until

AMQP_URL = os.environ.get("SHOP_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/?heartbeat=0")


def test_status_shows_each_services_backlog_and_relay(client):
    client.register()
    wait_until(lambda: re.search(r"^user: backlog 0,", shop("events", "status"), re.MULTILINE), timeout=60)
    # A relay reports its state every few seconds.
    wait_until(lambda: re.search(r"^  relay user@\S+: (idle|publishing)", shop("events", "status"), re.MULTILINE),
               timeout=30)
    assert re.search(r"^product: backlog \d+,", shop("events", "status"), re.MULTILINE)


def test_replay_publishes_the_recorded_events_again(client):
    client.register()
    wait_until(lambda: re.search(r"^user: backlog 0,", shop("events", "status"), re.MULTILINE), timeout=60)
    out = shop("events", "replay", "--service", "user", "--since", "1h", "--type", "user.registered")
    replayed = int(re.search(r"replayed (\d+) events", out).group(1))
    assert replayed >= 1
    assert "replayed 0 events, 0 of them unroutable" in shop("events", "replay", "--service", "user", "--since", "1h", "--type", "no.such")


def test_bad_operations_are_refused_with_a_reason():
    missing = f"no-such-queue-{uuid.uuid4().hex[:8]}"
    cases = [
        (["events", "replay", "--service", "nobody", "--since", "1h"], "unknown service nobody"),
        (["events", "replay", "--service", "user", "--since", "yesterday"], "neither an RFC 3339 time"),
        (["events", "replay", "--service", "user", "--since", "1h", "--until", "2h"], "--until must be after --since"),
        (["events", "replay", "--service", "user", "--since", "1h", "--to", missing], "NOT_FOUND"),
        (["dlq", "list", "--queue", missing], "NOT_FOUND"),
        (["dlq", "purge", "--queue", missing], "NOT_FOUND"),
    ]
    for args, reason in cases:
        result = run_shop(*args)
        assert result.returncode != 0, args
        assert reason in result.stderr, (args, result.stderr)


# The queues the stack binds to user.registered; the test below takes their bindings away for
# its while, so that the event it makes has nowhere to go.
REGISTERED_QUEUES = ("notification.messages", "notification.webhooks")


def test_an_event_no_queue_is_bound_for_is_kept_in_shop_unrouted_and_replayed_to_a_queue_bound_later(client):
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    try:
        channel = connection.channel()
        for queue in REGISTERED_QUEUES:
            channel.queue_unbind(queue=queue, exchange="shop.events", routing_key="user.registered")
        _, _, user = client.register(email=unique_email("unrouted"))
        wait_until(lambda: re.search(r"^user: backlog 0,", shop("events", "status"), re.MULTILINE), timeout=60)

        def kept():
            # Looks at every message without taking it; what is not ours goes back on close.
            while True:
                method, _, body = channel.basic_get(queue="shop.unrouted", auto_ack=False)
                if method is None:
                    return None
                event = json.loads(body)
                if event.get("data", {}).get("user_id") == user["id"]:
                    channel.basic_ack(method.delivery_tag)
                    return event

        envelope = kept()
        assert envelope and envelope["type"] == "user.registered", "the broker kept the unroutable event"
        channel.close()

        channel = connection.channel()
        late = channel.queue_declare(queue="", exclusive=True).method.queue
        channel.queue_bind(queue=late, exchange="shop.events", routing_key="user.registered")
        out = shop("events", "replay", "--service", "user", "--since", "10m", "--type", "user.registered")
        assert re.search(r"replayed [1-9]\d* events, 0 of them unroutable", out), out

        def replayed():
            method, _, body = channel.basic_get(queue=late, auto_ack=True)
            while method is not None:
                if json.loads(body).get("data", {}).get("user_id") == user["id"]:
                    return True
                method, _, body = channel.basic_get(queue=late, auto_ack=True)
            return None

        assert wait_until(replayed, timeout=30)
    finally:
        if connection.is_open:
            channel = connection.channel()
            for queue in REGISTERED_QUEUES:
                channel.queue_bind(queue=queue, exchange="shop.events", routing_key="user.registered")
        connection.close()
