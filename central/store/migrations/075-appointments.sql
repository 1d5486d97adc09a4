-- Appointments (issue 15, docs/phone.md): bookings of a service's slot, made on central's public
-- page. Capacity is enforced by the unique seat index: a booking takes the first free seat
-- 1..capacity of its slot with INSERT … ON CONFLICT DO NOTHING, in one transaction, so two
-- citizens booking the last place at once cannot both get it. Only a hash of the phone or CCCD
-- number and its last 3 digits are kept. Portable SQL.
CREATE TABLE appointments (
  id            TEXT PRIMARY KEY,
  code          TEXT NOT NULL,              -- 8 characters without 0/O/1/I
  office_id     TEXT NOT NULL,
  service_id    TEXT NOT NULL,
  day           TEXT NOT NULL,              -- local YYYY-MM-DD
  slot          TEXT NOT NULL,              -- local HH:MM (the slot's start)
  slot_start    TEXT NOT NULL,              -- the same as an ISO-8601 UTC instant
  seat          INTEGER NOT NULL,           -- 1..capacity
  id_kind       TEXT NOT NULL,              -- phone | cccd
  id_hash       TEXT NOT NULL,              -- SHA-256 of kind:number
  id_last3      TEXT NOT NULL,
  status        TEXT NOT NULL,              -- booked | checked_in
  ticket_id     TEXT,
  created_at    TEXT NOT NULL,
  checked_in_at TEXT
);
CREATE UNIQUE INDEX appointments_code ON appointments (code);
CREATE UNIQUE INDEX appointments_seat ON appointments (office_id, service_id, day, slot, seat);
-- One booking per person, office and day.
CREATE UNIQUE INDEX appointments_person ON appointments (office_id, day, id_hash);
CREATE INDEX appointments_noshow ON appointments (id_hash, status, slot_start);
-- The ticket of a checked-in appointment carries its slot ("Lịch hẹn 09:30").
ALTER TABLE tickets ADD COLUMN appointment_slot TEXT;
