-- Queue tickets this kiosk issued (no personal data: a number, a service, a time).
CREATE TABLE tickets (
  id                TEXT PRIMARY KEY,            -- UUID, in the ticket QR
  day               TEXT NOT NULL,               -- office-local YYYY-MM-DD
  service_id        TEXT NOT NULL,
  area_id           TEXT NOT NULL,
  number            TEXT NOT NULL,
  priority_group_id TEXT,
  source            TEXT NOT NULL CHECK (source IN ('kiosk', 'officer')),
  origin            TEXT NOT NULL CHECK (origin IN ('central', 'offline')),
  issued_at         TEXT NOT NULL,
  ahead             INTEGER,
  wait_min          INTEGER,
  wait_max          INTEGER,
  printed           INTEGER NOT NULL DEFAULT 0,
  print_error       TEXT,
  synced_at         TEXT                         -- offline ones: when central accepted them
) STRICT;
CREATE INDEX tickets_day ON tickets (day, service_id);
CREATE INDEX tickets_issued ON tickets (issued_at);

-- This kiosk's offline series slot, assigned by central (unique within the office).
CREATE TABLE ticket_series (
  office_id   TEXT PRIMARY KEY,
  slot        INTEGER NOT NULL,
  assigned_at TEXT NOT NULL
) STRICT;

-- Offline numbers per day, prefix and slot; taken in the transaction that writes the ticket
-- and its outbox entry.
CREATE TABLE ticket_offline_counters (
  day    TEXT NOT NULL,
  prefix TEXT NOT NULL,
  slot   INTEGER NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (day, prefix, slot)
) STRICT;

-- The officer desk PIN (scrypt). No row: the documented demo PIN.
CREATE TABLE officer_pin (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  salt       TEXT NOT NULL,
  hash       TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
