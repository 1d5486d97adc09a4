-- Notifications before the turn (issue 15, docs/phone.md). Portable SQL.

-- Who asked to be told, per ticket and channel. `address` is a phone number (zalo, sms: 84…)
-- or a Web Push subscription (JSON): personal data, deleted at the end of the ticket's day
-- (and once the call has been sent), never logged.
CREATE TABLE ticket_contacts (
  ticket_id  TEXT NOT NULL,
  channel    TEXT NOT NULL,                 -- zalo | sms | webpush
  office_id  TEXT NOT NULL,
  day        TEXT NOT NULL,                 -- the ticket's office-local day
  address    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (ticket_id, channel)
);
CREATE INDEX ticket_contacts_office ON ticket_contacts (office_id, day);

-- One row per message to send: the key `<ticketId>:<event>:<channel>` makes each at most once.
-- Holds no phone number: the address is read from ticket_contacts when sending.
CREATE TABLE notify_outbox (
  key        TEXT PRIMARY KEY,
  ticket_id  TEXT NOT NULL,
  office_id  TEXT NOT NULL,
  channel    TEXT NOT NULL,
  event      TEXT NOT NULL,                 -- soon | called
  payload    TEXT NOT NULL,                 -- JSON: number, service, counter, ahead, office
  status     TEXT NOT NULL,                 -- pending | sending | sent | parked | dropped
  attempts   INTEGER NOT NULL DEFAULT 0,
  next_at    TEXT NOT NULL,
  last_error TEXT,                          -- an error code, never a provider's body
  created_at TEXT NOT NULL,
  sent_at    TEXT
);
CREATE INDEX notify_outbox_due ON notify_outbox (status, next_at);

-- Central's VAPID key pair for Web Push, made at first use (or CENTRAL_VAPID_* in the environment).
CREATE TABLE notify_vapid (
  id          INTEGER PRIMARY KEY,
  public_key  TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
