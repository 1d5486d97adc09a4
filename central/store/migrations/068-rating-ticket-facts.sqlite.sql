-- The rated ticket's service and counter on the rating row (issue 14, the report bench), so the
-- satisfaction figures read ratings alone instead of joining every rating to its ticket.
-- service_id/counter_id are the ticket's (same office, same id) at any time, NULL without one:
-- filled when the rating is inserted, and again when the ticket arrives later (a kiosk may send
-- the rating first) or its service or counter changes (call, transfer). Triggers in the
-- transaction of the change, whichever code makes it; back-filled here. Twin: *.postgres.sql.
ALTER TABLE ratings ADD COLUMN service_id TEXT;
ALTER TABLE ratings ADD COLUMN counter_id TEXT;
UPDATE ratings SET
  service_id = (SELECT t.service_id FROM tickets t WHERE t.id = ratings.ticket_id AND t.office_id = ratings.office_id),
  counter_id = (SELECT t.counter_id FROM tickets t WHERE t.id = ratings.ticket_id AND t.office_id = ratings.office_id)
WHERE ticket_id IS NOT NULL;
CREATE INDEX ratings_ticket ON ratings (office_id, ticket_id);
CREATE TRIGGER ratings_ticket_facts AFTER INSERT ON ratings BEGIN
  UPDATE ratings SET
    service_id = (SELECT t.service_id FROM tickets t WHERE t.id = NEW.ticket_id AND t.office_id = NEW.office_id),
    counter_id = (SELECT t.counter_id FROM tickets t WHERE t.id = NEW.ticket_id AND t.office_id = NEW.office_id)
  WHERE id = NEW.id; END;
CREATE TRIGGER ratings_ticket_facts_update AFTER UPDATE OF office_id, ticket_id ON ratings BEGIN
  UPDATE ratings SET
    service_id = (SELECT t.service_id FROM tickets t WHERE t.id = NEW.ticket_id AND t.office_id = NEW.office_id),
    counter_id = (SELECT t.counter_id FROM tickets t WHERE t.id = NEW.ticket_id AND t.office_id = NEW.office_id)
  WHERE id = NEW.id; END;
CREATE TRIGGER tickets_rating_facts_insert AFTER INSERT ON tickets BEGIN
  UPDATE ratings SET service_id = NEW.service_id, counter_id = NEW.counter_id
   WHERE office_id = NEW.office_id AND ticket_id = NEW.id; END;
CREATE TRIGGER tickets_rating_facts_update AFTER UPDATE OF id, office_id, service_id, counter_id ON tickets
  WHEN OLD.id IS NOT NEW.id OR OLD.office_id IS NOT NEW.office_id OR OLD.service_id IS NOT NEW.service_id OR OLD.counter_id IS NOT NEW.counter_id BEGIN
  UPDATE ratings SET service_id = NULL, counter_id = NULL WHERE office_id = OLD.office_id AND ticket_id = OLD.id; UPDATE ratings
   SET service_id = NEW.service_id, counter_id = NEW.counter_id
   WHERE office_id = NEW.office_id AND ticket_id = NEW.id; END;
