-- Where a paid order stands in the warehouse (queued, packed, cancelled) and what was packed.
ALTER TABLE orders
  ADD COLUMN fulfillment_status text CHECK (fulfillment_status IN ('queued', 'packed', 'cancelled')),
  ADD COLUMN warehouse          text,
  ADD COLUMN packed_at          timestamptz,
  ADD COLUMN packing_list       jsonb;

-- The outbox of fulfillment jobs: written in the transaction that makes an order paid (or
-- cancels it), dispatched to the Redis Stream fulfillment:jobs by FulfillmentDispatcher. A
-- 'pack' row stays until the order is packed or shipped, and is dispatched again each
-- fulfillment.reenqueueAfter (the stream's marker keeps a second job off it), so a job that
-- Redis lost is not lost for good. A 'drop' row takes the job off the stream once.
CREATE TABLE fulfillment_jobs (
  order_id   uuid PRIMARY KEY REFERENCES orders (id),
  action     text NOT NULL CHECK (action IN ('pack', 'drop')),
  due_at     timestamptz NOT NULL,
  dispatches integer NOT NULL DEFAULT 0
);
CREATE INDEX fulfillment_jobs_due ON fulfillment_jobs (due_at);
