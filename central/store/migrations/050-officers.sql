-- Officer accounts, sessions, sign-in lockout, audit, counters and their calls (issue 13). Portable SQL.
CREATE TABLE officers (
  id             TEXT PRIMARY KEY,
  office_id      TEXT NOT NULL,
  username       TEXT NOT NULL,               -- lower case, unique across central
  display_name   TEXT NOT NULL,
  password_hash  TEXT NOT NULL,               -- argon2id (PHC string)
  roles          TEXT NOT NULL,               -- comma list: counter,manager,admin
  created_at     TEXT NOT NULL,
  disabled_at    TEXT,
  last_counter_id  TEXT,                      -- remembered choice of the counter screen
  last_service_ids TEXT                       -- JSON array
);
CREATE UNIQUE INDEX officers_username ON officers (username);

-- Sign-in attempts per username (also unknown ones), counted before the password is checked.
CREATE TABLE officer_login_attempts (
  username     TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  locked_until TEXT
);

-- Server-side sessions: the cookie holds a random id; central keeps its SHA-256.
CREATE TABLE officer_sessions (
  id_hash      TEXT PRIMARY KEY,
  officer_id   TEXT NOT NULL,
  office_id    TEXT NOT NULL,
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ended_at     TEXT
);
CREATE INDEX officer_sessions_officer ON officer_sessions (officer_id);

-- Who did what, when: sign-ins, failures, lockouts, calls, recalls, transfers, no-shows.
CREATE TABLE officer_audit (
  id         TEXT PRIMARY KEY,
  at         TEXT NOT NULL,
  office_id  TEXT,
  officer_id TEXT,
  username   TEXT,
  action     TEXT NOT NULL,
  detail     TEXT,                            -- JSON
  ip         TEXT
);
CREATE INDEX officer_audit_office ON officer_audit (office_id, at);

-- Which officer holds which counter today, what it serves and whether it is paused.
CREATE TABLE counter_state (
  office_id   TEXT NOT NULL,
  counter_id  TEXT NOT NULL,
  officer_id  TEXT,
  service_ids TEXT NOT NULL,                  -- JSON array
  paused      INTEGER NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (office_id, counter_id)
);

-- Every call and recall, in order: the display announces each one (its WAV is /display/calls/<id>.wav).
CREATE TABLE ticket_calls (
  id         TEXT PRIMARY KEY,
  seq        BIGINT NOT NULL,
  office_id  TEXT NOT NULL,
  ticket_id  TEXT NOT NULL,
  number     TEXT NOT NULL,
  counter_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  kind       TEXT NOT NULL,                   -- call | recall
  officer_id TEXT,
  at         TEXT NOT NULL
);
CREATE INDEX ticket_calls_office ON ticket_calls (office_id, seq);

-- Transfer to a counter: the ticket waits for that counter only (NULL: any counter of its service).
ALTER TABLE tickets ADD COLUMN target_counter_id TEXT;
-- A dossier code linked to the ticket (submission at the counter); NULL when none.
ALTER TABLE tickets ADD COLUMN dossier_code TEXT;
