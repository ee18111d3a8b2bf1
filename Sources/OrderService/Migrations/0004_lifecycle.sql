-- The order's life after payment: its shipment, and when it was delivered (from which it
-- completes by itself after orders.autoCompleteAfter).
ALTER TABLE orders
  ADD COLUMN carrier         text,
  ADD COLUMN tracking_number text,
  ADD COLUMN shipped_at      timestamptz,
  ADD COLUMN delivered_at    timestamptz;
CREATE INDEX orders_delivered ON orders (delivered_at) WHERE status = 'delivered';
