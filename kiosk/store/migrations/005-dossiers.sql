-- Dossiers submitted at this kiosk, fee payments and satisfaction ratings. Each row is written
-- in the same transaction as its outbox entry. Personal data (data_json, applicant_name) is
-- set to NULL once central acknowledged the dossier.
CREATE TABLE dossiers (
  id               TEXT PRIMARY KEY,              -- UUID made here
  local_no         INTEGER NOT NULL UNIQUE,       -- never repeats on this kiosk
  provisional_no   TEXT NOT NULL UNIQUE,          -- <kioskId>-<local_no, 6 digits>
  procedure_code   TEXT NOT NULL,
  procedure_name   TEXT NOT NULL,
  applicant_name   TEXT,                          -- NULL once wiped
  data_json        TEXT,                          -- the whole submission; NULL once wiped
  fee              INTEGER NOT NULL,
  outbox_key       TEXT NOT NULL UNIQUE,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'parked')),
  dossier_code     TEXT,
  appointment_date TEXT,
  received_at      TEXT,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  wiped_at         TEXT
) STRICT;
CREATE INDEX dossiers_code ON dossiers (dossier_code);

CREATE TABLE payments (
  id           TEXT PRIMARY KEY,                  -- UUID made here, sent as paymentId
  dossier_code TEXT NOT NULL,
  amount       INTEGER NOT NULL,
  purpose      TEXT NOT NULL,
  qr_payload   TEXT NOT NULL,
  outbox_key   TEXT NOT NULL UNIQUE,
  status       TEXT NOT NULL CHECK (status IN ('waiting', 'confirmed', 'abandoned')),
  created_at   TEXT NOT NULL,
  confirmed_at TEXT,
  bank_ref     TEXT
) STRICT;

CREATE TABLE ratings (
  id           TEXT PRIMARY KEY,
  overall      TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  outbox_key   TEXT NOT NULL UNIQUE,
  synced_at    TEXT,
  created_at   TEXT NOT NULL
) STRICT;
