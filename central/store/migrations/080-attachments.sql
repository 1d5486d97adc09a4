-- Papers digitised at kiosks (issue 16): which documents a dossier has. The bytes are in the
-- attachment store (central/attachments/, content-addressed by SHA-256), not in the database.
CREATE TABLE dossier_attachments (
  dossier_code TEXT NOT NULL,
  office_id    TEXT NOT NULL,
  doc_id       TEXT NOT NULL,
  title        TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  bytes        BIGINT NOT NULL,
  pages        INTEGER NOT NULL,
  PRIMARY KEY (dossier_code, doc_id)
);
CREATE INDEX dossier_attachments_sha ON dossier_attachments (sha256);
