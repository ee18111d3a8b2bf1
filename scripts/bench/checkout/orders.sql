-- The SQL one checkout issues in the orders database (idempotency key, the order written with
-- its events in one statement, three saga steps each written in one statement, the paid one
-- with its packing job, the webhook, the answer read back, the key completed, the packing job
-- dispatched, the outbox rows published). Rows are the bench's own (lease owner
-- 'pgbench', events already published) and are deleted afterwards.
SELECT gen_random_uuid() AS oid, gen_random_uuid() AS uid, gen_random_uuid() AS pid, gen_random_uuid()::text AS k,
  gen_random_uuid() AS e1, gen_random_uuid() AS e2, gen_random_uuid() AS e3, gen_random_uuid() AS e4 \gset
BEGIN;
INSERT INTO idempotency_keys (scope, key, fingerprint, locked_until)
  VALUES ('pgbench', :k, 'f', now() + interval '60 seconds') ON CONFLICT (scope, key) DO NOTHING RETURNING 1;
COMMIT;
SELECT id FROM orders WHERE user_id = :uid AND idempotency_key = :k AND created_at >= now() - interval '1 day'
  ORDER BY created_at DESC LIMIT 1;
WITH placed AS (
  INSERT INTO orders (id, user_id, status, total_amount, currency, document, saga_step, saga_deadline, lease_owner,
    lease_until, idempotency_key, created_at, updated_at)
  VALUES (:oid, :uid, 'pending', 1999, 'USD', '{"card": {"brand": "visa", "last4": "4242"}, "created_at": "2026-12-02T10:00:00.000Z", "from_cart": false, "id": "00000000-0000-0000-0000-000000000000", "items": [{"name": "Benchmark Lamp", "product_id": "00000000-0000-0000-0000-000000000000", "quantity": 1, "unit_price": {"amount": 1999, "currency": "USD"}}], "shipping_address": {"city": "Benchville", "country": "DE", "line1": "1 Bench Street", "postal_code": "12345"}, "total": {"amount": 1999, "currency": "USD"}, "user_id": "00000000-0000-0000-0000-000000000000"}'::jsonb,
    'reserve', now() + interval '15 minutes', 'pgbench', now() + interval '20 seconds', :k, now(), now())
), lines AS (
  INSERT INTO order_lines (order_id, product_id, name, quantity, unit_amount, currency)
  SELECT :oid, line.* FROM unnest(ARRAY[:pid]::uuid[], ARRAY['Benchmark Lamp']::text[], ARRAY[1]::int8[],
    ARRAY[1999]::int8[], ARRAY['USD']::text[]) AS line(product_id, name, quantity, unit_amount, currency)
), history AS (
  INSERT INTO order_status_history (order_id, seq, status, at) VALUES (:oid, 1, 'pending', now())
), credentials AS (
  INSERT INTO saga_credentials (order_id, sealed) VALUES (:oid, decode(repeat('ab', 90), 'hex'))
)
INSERT INTO outbox (id, type, aggregate_id, aggregate_version, payload, occurred_at, published_at)
  SELECT e.id, e.type, :oid, 1, '{"data": {}}'::jsonb, now(), now()
  FROM unnest(ARRAY[:e1, :e2]::uuid[], ARRAY['order.created', 'order.status_changed']::text[]) AS e(id, type);
