-- Daily roll-ups of the ticket figures (issue 14, the report bench): per office and closed day,
-- the counts of each report grouping and whole-second histograms of wait and service time, so a
-- month report adds ~30 compact days instead of reading every ticket (histograms add up exactly:
-- the percentiles stay exact nearest rank). Written by central/report-rollup.node.ts when a report
-- covers a closed day that is not rolled; `report_rolled_days` says which (office, day) rows are
-- current. Any change to a ticket of a day (a kiosk's offline ticket merged days later, a call, a
-- deletion) forgets that day's mark in the same transaction, whichever code makes it; the report
-- then reads that day from the tickets until it is rolled again.
-- Races: a ticket write takes a SHARED transaction advisory lock on (office, day) before it
-- forgets the mark, and holds it to commit; a roll-up takes the EXCLUSIVE lock (try-lock: it
-- skips a day it cannot lock, never waits) before reading the tickets. So a roll-up either sees
-- every write of the day committed, or the write waits for the roll-up's commit and then forgets
-- its fresh mark. Writers never wait for each other (shared). Twin: *.sqlite.sql.
CREATE TABLE report_rolled_days (
  office_id TEXT NOT NULL,
  day TEXT NOT NULL,
  rolled_at TEXT NOT NULL,
  PRIMARY KEY (office_id, day)
);
CREATE TABLE report_day_counts (
  office_id TEXT NOT NULL,
  day TEXT NOT NULL,
  part TEXT NOT NULL,
  k TEXT NOT NULL,
  h INTEGER,
  g TEXT,
  issued INTEGER NOT NULL,
  served INTEGER NOT NULL,
  no_show INTEGER NOT NULL,
  transferred INTEGER NOT NULL,
  kiosk INTEGER NOT NULL,
  priority INTEGER NOT NULL
);
CREATE INDEX report_day_counts_day ON report_day_counts (office_id, day);
CREATE TABLE report_day_hist (
  office_id TEXT NOT NULL,
  day TEXT NOT NULL,
  m TEXT NOT NULL,
  part TEXT NOT NULL,
  k TEXT NOT NULL,
  v INTEGER NOT NULL,
  c INTEGER NOT NULL
);
CREATE INDEX report_day_hist_day ON report_day_hist (office_id, day, m) INCLUDE (part, k, v, c);
CREATE FUNCTION tickets_rollup_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_advisory_xact_lock_shared(1140, hashtext(current_schema() || '|' || OLD.office_id || '|' || OLD.day)); DELETE FROM report_rolled_days WHERE office_id = OLD.office_id AND day = OLD.day; END IF; IF TG_OP <> 'DELETE' THEN
    PERFORM pg_advisory_xact_lock_shared(1140, hashtext(current_schema() || '|' || NEW.office_id || '|' || NEW.day)); DELETE FROM report_rolled_days WHERE office_id = NEW.office_id AND day = NEW.day; END IF; RETURN NULL; END $$;
CREATE TRIGGER tickets_rollup_forget AFTER INSERT OR UPDATE OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_rollup_forget();
