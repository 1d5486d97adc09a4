-- The booking code sent by Zalo or SMS (issue 15, docs/phone.md). Portable SQL.
-- The number a citizen gave to receive the code: personal data, never logged, never in
-- notify_outbox; deleted once the message is sent (or given up), when the booking is cancelled,
-- and in any case a day after it was given.
CREATE TABLE appointment_contacts (
  appointment_id TEXT PRIMARY KEY,
  office_id      TEXT NOT NULL,
  channel        TEXT NOT NULL,            -- zalo | sms
  address        TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
