-- Queue tickets: the registry per office and local day (Asia/Ho_Chi_Minh), numbered by central
-- (`A001`) or by a kiosk's offline series (`A2-001`) and merged on sync. Portable SQL.
CREATE TABLE tickets (
  id                TEXT PRIMARY KEY,           -- UUID made by the issuing kiosk
  office_id         TEXT NOT NULL,
  day               TEXT NOT NULL,              -- local YYYY-MM-DD
  service_id        TEXT NOT NULL,
  area_id           TEXT NOT NULL,
  number            TEXT NOT NULL,
  priority_group_id TEXT,
  weight            INTEGER NOT NULL,           -- the group's weight when issued; 0 = normal
  source            TEXT NOT NULL,              -- kiosk | officer
  origin            TEXT NOT NULL,              -- central | offline
  device_id         TEXT,
  issued_at         TEXT NOT NULL,              -- arrival order (ISO-8601 UTC)
  received_at       TEXT NOT NULL,
  status            TEXT NOT NULL,              -- waiting | called | served | skipped
  counter_id        TEXT,
  called_at         TEXT,
  served_at         TEXT
);
-- A number is unique per office and day (services of an office have their own prefixes).
CREATE UNIQUE INDEX tickets_number ON tickets (office_id, day, number);
CREATE INDEX tickets_queue ON tickets (office_id, day, service_id, status, issued_at);
CREATE INDEX tickets_served ON tickets (office_id, service_id, served_at);

-- Each kiosk of an office gets its own offline series slot, once, never reused.
CREATE TABLE ticket_series (
  device_id   TEXT PRIMARY KEY,
  office_id   TEXT NOT NULL,
  slot        INTEGER NOT NULL,
  assigned_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ticket_series_slot ON ticket_series (office_id, slot);
