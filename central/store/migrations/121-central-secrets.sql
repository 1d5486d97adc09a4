-- Secrets central makes once and keeps (issue 15, docs/phone.md): e.g. the key of the HMAC that
-- hides appointment phone/CCCD numbers. Portable SQL.
CREATE TABLE central_secrets (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,                -- base64url
  created_at TEXT NOT NULL
);
