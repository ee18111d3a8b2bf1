-- Orders: rows for what is queried and changed, and the order as placed as a JSONB document.
CREATE TABLE orders (
  id             uuid PRIMARY KEY,
  user_id        uuid        NOT NULL,
  status         text        NOT NULL,
  cancel_reason  text,
  total_amount   bigint      NOT NULL,
  currency       text        NOT NULL,
  document       jsonb       NOT NULL,
  -- What the customer sees of the payment: pending, captured, failed, refunded.
  payment_status text        NOT NULL DEFAULT 'pending',
  payment_id     text,
  -- The checkout saga: its step, failed attempts of that step, the reason of a compensation
  -- under way, and when the stock held for it expires.
  saga_step      text        NOT NULL,
  saga_attempts  int         NOT NULL DEFAULT 0,
  saga_reason    text,
  saga_deadline  timestamptz NOT NULL,
  -- The instance running the saga, until when. Another takes it over only after that.
  lease_owner    text,
  lease_until    timestamptz,
  -- How the provider said (by webhook) a payment for the order ended, for the saga to use.
  provider_payment_id text,
  provider_status     text,
  provider_failure    text,
  -- The Idempotency-Key it was placed with: a request that takes over the key of one whose
  -- instance died answers this order instead of placing a second.
  idempotency_key text       NOT NULL,
  version        bigint      NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_by_key ON orders (user_id, idempotency_key);
CREATE INDEX orders_by_time ON orders (created_at DESC, id DESC);
CREATE INDEX orders_unfinished ON orders (lease_until) WHERE saga_step <> 'finished';

CREATE TABLE order_lines (
  order_id    uuid   NOT NULL REFERENCES orders (id),
  product_id  uuid   NOT NULL,
  name        text   NOT NULL,
  quantity    bigint NOT NULL,
  unit_amount bigint NOT NULL,
  currency    text   NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

CREATE TABLE order_status_history (
  order_id uuid        NOT NULL REFERENCES orders (id),
  seq      int         NOT NULL,
  status   text        NOT NULL,
  at       timestamptz NOT NULL,
  PRIMARY KEY (order_id, seq)
);

-- The card of a saga that has not charged yet, sealed (AES-GCM), so that an instance that
-- takes the saga over can charge it; deleted as soon as the charge has an answer.
CREATE TABLE saga_credentials (
  order_id uuid  PRIMARY KEY REFERENCES orders (id),
  sealed   bytea NOT NULL
);

-- Webhook ids already handled: a replayed delivery is acknowledged and changes nothing.
CREATE TABLE received_webhooks (
  id          text        PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
