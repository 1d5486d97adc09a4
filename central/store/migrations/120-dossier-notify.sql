-- Dossier status messages (issue 15, docs/phone.md). Portable SQL.

-- The dossier's public status page `/hs/<token>`: central keeps only the token's SHA-256.
ALTER TABLE dossiers ADD COLUMN public_token_hash TEXT;
CREATE UNIQUE INDEX dossiers_public_token ON dossiers (public_token_hash);

-- Who asked at submission to be told of status changes, by Zalo or SMS. `address` is a phone
-- number (84…): personal data, never logged, never in notify_outbox. Deleted once the last
-- message (result ready) is sent or the dossier ends, and in any case at `expires_at` (the
-- appointment date + 30 days). `link` is the status page's address (it holds the token).
CREATE TABLE dossier_contacts (
  dossier_code TEXT PRIMARY KEY,
  office_id    TEXT NOT NULL,
  channel      TEXT NOT NULL,              -- zalo | sms
  address      TEXT NOT NULL,
  link         TEXT NOT NULL,
  consent      TEXT NOT NULL,              -- the consent wording's version
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL
);
CREATE INDEX dossier_contacts_expiry ON dossier_contacts (expires_at);
