-- Core tables of the kiosk: small key/value settings and the audit trail.
CREATE TABLE kv (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,
  actor  TEXT NOT NULL,      -- citizen | officer | technician | system
  action TEXT NOT NULL,
  detail TEXT                -- JSON, never personal data
) STRICT;
