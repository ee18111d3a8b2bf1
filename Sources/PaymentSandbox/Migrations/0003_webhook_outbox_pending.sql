-- The dispatcher takes the oldest undelivered webhook by id. Indexed by next_attempt_at, that
-- query walked the primary key past every webhook ever delivered; indexed by id over the
-- undelivered ones only, it reads the few that wait.
DROP INDEX webhook_outbox_due;
CREATE INDEX webhook_outbox_pending ON webhook_outbox (id) WHERE delivered_at IS NULL;
