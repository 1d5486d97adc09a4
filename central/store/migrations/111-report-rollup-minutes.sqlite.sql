-- Per-minute histograms of wait and service time per office, closed day and grouping (issue 14,
-- the province month bench with realistic durations). A report over more than 7 days gives its
-- percentiles to the whole minute: nearest rank over durations truncated to whole minutes
-- (v = floor(seconds / 60) * 60), summed from these rows (~60 values per group and day instead of
-- one per distinct second). Reports of 1–7 days stay exact to the second (report_day_hist).
-- Written with the other roll-up rows by central/report-rollup.node.ts; every roll-up made
-- before this migration is forgotten, so the days are rolled again with their minute rows.
CREATE TABLE report_day_hist_min (
  office_id TEXT NOT NULL,
  day TEXT NOT NULL,
  m TEXT NOT NULL,
  part TEXT NOT NULL,
  k TEXT NOT NULL,
  v INTEGER NOT NULL,
  c INTEGER NOT NULL
);
DELETE FROM report_rolled_days;
CREATE INDEX report_day_hist_min_day ON report_day_hist_min (office_id, day, m);
