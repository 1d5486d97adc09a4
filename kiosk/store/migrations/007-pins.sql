-- One table for every PIN the kiosk keeps (technician mode, officer desk), each with the same
-- scrypt hash and the same growing lockout kept across restarts (kiosk/tech/pin.node.ts).
CREATE TABLE pins (
  role          TEXT PRIMARY KEY CHECK (role IN ('technician', 'officer')),
  hash          TEXT NOT NULL,           -- scrypt$N$r$p$salt$key (base64url), or scrypt-hex$… (officer PINs set before 007)
  failed        INTEGER NOT NULL DEFAULT 0,
  locked_until  INTEGER NOT NULL DEFAULT 0, -- epoch ms
  updated_at    TEXT NOT NULL
) STRICT;

INSERT INTO pins (role, hash, failed, locked_until, updated_at)
  SELECT 'technician', hash, failed, locked_until, updated_at FROM tech_pin;
-- The officer PIN was scrypt(N=16384, r=8, p=1) with hex salt and key: kept as it is, marked hex.
INSERT INTO pins (role, hash, failed, locked_until, updated_at)
  SELECT 'officer', 'scrypt-hex$16384$8$1$' || salt || '$' || hash, 0, 0, updated_at FROM officer_pin;

DROP TABLE tech_pin;
DROP TABLE officer_pin;
