-- The SQL one checkout issues in the products database: the product read for its price, the
-- reservation held (under the order's advisory lock) and then committed. The bench's product
-- (-D product=<id>) has stock enough for every run.
SELECT gen_random_uuid() AS oid \gset
SELECT p.id, p.sku, p.name, p.price_amount, p.currency, i.on_hand - i.reserved FROM products p
  JOIN inventory i ON i.product_id = p.id WHERE p.id = :product;
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended(:oid::text, 0));
SELECT status, expires_at FROM reservations WHERE order_id = :oid LIMIT 1;
UPDATE inventory SET reserved = reserved + 1, version = version + 1
  WHERE product_id = :product AND on_hand - reserved >= 1 RETURNING on_hand - reserved, version;
INSERT INTO reservations (order_id, product_id, quantity, status, expires_at)
  VALUES (:oid, :product, 1, 'held', now() + interval '15 minutes');
COMMIT;
BEGIN;
SELECT status, expires_at FROM reservations WHERE order_id = :oid FOR UPDATE;
UPDATE inventory i SET on_hand = i.on_hand - r.quantity, reserved = i.reserved - r.quantity, version = i.version + 1
  FROM reservations r WHERE r.order_id = :oid AND r.product_id = i.product_id;
UPDATE reservations SET status = 'committed' WHERE order_id = :oid;
COMMIT;
