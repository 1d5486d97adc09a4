-- Per-ticket call facts on the ticket row (issue 14, the report bench): the first call, the
-- number of calls (recalls not counted), and the officer of the latest call or recall (by seq).
-- Kept by a trigger in the transaction that inserts the call, whichever code inserts it;
-- back-filled from ticket_calls here. The reports read tickets alone. PostgreSQL twin of *.sqlite.sql.
ALTER TABLE tickets ADD COLUMN first_called_at TEXT;
ALTER TABLE tickets ADD COLUMN call_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN last_call_seq BIGINT;
ALTER TABLE tickets ADD COLUMN last_officer_id TEXT;
UPDATE tickets SET
  first_called_at = (SELECT MIN(c.at) FROM ticket_calls c WHERE c.office_id = tickets.office_id AND c.ticket_id = tickets.id AND c.kind = 'call'),
  call_count = (SELECT COUNT(*) FROM ticket_calls c WHERE c.office_id = tickets.office_id AND c.ticket_id = tickets.id AND c.kind = 'call'),
  last_call_seq = (SELECT MAX(c.seq) FROM ticket_calls c WHERE c.office_id = tickets.office_id AND c.ticket_id = tickets.id)
WHERE EXISTS (SELECT 1 FROM ticket_calls c WHERE c.office_id = tickets.office_id AND c.ticket_id = tickets.id);
UPDATE tickets SET
  last_officer_id = (SELECT c.officer_id FROM ticket_calls c WHERE c.office_id = tickets.office_id AND c.ticket_id = tickets.id ORDER BY c.seq DESC LIMIT 1)
WHERE last_call_seq IS NOT NULL;
CREATE FUNCTION ticket_calls_facts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  UPDATE tickets SET
    first_called_at = CASE WHEN NEW.kind = 'call' AND (first_called_at IS NULL OR NEW.at < first_called_at) THEN NEW.at ELSE first_called_at END,
    call_count = call_count + CASE WHEN NEW.kind = 'call' THEN 1 ELSE 0 END,
    last_officer_id = CASE WHEN last_call_seq IS NULL OR NEW.seq >= last_call_seq THEN NEW.officer_id ELSE last_officer_id END,
    last_call_seq = CASE WHEN last_call_seq IS NULL OR NEW.seq >= last_call_seq THEN NEW.seq ELSE last_call_seq END
  WHERE office_id = NEW.office_id AND id = NEW.ticket_id; RETURN NULL; END $$;
CREATE TRIGGER ticket_calls_facts AFTER INSERT ON ticket_calls FOR EACH ROW EXECUTE FUNCTION ticket_calls_facts();
