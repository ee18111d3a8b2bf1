-- A commit that records notifications wakes the dispatchers of every instance at once; the
-- notification is delivered on commit only, so nothing is woken for a rolled-back event.
CREATE FUNCTION notifications_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('notifications', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER notifications_recorded AFTER INSERT ON notifications
  FOR EACH STATEMENT EXECUTE FUNCTION notifications_recorded();

-- The push subscriptions a push has reached, so that a retry after a partial failure does not
-- push twice to the ones that took it.
ALTER TABLE notifications ADD COLUMN delivered_to uuid[] NOT NULL DEFAULT '{}';

-- A browser's push subscription (RFC 8030 endpoint and the RFC 8291 keys, base64url).
CREATE TABLE push_subscriptions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  endpoint text NOT NULL,
  p256dh text NOT NULL,
  auth text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, endpoint)
);

-- A webhook endpoint. A customer's receives the events about the customer's own orders, an
-- admin's (`receives_all`) every event of the types it names. The secret signs deliveries,
-- so it is kept as given out.
CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  receives_all boolean NOT NULL,
  url text NOT NULL,
  events text[] NOT NULL,
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text,
  failures_in_a_row integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_endpoints_by_owner ON webhook_endpoints (user_id, created_at DESC, id DESC);
CREATE INDEX webhook_endpoints_by_event ON webhook_endpoints USING gin (events) WHERE enabled;

-- One event for one endpoint; its id is the `webhook-id` of every attempt, and the body is
-- kept as sent, so that each attempt carries the same bytes.
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY,
  endpoint_id uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'retrying', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error text,
  next_attempt_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (endpoint_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

CREATE TRIGGER webhook_deliveries_recorded AFTER INSERT ON webhook_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION notifications_recorded();
