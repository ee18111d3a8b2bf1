"""The notification service end to end: an order's confirmation email reaches the maildir
and is listed as sent; a status event delivered twice sends one email; an email follows
when the notification service or the SMTP sink comes back; a customer on a waitlist is told
when the product is back in stock."""
import re
import uuid

from conftest import ctl, shop, wait_until
from notifying import mails_to, metric_total, notification, notifications
from shopping import admin, category, new_product, place  # noqa: F401


def shopper(client):
    """A new customer's address and access token."""
    address, password, _ = client.register()
    return address, client.login(address, password)["access_token"]


def paid_order(client, token, product):
    response = place(client, token, [{"product_id": product["id"], "quantity": 1}])
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "paid"
    return response.json()["id"]


def test_an_orders_confirmation_email_reaches_the_maildir_and_is_listed_sent(client, admin, category):
    address, token = shopper(client)
    order_id = paid_order(client, token, new_product(client, admin, category))
    [message] = wait_until(lambda: mails_to(address, order_id), timeout=30)
    assert message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert order_id in text
    assert wait_until(lambda: (notification(client, token, "order_confirmed") or {}).get("status") == "sent",
                      timeout=15)
    push = notification(client, token, "order_confirmed", channel="push")
    # Without a push subscription there is nobody to push to.
    assert push is not None and push["status"] == "skipped"
    welcome = wait_until(lambda: mails_to(address, "Welcome"), timeout=30)
    assert len(welcome) == 1


def test_a_status_event_delivered_twice_sends_one_email(client, admin, category):
    address, token = shopper(client)
    order_id = paid_order(client, token, new_product(client, admin, category))
    wait_until(lambda: mails_to(address, order_id), timeout=30)
    duplicates = metric_total("event_handler_outcomes_total", consumer="notification.messages", outcome="duplicate")
    out = shop("events", "replay", "--service", "order", "--since", "5m", "--type", "order.status_changed",
               "--to", "notification.messages")
    replayed = int(re.search(r"replayed (\d+) events", out).group(1))
    assert replayed >= 2  # pending and paid, at least
    # Every replayed event reaches the inbox and is recognised as handled.
    assert wait_until(lambda: metric_total("event_handler_outcomes_total", consumer="notification.messages",
                                           outcome="duplicate") >= duplicates + replayed, timeout=30)
    assert len(mails_to(address, order_id)) == 1
    assert len([n for n in notifications(client, token) if n["template"] == "order_confirmed"]) == 2


def test_with_the_notification_service_stopped_the_email_follows_when_it_is_back(client, admin, category):
    address, token = shopper(client)
    product = new_product(client, admin, category)
    ctl("stop", "notification", "notification-2")
    try:
        order_id = paid_order(client, token, product)
        assert mails_to(address, order_id) == []
    finally:
        ctl("start", "notification", "notification-2")
    wait_until(lambda: mails_to(address, order_id), timeout=60)


def test_with_the_smtp_sink_stopped_the_email_is_retrying_then_sent(client, admin, category):
    address, token = shopper(client)
    product = new_product(client, admin, category)
    retries = metric_total("notifications_delivered_total", channel="email", outcome="retrying")
    ctl("stop", "smtp")
    try:
        order_id = paid_order(client, token, product)
        # An attempt failed and is to be tried again.
        assert wait_until(lambda: metric_total("notifications_delivered_total", channel="email",
                                               outcome="retrying") > retries, timeout=30)
        assert notification(client, token, "order_confirmed")["status"] == "retrying"
    finally:
        ctl("start", "smtp")
    wait_until(lambda: mails_to(address, order_id), timeout=60)
    assert wait_until(lambda: notification(client, token, "order_confirmed")["status"] == "sent", timeout=15)


def test_a_customer_on_the_waitlist_is_emailed_when_the_product_is_back_in_stock(client, admin, category):
    address, token = shopper(client)
    name = f"Waited Lamp {uuid.uuid4().hex[:8]}"
    product = new_product(client, admin, category, stock=0, name=name)
    assert client.post(f"/products/{product['id']}/waitlist", token=token).status_code == 201
    response = client.post(f"/products/{product['id']}/inventory/adjustments", {"delta": 5, "reason": "restock"},
                           token=admin)
    assert response.status_code == 200, response.text
    [message] = wait_until(lambda: mails_to(address, name), timeout=30)
    assert "back in stock" in str(message["Subject"]).lower()
    assert wait_until(lambda: (notification(client, token, "back_in_stock") or {}).get("status") == "sent",
                      timeout=15)
