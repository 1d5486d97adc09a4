-- Province (issue 18): several central instances share one database, so nothing that limits
-- callers may live in one instance's memory. A fixed window per bucket (e.g. wrong enrolment
-- codes per client address), counted with one atomic upsert.
CREATE TABLE IF NOT EXISTS central_rate_limits (
  bucket TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  window_start TEXT NOT NULL
);
