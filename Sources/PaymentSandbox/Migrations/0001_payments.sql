-- Payments as the sandbox keeps them: no card number, only its brand, last four digits and
-- a keyed fingerprint.
CREATE TABLE payments (
  id               uuid PRIMARY KEY,
  reference        text        NOT NULL,
  amount           bigint      NOT NULL CHECK (amount > 0),
  currency         text        NOT NULL,
  status           text        NOT NULL,
  captured_amount  bigint      NOT NULL DEFAULT 0,
  refunded_amount  bigint      NOT NULL DEFAULT 0 CHECK (refunded_amount <= captured_amount),
  card_brand       text        NOT NULL,
  card_last4       text        NOT NULL,
  card_fingerprint text        NOT NULL,
  failure_code     text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX payments_reference ON payments (reference, created_at);

-- How often a payment with the flaky test card was tried, by idempotency key (or reference).
CREATE TABLE flaky_attempts (
  key      text PRIMARY KEY,
  attempts int NOT NULL
);

-- Every state change, to be sent as a signed webhook until the receiver accepts it.
CREATE TABLE webhook_outbox (
  id              bigserial PRIMARY KEY,
  webhook_id      text        NOT NULL UNIQUE,
  type            text        NOT NULL,
  body            text        NOT NULL,
  attempts        int         NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  last_error      text
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL;
