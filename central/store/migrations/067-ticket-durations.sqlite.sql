-- Whole-second durations and the local hour of issue as generated columns of the ticket row
-- (issue 14, the report bench): the engine computes them whenever the row changes, whichever
-- code changes it, so the reports read integers instead of doing arithmetic on ISO-8601 text.
-- wait_s = first call − issued; service_s = served − (last) call, for served tickets;
-- issued_hour = local hour (UTC+7) of issue. Second-of-day arithmetic on the text, plus a day
-- when the dates differ (a ticket lives within one office day).
-- SQLite adds generated columns as VIRTUAL only (computed when read). Twin: *.postgres.sql.
ALTER TABLE tickets ADD COLUMN wait_s INTEGER GENERATED ALWAYS AS (((CAST(SUBSTR(first_called_at, 12, 2) AS INTEGER) * 3600 + CAST(SUBSTR(first_called_at, 15, 2) AS INTEGER) * 60 + CAST(SUBSTR(first_called_at, 18, 2) AS INTEGER)) - (CAST(SUBSTR(issued_at, 12, 2) AS INTEGER) * 3600 + CAST(SUBSTR(issued_at, 15, 2) AS INTEGER) * 60 + CAST(SUBSTR(issued_at, 18, 2) AS INTEGER)) + CASE WHEN SUBSTR(first_called_at, 1, 10) > SUBSTR(issued_at, 1, 10) THEN 86400 ELSE 0 END)) VIRTUAL;
ALTER TABLE tickets ADD COLUMN service_s INTEGER GENERATED ALWAYS AS (CASE WHEN status = 'served' AND called_at IS NOT NULL THEN ((CAST(SUBSTR(served_at, 12, 2) AS INTEGER) * 3600 + CAST(SUBSTR(served_at, 15, 2) AS INTEGER) * 60 + CAST(SUBSTR(served_at, 18, 2) AS INTEGER)) - (CAST(SUBSTR(called_at, 12, 2) AS INTEGER) * 3600 + CAST(SUBSTR(called_at, 15, 2) AS INTEGER) * 60 + CAST(SUBSTR(called_at, 18, 2) AS INTEGER)) + CASE WHEN SUBSTR(served_at, 1, 10) > SUBSTR(called_at, 1, 10) THEN 86400 ELSE 0 END) END) VIRTUAL;
ALTER TABLE tickets ADD COLUMN issued_hour INTEGER GENERATED ALWAYS AS ((CAST(SUBSTR(issued_at, 12, 2) AS INTEGER) + 7) % 24) VIRTUAL;
