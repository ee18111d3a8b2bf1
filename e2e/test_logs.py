"""The programs' logs: every line an ECS object that the deployments' index template maps,
and `shop logs` telling one checkout's story across every service it touched, oldest first."""
import datetime
import json

from conftest import ROOT, Client, shop, wait_until
from shopping import admin, category, customer, new_product, place  # noqa: F401 (fixtures)

LOGS = ROOT / ".run" / "log"
TEMPLATE = ROOT / "deploy" / "logging" / "ecs-index-template.json"
LEVELS = {"trace", "debug", "info", "notice", "warning", "error", "critical"}


def swift_programs():
    """Every program of the stack that is `shop`, and so writes ECS lines."""
    stack = json.loads((ROOT / "deploy" / "local" / "prometheus-targets.json").read_text())
    return [group["labels"]["program"] for group in stack] + ["scrape-targets"]


def mapped_fields():
    """The template's fields as dotted names, with their types."""
    fields = {}

    def walk(properties, prefix):
        for name, mapping in properties.items():
            if "properties" in mapping:
                walk(mapping["properties"], f"{prefix}{name}.")
            else:
                fields[prefix + name] = mapping["type"]

    walk(json.loads(TEMPLATE.read_text())["template"]["mappings"]["properties"], "")
    return fields


def fits(value, kind):
    if kind == "date":
        return isinstance(value, str) and datetime.datetime.fromisoformat(value.replace("Z", "+00:00")) is not None
    if kind == "long":
        return isinstance(value, int) or (isinstance(value, str) and value.isdigit())
    return isinstance(value, str)


def test_every_line_of_every_program_is_an_ecs_object_the_template_maps():
    fields = mapped_fields()
    seen_keys = set()
    lines = 0
    for program in swift_programs():
        for number, line in enumerate((LOGS / f"{program}.log").read_text().splitlines(), 1):
            where = f"{program}.log:{number}: {line[:200]}"
            record = json.loads(line)
            assert isinstance(record, dict), where
            for required in ("@timestamp", "log.level", "message", "service.name"):
                assert required in record, where
            assert record["log.level"] in LEVELS, where
            for key, value in record.items():
                if key in fields:
                    assert fits(value, fields[key]), f"{where}: {key} is not a {fields[key]}"
            seen_keys |= record.keys()
            lines += 1
    assert lines > 1000
    # Elasticsearch maps `a.b` as a field b of an object a: no name may be both a value and an
    # object holding others.
    objects = {key.rsplit(".", 1)[0] for key in seen_keys | fields.keys() if "." in key}
    objects |= {prefix for key in objects for prefix in
                (key.rsplit(".", i)[0] for i in range(1, key.count(".") + 1))}
    assert not (objects & (seen_keys | fields.keys())), objects & seen_keys


def test_one_checkout_reads_as_one_story_across_the_services(admin, category):  # noqa: F811
    client = Client()
    token = customer(client)
    product = new_product(client, admin, category, stock=5)
    response = place(client, token, items=[{"product_id": product["id"], "quantity": 1}])
    assert response.status_code == 201, response.text
    request_id = response.headers["X-Request-ID"]

    def by_request():
        found = [json.loads(line) for line in shop("logs", "--request", request_id, "--json").splitlines()]
        return found if any(r.get("event.dataset") == "gateway.access" for r in found) else None

    lines = wait_until(by_request, 10, interval=0.5)
    edge = next(r for r in lines if r.get("event.dataset") == "gateway.access")
    assert edge["http.request.method"] == "POST" and edge["url.path"] == "/api/v1/orders"
    assert edge["http.response.status_code"] == 201
    trace = edge["trace.id"]

    story = [json.loads(line) for line in shop("logs", "--trace", trace, "--json").splitlines()]
    services = {r["service.name"] for r in story}
    assert {"gateway", "order", "product"} <= services, services
    assert all(r["trace.id"] == trace for r in story)
    stamps = [r["@timestamp"] for r in story]
    assert stamps == sorted(stamps)
    # The order's placement, and the saga it started: the reservation and its commit.
    calls = {r["rpc.method"] for r in story if r.get("event.dataset") == "rpc.server"}
    assert {"shop.order.v1.OrderService/PlaceOrder", "shop.product.v1.ProductService/Reserve",
            "shop.product.v1.ProductService/Commit"} <= calls, calls

    # The readable form: one line each, the program where `service.name` would only say the role.
    readable = shop("logs", "--trace", trace).splitlines()
    assert len(readable) == len(story)
    assert any(line.split(" ")[1].startswith("gateway-") for line in readable)


def test_the_search_narrows_by_service_level_and_time():
    warnings = [json.loads(line) for line in shop("logs", "--service", "order", "--level", "warning", "--json")
                .splitlines()]
    assert all(r["service.name"] == "order" and r["log.level"] in {"warning", "error", "critical"} for r in warnings)
    recent = [json.loads(line) for line in shop("logs", "--service", "gateway", "--since", "10m", "--json")
              .splitlines()]
    cutoff = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=11)).isoformat()
    assert recent and all(r["@timestamp"] >= cutoff[:19] for r in recent)
    assert shop("logs", "--since", "2099-01-01T00:00:00Z") == ""
