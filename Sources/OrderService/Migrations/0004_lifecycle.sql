-- The order's life after payment: its shipment, and when it was delivered (from which it
-- completes by itself after orders.autoCompleteAfter).
ALTER TABLE orders
  ADD COLUMN carrier         text,
  ADD COLUMN tracking_number text,
  ADD COLUMN shipped_at      timestamptz,
  ADD COLUMN delivered_at    timestamptz;
CREATE INDEX orders_delivered ON orders (delivered_at) WHERE status = 'delivered';

-- A cancel asked for while the checkout saga still runs: the saga compensates at its next
-- step, or, when it ended paid meanwhile, the paid order is cancelled like any other.
ALTER TABLE orders
  ADD COLUMN cancel_requested_at timestamptz,
  -- The saga compensates a paid order: its stock was sold, not only held.
  ADD COLUMN saga_after_payment boolean NOT NULL DEFAULT false;
CREATE INDEX orders_cancel_requested ON orders (cancel_requested_at)
  WHERE cancel_requested_at IS NOT NULL AND status = 'paid';
