-- The SQL one checkout issues in the payments database: the idempotency key, the payment with
-- its webhook, the key completed, and the webhook's delivery. Rows are the bench's own
-- (reference 'pgbench', webhooks already delivered) and are deleted afterwards.
SELECT gen_random_uuid() AS pid, gen_random_uuid()::text AS k \gset
BEGIN;
INSERT INTO idempotency_keys (scope, key, fingerprint, locked_until)
  VALUES ('pgbench', :k, 'f', now() + interval '60 seconds') ON CONFLICT (scope, key) DO NOTHING RETURNING 1;
COMMIT;
BEGIN;
INSERT INTO payments (id, reference, amount, currency, status, captured_amount, refunded_amount, card_brand,
  card_last4, card_fingerprint, failure_code, created_at, updated_at)
  VALUES (:pid, 'pgbench', 1999, 'USD', 'captured', 1999, 0, 'visa', '4242', repeat('f', 64), NULL, now(), now());
INSERT INTO webhook_outbox (webhook_id, type, body, delivered_at)
  VALUES (:k, 'payment.captured', repeat('x', 420), now());
COMMIT;
UPDATE idempotency_keys SET status = 201, body = decode(repeat('ef', 400), 'hex'), content_type = 'application/json',
  locked_until = NULL WHERE scope = 'pgbench' AND key = :k;
UPDATE webhook_outbox SET next_attempt_at = now() + interval '35 seconds'
  WHERE id = (SELECT id FROM webhook_outbox WHERE webhook_id = :k FOR UPDATE SKIP LOCKED)
  RETURNING id, webhook_id, body, attempts;
UPDATE webhook_outbox SET attempts = attempts + 1, delivered_at = now(), last_error = NULL WHERE webhook_id = :k;
