-- The outbox: everything that must reach central, written in the same transaction as the
-- domain record. Entries are never deleted: done ones keep ids/times/result for receipts and
-- audit (payload wiped once central confirmed it); failed ones are parked for technicians.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,           -- arrival order; sent to central as `seq`
  key             TEXT NOT NULL UNIQUE,          -- idempotency key, UUIDv7
  kind            TEXT NOT NULL,                 -- e.g. dossier.submitted
  payload         TEXT,                          -- JSON; NULL/retained subset after confirmation
  status          TEXT NOT NULL CHECK (status IN ('pending', 'inflight', 'done', 'parked')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,              -- ms since epoch
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  done_at         TEXT,
  result          TEXT,                          -- central's answer (JSON), e.g. a dossier code
  confirmed_at    TEXT                           -- central still held it at a later reconcile
) STRICT;

-- Claiming scans only due work, in arrival order, however many done rows pile up.
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX outbox_inflight ON outbox (id) WHERE status = 'inflight';
CREATE INDEX outbox_parked ON outbox (id) WHERE status = 'parked';
CREATE INDEX outbox_unconfirmed ON outbox (id) WHERE status = 'done' AND confirmed_at IS NULL;

-- What the kiosk last pulled from central (office config, catalog, lookups), for offline use.
CREATE TABLE central_cache (
  name       TEXT PRIMARY KEY,
  etag       TEXT,
  body       TEXT NOT NULL,
  fetched_at TEXT NOT NULL,   -- when this body was received
  checked_at TEXT NOT NULL    -- when central last confirmed it (200 or 304)
) STRICT;
