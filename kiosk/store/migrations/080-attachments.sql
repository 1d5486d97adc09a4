-- Papers digitised at the kiosk (issue 16). Pages wait here (encrypted files under
-- <dataDir>/capture/pages, named by page id) until the citizen submits or leaves; each
-- document's PDF (encrypted under <dataDir>/capture/outgoing, named by its SHA-256) waits
-- until central holds it, then the file is deleted and the row keeps only the receipt.
CREATE TABLE capture_pages (
  id         TEXT PRIMARY KEY,              -- UUID, the file's name
  bytes      INTEGER NOT NULL,              -- cleaned JPEG
  source     TEXT NOT NULL CHECK (source IN ('scanner', 'camera')),
  created_at TEXT NOT NULL
);

CREATE TABLE attachments (
  id          INTEGER PRIMARY KEY,
  outbox_key  TEXT NOT NULL,                 -- the dossier's outbox entry
  doc_id      TEXT NOT NULL,
  sha256      TEXT NOT NULL,                 -- the PDF's; also the file's name and central's key
  bytes       INTEGER NOT NULL,
  pages       INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'uploaded', 'broken')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  next_try_at TEXT,
  created_at  TEXT NOT NULL,
  uploaded_at TEXT,
  UNIQUE (outbox_key, doc_id)
);
CREATE INDEX attachments_pending ON attachments (created_at) WHERE status = 'pending';
