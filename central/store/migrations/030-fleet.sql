-- Fleet inventory: the last heartbeat of each kiosk, and configuration central pushes to it.
CREATE TABLE fleet_heartbeats (
  device_id      TEXT PRIMARY KEY REFERENCES devices (id),
  received_at    TEXT NOT NULL,
  body_json      TEXT NOT NULL
);

CREATE TABLE fleet_config (
  device_id   TEXT PRIMARY KEY REFERENCES devices (id),
  revision    INTEGER NOT NULL,
  values_json TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
