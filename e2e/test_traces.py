"""One trace per checkout: the spans every service exported to the stack's OTLP sink for one
order form one tree, from the gateway's server span down to the product service's
reservation, the payment sandbox's charge and, through the outbox and RabbitMQ, the
notification service's consumer, with OpenTelemetry's span kinds and attributes."""
import json

from conftest import Client, shop, wait_until
from shopping import admin, category, customer, new_product, place  # noqa: F401 (fixtures)
from tracing import spans_of


def trace_of(request_id):
    """The trace id the gateway logged for a request."""
    for line in shop("logs", "--request", request_id, "--json").splitlines():
        record = json.loads(line)
        if record.get("event.dataset") == "gateway.access":
            return record["trace.id"]
    return None


def test_a_checkout_is_one_trace_across_the_services(admin, category):  # noqa: F811
    client = Client()
    token = customer(client)
    product = new_product(client, admin, category, stock=5)
    response = place(client, token, items=[{"product_id": product["id"], "quantity": 1}])
    assert response.status_code == 201, response.text
    trace = wait_until(lambda: trace_of(response.headers["X-Request-ID"]), 10, interval=0.5)

    def complete():
        spans = spans_of(trace)
        names = {(s["service"], s["name"]) for s in spans}
        wanted = {("gateway", "/api/v1/orders"), ("order", "shop.order.v1.OrderService/PlaceOrder"),
                  ("product", "shop.product.v1.ProductService/Reserve"),
                  ("product", "shop.product.v1.ProductService/Commit")}
        consumed = any(s["kind"] == "consumer" and s["service"] == "notification" for s in spans)
        return spans if wanted <= names and consumed else None

    # Spans are exported in batches, about every second.
    spans = wait_until(complete, 20, interval=1)
    by_id = {s["id"]: s for s in spans}

    # One root, the gateway's server span; every other span's parent is in the trace.
    roots = [s for s in spans if s["parent"] is None]
    # Hummingbird names a server span after its route; the method is an attribute.
    assert [(r["service"], r["name"], r["kind"]) for r in roots] == [("gateway", "/api/v1/orders", "server")]
    assert all(s["parent"] in by_id for s in spans if s["parent"]), [s for s in spans if s["parent"] not in by_id]
    root = roots[0]
    assert root["attributes"]["http.request.method"] == "POST"
    assert root["attributes"]["http.response.status_code"] == 201

    def chain(span):
        """The services and kinds from the root down to `span`."""
        path = []
        while span:
            path.append((span["service"], span["kind"]))
            span = by_id.get(span["parent"])
        return list(reversed(path))

    place_order = next(s for s in spans if s["name"] == "shop.order.v1.OrderService/PlaceOrder" and s["kind"] == "server")
    assert chain(place_order)[0] == ("gateway", "server")
    assert ("gateway", "client") in chain(place_order)
    assert place_order["attributes"]["rpc.system"] == "grpc"
    assert place_order["attributes"]["rpc.grpc.status_code"] == "ok"

    # The saga runs inside the placing request's trace: the reservation is the order
    # service's client call, answered by the product service's server span.
    reserve = next(s for s in spans if s["name"] == "shop.product.v1.ProductService/Reserve" and s["kind"] == "server")
    caller = by_id[reserve["parent"]]
    assert (caller["service"], caller["kind"]) == ("order", "client")
    assert chain(reserve)[:4] == [("gateway", "server"), ("gateway", "client"), ("order", "server"),
                                  ("order", "client")], chain(reserve)
    assert reserve["attributes"]["rpc.grpc.status_code"] == "ok"
    # The payment: the order service's HTTP call to the sandbox, answered inside the trace.
    payment = next(s for s in spans if s["service"] == "payment-sandbox" and s["kind"] == "server")
    assert payment["attributes"]["http.request.method"] == "POST"
    assert payment["name"] == "/v1/payments"
    assert (by_id[payment["parent"]]["service"], by_id[payment["parent"]]["kind"]) == ("order", "client")
    # The order's events, recorded in the outbox inside the trace, carry it through RabbitMQ
    # to the notification service's consumer.
    consumed = [s for s in spans if s["kind"] == "consumer"]
    assert ("notification", "notification.messages process") in {(s["service"], s["name"]) for s in consumed}
    for span in consumed:
        assert chain(span)[0] == ("gateway", "server")
        assert span["attributes"]["messaging.system"] == "rabbitmq"
        assert span["attributes"]["shop.event.type"].startswith(("order.", "payment."))
    # Every span ends after it starts.
    assert all(s["start"] <= s["end"] for s in spans)
