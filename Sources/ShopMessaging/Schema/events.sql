-- The event tables of a service's database (DESIGN.md §4). Written so that it also applies
-- over an `outbox` table created by an earlier migration of the service.

-- Events recorded in the same transaction as the change that caused them. `seq` orders the
-- relay's work; rows stay after publication, for replay, until the retention has passed.
CREATE TABLE IF NOT EXISTS outbox (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  aggregate_id uuid NOT NULL,
  aggregate_version bigint NOT NULL,
  payload jsonb NOT NULL,
  traceparent text,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
-- Rows recorded before `seq` existed are numbered in the order they happened.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS seq bigint;
CREATE SEQUENCE IF NOT EXISTS outbox_seq OWNED BY outbox.seq;
UPDATE outbox SET seq = numbered.n
FROM (SELECT id, row_number() OVER (ORDER BY occurred_at, aggregate_version, id) AS n FROM outbox) AS numbered
WHERE outbox.id = numbered.id;
DO $$
BEGIN
  PERFORM setval('outbox_seq', (SELECT coalesce(max(seq), 0) + 1 FROM outbox), false);
END
$$;
ALTER TABLE outbox ALTER COLUMN seq SET DEFAULT nextval('outbox_seq'), ALTER COLUMN seq SET NOT NULL;
DROP INDEX IF EXISTS outbox_unpublished_idx;
CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_pending_aggregate_idx ON outbox (aggregate_id, aggregate_version) WHERE published_at IS NULL;
CREATE INDEX outbox_occurred_idx ON outbox (occurred_at);

-- Wakes the relays when a transaction that recorded events commits; notifications of one
-- transaction are delivered together at its commit.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- The relays of this database, each heartbeating its state, for `shop events status`.
CREATE TABLE outbox_relays (
  instance text PRIMARY KEY,
  state text NOT NULL,
  detail text,
  published bigint NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- Inbox: the events each consumer has processed, written in the transaction of its effect.
CREATE TABLE processed_events (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- The newest version of each aggregate a projection has applied.
CREATE TABLE projection_versions (
  projection text NOT NULL,
  aggregate_id uuid NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (projection, aggregate_id)
);
