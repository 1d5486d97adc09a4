-- Central core: offices, enrolment, devices, the batch ledger, distributed documents, counters.
-- Portable SQL (SQLite and PostgreSQL): TEXT/INTEGER/BIGINT, ISO-8601 text times.
CREATE TABLE offices (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  address     TEXT NOT NULL,
  province    TEXT NOT NULL,
  config_json TEXT NOT NULL,
  config_etag TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE enrol_codes (
  code_hash  TEXT PRIMARY KEY,
  office_id  TEXT NOT NULL REFERENCES offices (id),
  note       TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT,
  device_id  TEXT
);

CREATE TABLE devices (
  id          TEXT PRIMARY KEY,
  office_id   TEXT NOT NULL REFERENCES offices (id),
  name        TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  version     TEXT,
  enrolled_at TEXT NOT NULL,
  revoked_at  TEXT,
  last_seen_at TEXT
);

-- One row per idempotency key ever accepted: the ledger that makes replays harmless.
CREATE TABLE batch_items (
  item_key     TEXT PRIMARY KEY,
  device_id    TEXT NOT NULL,
  kind         TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  client_seq   BIGINT NOT NULL,
  created_at   TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  result_json  TEXT
);
CREATE INDEX batch_items_device ON batch_items (device_id, client_seq);

-- Documents central distributes with an ETag (the catalog; more later).
CREATE TABLE documents (
  name       TEXT PRIMARY KEY,
  etag       TEXT NOT NULL,
  body_json  TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
