"""The dashboards: every query of the Grafana dashboard and of the local console answers with
data from the live Prometheus after some traffic, and the console page renders its graphs
in a real browser (headless Chromium)."""
import json
import re
import subprocess

import pytest
import requests

from conftest import ROOT, Client, wait_until
from shopping import admin, category, customer, new_product, place  # noqa: F401 (fixtures)

PROMETHEUS = "http://127.0.0.1:9090"
DASHBOARD = ROOT / "deploy" / "grafana" / "swiftshop.json"
CONSOLE = ROOT / "deploy" / "prometheus" / "consoles" / "swiftshop.html"


def dashboard_queries():
    def panels(items):
        for panel in items:
            yield panel
            yield from panels(panel.get("panels", []))

    return [target["expr"] for panel in panels(json.loads(DASHBOARD.read_text())["panels"])
            for target in panel.get("targets", [])]


def go_string(literal):
    """A Go template's double-quoted string literal, unquoted."""
    return json.loads(literal)


def console_queries():
    source = CONSOLE.read_text()
    graphs = [go_string(m.group(1)) for m in
              re.finditer(r'args "[^"]+" "[^"]+" ("(?:[^"\\]|\\.)*")', source)]
    tables = [go_string(m.group(1)) for m in re.finditer(r'query ("(?:[^"\\]|\\.)*")', source)]
    return graphs + tables


def answers(expr):
    body = requests.get(f"{PROMETHEUS}/api/v1/query", params={"query": expr}, timeout=10).json()
    assert body["status"] == "success", f"{expr}: {body}"
    return body["data"]["result"]


@pytest.fixture(scope="module")
def traffic(admin, category):  # noqa: F811
    """A customer's journey through every part the dashboards show: browse, cart, checkout."""
    client = Client()
    token = customer(client)
    product = new_product(client, admin, category, stock=5)
    assert client.get("/products", params={"q": product["name"][:6]}).status_code == 200
    assert client.put(f"/cart/items/{product['id']}", {"quantity": 1}, token=token).status_code == 200
    assert place(client, token).status_code == 201


def test_the_dashboard_and_the_console_ask_the_same_questions():
    # Quoting aside (the console's template strings take single quotes), the same views.
    normalise = lambda expr: expr.replace("'", '"')  # noqa: E731
    assert set(map(normalise, console_queries())) - {'up{job="swiftshop"}', 'ALERTS{alertstate="firing"}'} <= \
        set(map(normalise, dashboard_queries()))
    assert len(dashboard_queries()) >= 20


@pytest.mark.parametrize("source", ["grafana", "console"])
def test_every_query_answers_with_data_after_traffic(traffic, source):
    queries = dashboard_queries() if source == "grafana" else console_queries()
    for expr in queries:
        # The rates need two scrapes after the traffic, the recording rules an evaluation.
        wait_until(lambda: answers(expr), 60, interval=1)


def test_the_console_page_renders_its_graphs_in_a_browser(traffic, tmp_path):
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path}", "--virtual-time-budget=15000", "--window-size=1400,4000",
         "--dump-dom", f"{PROMETHEUS}/consoles/swiftshop.html"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    graphs = len(re.findall(r'args "[^"]+"', CONSOLE.read_text()))
    assert "prom_graph_error" not in dom, re.findall(r'prom_graph_error[^<]*<', dom)[:5]
    # Each graph is an SVG drawn by Rickshaw, with a legend naming its series.
    assert dom.count("<svg") >= graphs, dom.count("<svg")
    assert dom.count('class="rickshaw_legend') >= graphs
    # The health table lists every program.
    assert all(f"<td>{program}</td>" in dom for program in ("gateway-1", "order-2", "fulfillment-2", "traffic"))
