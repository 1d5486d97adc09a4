-- Dossiers taken at kiosks, their status history, fee payments and satisfaction ratings.
-- Portable SQL (SQLite and PostgreSQL).
CREATE TABLE dossiers (
  code             TEXT PRIMARY KEY,          -- <agency>-yyMMdd-NNNN
  office_id        TEXT NOT NULL,
  device_id        TEXT NOT NULL,
  kiosk_id         TEXT NOT NULL,
  provisional_no   TEXT NOT NULL,             -- what the kiosk printed before central answered
  item_key         TEXT NOT NULL UNIQUE,
  procedure_code   TEXT NOT NULL,
  procedure_name   TEXT NOT NULL,
  applicant_name   TEXT NOT NULL,
  applicant_json   TEXT NOT NULL,
  fields_json      TEXT NOT NULL,
  fee              BIGINT NOT NULL,
  status           INTEGER NOT NULL,
  consent_at       TEXT NOT NULL,
  submitted_at     TEXT NOT NULL,
  received_at      TEXT NOT NULL,
  appointment_date TEXT NOT NULL,
  paid_at          TEXT
);
CREATE UNIQUE INDEX dossiers_provisional ON dossiers (office_id, provisional_no);

CREATE TABLE dossier_events (
  dossier_code TEXT NOT NULL,
  status       INTEGER NOT NULL,
  at           TEXT NOT NULL,
  note         TEXT
);
CREATE INDEX dossier_events_code ON dossier_events (dossier_code, at);

CREATE TABLE payments (
  id             TEXT PRIMARY KEY,            -- kiosk-made UUID, in the intent
  dossier_code   TEXT NOT NULL,
  office_id      TEXT NOT NULL,
  device_id      TEXT NOT NULL,
  amount         BIGINT NOT NULL,
  purpose        TEXT NOT NULL,
  bank_bin       TEXT NOT NULL,
  account_number TEXT NOT NULL,
  status         TEXT NOT NULL,               -- pending | confirmed | rejected
  created_at     TEXT NOT NULL,
  received_at    TEXT NOT NULL,
  confirmed_at   TEXT,
  confirmed_by   TEXT,                        -- hook | demo:<deviceId>
  bank_ref       TEXT
);
CREATE INDEX payments_dossier ON payments (dossier_code);

CREATE TABLE ratings (
  id            TEXT PRIMARY KEY,             -- kiosk-made UUID
  office_id     TEXT NOT NULL,
  device_id     TEXT NOT NULL,
  kiosk_id      TEXT NOT NULL,
  overall       TEXT NOT NULL,
  criteria_json TEXT NOT NULL,
  reasons_json  TEXT NOT NULL,
  comment       TEXT,
  dossier_code  TEXT,
  ticket_id     TEXT,
  context       TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  received_at   TEXT NOT NULL
);
CREATE INDEX ratings_office ON ratings (office_id, created_at);
