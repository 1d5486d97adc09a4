-- The citizen's phone (issue 15, docs/phone.md): the public token in the ticket QR
-- (`…/t/<token>`), made here for online and offline tickets alike and sent to central with the
-- ticket. Kept in clear: the kiosk reprints the QR and recognises its own tickets when scanned.
ALTER TABLE tickets ADD COLUMN public_token TEXT;
CREATE UNIQUE INDEX tickets_public_token ON tickets (public_token);
