-- Administration (issue 14): every catalog an office's administrator imported, to compare and roll back. Portable SQL.
CREATE TABLE catalog_versions (
  id           TEXT PRIMARY KEY,
  office_id    TEXT NOT NULL,
  seq          BIGINT NOT NULL,                -- 1, 2, … per office
  etag         TEXT NOT NULL,
  body_json    TEXT NOT NULL,                  -- the Catalog as kiosks get it
  file_name    TEXT,
  officer_id   TEXT,
  summary_json TEXT NOT NULL,                  -- { added, changed, removed } counts
  created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX catalog_versions_office_seq ON catalog_versions (office_id, seq);
