"""The event operations of the `shop` command line against the running stack."""
import re
import uuid

from conftest import run_shop, shop, wait_until


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