-- reserve → charge
WITH moved AS (
  UPDATE orders SET saga_step = 'charge', saga_attempts = 0, lease_until = now() + interval '20 seconds',
    updated_at = now() WHERE id = :oid AND lease_owner = 'pgbench' RETURNING version
), card AS (
  DELETE FROM saga_credentials WHERE order_id = :oid AND false AND EXISTS (SELECT 1 FROM moved)
), history AS (
  INSERT INTO order_status_history (order_id, seq, status, at)
  SELECT :oid, coalesce(max(h.seq), 0) + 1, NULL, now() FROM order_status_history h WHERE h.order_id = :oid
  HAVING NULL::text IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
)
SELECT version FROM moved;
-- charge → commit, with payment.succeeded; the card is forgotten
WITH moved AS (
  UPDATE orders SET saga_step = 'commit', payment_id = 'pay', payment_status = 'captured', version = version + 1,
    lease_until = now() + interval '20 seconds', updated_at = now()
  WHERE id = :oid AND lease_owner = 'pgbench' RETURNING version
), card AS (
  DELETE FROM saga_credentials WHERE order_id = :oid AND true AND EXISTS (SELECT 1 FROM moved)
), history AS (
  INSERT INTO order_status_history (order_id, seq, status, at)
  SELECT :oid, coalesce(max(h.seq), 0) + 1, NULL, now() FROM order_status_history h WHERE h.order_id = :oid
  HAVING NULL::text IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
), events AS (
  INSERT INTO outbox (id, type, aggregate_id, aggregate_version, payload, occurred_at, published_at)
  SELECT :e3, 'payment.succeeded', :oid, (SELECT version FROM moved),
    jsonb_set('{"data": {}}'::jsonb, '{aggregate_version}', to_jsonb((SELECT version FROM moved))), now(), now()
  WHERE EXISTS (SELECT 1 FROM moved)
)
SELECT version FROM moved;
-- the provider's webhook
BEGIN;
INSERT INTO received_webhooks (id) VALUES (gen_random_uuid()::text) ON CONFLICT DO NOTHING RETURNING 1;
UPDATE orders SET provider_payment_id = 'pay', provider_status = 'captured' WHERE id = :oid AND saga_step <> 'finished';
COMMIT;
-- commit → paid, queued for packing
WITH moved AS (
  UPDATE orders SET saga_step = 'finished', status = 'paid', version = version + 1,
    fulfillment_status = 'queued', updated_at = now()
  WHERE id = :oid AND lease_owner = 'pgbench' RETURNING version
), job AS (
  INSERT INTO fulfillment_jobs (order_id, action, due_at)
  SELECT :oid, 'pack', now() WHERE EXISTS (SELECT 1 FROM moved) ON CONFLICT (order_id) DO NOTHING
), card AS (
  DELETE FROM saga_credentials WHERE order_id = :oid AND true AND EXISTS (SELECT 1 FROM moved)
), history AS (
  INSERT INTO order_status_history (order_id, seq, status, at)
  SELECT :oid, coalesce(max(h.seq), 0) + 1, 'paid', now() FROM order_status_history h WHERE h.order_id = :oid
  HAVING 'paid'::text IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
), events AS (
  INSERT INTO outbox (id, type, aggregate_id, aggregate_version, payload, occurred_at, published_at)
  SELECT :e4, 'order.status_changed', :oid, (SELECT version FROM moved),
    jsonb_set('{"data": {}}'::jsonb, '{aggregate_version}', to_jsonb((SELECT version FROM moved))), now(), now()
  WHERE EXISTS (SELECT 1 FROM moved)
)
SELECT version FROM moved;
-- the answer
SELECT o.document::text, o.status, o.cancel_reason, o.payment_status, o.saga_step, o.updated_at, o.version, o.created_at
  FROM orders o WHERE o.id = :oid ORDER BY o.created_at DESC, o.id DESC LIMIT 1;
SELECT order_id, status, at FROM order_status_history WHERE order_id = ANY(ARRAY[:oid]::uuid[]) ORDER BY order_id, seq;
UPDATE idempotency_keys SET status = 201, body = decode(repeat('cd', 700), 'hex'), content_type = 'application/x-protobuf',
  locked_until = NULL WHERE scope = 'pgbench' AND key = :k;
-- the job dispatcher hands the packing job to Redis (and would hand it again if not packed)
WITH claimed AS (
  UPDATE fulfillment_jobs SET due_at = now() + interval '10 minutes', dispatches = dispatches + 1
  WHERE order_id IN (SELECT order_id FROM fulfillment_jobs WHERE order_id = :oid AND due_at <= now()
    ORDER BY due_at LIMIT 64 FOR UPDATE SKIP LOCKED)
  RETURNING order_id, action
)
SELECT c.order_id, c.action, o.document::text FROM claimed c JOIN orders o ON o.id = c.order_id;
-- the relay marks the four events published
UPDATE outbox SET published_at = now() WHERE id IN (:e1, :e2, :e3, :e4);
