"""Rate limits as API.md's Limits describe them: the fields on every answer, one quota per
user shared by both gateways, per client address without a token (X-Forwarded-For believed
from the trusted proxy only), and with Redis stopped 200 or 429, never a 500."""
import concurrent.futures
import re
import time
import uuid

import requests

from conftest import API, ctl, wait_until
from shopping import customer

GATEWAYS = ["http://127.0.0.1:8081/api/v1", "http://127.0.0.1:8082/api/v1"]
POLICY = re.compile(r'^"(\w+)";q=(\d+);w=(\d+)$')
LEFT = re.compile(r'^"(\w+)";r=(\d+);t=(\d+)$')


def policies(response):
    """`RateLimit-Policy` as [(name, quota, window)], the applying one first."""
    return [tuple(int(v) if v.isdigit() else v for v in POLICY.match(item.strip()).groups())
            for item in response.headers["RateLimit-Policy"].split(",")]


def left(response):
    """`RateLimit` as (name, remaining, reset seconds)."""
    name, remaining, reset = LEFT.match(response.headers["RateLimit"]).groups()
    return name, int(remaining), int(reset)


def test_every_answer_carries_the_policies_and_what_is_left(client):
    token = customer(client)
    answers = [client.get("/categories"), client.get("/users/me", token=token), client.get("/nowhere"),
               client.post("/auth/login", json={"email": "nobody@example.com", "password": "wrong-password-1"})]
    assert [a.status_code for a in answers] == [200, 200, 404, 401]
    assert [policies(a)[0][0] for a in answers] == ["client", "user", "client", "auth"]
    assert sorted(policies(answers[0])) == [("auth", 3000, 60), ("client", 1200, 60), ("user", 1200, 60)]
    for answer in answers:
        name, remaining, reset = left(answer)
        assert name == policies(answer)[0][0] and 0 <= remaining < policies(answer)[0][1] and 0 < reset <= 60


def test_the_two_gateways_share_one_quota_per_user(client):
    token = customer(client)
    headers = {"Authorization": f"Bearer {token}"}
    sessions = [requests.Session() for _ in GATEWAYS]
    first = sessions[0].get(f"{GATEWAYS[0]}/users/me/addresses", headers=headers, timeout=10)
    quota = policies(first)[0][1]
    began = time.monotonic()

    def call(index):
        gateway = index % 2
        response = sessions[gateway].get(f"{GATEWAYS[gateway]}/users/me/addresses", headers=headers, timeout=10)
        return gateway, response

    def refused(answers):
        return [(gateway, response) for gateway, response in answers if response.status_code == 429]

    # However slowly this machine answers, the calls go on until both gateways refused (the
    # quota refills one call per 50 ms meanwhile), up to three quotas.
    answers = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        while len(answers) < 3 * quota and {gateway for gateway, _ in refused(answers)} != {0, 1}:
            answers += list(pool.map(call, range(len(answers), len(answers) + 100)))
    elapsed = time.monotonic() - began
    statuses = [response.status_code for _, response in answers]
    assert set(statuses) <= {200, 429}, set(statuses)
    allowed = 1 + statuses.count(200)
    # The quota, plus what refilled while the calls ran, and not a quota per gateway.
    assert quota <= allowed <= quota + elapsed * quota / 60 + 5, (allowed, elapsed)
    assert {gateway for gateway, _ in refused(answers)} == {0, 1}
    _, response = refused(answers)[0]
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "too_many_requests"
    assert int(response.headers["Retry-After"]) >= 1
    assert left(response)[:2] == ("user", 0)


def test_without_a_token_the_client_address_counts_as_the_trusted_proxy_gives_it(client):
    elsewhere = f"198.51.100.{uuid.uuid4().int % 200 + 1}"
    direct = requests.get(f"{GATEWAYS[0]}/categories", headers={"X-Forwarded-For": elsewhere}, timeout=10)
    again = requests.get(f"{GATEWAYS[1]}/categories", headers={"X-Forwarded-For": elsewhere}, timeout=10)
    # From the trusted proxy (loopback here), the address it names has a quota of its own.
    assert left(direct)[1] == 1199 and left(again)[1] == 1198
    # Through nginx the address a client claims is not believed: the one nginx saw counts.
    fresh = f"203.0.113.{uuid.uuid4().int % 200 + 1}"
    seen = [left(client.get("/categories"))[1] for _ in range(3)][-1]
    claimed = left(client.get("/categories", headers={"X-Forwarded-For": fresh}))[1]
    assert claimed <= seen < 1199


def test_with_redis_stopped_each_gateway_limits_alone_and_never_fails(client):
    token = customer(client)
    ctl("stop", "redis")
    try:
        answers = [client.get("/users/me", token=token) for _ in range(30)]
        answers += [client.get("/categories") for _ in range(30)]
    finally:
        ctl("start", "redis")
    assert {a.status_code for a in answers} <= {200, 429}, {a.status_code for a in answers}
    assert all(a.headers.get("RateLimit") for a in answers)
    wait_until(lambda: client.get("/cart", token=token).status_code == 200, 30)
