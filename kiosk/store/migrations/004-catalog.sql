-- The procedure catalog pulled from central (protocol/catalog.ts), kept for offline lookup.
-- One row per procedure: the columns browsing filters on, the folded name the search index is
-- built from (fold = NFD, strip marks, đ→d, lower-case: kiosk/catalog/fold.ts), and the whole
-- procedure as JSON for the detail screen.
CREATE TABLE catalog_meta (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  version     TEXT NOT NULL,
  etag        TEXT,
  province    TEXT NOT NULL,
  fields      TEXT NOT NULL,                   -- JSON [{ id, name }]
  received_at TEXT NOT NULL                    -- when this version was pulled
) STRICT;

CREATE TABLE catalog_procedures (
  code         TEXT PRIMARY KEY,
  ord          INTEGER NOT NULL,               -- catalog order
  name         TEXT NOT NULL,
  name_folded  TEXT NOT NULL,
  keywords     TEXT NOT NULL,                  -- JSON array, as published
  field_id     TEXT NOT NULL,
  level        TEXT NOT NULL,
  online_level TEXT NOT NULL,
  body         TEXT NOT NULL                   -- the procedure (JSON)
) STRICT;

CREATE INDEX catalog_procedures_browse ON catalog_procedures (field_id, level, ord);
CREATE INDEX catalog_procedures_level ON catalog_procedures (level, ord);
