-- The SQL one checkout issues in the products database: the product read for its price, the
-- reservation held (under the order's advisory lock) and then committed. The bench's product
-- (-D product=<id>) has stock enough for every run.
SELECT gen_random_uuid() AS oid \gset
SELECT p.id, p.sku, p.name, p.price_amount, p.currency, i.on_hand - i.reserved FROM products p
  JOIN inventory i ON i.product_id = p.id WHERE p.id = :product;
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended(:oid::text, 0));
SELECT status, expires_at FROM reservations WHERE order_id = :oid;
INSERT INTO reservations (order_id, product_id, quantity, status, expires_at)
  SELECT :oid, line.product_id, line.quantity, 'held', now() + interval '15 minutes'
  FROM unnest(ARRAY[:product]::uuid[], ARRAY[1]::int8[]) AS line(product_id, quantity);
UPDATE inventory i SET reserved = i.reserved + 1, version = i.version + 1 FROM products p
  WHERE i.product_id = :product AND p.id = i.product_id AND i.on_hand - i.reserved >= 1
  RETURNING i.on_hand - i.reserved, i.version, p.sku, p.name, p.low_stock_threshold;
COMMIT;
BEGIN;
SELECT status, expires_at FROM reservations WHERE order_id = :oid FOR UPDATE;
UPDATE reservations SET status = 'committed' WHERE order_id = :oid;
UPDATE inventory i SET on_hand = i.on_hand - r.quantity, reserved = i.reserved - r.quantity, version = i.version + 1
  FROM reservations r WHERE r.order_id = :oid AND r.product_id = i.product_id;
COMMIT;
