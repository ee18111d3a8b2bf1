-- Every notification is a row: what was sent (channel, template), to whom, because of which
-- event, and how its delivery went. One row per event, recipient, channel and template, so a
-- redelivered event records nothing twice.
CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'push', 'webhook')),
  template text NOT NULL,
  order_id uuid,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  "values" jsonb NOT NULL DEFAULT '{}',
  -- `pending` until the first attempt; API.md lists it as `retrying`.
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'retrying', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (event_id, user_id, channel, template)
);

CREATE INDEX notifications_due ON notifications (channel, next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX notifications_by_owner ON notifications (user_id, created_at DESC, id DESC);

CREATE TABLE notification_preferences (
  user_id uuid PRIMARY KEY,
  preferences jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
