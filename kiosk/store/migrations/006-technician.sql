-- Technician mode: the PIN (scrypt hash, never the PIN) and its lockout, kept across restarts
-- so pulling the plug does not reset the count of failed attempts.
CREATE TABLE tech_pin (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  hash          TEXT NOT NULL,           -- scrypt$N$r$p$salt$key (base64url)
  failed        INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0, -- epoch ms
  updated_at    TEXT NOT NULL
) STRICT;

-- Fleet health sent to central: the last heartbeat and the config revision pushed by central.
CREATE TABLE tech_heartbeat (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  last_sent_at    TEXT,
  last_ok_at      TEXT,
  last_error      TEXT,
  config_revision INTEGER NOT NULL DEFAULT 0
) STRICT;
