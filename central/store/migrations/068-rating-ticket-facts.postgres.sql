-- The rated ticket's service and counter on the rating row (issue 14, the report bench), so the
-- satisfaction figures read ratings alone instead of joining every rating to its ticket.
-- service_id/counter_id are the ticket's (same office, same id) at any time, NULL without one:
-- filled when the rating is inserted, and again when the ticket arrives later (a kiosk may send
-- the rating first) or its service or counter changes (call, transfer). Triggers in the
-- transaction of the change, whichever code makes it; back-filled here. Twin: *.sqlite.sql.
ALTER TABLE ratings ADD COLUMN service_id TEXT;
ALTER TABLE ratings ADD COLUMN counter_id TEXT;
UPDATE ratings SET service_id = t.service_id, counter_id = t.counter_id
  FROM tickets t WHERE t.id = ratings.ticket_id AND t.office_id = ratings.office_id;
CREATE INDEX ratings_ticket ON ratings (office_id, ticket_id);
CREATE INDEX ratings_report_cover ON ratings (office_id, created_at) INCLUDE (overall, service_id, counter_id);
CREATE FUNCTION ratings_ticket_facts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  SELECT t.service_id, t.counter_id
    INTO NEW.service_id, NEW.counter_id FROM tickets t WHERE t.id = NEW.ticket_id AND t.office_id = NEW.office_id; IF NOT FOUND THEN NEW.service_id := NULL; NEW.counter_id := NULL; END IF; RETURN NEW; END $$;
CREATE TRIGGER ratings_ticket_facts BEFORE INSERT OR UPDATE OF office_id, ticket_id ON ratings FOR EACH ROW EXECUTE FUNCTION ratings_ticket_facts();
CREATE FUNCTION tickets_rating_facts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.id <> NEW.id OR OLD.office_id <> NEW.office_id) THEN
    UPDATE ratings SET service_id = NULL, counter_id = NULL WHERE office_id = OLD.office_id AND ticket_id = OLD.id; END IF; UPDATE ratings
   SET service_id = NEW.service_id, counter_id = NEW.counter_id
   WHERE office_id = NEW.office_id AND ticket_id = NEW.id
     AND (service_id IS DISTINCT FROM NEW.service_id OR counter_id IS DISTINCT FROM NEW.counter_id); RETURN NULL; END $$;
CREATE TRIGGER tickets_rating_facts_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_rating_facts();
CREATE TRIGGER tickets_rating_facts_update AFTER UPDATE OF id, office_id, service_id, counter_id ON tickets FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.office_id IS DISTINCT FROM NEW.office_id OR OLD.service_id IS DISTINCT FROM NEW.service_id OR OLD.counter_id IS DISTINCT FROM NEW.counter_id)
  EXECUTE FUNCTION tickets_rating_facts();
