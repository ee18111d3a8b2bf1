-- A cancelled order's sold stock goes back on hand: its reservation ends `returned`.
ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check
  CHECK (status IN ('held', 'committed', 'released', 'returned'));
