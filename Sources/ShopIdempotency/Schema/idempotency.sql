-- Idempotency keys (IETF httpapi Idempotency-Key): one row per caller and key, holding the
-- fingerprint of the first request and, once it finished, its response.
CREATE TABLE idempotency_keys (
  scope        text        NOT NULL,
  key          text        NOT NULL,
  fingerprint  text        NOT NULL,
  -- Set while the first request runs; another request may take the key over after it.
  locked_until timestamptz,
  status       int,
  body         bytea,
  content_type text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
