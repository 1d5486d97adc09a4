-- Manager reports (issue 14): the ticket scan of a period across offices, the calls of those
-- tickets, ratings per ticket, dossiers and confirmed payments of a period. Portable SQL.
CREATE INDEX tickets_report ON tickets (office_id, day);
CREATE INDEX ticket_calls_ticket ON ticket_calls (office_id, ticket_id);
CREATE INDEX ticket_calls_at ON ticket_calls (office_id, at);
CREATE INDEX dossiers_submitted ON dossiers (office_id, submitted_at);
CREATE INDEX payments_confirmed ON payments (office_id, confirmed_at);
